package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file holds the audit section: how long the audit trail and the
// configuration versions are kept (docs/admin-api.md#retention). It may
// change while the router runs.

// Audit configures the retention of the audit trail and of the
// configuration versions. Zero fields take the defaults noted, filled in
// by Validate.
type Audit struct {
	// Retention is how long audit events are kept, and configuration
	// versions past the KeepVersions newest (365 days); AuditForever keeps
	// everything.
	Retention time.Duration
	// KeepVersions is how many of the newest configuration versions are
	// kept whatever their age (100), at least 1.
	KeepVersions int
}

// Defaults of the audit section.
const (
	DefaultAuditRetention = 365 * 24 * time.Hour
	DefaultKeepVersions   = 100
	// AuditForever is the Retention of `retention: forever`: nothing is
	// deleted.
	AuditForever time.Duration = -1
)

// Forever reports whether nothing is deleted.
func (a *Audit) Forever() bool { return a.Retention == AuditForever }

func (a *Audit) applyDefaults() {
	orDuration(&a.Retention, DefaultAuditRetention)
	orInt(&a.KeepVersions, DefaultKeepVersions)
}

const auditRetentionHint = `a duration with a unit ("8760h"), a number of days ("365d"), or "forever"`

func (d *decoder) audit(e entry, a *Audit) {
	d.object(e.node, e.path, []field{
		{"retention", func(e entry) { d.retention(e, &a.Retention) }},
		{"keep_versions", func(e entry) {
			d.count(e, &a.KeepVersions, "the newest configuration versions kept whatever their age, e.g. 100")
		}},
	})
}

// retention decodes audit.retention: a Go duration, whole days ("365d")
// or "forever".
func (d *decoder) retention(e entry, dst *time.Duration) {
	s, ok := d.text(e, "a duration")
	if !ok {
		return
	}
	if s == "forever" {
		*dst = AuditForever
		return
	}
	v, err := time.ParseDuration(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, derr := strconv.Atoi(days)
		v, err = time.Duration(n)*24*time.Hour, derr
	}
	switch {
	case err != nil:
		d.fail(e.path, e.node, "must be a duration, got "+got(e, s), auditRetentionHint)
	case v <= 0:
		d.fail(e.path, e.node, "must be > 0, got "+s, auditRetentionHint+"; omit it for the default (365d)")
	default:
		*dst = v
	}
}

// audit checks the audit section.
func (v *validator) audit() {
	a := &v.c.Audit
	a.applyDefaults()
	if a.Retention <= 0 && !a.Forever() {
		v.add("audit.retention", fmt.Sprintf("must be > 0, got %s", a.Retention), auditRetentionHint)
	}
	v.check("audit.keep_versions", checkCount(a.KeepVersions), "the newest configuration versions kept whatever their age, e.g. 100")
}

// CheckAuditKept returns an Errors naming each audit field of c that keeps
// less than running's: a Retention shorter (a duration where running's is
// forever included) or fewer KeepVersions. The admin API holds every change
// to it (a rollback and a dry run included), so that an admin key cannot
// erase the trail of what it did at the next pruning; the file may shorten
// them. Nil when c keeps at least as much.
func (c *Config) CheckAuditKept(running *Config) error {
	var errs Errors
	now, was := c.Audit.Retention, running.Audit.Retention
	if was == AuditForever && now != AuditForever || was != AuditForever && now != AuditForever && now < was {
		errs = append(errs, c.FieldError("audit.retention", fmt.Sprintf("%s is shorter than the running %s", retentionText(now), retentionText(was)),
			"the admin API may keep the audit trail longer, not shorter; change it in the file (SIGHUP or a restart applies it)"))
	}
	if c.Audit.KeepVersions < running.Audit.KeepVersions {
		errs = append(errs, c.FieldError("audit.keep_versions", fmt.Sprintf("%d is fewer than the running %d", c.Audit.KeepVersions, running.Audit.KeepVersions),
			"the admin API may keep more configuration versions, not fewer; change it in the file (SIGHUP or a restart applies it)"))
	}
	return errs.orNil()
}

// retentionText is a Retention as the file may write it.
func retentionText(d time.Duration) string {
	switch {
	case d == AuditForever:
		return "forever"
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}
