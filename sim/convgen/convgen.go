// Package convgen generates conversations that are valid for a client API
// by that API's own rules — OpenAI's Chat Completions, Anthropic's
// Messages, OpenAI's Responses — to check that every one of them, once the
// router has translated it, is one each upstream accepts (a property test
// across client APIs and upstream wire formats, and the end-to-end tests
// that send the trickiest through the official SDKs).
//
// A conversation is generated as API-neutral turns (Generate), the shapes
// the client API allows and only those, then rendered as that API's
// request body (Body). Generation is deterministic for a seed.
package convgen

import (
	"fmt"
	"math/rand/v2"
)

// API is a client API a conversation is generated for.
type API string

// The client APIs.
const (
	Chat      API = "chat"      // OpenAI Chat Completions
	Messages  API = "messages"  // Anthropic Messages
	Responses API = "responses" // OpenAI Responses
)

// APIs lists the client APIs.
var APIs = []API{Chat, Messages, Responses}

// Role is a turn's author.
type Role string

// The roles of turns.
const (
	System    Role = "system"
	Developer Role = "developer"
	User      Role = "user"
	Assistant Role = "assistant"
	Tool      Role = "tool" // a tool's result; an Anthropic client's tool_result in a user turn
)

// Part is a piece of a turn's content: text (possibly empty or
// whitespace alone) or, with Image, a small PNG, with PDF a small PDF
// document.
type Part struct {
	Text  string
	Image bool
	PDF   bool
}

// media reports whether p is an image or a document, not text.
func (p Part) media() bool { return p.Image || p.PDF }

// Call is a tool call of an assistant turn.
type Call struct {
	ID, Name, Args string
}

// Turn is one message of a conversation.
type Turn struct {
	Role Role
	// Parts is the content; nil means none at all (an assistant turn of
	// tool calls alone), as opposed to an empty string (Text of one
	// empty Part with Plain).
	Parts []Part
	// Plain renders the content as a plain string (the one text Part)
	// rather than a list of parts, where the API has both forms.
	Plain bool
	// Calls are an assistant turn's tool calls.
	Calls []Call
	// Thinking is an assistant turn's reasoning, put before its content
	// (an Anthropic thinking block with its signature, a Responses
	// reasoning item with its summary alone).
	Thinking string
	// Refusal is a Chat Completions assistant turn's refusal.
	Refusal string
	// Name is a Chat Completions participant name.
	Name string
	// CallID is the call a Tool turn answers.
	CallID string
	// Split starts a new user message with this Tool turn where the API
	// holds results in user messages (Anthropic's): results split across
	// consecutive user messages.
	Split bool
	// Then is text an Anthropic client sends after its tool_result blocks
	// in the same user turn (other APIs: a user turn after the results).
	Then string
}

// Conversation is a generated conversation for one client API.
type Conversation struct {
	API   API
	Seed  uint64
	Turns []Turn
	// Tools are the declared tool names (each takes any object).
	Tools []string
	// Reasoning asks the model to reason (reasoning_effort low, Anthropic's
	// thinking with a budget, the Responses API's reasoning.effort low);
	// an Anthropic conversation then sends back the thinking of each turn
	// of tool calls, as the API requires of the last.
	Reasoning bool
}

// toolNames are the tools every generated conversation declares.
var toolNames = []string{"get_weather", "get_time", "search_docs"}

// Generate returns a conversation valid for api, the same for the same
// seed: an optional system prompt, then one to four exchanges (a user
// turn, then an answer or a tool loop), ending with a turn the model
// answers (user text, tool results) or an assistant prefill.
func Generate(api API, seed uint64) *Conversation {
	g := &gen{api: api, r: rand.New(rand.NewPCG(seed, 0x5eed)), c: &Conversation{API: api, Seed: seed, Tools: toolNames}}
	g.run()
	return g.c
}

type gen struct {
	api   API
	r     *rand.Rand
	c     *Conversation
	calls int // tool calls made so far, for their ids
	// reuse numbers each turn's calls from 0 (call_0, call_1…), ids a
	// Chat Completions conversation may repeat from turn to turn (some
	// models and clients number them so).
	reuse bool
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) add(t Turn) { g.c.Turns = append(g.c.Turns, t) }

