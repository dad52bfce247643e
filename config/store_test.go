package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const storeBase = okProvider + "deployments: {d: {provider: openai}}\n"

func TestStoreDefaults(t *testing.T) {
	want := Store{Driver: StoreSQLite, Path: DefaultStorePath, Retention: 720 * time.Hour,
		Timeout: 5 * time.Second, AggregateTimeout: 20 * time.Second,
		QueueSize: 10000, BatchSize: 500, Bodies: StoreBodiesNone}
	for _, yaml := range []string{"", "store: {}\n", "store: {driver: sqlite}\n"} {
		c := mustParse(t, []byte(storeBase+yaml), nil)
		if !reflect.DeepEqual(c.Store, want) || !c.Store.Enabled() {
			t.Errorf("%q: Store = %+v, want %+v", yaml, c.Store, want)
		}
	}
	c := goConfig()
	if err := c.Validate(); err != nil || !reflect.DeepEqual(c.Store, want) {
		t.Errorf("Go config: Store = %+v, %v; want %+v", c.Store, err, want)
	}
	c = mustParse(t, []byte(storeBase+"store: {driver: none}\n"), nil)
	if c.Store.Enabled() || c.Store.Path != "" {
		t.Errorf("driver none: %+v, want disabled without a path", c.Store)
	}
}

func TestStoreParse(t *testing.T) {
	yaml := storeBase + `store:
  driver: postgres
  dsn: ${PG_DSN}
  retention: 168h
  timeout: 1500ms
  aggregate_timeout: 1m
  queue_size: 2000
  batch_size: 100
  bodies: redacted
`
	env := func(k string) (string, bool) {
		return "postgres://sw:secret@db.internal:5432/switchyard?sslmode=require", k == "PG_DSN"
	}
	c := mustParse(t, []byte(yaml), env)
	want := Store{Driver: StorePostgres, DSN: "postgres://sw:secret@db.internal:5432/switchyard?sslmode=require",
		Retention: 168 * time.Hour, Timeout: 1500 * time.Millisecond, AggregateTimeout: time.Minute, QueueSize: 2000, BatchSize: 100, Bodies: StoreBodiesRedacted}
	if !reflect.DeepEqual(c.Store, want) {
		t.Errorf("Store = %+v, want %+v", c.Store, want)
	}
}

func TestStoreRedactPatterns(t *testing.T) {
	yaml := storeBase + `store:
  bodies: redacted
  redact_patterns:
    - {name: employee_id, pattern: 'EMP-\d{6}'}
    - name: ticket
      pattern: "(?i)ticket #[0-9]+"
`
	c := mustParse(t, []byte(yaml), nil)
	want := []RedactPattern{{Name: "employee_id", Pattern: `EMP-\d{6}`}, {Name: "ticket", Pattern: "(?i)ticket #[0-9]+"}}
	if !reflect.DeepEqual(c.Store.RedactPatterns, want) {
		t.Errorf("RedactPatterns = %+v, want %+v", c.Store.RedactPatterns, want)
	}
}

