package openai

import (
	"fmt"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
)

// This file holds the scaffolding the JSON endpoints share: reading and
// decoding the request (readRequest), and writing an answer with the
// faults injected into it (answerJSON, writeAnswer).

// readRequest reads the body and decodes it with decode, answering as the
// API does when it cannot. On Azure's deployment routes the deployment in
// the path is the model: it goes into a body that has none (withModel);
// the caller sets it on the request (useDeployment).
func readRequest[Req any](c *call, decode func([]byte) (*Req, error)) (*Req, bool) {
	body, ok := c.readBody()
	if !ok {
		return nil, false
	}
	if c.model != "" {
		body = withModel(body, c.model)
	}
	req, err := decode(body)
	if err != nil {
		c.failLLM(llm.AsError(err))
		return nil, false
	}
	return req, true
}

// useDeployment sets *model to the deployment named in the path on
// Azure's deployment routes, and leaves it alone elsewhere.
func (c *call) useDeployment(model *string) {
	if c.model != "" {
		*model = c.model
	}
}

// answerJSON finishes a one-shot JSON endpoint (embeddings, moderations)
// once its request is valid: the fault picked for model and the input's
// texts, which may answer instead (failEarly); the profile's first-token
// delay; then the body answer returns, written with the fault's damage
// (writeAnswer).
func (s *server) answerJSON(c *call, p *sim.Profile, model string, texts []string, answer func() []byte) {
	ft := s.faults.Pick(model, strings.Join(texts, "\n"))
	if s.failEarly(c, ft, p) {
		return
	}
	if !sim.Sleep(c.r.Context(), p.FirstTokenDelay()) {
		return
	}
	s.writeAnswer(c, ft, append(answer(), '\n'))
}

// writeAnswer writes body as a 200 JSON answer with the damage of ft:
// FaultMalformed sends its first half; FaultCut declares its whole length,
// sends its first half and drops the connection (before the rate-limit
// headers are set: a caller that wants them on a cut answer sets them
// first). Otherwise the answer carries the rate-limit headers
// (okRateHeaders).
func (s *server) writeAnswer(c *call, ft sim.Fault, body []byte) {
	switch ft.Kind {
	case sim.FaultMalformed:
		body = body[:len(body)/2]
	case sim.FaultCut:
		c.w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		c.header(http.StatusOK, "application/json")
		c.w.Write(body[:len(body)/2])
		http.NewResponseController(c.w).Flush()
		sim.Cut()
	}
	s.okRateHeaders(c)
	c.writeJSON(http.StatusOK, body)
}
