package config

import (
	"reflect"
	"strings"
	"testing"
)

const telemetryBase = okProvider + "deployments: {d: {provider: openai}}\n"

func TestTelemetryDefaults(t *testing.T) {
	for _, yaml := range []string{"", "telemetry: {}\n", "telemetry: {traces: {}}\n"} {
		c := mustParse(t, []byte(telemetryBase+yaml), nil)
		if !reflect.DeepEqual(c.Telemetry, Telemetry{}) || c.Telemetry.Traces.Enabled() || c.Server.LogFormat != "" {
			t.Errorf("%q: Telemetry = %+v, log format %q; want the zero value: traces off, no tenant label, text logs",
				yaml, c.Telemetry, c.Server.LogFormat)
		}
		if r := c.Telemetry.Traces.Ratio(); r != 1 {
			t.Errorf("%q: Ratio = %v, want 1", yaml, r)
		}
	}
}

func TestTelemetryParse(t *testing.T) {
	yaml := telemetryBase + `server: {log_format: json}
telemetry:
  metrics_tenant_label: true
  traces:
    endpoint: https://otel.internal:4318
    headers: {Authorization: "Bearer ${OTEL_TOKEN}", X-Scope: prod}
    sample_ratio: 0
`
	env := func(k string) (string, bool) { return "tok-secret", k == "OTEL_TOKEN" }
	c := mustParse(t, []byte(yaml), env)
	zero := 0.0
	want := Telemetry{MetricsTenantLabel: true, Traces: Traces{
		Endpoint:    "https://otel.internal:4318",
		Headers:     map[string]string{"Authorization": "Bearer tok-secret", "X-Scope": "prod"},
		SampleRatio: &zero, ServiceName: DefaultServiceName,
	}}
	if !reflect.DeepEqual(c.Telemetry, want) {
		t.Errorf("Telemetry = %+v, want %+v", c.Telemetry, want)
	}
	if c.Telemetry.Traces.Ratio() != 0 {
		t.Errorf("Ratio = %v, want an explicit 0 kept", c.Telemetry.Traces.Ratio())
	}
	if c.Server.LogFormat != LogJSON {
		t.Errorf("LogFormat = %q, want json", c.Server.LogFormat)
	}
}

func TestTelemetryMistakes(t *testing.T) {
	const tr = "telemetry:\n  traces:\n"
	tests := []struct {
		name      string
		yaml      string
		path      string
		line, col int
		problem   string
		hint      string
	}{
		{"log format", "server:\n  log_format: jsn\n", "server.log_format", 2, 15, `unknown format "jsn"`, `did you mean "json"?`},
		{"tenant label not a bool", "telemetry:\n  metrics_tenant_label: maybe\n", "telemetry.metrics_tenant_label", 2, 25, "must be true or false", ""},
		{"no endpoint", tr + "    sample_ratio: 0.5\n", "telemetry.traces.endpoint", 2, 3, "is required when other traces fields are set", "remove the traces section"},
		{"headers without endpoint", tr + "    headers: {Authorization: hunter2}\n", "telemetry.traces.endpoint", 2, 3, "is required", "4318"},
		{"not http", tr + "    endpoint: grpc://otel:4317\n", "telemetry.traces.endpoint", 3, 15, `"grpc://otel:4317" is not an absolute http(s) URL`, "4318"},
		{"no host", tr + "    endpoint: http://:4318\n", "telemetry.traces.endpoint", 3, 15, "has no host", ""},
		{"credentials", tr + "    endpoint: https://u:hunter2@otel:4318\n", "telemetry.traces.endpoint", 3, 15, "must not contain credentials", ""},
		{"query", tr + "    endpoint: https://otel:4318/?token=hunter2\n", "telemetry.traces.endpoint", 3, 15, "must not have a query", ""},
		{"ratio above 1", tr + "    endpoint: http://otel:4318\n    sample_ratio: 1.5\n", "telemetry.traces.sample_ratio", 4, 19, "must be between 0 and 1, got 1.5", "0 records only"},
		{"ratio negative", tr + "    endpoint: http://otel:4318\n    sample_ratio: -0.1\n", "telemetry.traces.sample_ratio", 4, 19, "must be between 0 and 1", ""},
		{"ratio not a number", tr + "    endpoint: http://otel:4318\n    sample_ratio: all\n", "telemetry.traces.sample_ratio", 4, 19, "must be a number", ""},
		{"bad header name", tr + "    endpoint: http://otel:4318\n    headers: {\"Bad Header\": hunter2}\n", "telemetry.traces.headers.Bad Header", 4, 29, "invalid header name", ""},
		{"exporter's header", tr + "    endpoint: http://otel:4318\n    headers: {content-type: hunter2}\n", "telemetry.traces.headers.content-type", 4, 29, "set by the OTLP exporter", "remove it"},
		{"header line break", tr + "    endpoint: http://otel:4318\n    headers: {X-Key: \"hunter2\\nx\"}\n", "telemetry.traces.headers.X-Key", 4, 22, "line break", ""},
		{"service name", tr + "    endpoint: http://otel:4318\n    service_name: \" sw\"\n", "telemetry.traces.service_name", 4, 19, "leading or trailing spaces", ""},
		{"unknown traces field", tr + "    endpoint: http://otel:4318\n    protocol: grpc\n", "telemetry.traces", 4, 5, `unknown field "protocol"`, "allowed: endpoint, headers, sample_ratio, service_name"},
		{"unknown telemetry field", "telemetry:\n  logs: {}\n", "telemetry", 2, 3, `unknown field "logs"`, "metrics_tenant_label, traces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(telemetryBase+tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			line := tt.line + strings.Count(telemetryBase, "\n")
			if fe.Line != line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows a secret: %v", err)
			}
		})
	}
}

// TestTelemetryGoConfig: a Config built in Go gets the same checks and
// defaults as a parsed one.
func TestTelemetryGoConfig(t *testing.T) {
	c := goConfig()
	c.Telemetry.Traces.Endpoint = "http://127.0.0.1:4318"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.Telemetry.Traces.ServiceName; got != DefaultServiceName {
		t.Errorf("ServiceName = %q, want %q", got, DefaultServiceName)
	}
	c = goConfig()
	c.Server.LogFormat = "xml"
	bad := 2.0
	c.Telemetry.Traces = Traces{Endpoint: "http://127.0.0.1:4318", SampleRatio: &bad}
	err := c.Validate()
	findError(t, err, "server.log_format", `unknown format "xml"`)
	findError(t, err, "telemetry.traces.sample_ratio", "must be between 0 and 1, got 2")
}
