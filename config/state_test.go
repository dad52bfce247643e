package config

import (
	"strings"
	"testing"
)

const stateBase = okProvider + "deployments: {d: {provider: openai}}\n"

func TestState(t *testing.T) {
	vars := env(map[string]string{"REDIS_PASSWORD": "SECRET-redis", "REDIS_ADDR": "10.0.0.5:6380"})
	tests := []struct {
		name, yaml string
		want       State
	}{
		{"default is memory, fail open", "", State{Driver: StateMemory, OnError: OnErrorAllow}},
		{"memory, deny", "state: {on_error: deny}\n", State{Driver: StateMemory, OnError: OnErrorDeny}},
		{"redis, prefix defaulted", "state: {driver: redis, addr: \"127.0.0.1:6379\"}\n",
			State{Driver: StateRedis, Addr: "127.0.0.1:6379", Prefix: DefaultStatePrefix, OnError: OnErrorAllow}},
		{"redis, every field", "state:\n  driver: redis\n  addr: ${REDIS_ADDR}\n  password: ${REDIS_PASSWORD}\n  db: 2\n  prefix: \"sy:prod:\"\n  on_error: deny\n",
			State{Driver: StateRedis, Addr: "10.0.0.5:6380", Password: "SECRET-redis", DB: 2, Prefix: "sy:prod:", OnError: OnErrorDeny}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(stateBase+tt.yaml), vars)
			if c.State != tt.want {
				t.Errorf("State = %+v, want %+v", c.State, tt.want)
			}
		})
	}
}

func TestStateMistakes(t *testing.T) {
	vars := env(map[string]string{"REDIS_PASSWORD": "SECRET-redis"})
	tests := []struct {
		name, yaml    string
		path, problem string
		line          int
	}{
		{"unknown driver", "state: {driver: etcd}\n", "state.driver", `unknown driver "etcd"`, 3},
		{"unknown on_error", "state:\n  on_error: retry\n", "state.on_error", `unknown value "retry"`, 4},
		{"redis without addr", "state: {driver: redis}\n", "state.addr", "is required for driver redis", 3},
		{"bad addr", "state:\n  driver: redis\n  addr: localhost\n", "state.addr", `"localhost" is not a host:port address`, 5},
		{"negative db", "state: {driver: redis, addr: \"r:6379\", db: -1}\n", "state.db", "must be >= 0, got -1", 3},
		{"db not a number", "state: {driver: redis, addr: \"r:6379\", db: one}\n", "state.db", "must be an integer", 3},
		{"prefix with a brace", "state: {driver: redis, addr: \"r:6379\", prefix: \"a{b\"}\n", "state.prefix", "may not hold", 3},
		{"addr without redis", "state:\n  addr: \"r:6379\"\n", "state.addr", "is only used by driver redis", 4},
		{"password without redis", "state:\n  password: ${REDIS_PASSWORD}\n", "state.password", "is only used by driver redis", 4},
		{"padded password", "state: {driver: redis, addr: \"r:6379\", password: \" SECRET-pad\"}\n", "state.password", "leading or trailing spaces", 3},
		{"unknown field", "state: {driver: redis, adr: \"r:6379\"}\n", "state", `unknown field "adr"`, 3},
		{"not a mapping", "state: redis\n", "state", "must be a mapping", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(stateBase+tt.yaml), vars)
			e := findError(t, err, tt.path, tt.problem)
			if e.Line != tt.line {
				t.Errorf("error at line %d, want %d: %v", e.Line, tt.line, e)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("an error message holds the password:\n%v", err)
			}
		})
	}
}
