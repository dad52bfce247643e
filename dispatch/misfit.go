package dispatch

import (
	"fmt"

	"switchyard/llm"
)

// A misfit is a deployment refusing a request for what the deployment is,
// not for what the request is (provider.Classify names them):
// llm.CodeModelUnsupported — a parameter, value, output size or input its
// model cannot take — and llm.CodeModelNotFound — its model does not exist
// at the provider, or the key or region has no access to it. Another
// candidate may take the same request, so neither ends the plan (stop),
// and neither is retried on the same deployment (provider.Classify makes
// them not retryable). An unsupported request says nothing of the
// deployment's health; a model not found is its misconfiguration, and
// counts as a failure (outcome). When no candidate answers, the caller
// gets the most informative model_unsupported refusal (misfitError).

// deploymentRefusal reports whether e refuses the request for what the
// deployment is.
func deploymentRefusal(e *llm.Error) bool {
	return e.Code == llm.CodeModelUnsupported || e.Code == llm.CodeModelNotFound
}

// noteMisfit keeps err if it is a model_unsupported refusal more
// informative than the one kept: the first that names the offending field
// (Param), else the first — the plan's preferred candidate's.
func (r *run) noteMisfit(err error) {
	e := llm.AsError(err)
	if e == nil || e.Code != llm.CodeModelUnsupported {
		return
	}
	r.misfits++
	if r.misfit == nil || (r.misfit.Param == "" && e.Param != "") {
		r.misfit, r.misfitBy = e, r.served.Deployment
	}
}

// misfitError is the answer when no candidate answered and at least one
// refused the request as its model could not take it: that refusal, with
// its status, code and param, saying how many candidates refused and
// which one's words these are.
func (r *run) misfitError() *llm.Error {
	e := *r.misfit
	e.Err = r.misfit
	e.Message = fmt.Sprintf("no candidate deployment takes this request as it is (%d refused what it asks of their model; the others, if any, failed): %s said: %s",
		r.misfits, r.misfitBy, r.misfit.Message)
	return &e
}

// Declined returns the calls of the log that a deployment refused for what
// it is, as x-switchyard-route names them: "deployment(code)" joined by
// commas, in the order they were made ("" when none, without allocating).
func (l *Attempts) Declined() string {
	if l == nil {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var b []byte
	for i := range l.list {
		a := &l.list[i]
		if a.ErrorCode != llm.CodeModelUnsupported && a.ErrorCode != llm.CodeModelNotFound {
			continue
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = append(append(append(append(b, a.Deployment...), '('), a.ErrorCode...), ')')
	}
	return string(b)
}
