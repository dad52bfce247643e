package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Mount registers the Behavior's control API on mux, next to
// /_sim/faults:
//
//	/_sim/drift      GET lists drifts, POST sets one (a Drift), DELETE clears (?model=)
//	/_sim/accuracy   GET lists run-time accuracies, POST merges {"model","accuracy":{category: p}}, DELETE clears (?model=)
//	/_sim/knowledge  GET lists the entries (JSON Lines), POST adds entries (JSON Lines, a JSON array, or YAML), DELETE clears
//	/_sim/seed       GET {"seed":n}, POST {"seed":n} sets it and restarts the draws
//	/_sim/priority_tier  GET lists Priority Tier commitments, POST sets one (a PriorityCapacity), DELETE clears (?model=)
//
// A malformed or out-of-range body is a 400 with the reason as text.
func (b *Behavior) Mount(mux *http.ServeMux) {
	mux.HandleFunc("/_sim/drift", b.serveDrift)
	mux.HandleFunc("/_sim/accuracy", b.serveAccuracy)
	mux.HandleFunc("/_sim/knowledge", b.serveKnowledge)
	mux.HandleFunc("/_sim/seed", b.serveSeed)
	mux.Handle("/_sim/priority_tier", &b.Priority)
}

// maxControlBody bounds a drift, accuracy or seed body.
const maxControlBody = 1 << 16

// ParseDrift decodes a Drift from JSON ({"model", "verbosity",
// "refusal_rate", "accuracy_drop"}; other fields are an error) and checks
// it.
func ParseDrift(data []byte) (Drift, error) {
	var d Drift
	if err := decodeStrictJSON(data, &d); err != nil {
		return Drift{}, fmt.Errorf("bad drift: %w", err)
	}
	if err := d.Check(); err != nil {
		return Drift{}, err
	}
	return d, nil
}

// ModelAccuracy is the run-time accuracy of one model ("" for every
// model), by category, as /_sim/accuracy reads and lists it.
type ModelAccuracy struct {
	Model    string             `json:"model"`
	Accuracy map[string]float64 `json:"accuracy"`
}

// ParseAccuracy decodes a ModelAccuracy from JSON (other fields are an
// error) and checks its values.
func ParseAccuracy(data []byte) (ModelAccuracy, error) {
	var m ModelAccuracy
	if err := decodeStrictJSON(data, &m); err != nil {
		return ModelAccuracy{}, fmt.Errorf("bad accuracy: %w", err)
	}
	if len(m.Accuracy) == 0 {
		return ModelAccuracy{}, fmt.Errorf("bad accuracy: no category in \"accuracy\" (use %q for every category)", AnyCategory)
	}
	if err := checkAccuracies(m.Accuracy); err != nil {
		return ModelAccuracy{}, err
	}
	return m, nil
}

func (b *Behavior) serveDrift(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeControlJSON(w, b.Drifts())
	case http.MethodPost:
		data, ok := readControlBody(w, r, maxControlBody)
		if !ok {
			return
		}
		d, err := ParseDrift(data)
		if err == nil {
			err = b.SetDrift(d)
		}
		answerControl(w, err)
	case http.MethodDelete:
		b.ClearDrift(r.URL.Query().Get("model"))
		w.WriteHeader(http.StatusNoContent)
	default:
		notAllowed(w)
	}
}

func (b *Behavior) serveAccuracy(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		all := b.Accuracies()
		out := make([]ModelAccuracy, 0, len(all))
		for _, m := range slices.Sorted(maps.Keys(all)) {
			out = append(out, ModelAccuracy{Model: m, Accuracy: all[m]})
		}
		writeControlJSON(w, out)
	case http.MethodPost:
		data, ok := readControlBody(w, r, maxControlBody)
		if !ok {
			return
		}
		m, err := ParseAccuracy(data)
		if err == nil {
			err = b.SetAccuracy(m.Model, m.Accuracy)
		}
		answerControl(w, err)
	case http.MethodDelete:
		b.ClearAccuracy(r.URL.Query().Get("model"))
		w.WriteHeader(http.StatusNoContent)
	default:
		notAllowed(w)
	}
}

func (b *Behavior) serveKnowledge(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/jsonl")
		enc := json.NewEncoder(w)
		for _, e := range b.Knowledge.Entries() {
			enc.Encode(e)
		}
	case http.MethodPost:
		data, ok := readControlBody(w, r, MaxKnowledgeBytes)
		if !ok {
			return
		}
		format := KnowledgeAuto
		if strings.Contains(r.Header.Get("Content-Type"), "yaml") {
			format = KnowledgeYAML
		}
		entries, err := ReadKnowledge(bytes.NewReader(data), format)
		if err == nil {
			err = b.Knowledge.Add(entries...)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeControlJSON(w, map[string]int{"added": len(entries), "entries": b.Knowledge.Len()})
	case http.MethodDelete:
		b.Knowledge.Clear()
		w.WriteHeader(http.StatusNoContent)
	default:
		notAllowed(w)
	}
}

// ParseSeed decodes the body of POST /_sim/seed, {"seed": n} with n an
// unsigned 64-bit integer; other fields are an error.
func ParseSeed(data []byte) (uint64, error) {
	var in seedJSON
	if err := decodeStrictJSON(data, &in); err != nil {
		return 0, fmt.Errorf("bad seed: %w", err)
	}
	if in.Seed == nil {
		return 0, fmt.Errorf("bad seed: no \"seed\"")
	}
	return *in.Seed, nil
}

// seedJSON is the body of /_sim/seed.
type seedJSON struct {
	Seed *uint64 `json:"seed"`
}

func (b *Behavior) serveSeed(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s := b.Seed()
		writeControlJSON(w, seedJSON{Seed: &s})
	case http.MethodPost:
		data, ok := readControlBody(w, r, maxControlBody)
		if !ok {
			return
		}
		seed, err := ParseSeed(data)
		if err == nil {
			b.SetSeed(seed)
		}
		answerControl(w, err)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// readControlBody reads a control request's body of at most limit bytes,
// answering 400 when it is longer or unreadable.
func readControlBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		http.Error(w, "bad body: "+err.Error(), http.StatusBadRequest)
		return nil, false
	}
	return data, true
}

// answerControl answers 204, or 400 with err.
func answerControl(w http.ResponseWriter, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func writeControlJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func notAllowed(w http.ResponseWriter) {
	w.Header().Set("Allow", "GET, POST, DELETE")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}