func (g *gen) run() {
	if g.chance(0.6) {
		g.system()
	}
	g.reuse = g.api == Chat && g.chance(0.2)
	g.c.Reasoning = g.chance(0.25)
	switch {
	case g.api == Messages:
	case g.chance(0.1):
		g.assistantText() // a greeting the application showed first
	case g.api == Chat && g.chance(0.1):
		g.toolLoop(false) // a tool call the application made on its own
	}
	exchanges := 1 + g.r.IntN(4)
	for i := range exchanges {
		last := i == exchanges-1
		g.user()
		if g.chance(0.15) {
			g.system() // an instruction in the middle (Anthropic: a system message of messages)
		}
		loops := 0
		if g.chance(0.7) {
			loops = 1 + g.r.IntN(2)
		}
		for l := range loops {
			g.toolLoop(last && l == loops-1)
		}
		if !last && (g.lastRole() != Assistant || g.api != Messages && g.chance(0.3)) {
			g.assistantText()
		}
	}
	if g.chance(0.15) && !(g.api == Messages && g.c.Reasoning) { // Claude does not think after a prefill
		g.prefill()
	}
}

func (g *gen) lastRole() Role {
	if n := len(g.c.Turns); n > 0 {
		return g.c.Turns[n-1].Role
	}
	return ""
}

// system adds a system prompt: an Anthropic client's is the request's
// system field when it comes first, a system message of messages after.
func (g *gen) system() {
	role := System
	if g.api != Messages && g.chance(0.3) {
		role = Developer
	}
	g.add(Turn{Role: role, Parts: g.texts(false), Plain: g.chance(0.5)})
}

// user adds one user turn, or two in a row.
func (g *gen) user() {
	for range 1 + g.r.IntN(2) {
		t := Turn{Role: User, Parts: g.texts(g.api != Messages), Name: g.name()}
		if g.api != Messages && g.chance(0.05) {
			t.Parts = []Part{{Text: []string{"", " "}[g.r.IntN(2)]}} // a blank message: OpenAI's APIs take it
		}
		if g.chance(0.2) {
			t.Parts = append(t.Parts, Part{Image: true})
		}
		if g.chance(0.1) {
			t.Parts = append(t.Parts, Part{PDF: true})
		}
		t.Plain = len(t.Parts) == 1 && !t.Parts[0].media() && g.chance(0.5)
		g.add(t)
		if g.chance(0.7) {
			return
		}
	}
}

func (g *gen) name() string {
	if g.api == Chat && g.chance(0.1) {
		return "alice"
	}
	return ""
}

// texts returns one to three text parts; with blank, some may be empty or
// whitespace alone (never all of them).
func (g *gen) texts(blank bool) []Part {
	n := 1 + g.r.IntN(3)
	parts := make([]Part, 0, n)
	for range n {
		parts = append(parts, Part{Text: g.text(blank)})
	}
	if parts[0].Text == "" || parts[0].Text == " \n" {
		parts[0].Text = "What is the capital of Peru?"
	}
	return parts
}

var sentences = []string{
	"What is the capital of Peru?", "Summarize the report.", "Check the weather in Lima.",
	"Thanks!", "Use the tools if you need them.", "Keep it short.\n",
}

func (g *gen) text(blank bool) string {
	if blank && g.chance(0.2) {
		if g.chance(0.5) {
			return ""
		}
		return " \n"
	}
	return sentences[g.r.IntN(len(sentences))]
}

// assistantText adds a plain answer (text, possibly a refusal or
// thinking).
func (g *gen) assistantText() {
	t := Turn{Role: Assistant, Parts: g.texts(g.api != Messages), Plain: g.chance(0.5)}
	if t.Plain {
		t.Parts = t.Parts[:1]
	}
	if g.api == Chat && g.chance(0.1) {
		t.Parts, t.Refusal = nil, "I can't help with that."
	}
	if g.api != Chat && g.chance(0.2) {
		t.Thinking = "The user asks something simple."
	}
	g.add(t)
	if g.api != Messages && g.chance(0.1) {
		g.add(Turn{Role: Assistant, Parts: []Part{{Text: "One more thing."}}}) // consecutive answers
	}
}

