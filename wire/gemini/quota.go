package gemini

import (
	"encoding/json"
	"strings"
	"time"
)

// DailyQuota reports whether s names a spent daily quota: a
// google.rpc.QuotaFailure violation whose quotaId is a per-day one
// (GenerateRequestsPerDayPerProjectPerModel-FreeTier, a tokens-per-day
// quota). Such a 429 carries a RetryInfo of seconds all the same
// (googleapis/python-genai#2044), and gemini-cli takes a per-day quotaId
// for a limit retrying cannot lift (googleQuotaErrors.ts,
// TerminalQuotaError).
func (s *Status) DailyQuota() bool {
	return s.quotaNamed("PerDay", "Daily")
}

// quotaNamed reports whether a QuotaFailure violation of s has a quotaId
// holding one of marks.
func (s *Status) quotaNamed(marks ...string) bool {
	for _, d := range s.Details {
		var qf struct {
			Type       string `json:"@type"`
			Violations []struct {
				QuotaID string `json:"quotaId"`
			} `json:"violations"`
		}
		if json.Unmarshal(d, &qf) != nil || !strings.HasSuffix(qf.Type, "google.rpc.QuotaFailure") {
			continue
		}
		for _, v := range qf.Violations {
			for _, m := range marks {
				if strings.Contains(v.QuotaID, m) {
					return true
				}
			}
		}
	}
	return false
}

// RetryWait returns how long from now to wait before calling again: until
// the daily quotas reset (UntilQuotaReset) when s names a spent daily
// quota, else RetryDelay, else a minute when s names a spent per-minute
// quota without saying when to retry (gemini-cli waits 60s then too).
func (s *Status) RetryWait(now time.Time) time.Duration {
	if s.DailyQuota() {
		return UntilQuotaReset(now)
	}
	if d := s.RetryDelay(); d > 0 || !s.quotaNamed("PerMinute") {
		return d
	}
	return time.Minute
}

// UntilQuotaReset returns the time from now to the next midnight Pacific
// time, when Gemini resets its requests-per-day quotas
// (ai.google.dev/gemini-api/docs/rate-limits). The US rules of summer
// time (second Sunday of March to first Sunday of November, 02:00 local)
// are applied here, so no time zone database is read.
func UntilQuotaReset(now time.Time) time.Duration {
	now = now.UTC()
	local := now.Add(pacificOffset(now))
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.UTC)
	// The midnight's own offset: the day after a change has the new one.
	at := midnight.Add(8 * time.Hour)
	if pacificOffset(at) == -7*time.Hour {
		at = midnight.Add(7 * time.Hour)
	}
	return at.Sub(now)
}

// pacificOffset is Los Angeles' offset from UTC at the instant t.
func pacificOffset(t time.Time) time.Duration {
	y := t.UTC().Year()
	start := nthSunday(y, time.March, 2).Add(10 * time.Hour) // 02:00 PST
	end := nthSunday(y, time.November, 1).Add(9 * time.Hour) // 02:00 PDT
	if !t.Before(start) && t.Before(end) {
		return -7 * time.Hour
	}
	return -8 * time.Hour
}

// nthSunday is the n-th Sunday of month m of year y, at 00:00 UTC.
func nthSunday(y int, m time.Month, n int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, (7-int(first.Weekday()))%7+7*(n-1))
}
