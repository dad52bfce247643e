package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// This file holds the telemetry section (metric labels and traces) and
// server.log_format. The section is decoded by (*decoder).telemetry and
// checked, with server.log_format, by (*validator).telemetry.

// The log formats of server.log_format.
const (
	LogText = "text"
	LogJSON = "json"
)

// LogFormats lists the valid values of server.log_format.
var LogFormats = []string{LogText, LogJSON}

// DefaultServiceName is the service.name of the router's traces when
// telemetry.traces.service_name is unset.
const DefaultServiceName = "switchyard"

// Telemetry configures what the router exports about itself.
type Telemetry struct {
	// MetricsTenantLabel adds a tenant label to the request, token and
	// cost metrics; false (the default) keeps their series independent of
	// the number of tenants.
	MetricsTenantLabel bool
	// Traces configures OpenTelemetry traces; off when its Endpoint is
	// empty (the default).
	Traces Traces
}

// Traces configures the export of one span per request, with a child per
// upstream attempt, over OTLP/HTTP (protobuf).
type Traces struct {
	// Endpoint is the collector's OTLP/HTTP URL: a root such as
	// http://127.0.0.1:4318, to which /v1/traces is added, or the full
	// URL of the traces path. Empty means traces are off.
	Endpoint string
	// Headers are sent with every export (an authentication token, say);
	// nil means none. Their values never appear in errors or logs.
	Headers map[string]string
	// SampleRatio is the share of new traces recorded, from 0 to 1; nil
	// means 1 (all). A request that continues a caller's trace follows
	// the caller's sampling decision instead.
	SampleRatio *float64
	// ServiceName is the service.name resource attribute; empty means
	// DefaultServiceName (Validate fills it in when traces are on).
	ServiceName string
}

// Enabled reports whether traces are exported.
func (t *Traces) Enabled() bool { return t.Endpoint != "" }

// Ratio returns the share of new traces recorded: SampleRatio, or 1 when
// it is nil.
func (t *Traces) Ratio() float64 {
	if t.SampleRatio == nil {
		return 1
	}
	return *t.SampleRatio
}

func (d *decoder) telemetry(e entry, t *Telemetry) {
	d.object(e.node, e.path, []field{
		{"metrics_tenant_label", func(e entry) {
			if b := d.boolean(e); b != nil {
				t.MetricsTenantLabel = *b
			}
		}},
		{"traces", func(e entry) { d.traces(e, &t.Traces) }},
	})
}

func (d *decoder) traces(e entry, t *Traces) {
	d.object(e.node, e.path, []field{
		{"endpoint", func(e entry) { d.str(e, &t.Endpoint) }},
		{"headers", func(e entry) { t.Headers = d.secretMap(e) }},
		{"sample_ratio", func(e entry) {
			var v float64
			d.number(e, &v, "the share of new traces recorded, from 0 to 1, e.g. 0.1")
			if !isNull(e.node) && !d.covered(e.path) {
				t.SampleRatio = &v
			}
		}},
		{"service_name", func(e entry) { d.str(e, &t.ServiceName) }},
	})
}

// telemetry checks the telemetry section and server.log_format, and fills
// in the service name of enabled traces.
func (v *validator) telemetry() {
	if f := v.c.Server.LogFormat; f != "" && !slices.Contains(LogFormats, f) {
		v.add("server.log_format", fmt.Sprintf("unknown format %q", f), choices(f, "valid formats", LogFormats))
	}
	const path = "telemetry.traces"
	t := &v.c.Telemetry.Traces
	if !t.Enabled() {
		if t.Headers != nil || t.SampleRatio != nil || t.ServiceName != "" {
			v.add(path+".endpoint", "is required when other traces fields are set",
				"your collector's OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318; remove the traces section to turn traces off")
		}
		return
	}
	v.check(path+".endpoint", checkOTLPEndpoint(t.Endpoint), "your collector's OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318")
	v.headers(path+".headers", t.Headers)
	for _, name := range sortedKeys(t.Headers) {
		if strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Content-Encoding") {
			v.add(path+".headers."+name, fmt.Sprintf("header %q is set by the OTLP exporter", name), "remove it")
		}
	}
	if r := t.Ratio(); !(r >= 0 && r <= 1) {
		v.add(path+".sample_ratio", "must be between 0 and 1, got "+ftoa(r),
			"the share of new traces recorded, e.g. 0.1; 0 records only the traces callers continue")
	}
	if t.ServiceName == "" {
		t.ServiceName = DefaultServiceName
	}
	if hasControl(t.ServiceName) || strings.TrimSpace(t.ServiceName) != t.ServiceName {
		v.add(path+".service_name", "has control characters or leading or trailing spaces", `e.g. "switchyard" or "switchyard-eu"`)
	}
}

// checkOTLPEndpoint returns the problem with a traces endpoint, or "". It
// quotes the endpoint only where it cannot hold a credential.
func checkOTLPEndpoint(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a valid URL"
	case u.User != nil:
		return "must not contain credentials (user:password@); send them in headers"
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "must not have a query or fragment; send credentials in headers"
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("%q is not an absolute http(s) URL", raw)
	case u.Hostname() == "":
		return fmt.Sprintf("%q has no host", raw)
	}
	return ""
}