// toolLoop adds an assistant turn of one to three calls and their
// results, in order or not, maybe split, maybe one sent twice, maybe
// followed by user text.
func (g *gen) toolLoop(final bool) {
	if g.api == Messages && g.lastRole() == Assistant && g.c.Reasoning {
		// (Claude merges consecutive turns: the turn would start with the
		// earlier text, not the thinking that must lead it.)
		g.add(Turn{Role: User, Parts: []Part{{Text: "Go on."}}, Plain: true})
	}
	asst := Turn{Role: Assistant}
	switch g.r.IntN(4) {
	case 0: // no content at all
	case 1:
		asst.Parts = []Part{{Text: ""}}
		asst.Plain = true
		if g.api == Messages {
			asst.Parts = nil
		}
	default:
		asst.Parts = g.texts(g.api != Messages)
		asst.Plain = len(asst.Parts) == 1 && g.chance(0.5)
	}
	if g.api != Chat && (g.c.Reasoning && g.api == Messages || g.chance(0.3)) {
		asst.Thinking = "I should call a tool."
	}
	n := 1 + g.r.IntN(3)
	if g.reuse {
		g.calls = 0
	}
	for range n {
		g.calls++
		asst.Calls = append(asst.Calls, Call{
			ID:   fmt.Sprintf("call_%d", g.calls),
			Name: toolNames[g.r.IntN(len(toolNames))],
			Args: `{"city":"Lima"}`,
		})
	}
	g.add(asst)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if g.chance(0.4) {
		g.r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	for _, k := range order {
		g.add(g.result(asst.Calls[k].ID))
	}
	if g.api != Messages && g.chance(0.1) {
		// a result sent again, as a retried tool submission kept in the
		// history is (OpenAI's APIs take it; Claude takes one per call)
		g.add(g.result(asst.Calls[g.r.IntN(n)].ID))
	}
	if g.chance(0.3) {
		text := sentences[g.r.IntN(len(sentences))]
		if g.api == Messages {
			g.c.Turns[len(g.c.Turns)-1].Then = text
		} else {
			g.add(Turn{Role: User, Parts: []Part{{Text: text}}, Plain: true})
		}
	}
	if g.chance(0.1) {
		g.system() // a reminder the agent adds after the results
	}
	if !final {
		g.assistantText()
	}
}

// result is a tool's result for call id: text, several texts, an image
// or a PDF where the API takes one in a result.
func (g *gen) result(id string) Turn {
	t := Turn{Role: Tool, CallID: id, Split: g.chance(0.3)}
	switch {
	case g.chance(0.4):
		t.Parts, t.Plain = []Part{{Text: `{"temperature":18}`}}, true
	case g.chance(0.25):
		// (The Messages API takes images and files in a tool_result, the
		// Responses API in a function_call_output; Chat Completions takes
		// an image_url in a tool message but refuses a file there.)
		t.Parts = []Part{{Text: "Here is the chart."}, {Image: true}}
		if g.api != Chat && g.chance(0.4) {
			t.Parts = []Part{{Text: "The report:"}, {PDF: true}}
		}
		if g.chance(0.2) {
			t.Parts = t.Parts[1:] // the media alone
		}
	case g.chance(0.15):
		t.Parts, t.Plain = []Part{{Text: ""}}, true // a tool that printed nothing
		if g.api == Messages {
			t.Parts = nil // an Anthropic client's tool_result without content
		}
	case g.api != Messages && g.chance(0.2):
		t.Parts = []Part{{Text: ""}, {Text: "line two"}} // an empty part before the text
	default:
		t.Parts = []Part{{Text: "line one"}, {Text: "line two"}}
	}
	return t
}

// prefill ends the conversation with the start of the assistant's answer
// (for an Anthropic client, now and then an empty one: the API takes a
// final assistant message of no content).
func (g *gen) prefill() {
	if g.api == Messages && g.chance(0.3) {
		g.add(Turn{Role: Assistant})
		return
	}
	text := "The answer is"
	if g.api != Messages && g.chance(0.5) {
		text += " " // trailing whitespace: OpenAI takes it
	}
	g.add(Turn{Role: Assistant, Parts: []Part{{Text: text}}, Plain: true})
}
