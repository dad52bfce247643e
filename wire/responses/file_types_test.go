package responses

import (
	"strings"
	"testing"
)

// The Responses API's file types: by the name's extension when it has
// one, else by the media type; images, audio and unknown types are not
// taken.
func TestTakesFileType(t *testing.T) {
	for _, c := range []struct {
		name, mediaType string
		want            bool
	}{
		{"a.csv", "", true},
		{"A.DOCX", "application/octet-stream", true},
		{"a.png", "text/plain", false}, // the extension decides
		{"a.mp3", "", false},
		{"", "text/markdown", true},
		{"", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
		{"", "image/png", false},
		{"", "", false},
	} {
		if got := TakesFileType(c.name, c.mediaType); got != c.want {
			t.Errorf("TakesFileType(%q, %q) = %v, want %v", c.name, c.mediaType, got, c.want)
		}
	}
}

// FuzzDataURLMediaType: the media type of any string is a prefix of what
// follows "data:", never holding the parameters' or data's separators.
func FuzzDataURLMediaType(f *testing.F) {
	for _, s := range []string{"data:text/csv;base64,YSxi", "data:,x", "data:text/plain", "https://x/a.csv", "", "data:a/b,c;d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := DataURLMediaType(s)
		if m == "" {
			return
		}
		if !strings.HasPrefix(s, "data:"+m) || strings.ContainsAny(m, ";,") {
			t.Errorf("DataURLMediaType(%q) = %q", s, m)
		}
	})
}
