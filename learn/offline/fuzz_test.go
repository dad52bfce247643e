package offline

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"hash/crc32"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// FuzzRead is the outcome data `learn fit --data` and `replay --data`
// read: malformed data is an error, never a panic; data read is
// consistent (models sorted and unique, a score in [0, 1] and a cost in
// [0, maxCostUSD] for each model on each prompt) and reads back the
// same when written out again in the long format.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"prompt_id,prompt,model,score,cost_usd,split,task\na,hi,m1,1,0.001,train,t\na,hi,m2,0.5,,train,t\nb,\"x\ny\",m1,0,0,test,u\nb,\"x\ny\",m2,,0,test,u\n",
		"prompt,model,score\nhi,m,1\n", "prompt,model,score\n", "model,score\n", "prompt,model,score\nhi,,1\n",
		"prompt,model,score\nhi,m,2\n", "prompt,model,score,cost_usd\nhi,m,1,-1\nhi,m,1,1\n", "prompt,model,score\nhi,m,1\nhi,m,1\n",
		"prompt,model,score,cost_usd\nhi,m,1,Inf\n", "prompt,model,score,cost_usd\nhi,m,NaN,1\n", "prompt,model\n\"a,b\n",
		"\x1f\x8b", "prompt,prompt,model,score\na,b,m,1\n",
		"prompt,model,score,cost_usd\nhi,m,1,NaN\n", "prompt,model,score,cost_usd\nhi,m,1,1e308\nho,m,1,1e308\n", "\ufeffprompt,model,score\nhi,m,1\n",
	} {
		f.Add([]byte(s))
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("prompt,model,score\nhi,m,1\n"))
	w.Close()
	f.Add(gz.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Read(bytes.NewReader(data))
		if err != nil {
			if ds != nil {
				t.Fatal("a dataset with an error")
			}
			return
		}
		checkDataset(t, ds)
		again, err := Read(bytes.NewReader(longFormat(t, ds)))
		if err != nil {
			t.Fatalf("the dataset written out does not read back: %v", err)
		}
		ds.Dropped = 0 // the prompts dropped are not written out
		if !reflect.DeepEqual(again, ds) {
			t.Fatalf("read back %+v, want %+v", again, ds)
		}
	})
}

// checkDataset fails t unless ds holds what Read promises.
func checkDataset(t *testing.T, ds *Dataset) {
	t.Helper()
	if len(ds.Models) == 0 || len(ds.Prompts) == 0 || !slices.IsSorted(ds.Models) || len(slices.Compact(slices.Clone(ds.Models))) != len(ds.Models) {
		t.Fatalf("models %q, %d prompts", ds.Models, len(ds.Prompts))
	}
	for _, p := range ds.Prompts {
		if len(p.Score) != len(ds.Models) || len(p.Cost) != len(ds.Models) {
			t.Fatalf("prompt %q: %d scores, %d costs for %d models", p.ID, len(p.Score), len(p.Cost), len(ds.Models))
		}
		for m := range p.Score {
			if !(p.Score[m] >= 0 && p.Score[m] <= 1) || !(p.Cost[m] >= 0 && p.Cost[m] <= maxCostUSD) || p.Cost[m] > 0 && !ds.HasCost {
				t.Fatalf("prompt %q, model %q: score %v, cost %v (HasCost %v)", p.ID, ds.Models[m], p.Score[m], p.Cost[m], ds.HasCost)
			}
		}
	}
}

// longFormat writes ds as Read reads it: one row per prompt × model.
func longFormat(t *testing.T, ds *Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"prompt_id", "prompt", "model", "score", "cost_usd", "split", "task", "source"})
	for _, p := range ds.Prompts {
		for m, name := range ds.Models {
			w.Write([]string{p.ID, p.Text, name, strconv.FormatFloat(p.Score[m], 'g', -1, 64),
				strconv.FormatFloat(p.Cost[m], 'g', -1, 64), p.Split, p.Task, p.Source})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzLoad is a model file (`learn fit --out`, read back by the server):
// the fuzzer varies what the gzip stream holds and the test seals it with
// a valid checksum, so that the header and arrays are reached. A file
// that is not a model is an error wrapping ErrBadModel, never a panic or
// an allocation the file's size does not pay for; a model loaded saves
// and loads back to the same bytes.
func FuzzLoad(f *testing.F) {
	k := 1 << MinBits
	m := &Model{Features: DefaultFeatures(), Models: []string{"a", "b"}, Bias: []float32{0, 1}, KindLogit: []float32{0, 0},
		CalScale: []float32{1, 1}, CalShift: []float32{0, 0}, CostBase: []float64{0, 1e-6}, CostPerKB: []float64{0, 1e-7},
		MeanCost: []float64{0, 2e-6}, CostScale: 1, Weights: make([]float32, k*3)}
	m.Features.Bits = MinBits
	var saved bytes.Buffer
	if err := m.Save(&saved); err != nil {
		f.Fatal(err)
	}
	f.Add(unsealed(f, saved.Bytes()))
	m.Bias = m.Bias[:1] // arrays that fit the header but not the model
	f.Add(unsealed(f, saveUnchecked(f, m)))
	f.Add([]byte("SWPR\x01\x00\x01\x00\x02\x00\x00\x00{}"))
	f.Add([]byte("SWPR\x01\x00\x01\x00\xff\xff\xff\x00{}"))
	f.Add([]byte(`SWPR` + "\x01\x00\x01\x00\x2c\x00\x00\x00" + `{"features":{"bits":22},"models":["a"],"kinds":64}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		file := sealed(payload)
		got, err := Load(bytes.NewReader(file))
		if err != nil {
			if !errors.Is(err, ErrBadModel) || got != nil {
				t.Fatalf("Load = a model: %v, %v; want none and an ErrBadModel", got != nil, err)
			}
			return
		}
		var first, second bytes.Buffer
		if err := got.Save(&first); err != nil {
			t.Fatalf("a model loaded does not save: %v", err)
		}
		again, err := Load(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("a model saved does not load: %v", err)
		}
		if err := again.Save(&second); err != nil || !bytes.Equal(unsealed(t, first.Bytes()), unsealed(t, second.Bytes())) {
			t.Fatalf("saved, loaded and saved again differs (%v)", err)
		}
	})
}

// saveUnchecked returns the file Save would write for m, without the
// checks Save makes.
func saveUnchecked(t testing.TB, m *Model) []byte {
	t.Helper()
	bias := m.Bias
	m.Bias = make([]float32, len(m.Models))
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	m.Bias = bias
	payload := unsealed(t, b.Bytes())
	n := int(binary.LittleEndian.Uint32(payload[8:]))
	head := bytes.Replace(payload[12:12+n], []byte(`"bias":[0,0]`), []byte(`"bias":[0]`), 1)
	out := binary.LittleEndian.AppendUint32(slices.Clone(payload[:8]), uint32(len(head)))
	out = append(append(out, head...), payload[12+n:]...)
	return sealed(out)
}

// sealed returns the model file holding payload and its checksum.
func sealed(payload []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(payload)
	w.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(payload)))
	w.Close()
	return b.Bytes()
}

// unsealed returns what the model file holds before its checksum.
func unsealed(t testing.TB, file []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil || b.Len() < 4 {
		t.Fatalf("%d bytes, %v", b.Len(), err)
	}
	return b.Bytes()[:b.Len()-4]
}
