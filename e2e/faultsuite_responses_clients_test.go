package e2e

import (
	"cmp"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// The three client APIs of the Responses-upstream fault suite
// (faultsuite_responses_test.go), each driven by its official SDK: what
// the client saw, reduced to one shape.

// clientOutcome is what one SDK call got.
type clientOutcome struct {
	text       string
	deployment string // x-switchyard-deployment
	requestID  string // x-switchyard-request-id
	// status is the HTTP status of an error answered before any byte of
	// an answer (the SDK's error); 0 for an answer, or an error that came
	// inside a stream (inStream).
	status   int
	errType  string // the error's type in the client API's shape
	errMsg   string
	inStream bool
	err      error
	// finish is how the answer ended, in the client API's words: chat's
	// finish_reason, a response's status (with its incomplete reason:
	// "incomplete:content_filter"), a message's stop_reason.
	finish string
}

// faultClient sends the suite's prompt to route as one client API.
type faultClient struct {
	name string
	run  func(t *testing.T, e *env, route string, stream bool) clientOutcome
}

var faultClients = []faultClient{
	{"chat", runChatClient},
	{"responses", runResponsesClient},
	{"messages", runMessagesClient},
}

// fromHeader fills the outcome's deployment and request id from the
// router's answer, when one came.
func (o *clientOutcome) fromHeader(resp *http.Response) {
	if resp != nil {
		o.deployment = resp.Header.Get("x-switchyard-deployment")
		o.requestID = resp.Header.Get("x-switchyard-request-id")
	}
}

// openAIError fills the outcome from an openai-go error: an *openai.Error
// before the stream, a stream error after its first byte.
func (o *clientOutcome) openAIError(err error, started bool) {
	o.err = err
	var apiErr *openai.Error
	switch {
	case err == nil:
	case errors.As(err, &apiErr) && !started:
		o.status, o.errType, o.errMsg = apiErr.StatusCode, apiErr.Type, apiErr.Message
		o.fromHeader(apiErr.Response)
	default: // the stream's error event, quoted by the SDK's error
		o.inStream, o.errMsg = true, err.Error()
		if o.errType == "" { // a Responses stream's failed response gave it first
			o.errType = quotedField(o.errMsg, "type")
		}
	}
}

// quotedField is the value of the first JSON string member name in s
// ("" when there is none).
func quotedField(s, name string) string {
	_, rest, ok := strings.Cut(s, `"`+name+`":"`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

func runChatClient(t *testing.T, e *env, route string, stream bool) clientOutcome {
	var o clientOutcome
	var hr *http.Response
	params := openai.ChatCompletionNewParams{Model: route, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(faultPrompt)}}
	if !stream {
		resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
		o.openAIError(err, false)
		if err == nil {
			o.text, o.finish = resp.Choices[0].Message.Content, resp.Choices[0].FinishReason
		}
		o.fromHeader(hr)
		return o
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr))
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		if c := s.Current(); len(c.Choices) > 0 {
			text.WriteString(c.Choices[0].Delta.Content)
			o.finish = cmp.Or(c.Choices[0].FinishReason, o.finish)
		}
	}
	o.text = text.String()
	o.openAIError(s.Err(), hr != nil && hr.StatusCode == http.StatusOK)
	o.fromHeader(hr)
	return o
}

func runResponsesClient(t *testing.T, e *env, route string, stream bool) clientOutcome {
	var o clientOutcome
	var hr *http.Response
	params := responses.ResponseNewParams{Model: route, Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(faultPrompt)}}
	if !stream {
		resp, err := e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&hr))
		o.openAIError(err, false)
		if err == nil {
			o.text, o.finish = resp.OutputText(), responseFinish(resp)
		}
		o.fromHeader(hr)
		return o
	}
	s := e.Client.Responses.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr))
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		switch ev := s.Current(); ev.Type {
		case "response.output_text.delta":
			text.WriteString(ev.Delta)
		case "response.failed": // then the error event, which the SDK raises
			o.errType = string(ev.Response.Error.Code)
		case "response.completed", "response.incomplete":
			o.finish = responseFinish(&ev.Response)
		}
	}
	o.text = text.String()
	o.openAIError(s.Err(), hr != nil && hr.StatusCode == http.StatusOK)
	o.fromHeader(hr)
	return o
}

func runMessagesClient(t *testing.T, e *env, route string, stream bool) clientOutcome {
	var o clientOutcome
	var hr *http.Response
	c := anthropicClient(e, "demo-key")
	params := userMessage(route, faultPrompt, 1024)
	if !stream {
		msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&hr))
		o.anthropicError(err, false)
		if err == nil {
			for _, b := range msg.Content {
				o.text += b.Text
			}
			o.finish = string(msg.StopReason)
		}
		o.fromHeader(hr)
		return o
	}
	s := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&hr))
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		switch ev := s.Current(); ev.Type {
		case "content_block_delta":
			text.WriteString(ev.Delta.Text)
		case "message_delta":
			o.finish = string(ev.Delta.StopReason)
		}
	}
	o.text = text.String()
	o.anthropicError(s.Err(), hr != nil && hr.StatusCode == http.StatusOK)
	o.fromHeader(hr)
	return o
}

// anthropicError fills the outcome from an anthropic-sdk-go error: an
// *sdk.Error before the stream; after its first byte the stream's error
// event, which the SDK raises as an error quoting the event's data.
func (o *clientOutcome) anthropicError(err error, started bool) {
	o.err = err
	var apiErr *sdk.Error
	switch {
	case err == nil:
	case errors.As(err, &apiErr):
		o.errType, o.errMsg = quotedField(apiErr.RawJSON(), "type"), apiErr.Error()
		if o.errType == "error" { // the body's own type; the error's is nested
			_, nested, _ := strings.Cut(apiErr.RawJSON(), `"error":`)
			o.errType = quotedField(nested, "type")
		}
		if o.inStream = started; !started {
			o.status = apiErr.StatusCode
			o.fromHeader(apiErr.Response)
		}
	default:
		o.inStream, o.errMsg = true, err.Error()
	}
}

// responseFinish is a response's status, with its incomplete reason.
func responseFinish(r *responses.Response) string {
	if r.Status == responses.ResponseStatusIncomplete {
		return string(r.Status) + ":" + r.IncompleteDetails.Reason
	}
	return string(r.Status)
}
