// Package e2e holds Switchyard's end-to-end tests: the official OpenAI Go
// SDK (and, from node/, the npm openai package) talking to a real router
// over HTTP, in front of the simulated providers of every wire format.
package e2e
