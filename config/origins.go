package config

import (
	"net/http"
	"strconv"
)

// origins decodes server.trusted_origins: each an origin as a browser
// sends it in its Origin header, scheme://host[:port] with no path, as
// net/http's CrossOriginProtection takes it.
func (d *decoder) origins(e entry) []string {
	var out []string
	for _, el := range d.list(e, `["https://app.example.com"]`) {
		var o string
		d.str(el, &o)
		if err := http.NewCrossOriginProtection().AddTrustedOrigin(o); err != nil {
			d.fail(el.path, el.node, "is not an origin: "+strconv.Quote(o),
				"an origin is scheme://host[:port] with no path, e.g. https://app.example.com or http://localhost:5173")
			continue
		}
		out = append(out, o)
	}
	return out
}