func TestStoreMistakes(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		path      string
		line, col int
		problem   string
		hint      string
	}{
		{"unknown driver", "store:\n  driver: mysql\n", "store.driver", 2, 11, `unknown driver "mysql"`, "valid drivers: sqlite, postgres, none"},
		{"postgres without dsn", "store: {driver: postgres}\n", "store.dsn", 1, 1, "is required with driver postgres", "postgres://"},
		{"dsn with sqlite", "store:\n  dsn: host=db\n", "store.dsn", 2, 8, "is only for driver postgres", "set driver: postgres"},
		{"path with postgres", "store:\n  driver: postgres\n  dsn: host=db\n  path: x.db\n", "store.path", 4, 9, "is only for driver sqlite", "driver: sqlite"},
		{"bad dsn", "store:\n  driver: postgres\n  dsn: postgres://u:hunter2@/x\n", "store.dsn", 3, 8, "not a valid postgres:// URL", "key=value"},
		{"dsn of one word", "store:\n  driver: postgres\n  dsn: hunter2\n", "store.dsn", 3, 8, "neither a postgres:// URL", "key=value"},
		{"zero retention", "store:\n  retention: 0s\n", "store.retention", 2, 14, "must be > 0", "omit it"},
		{"zero timeout", "store:\n  timeout: 0s\n", "store.timeout", 2, 12, "must be > 0", "omit it"},
		{"negative aggregate timeout", "store:\n  aggregate_timeout: -1s\n", "store.aggregate_timeout", 2, 22, "must be > 0, got -1s", "omit it"},
		{"timeout not a duration", "store:\n  timeout: 5\n", "store.timeout", 2, 12, "must be a duration", `"30s"`},
		{"aggregate below timeout", "store:\n  timeout: 10s\n  aggregate_timeout: 5s\n", "store.aggregate_timeout", 3, 22,
			"5s is shorter than store.timeout 10s", "at least timeout"},
		{"aggregate below the default timeout", "store:\n  aggregate_timeout: 2s\n", "store.aggregate_timeout", 2, 22,
			"2s is shorter than store.timeout 5s", "at least timeout"},
		{"zero queue", "store:\n  queue_size: 0\n", "store.queue_size", 2, 15, "must be >= 1", "omit it"},
		{"batch above queue", "store:\n  queue_size: 10\n  batch_size: 20\n", "store.batch_size", 3, 15, "20 exceeds queue_size 10", "lower batch_size"},
		{"bad bodies", "store:\n  bodies: full\n", "store.bodies", 2, 11, `unknown value "full"`, "valid values: none, redacted"},
		{"unknown field", "store:\n  sync: true\n", "store", 2, 3, `unknown field "sync"`, "allowed: driver, path, dsn"},
		{"dsn a number", "store:\n  driver: postgres\n  dsn: [1]\n", "store.dsn", 3, 8, "must be a string", ""},
		{"redact pattern bad regex", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, pattern: 'EMP-(\\d{6}'}\n",
			"store.redact_patterns[0].pattern", 4, 28, "is not a valid regular expression: missing closing ): `EMP-(\\d{6}`", "RE2"},
		{"redact pattern lookahead", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, pattern: 'x(?=y)'}\n",
			"store.redact_patterns[0].pattern", 4, 28, "is not a valid regular expression: invalid or unsupported Perl syntax", "RE2"},
		{"redact pattern empty match", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, pattern: '[0-9]*'}\n",
			"store.redact_patterns[0].pattern", 4, 28, `"[0-9]*" matches the empty string`, "RE2"},
		{"redact pattern empty", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, pattern: ''}\n",
			"store.redact_patterns[0].pattern", 4, 28, "is empty", "RE2"},
		{"redact pattern bad name", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: Employee-ID, pattern: x}\n",
			"store.redact_patterns[0].name", 4, 14, `"Employee-ID" is not a valid name`, "[REDACTED:employee_id]"},
		{"redact pattern no name", "store:\n  bodies: redacted\n  redact_patterns:\n    - {pattern: x}\n",
			"store.redact_patterns[0].name", 4, 7, `"" is not a valid name`, "lower-case"},
		{"redact pattern same name", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, pattern: x}\n    - {name: emp, pattern: y}\n",
			"store.redact_patterns[1].name", 5, 14, `"emp" is used by another pattern`, "its own name"},
		{"redact pattern unknown field", "store:\n  bodies: redacted\n  redact_patterns:\n    - {name: emp, regex: x}\n",
			"store.redact_patterns[0]", 4, 19, `unknown field "regex"`, "allowed: name, pattern"},
		{"redact patterns not a list", "store:\n  bodies: redacted\n  redact_patterns: EMP-1\n",
			"store.redact_patterns", 3, 20, "must be a list", "employee_id"},
		{"redact patterns without bodies", "store:\n  redact_patterns:\n    - {name: emp, pattern: x}\n",
			"store.redact_patterns", 2, 3, "has no effect: bodies are not stored", "bodies: redacted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(storeBase+tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			line := tt.line + strings.Count(storeBase, "\n")
			if fe.Line != line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the dsn: %v", err)
			}
		})
	}
}
