package config

import "fmt"

// builtinRoutes are the routes the router defines when the configuration
// does not: their names are taken even when unconfigured.
var builtinRoutes = [...]string{"auto", "auto-cheap", "auto-best"}

// aliases checks the routes' and deployments' aliases: each a model name
// (nameRE), none a route's or deployment's own name, none declared twice.
func (v *validator) aliases() {
	taken := map[string]string{} // alias → path of its first declaration
	check := func(path string, list []string) {
		for i, a := range list {
			p := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case !nameRE.MatchString(a):
				v.add(p, fmt.Sprintf("%q is not a model name", a), nameHint)
			case v.isName(a):
				v.add(p, fmt.Sprintf("%q is already a route or deployment name", a), "clients ask for it by that name already; remove the alias")
			case taken[a] != "":
				v.add(p, fmt.Sprintf("%q is already an alias (%s)", a, taken[a]), "an alias names one route or deployment")
			default:
				taken[a] = p
			}
		}
	}
	for _, name := range v.routeNames() {
		if r := v.c.Routes[name]; r != nil {
			check("routes."+name+".aliases", r.Aliases)
		}
	}
	for _, name := range v.deploymentNames() {
		if d := v.c.Deployments[name]; d != nil {
			check("deployments."+name+".aliases", d.Aliases)
		}
	}
}

func isBuiltinRoute(name string) bool {
	for _, b := range builtinRoutes {
		if b == name {
			return true
		}
	}
	return false
}

// isName reports whether name is a route's or deployment's own name.
func (v *validator) isName(name string) bool {
	_, rt := v.c.Routes[name]
	_, dep := v.c.Deployments[name]
	return rt || dep || isBuiltinRoute(name)
}
