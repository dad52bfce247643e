package e2e

import (
	"bytes"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// withEdits is withMedia plus dall-e-2 (variations), an Azure
// gpt-image-1 and a route over it and OpenAI's, the gpt-4o transcription
// model, and a small image upload limit.
func withEdits(c *config.Config) {
	withMedia(c)
	for _, m := range []string{"dall-e-2", "gpt-4o-transcribe"} {
		c.Deployments[m] = &config.Deployment{Name: m, Provider: "openai", Model: m}
	}
	c.Deployments["azure-image"] = &config.Deployment{Name: "azure-image", Provider: "azure", Model: "gpt-image-1", Capabilities: []llm.Capability{llm.CapImages}}
	c.Routes["editor"] = &config.Route{Name: "editor", Deployments: []string{"azure-image", "gpt-image-1"}}
	c.Server.MaxImageBytes = 1 << 20
}

// png is a file the SDK uploads as an image.
func png(name string) io.Reader {
	return openai.File(strings.NewReader("\x89PNG\r\n\x1a\n"+name), name, "image/png")
}

// costOf is the x-switchyard-cost-usd of hr.
func costOf(hr *http.Response) float64 {
	usd, _ := strconv.ParseFloat(hr.Header.Get("x-switchyard-cost-usd"), 64)
	return usd
}

// openai-go's Images.Edit (several images and a mask) and
// Images.NewVariation work through the router: gpt-image-1's edit priced
// by the size and quality it reports, dall-e-2's variations by theirs, a
// route failing over from a failing Azure deployment, each recorded as an
// images request.
func TestImageEditsSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withEdits)
	var hr *http.Response
	resp, err := e.Client.Images.Edit(ctxT(t), openai.ImageEditParams{
		Image: openai.ImageEditParamsImageUnion{OfFileArray: []io.Reader{png("lotion.png"), png("soap.png")}},
		Mask:  png("mask.png"), Prompt: "a gift basket", Model: "gpt-image-1", N: openai.Int(2),
		Quality: openai.ImageEditParamsQualityLow, InputFidelity: openai.ImageEditParamsInputFidelityHigh,
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || resp.Data[0].B64JSON == "" || string(resp.Quality) != "low" || resp.Usage.OutputTokens != 2*272 {
		t.Errorf("edit %s", resp.RawJSON())
	}
	if usd := costOf(hr); math.Abs(usd-0.022) > 1e-6 || hr.Header.Get("x-switchyard-deployment") != "gpt-image-1" {
		t.Errorf("edit headers %v", hr.Header)
	}

	//lint:ignore SA1019 the SDK marks variations deprecated; the API serves them, and so does the router.
	resp, err = e.Client.Images.NewVariation(ctxT(t), openai.ImageNewVariationParams{
		Image: png("otter.png"), Model: "dall-e-2", N: openai.Int(2), Size: openai.ImageNewVariationParamsSize256x256,
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || !strings.HasPrefix(resp.Data[0].URL, "https://") {
		t.Errorf("variation %s", resp.RawJSON())
	}
	if usd := costOf(hr); math.Abs(usd-0.032) > 1e-4 || hr.Header.Get("x-switchyard-deployment") != "dall-e-2" {
		t.Errorf("variation headers %v", hr.Header)
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Count: 1})
	resp, err = e.Client.Images.Edit(ctxT(t), openai.ImageEditParams{
		Image: openai.ImageEditParamsImageUnion{OfFile: png("room.png")}, Prompt: "add a lamp", Model: "editor",
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 1 || hr.Header.Get("x-switchyard-deployment") != "gpt-image-1" || !strings.Contains(hr.Header.Get("x-switchyard-route"), "attempt=2") {
		t.Errorf("failover %s, %v", resp.RawJSON(), hr.Header)
	}

	recs := e.recorded(t, 3)
	if r := recs[0]; r.Endpoint != "images" || r.Status != 200 || r.CostUnknown || math.Abs(r.CostUSD-0.022) > 1e-6 || r.Usage.CompletionTokens != 544 {
		t.Errorf("edit record %+v", r)
	}
	if r := recs[1]; r.Endpoint != "images" || r.Deployment != "dall-e-2" || math.Abs(r.CostUSD-0.032) > 1e-4 {
		t.Errorf("variation record %+v", r)
	}
	if r := recs[2]; r.Route != "editor" || r.Attempts != 2 || r.Trail[0].Deployment != "azure-image" || r.Trail[0].Outcome == "ok" {
		t.Errorf("failover record %+v", r)
	}
}

// editForm is a raw multipart image edit: "@name" parts are images.
func editForm(parts ...string) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		name, value, _ := strings.Cut(p, "=")
		if file, ok := strings.CutPrefix(name, "@"); ok {
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", `form-data; name="`+file+`"; filename="a.png"`)
			h.Set("Content-Type", "image/png")
			w, _ := mw.CreatePart(h)
			w.Write([]byte(value))
			continue
		}
		mw.WriteField(name, value)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// The image edit endpoints' errors, in OpenAI's shape naming the param.
func TestImageEditErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withEdits)
	for _, tt := range []struct {
		name, path  string
		body        io.Reader
		contentType string
		status      int
		param, msg  string
	}{
		{"no image", "/v1/images/edits", nil, "", 400, "image", "Missing required parameter: 'image'"},
		{"no prompt", "/v1/images/edits", nil, "@image=p", 400, "prompt", "Missing required parameter: 'prompt'"},
		{"bad n", "/v1/images/variations", nil, "@image=p|n=11", 400, "n", "from 1 to 10"},
		{"a chat model", "/v1/images/edits", nil, "@image=p|prompt=x|model=gpt-4o-mini", 400, "model", "does not serve image edits"},
		{"an unknown model", "/v1/images/variations", nil, "@image=p|model=no-such", 404, "model", "no-such"},
		{"variations of gpt-image-1", "/v1/images/variations", nil, "@image=p|model=gpt-image-1", 400, "model", "must be dall-e-2"},
		{"too large", "/v1/images/edits", nil, "@image=" + strings.Repeat("x", 2<<20) + "|prompt=x", 413, "", "server.max_image_bytes"},
		{"not multipart", "/v1/images/edits", strings.NewReader(`{"prompt":"x"}`), "application/json", 400, "", "multipart/form-data"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := tt.body, tt.contentType
			if body == nil {
				var parts []string
				if ct != "" {
					parts = strings.Split(ct, "|")
				}
				body, ct = editForm(parts...)
			}
			req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+tt.path, body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer demo-key")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(data), `"param":`+strconv.Quote(tt.param)) && tt.param != "" || !strings.Contains(string(data), tt.msg) {
				t.Errorf("%d %s; want %d on %q with %q", resp.StatusCode, data, tt.status, tt.param, tt.msg)
			}
		})
	}
}
