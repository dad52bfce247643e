package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// Stored responses with openai-go, unchanged: a conversation continued
// with previous_response_id across three provider kinds (a function call
// round trip included), retrieved, its input items paged, deleted; on
// both store back ends.

func TestResponsesStoredConversationAcrossProviders(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, ul := storedEnv(t, b.open(t), nil)
			c := e.Client
			// Turn 1, on OpenAI: a function call.
			first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
				Instructions: openai.String("Be terse."), Tools: []responses.ToolUnionParam{responsesWeather},
				Input: inputText("Use get_weather: what's the weather in Paris?")})
			if err != nil {
				t.Fatal(err)
			}
			var call responses.ResponseFunctionToolCall
			for _, it := range first.Output {
				if it.Type == "function_call" {
					call = it.AsFunctionCall()
				}
			}
			if call.CallID == "" || !storeFlag(t, first.RawJSON()) {
				t.Fatalf("turn 1: want a stored function call, got %s", first.RawJSON())
			}
			// Turn 2, pinned to Claude: the call's output only.
			output := responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
				CallID: openai.String(call.CallID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temperature_c": 21}`)}}}
			second, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "claude-haiku-4-5",
				PreviousResponseID: openai.String(first.ID), Instructions: openai.String("Answer in French."),
				Tools: []responses.ToolUnionParam{responsesWeather},
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{output}}})
			if err != nil {
				t.Fatal(err)
			}
			if second.PreviousResponseID != first.ID || !strings.Contains(second.OutputText(), "21") {
				t.Fatalf("turn 2: previous %q, answer %q", second.PreviousResponseID, second.OutputText())
			}
			sent := ul.last(t, "anthropic")
			for _, want := range []string{"what's the weather in Paris", call.CallID, "tool_use", "tool_result", "temperature_c", "Answer in French."} {
				if !strings.Contains(sent, want) {
					t.Errorf("turn 2: Claude was not sent %q: %s", want, sent)
				}
			}
			if strings.Contains(sent, "Be terse") {
				t.Errorf("turn 2: the first turn's instructions were carried over: %s", sent)
			}
			// Turn 3, pinned to Gemini, no instructions.
			third, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gemini-2.5-flash",
				PreviousResponseID: openai.String(second.ID), Input: inputText("Thanks! And in Rome?")})
			if err != nil {
				t.Fatal(err)
			}
			sent = ul.last(t, "gemini")
			for _, want := range []string{"what's the weather in Paris", "functionCall", "functionResponse", second.OutputText()[:10], "And in Rome?"} {
				if !strings.Contains(sent, want) {
					t.Errorf("turn 3: Gemini was not sent %q: %s", want, sent)
				}
			}
			if strings.Contains(sent, "Answer in French") || strings.Contains(sent, "Be terse") {
				t.Errorf("turn 3: earlier instructions were carried over: %s", sent)
			}
			checkRetrieved(t, e, second)
			checkInputItems(t, e, third.ID, call.CallID)
			checkDeleted(t, e, second.ID)
			// The third turn, stored after the second, keeps the deleted
			// turn's items: listed, and continued.
			checkInputItems(t, e, third.ID, call.CallID)
			if _, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
				PreviousResponseID: openai.String(third.ID), Input: inputText("And in Oslo?")}); err != nil {
				t.Fatalf("continuing past the deleted turn: %v", err)
			}
			if sent := ul.last(t, "openai"); !strings.Contains(sent, "temperature_c") || !strings.Contains(sent, "And in Rome?") {
				t.Errorf("turn 4 was not sent the deleted turn's items: %s", sent)
			}
		})
	}
}

// checkRetrieved: GET returns the response as it was created.
func checkRetrieved(t *testing.T, e *env, want *responses.Response) {
	t.Helper()
	got, err := e.Client.Responses.Get(ctxT(t), want.ID, responses.ResponseGetParams{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.OutputText() != want.OutputText() || got.PreviousResponseID != want.PreviousResponseID ||
		got.Model != want.Model || got.Usage.TotalTokens != want.Usage.TotalTokens || !storeFlag(t, got.RawJSON()) {
		t.Errorf("retrieved\n %s\nwant\n %s", got.RawJSON(), want.RawJSON())
	}
}

// checkInputItems: the third turn's input items are the whole
// conversation before its answer, newest first by default, paged two at
// a time.
func checkInputItems(t *testing.T, e *env, id, callID string) {
	t.Helper()
	var types []string
	seen := map[string]bool{}
	pager := e.Client.Responses.InputItems.ListAutoPaging(ctxT(t), id, responses.InputItemListParams{Limit: openai.Int(2), Order: "asc"})
	for pager.Next() {
		it := pager.Current()
		if it.ID == "" || seen[it.ID] {
			t.Errorf("item id %q empty or repeated", it.ID)
		}
		seen[it.ID] = true
		types = append(types, it.Type)
	}
	if err := pager.Err(); err != nil {
		t.Fatal(err)
	}
	want := "message function_call function_call_output message message"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("input items (asc): %s, want %s", got, want)
	}
	page, err := e.Client.Responses.InputItems.List(ctxT(t), id, responses.InputItemListParams{Limit: openai.Int(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || !page.HasMore || page.Data[0].Type != "message" || page.Data[0].Role != "user" {
		t.Errorf("first item, newest first: %s", page.RawJSON())
	}
}

// checkDeleted: a deleted response is not found, nor can it be continued.
func checkDeleted(t *testing.T, e *env, id string) {
	t.Helper()
	if err := e.Client.Responses.Delete(ctxT(t), id); err != nil {
		t.Fatal(err)
	}
	_, err := e.Client.Responses.Get(ctxT(t), id, responses.ResponseGetParams{})
	wantAPIError(t, "get after delete", err, 404, "")
	wantAPIError(t, "delete again", e.Client.Responses.Delete(ctxT(t), id), 404, "")
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		PreviousResponseID: openai.String(id), Input: inputText("Hello?")})
	wantAPIError(t, "continue after delete", err, 400, "previous_response_not_found")
}

// store: false keeps nothing: the response says so, and cannot be
// retrieved or continued.
func TestResponsesStoreFalse(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Store: openai.Bool(false), Input: inputText("Hi")})
	if err != nil {
		t.Fatal(err)
	}
	if storeFlag(t, resp.RawJSON()) {
		t.Errorf("store false: the response says it was stored: %s", resp.RawJSON())
	}
	_, err = e.Client.Responses.Get(ctxT(t), resp.ID, responses.ResponseGetParams{})
	wantAPIError(t, "get", err, 404, "")
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(resp.ID), Input: inputText("Hi")})
	wantAPIError(t, "continue", err, 400, "previous_response_not_found")
}

