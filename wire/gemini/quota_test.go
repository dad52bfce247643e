package gemini

import (
	"testing"
	"time"
)

// dailyQuotaBody is the 429 Gemini answers when a daily quota is spent:
// a QuotaFailure naming the per-day quota (with the per-minute ones
// beside it) and a RetryInfo of seconds, which would have the caller back
// long before the quota resets (googleapis/python-genai#2044).
const dailyQuotaBody = `{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[` +
	`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[` +
	`{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.0-flash"}},` +
	`{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.0-flash"}}]},` +
	`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}`

const minuteQuotaBody = `{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[` +
	`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[` +
	`{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_input_token_count","quotaId":"GenerateContentInputTokensPerModelPerMinute-FreeTier","quotaValue":"250000"}]},` +
	`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}`

// TestRetryWaitDailyQuota: a spent daily quota is waited out until Gemini
// resets it, midnight Pacific time, not the seconds its RetryInfo says; a
// per-minute quota keeps its RetryInfo.
func TestRetryWaitDailyQuota(t *testing.T) {
	day, _ := ParseError([]byte(dailyQuotaBody))
	minute, _ := ParseError([]byte(minuteQuotaBody))
	if !day.DailyQuota() || minute.DailyQuota() {
		t.Fatalf("DailyQuota: day %v, minute %v; want true, false", day.DailyQuota(), minute.DailyQuota())
	}
	// 2026-12-06 15:00 UTC is 07:00 PST: 17 hours to midnight.
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	if got := day.RetryWait(now); got != 17*time.Hour {
		t.Errorf("daily quota: RetryWait = %v, want 17h", got)
	}
	if got := minute.RetryWait(now); got != 26*time.Second {
		t.Errorf("per-minute quota: RetryWait = %v, want 26s", got)
	}
	if got := day.LLMError().RetryAfter; got < time.Minute {
		t.Errorf("daily quota: LLMError().RetryAfter = %v, want the wait until the reset", got)
	}
}

// TestUntilQuotaReset: the next midnight in Los Angeles, summer time
// (UTC-7) and winter time (UTC-8) and the days they change.
func TestUntilQuotaReset(t *testing.T) {
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2026, mo, d, h, mi, 0, 0, time.UTC) }
	for _, tt := range []struct {
		now  time.Time
		want time.Time
	}{
		{utc(time.December, 6, 15, 0), utc(time.December, 7, 8, 0)}, // PST
		{utc(time.December, 7, 7, 59), utc(time.December, 7, 8, 0)}, // a minute before
		{utc(time.December, 7, 8, 0), utc(time.December, 8, 8, 0)},  // at the reset: the next one
		{utc(time.July, 1, 12, 0), utc(time.July, 2, 7, 0)},         // PDT
		{utc(time.March, 8, 9, 0), utc(time.March, 9, 7, 0)},        // 2026-03-08 01:00 PST, DST from 02:00
		{utc(time.March, 7, 9, 0), utc(time.March, 8, 8, 0)},        // the midnight before the change is PST's
		{utc(time.November, 1, 9, 0), utc(time.November, 2, 8, 0)},  // 2026-11-01 02:00 PDT is 01:00 PST
		{utc(time.October, 31, 12, 0), utc(time.November, 1, 7, 0)}, // the midnight before the change is PDT's
		{utc(time.December, 31, 20, 0), time.Date(2027, time.January, 1, 8, 0, 0, 0, time.UTC)},
	} {
		if got := UntilQuotaReset(tt.now); got != tt.want.Sub(tt.now) {
			t.Errorf("UntilQuotaReset(%v) = %v, want %v", tt.now, got, tt.want.Sub(tt.now))
		}
	}
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		for now := utc(time.January, 1, 0, 17); now.Year() == 2026; now = now.Add(7*time.Hour + 13*time.Minute) {
			l := now.In(loc)
			want := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
			if got := UntilQuotaReset(now); got != want.Sub(now) {
				t.Fatalf("UntilQuotaReset(%v) = %v, want %v (tzdata)", now, got, want.Sub(now))
			}
		}
	}
}

// TestRetryWaitPerMinuteWithoutRetryInfo: a spent per-minute quota named
// without a RetryInfo waits a minute, as gemini-cli does; a 429 naming no
// quota waits nothing the body says.
func TestRetryWaitPerMinuteWithoutRetryInfo(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	minute, _ := ParseError([]byte(`{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[` +
		`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]}]}}`))
	if got := minute.RetryWait(now); got != time.Minute {
		t.Errorf("per-minute quota, no RetryInfo: RetryWait = %v, want 1m", got)
	}
	bare, _ := ParseError([]byte(`{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}`))
	if got := bare.RetryWait(now); got != 0 {
		t.Errorf("bare 429: RetryWait = %v, want 0", got)
	}
}
