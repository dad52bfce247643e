package anthropic

import (
	"net/http"
	"strconv"
	"strings"

	"switchyard/api/internal/inbound"
	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// GET /v1/models is the OpenAI API's path too, with another shape. An
// Anthropic SDK always sends anthropic-version, which OpenAI clients do
// not: a request to the model list that carries it is answered in
// Anthropic's shape (ModelsRequest), every other in OpenAI's.

// HeaderVersion is the header every Anthropic client sends.
const HeaderVersion = "anthropic-version"

// modelsCreatedAt is the created_at of every model listed: the router
// knows no release dates (the OpenAI list's "created" is the same day).
const modelsCreatedAt = "2025-01-01T00:00:00Z"

// ModelsRequest reports whether r asks for the model list (GET
// /v1/models or /v1/models/{id}) as an Anthropic client: it carries
// anthropic-version. Such a request is answered by ServeModels.
func (h *Handler) ModelsRequest(r *http.Request) bool {
	return h.Models != nil && r.Method == http.MethodGet && r.Header.Get(HeaderVersion) != "" && modelsPath(r.URL.Path)
}

func modelsPath(p string) bool { return p == "/v1/models" || strings.HasPrefix(p, "/v1/models/") }

// Speaks reports whether errors to r are answered in Anthropic's shape:
// the Messages paths (Path) and the model list and files asked for with
// anthropic-version.
func Speaks(r *http.Request) bool {
	return Path(r.URL.Path) || r.Header.Get(HeaderVersion) != "" && (modelsPath(r.URL.Path) || filesPath(r.URL.Path))
}

// ServeModels answers GET /v1/models with the models the caller may ask
// for, in the shape the Anthropic SDKs' models.list reads
// ({"data":[{"type":"model","id","display_name","created_at",
// "capabilities","max_input_tokens","max_tokens"}],
// "has_more","first_id","last_id"}, paged by limit, after_id and
// before_id as Anthropic's API pages it: modelsPage), and GET
// /v1/models/{id} with one of them or 404 not_found_error.
func (h *Handler) ServeModels(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HeaderRequestID, llm.RequestID(r.Context()))
	ids := h.Models(r.Context())
	out := inbound.GetBuf()
	defer inbound.PutBuf(out)
	if id, one := strings.CutPrefix(r.URL.Path, "/v1/models/"); one {
		name := resolve(h.ResolveModel, id)
		for _, m := range ids {
			if m == name {
				*out = h.appendModel(*out, id, name)
				inbound.WriteJSON(w, *out)
				return
			}
		}
		WriteError(w, r, llm.Errorf(llm.KindNotFound, "model: %s", llm.Clip(id)))
		return
	}
	page, more, err := modelsPage(ids, r.URL.Query())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	*out = append(*out, `{"data":[`...)
	for i, m := range page {
		if i > 0 {
			*out = append(*out, ',')
		}
		*out = h.appendModel(*out, m, m)
	}
	*out = append(*out, `],"has_more":`...)
	*out = strconv.AppendBool(*out, more)
	*out = append(*out, `,"first_id":`...)
	first, last := "", ""
	if len(page) > 0 {
		first, last = page[0], page[len(page)-1]
	}
	*out = jsonw.NullString(*out, first)
	*out = append(*out, `,"last_id":`...)
	*out = jsonw.NullString(*out, last)
	*out = append(*out, '}')
	inbound.WriteJSON(w, *out)
}

// appendModel appends the ModelInfo of id, which stands for the route
// or deployment name: max_input_tokens and max_tokens a deployment's
// context window and output limit where known, else null (a route's
// deployments differ; the spec and anthropic-sdk-go allow null);
// capabilities null.
func (h *Handler) appendModel(dst []byte, id, name string) []byte {
	dst = append(dst, `{"type":"model","id":`...)
	dst = jsonw.String(dst, id)
	dst = append(dst, `,"display_name":`...)
	dst = jsonw.String(dst, id)
	dst = append(dst, `,"created_at":"`+modelsCreatedAt+`","capabilities":null,"max_input_tokens":`...)
	var input, output int
	if h.ModelLimits != nil {
		input, output = h.ModelLimits(name)
	}
	dst = appendLimit(dst, input)
	dst = append(dst, `,"max_tokens":`...)
	dst = appendLimit(dst, output)
	return append(dst, '}')
}

// appendLimit appends a token limit, null when unknown (0).
func appendLimit(dst []byte, n int) []byte {
	if n <= 0 {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, int64(n), 10)
}