// A stream is stored when it completes: retrievable with the streamed
// output, and continued.
func TestResponsesStreamStored(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: "claude-haiku-4-5", Input: inputText("Write a sentence about trains.")})
	var final responses.Response
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	if final.OutputText() == "" || !storeFlag(t, final.RawJSON()) {
		t.Fatalf("final event: %s", final.RawJSON())
	}
	got, err := e.Client.Responses.Get(ctxT(t), final.ID, responses.ResponseGetParams{})
	if err != nil || got.OutputText() != final.OutputText() || got.Status != "completed" {
		t.Fatalf("retrieved: %v %+v", err, got)
	}
	if _, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(final.ID), Input: inputText("Shorter?")}); err != nil {
		t.Fatal(err)
	}
	if sent := ul.last(t, "openai"); !strings.Contains(sent, "about trains") || !strings.Contains(sent, final.OutputText()[:10]) {
		t.Errorf("the continuation did not carry the streamed turn: %s", sent)
	}
}

// Another tenant's response is not found: to retrieve, list, delete or
// continue.
func TestResponsesTenantIsolation(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("acme's secret plan")})
	if err != nil {
		t.Fatal(err)
	}
	b := e.clientWith(respKeyB)
	_, err = b.Responses.Get(ctxT(t), resp.ID, responses.ResponseGetParams{})
	wantAPIError(t, "get", err, 404, "")
	_, err = b.Responses.InputItems.List(ctxT(t), resp.ID, responses.InputItemListParams{})
	wantAPIError(t, "input items", err, 404, "")
	wantAPIError(t, "delete", b.Responses.Delete(ctxT(t), resp.ID), 404, "")
	_, err = b.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(resp.ID), Input: inputText("and?")})
	wantAPIError(t, "continue", err, 400, "previous_response_not_found")
	if _, err := e.Client.Responses.Get(ctxT(t), resp.ID, responses.ResponseGetParams{}); err != nil {
		t.Errorf("the owner's get after the other tenant's delete: %v", err)
	}
}

// responses.store false: the router is stateless again.
func TestResponsesStoringOff(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) { c.Responses.Store = new(false) })
	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("Hi")})
	if err != nil {
		t.Fatal(err)
	}
	if storeFlag(t, resp.RawJSON()) {
		t.Errorf("storing off: the response says it was stored")
	}
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(resp.ID), Input: inputText("Hi")})
	wantAPIError(t, "continue", err, 400, "unsupported_parameter")
	_, err = e.Client.Responses.Get(ctxT(t), resp.ID, responses.ResponseGetParams{})
	wantAPIError(t, "get", err, 404, "response_not_stored")
}

// Read-your-writes across replicas: two routers sharing one PostgreSQL
// schema; each turn, complete or streamed, is continued on the other
// router the moment its answer (or its response.completed event) is in.
func TestResponsesContinueOnAnotherReplica(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshSchema(t)
	open := func() store.Store {
		s, err := postgres.Open(context.Background(), dsn)
		return closing(t, s, err)
	}
	a, _ := storedEnv(t, open(), nil)
	b, _ := storedEnv(t, open(), nil)
	prev := ""
	for i := range 10 {
		c := []*env{a, b}[i%2].Client
		params := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText(fmt.Sprintf("Turn %d.", i))}
		if prev != "" {
			params.PreviousResponseID = openai.String(prev)
		}
		if i%4 < 2 {
			resp, err := c.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatalf("turn %d: %v", i, err)
			}
			prev = resp.ID
			continue
		}
		stream := c.Responses.NewStreaming(ctxT(t), params)
		for stream.Next() {
			if ev := stream.Current(); ev.Type == "response.completed" {
				prev = ev.Response.ID
				break // continue on the other router at once, before the stream's end
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatalf("turn %d: %v", i, err)
		}
		stream.Close()
	}
	page, err := a.Client.Responses.InputItems.List(ctxT(t), prev, responses.InputItemListParams{Limit: openai.Int(100)})
	if err != nil || len(page.Data) != 19 { // ten user turns and nine answers
		t.Fatalf("the last turn's input items: %v, %d items", err, len(page.Data))
	}
}
