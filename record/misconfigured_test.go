package record

import (
	"log/slog"
	"testing"

	"switchyard/llm"
)

// A request served after a deployment said its model does not exist (or
// the key cannot use it) is logged as a warning naming that deployment:
// the deployment is misconfigured, though the caller got an answer.
func TestLineWarnsOfAMisconfiguredDeployment(t *testing.T) {
	r := &Record{RequestID: "req_1", Endpoint: "chat", Deployment: "b", Status: 200, Trail: []Attempt{
		{Deployment: "a", Outcome: "error", ErrorKind: llm.KindNotFound, ErrorCode: llm.CodeModelNotFound},
		{Deployment: "c", Outcome: "error", ErrorKind: llm.KindInvalidRequest, ErrorCode: llm.CodeModelUnsupported},
		{Deployment: "b", Outcome: "ok"},
	}}
	level, attrs := lineAttrs(nil, r)
	if level != slog.LevelWarn {
		t.Errorf("level %v", level)
	}
	found := false
	for _, a := range attrs {
		if a.Key == "misconfigured" {
			found = a.Value.String() == "a"
		}
	}
	if !found {
		t.Errorf("no misconfigured=a in %v", attrs)
	}
	r.Trail = r.Trail[1:]
	if level, _ := lineAttrs(nil, r); level != slog.LevelInfo {
		t.Errorf("a refusal of what the request asks is no warning: %v", level)
	}
}
