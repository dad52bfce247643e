package responses

import (
	"net/url"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// addFile adds an input_file part to m: the file's bytes (file_data, a
// data: URL) or its OpenAI file_id become the part chat's file part of
// the same fields is (wire.FilePart: a PDF a document, any other file a
// part routed and passed through as chat's), a file by URL a document by
// URL. detail is checked, then dropped: chat's file part has none. A
// function call's output (role tool) takes them as a user message does:
// each upstream encoder puts a tool message's files where its API takes
// them, as it does its images.
func addFile(m *llm.Message, p *contentPart, at string) error {
	if m.Role == llm.RoleAssistant {
		return invalid(at+".type", "Content parts of type 'input_file' do not belong in assistant messages.")
	}
	if _, err := partDetail(p, at, false); err != nil {
		return err
	}
	name, value, err := fileSource(p, at)
	if err != nil {
		return err
	}
	filename := deref(p.Filename)
	switch name {
	case "file_data":
		if err := checkDataURL(value); err != nil {
			return invalid(at+".file_data", "Invalid '%s.file_data': %s", at, err)
		}
		m.Content = append(m.Content, wire.FilePart(filename, value, ""))
	case "file_id":
		m.Content = append(m.Content, wire.FilePart(filename, "", value))
	default:
		if !isHTTPURL(value) {
			return invalid(at+".file_url", "Invalid '%s.file_url': expected an http(s) URL.", at)
		}
		m.Content = append(m.Content, llm.DocumentPart(&llm.Document{URL: value, Filename: filename}))
	}
	return nil
}

// fileSource returns the one source of an input_file part, by its field
// name, refusing none, more than one (null is none) or an empty one.
func fileSource(p *contentPart, at string) (name, value string, err error) {
	n := 0
	for _, f := range [...]struct {
		name  string
		value *string
	}{{"file_data", p.FileData}, {"file_id", p.FileID}, {"file_url", p.FileURL}} {
		if f.value != nil {
			name, value = f.name, *f.value
			n++
		}
	}
	switch {
	case n == 0:
		return "", "", invalid(at, "Invalid '%s': an 'input_file' part needs one of 'file_data', 'file_id' or 'file_url'.", at)
	case n > 1:
		return "", "", invalid(at, "Invalid '%s': an 'input_file' part takes only one of 'file_data', 'file_id' or 'file_url'.", at)
	case value == "":
		return "", "", invalid(at+"."+name, "Invalid '%s.%s': empty string. Expected a string with minimum length 1.", at, name)
	}
	return name, value, nil
}

// dataURLError says what is wrong with a file_data.
type dataURLError string

func (e dataURLError) Error() string { return string(e) }

// checkDataURL checks that s is a base64 data URL of a media type
// (data:<type>/<subtype>;base64,<data>), its data standard padded base64.
// It reads the data once and allocates nothing: a PDF may be megabytes.
func checkDataURL(s string) error {
	const notDataURL = dataURLError("expected a base64 data URL of the file (data:<media type>;base64,<data>), such as 'data:application/pdf;base64,JVBERi0…'.")
	rest, ok := cutPrefixFold(s, "data:")
	if !ok {
		return notDataURL
	}
	mediaType, data, ok := strings.Cut(rest, ";base64,")
	if !ok || data == "" || strings.IndexByte(mediaType, '/') <= 0 || strings.ContainsAny(mediaType, ",; ") {
		return notDataURL
	}
	if !isBase64(data) {
		return dataURLError("the data after 'base64,' is not valid base64 (standard alphabet, padded with '=' to a multiple of 4 characters).")
	}
	return nil
}

// isBase64 reports whether s is standard base64 with its padding.
func isBase64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	body := strings.TrimSuffix(strings.TrimSuffix(s, "="), "=")
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// isHTTPURL reports whether s is an absolute http(s) URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
