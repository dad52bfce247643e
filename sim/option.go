package sim

// Option configures a simulated wire server (sim/openai, sim/anthropic,
// sim/gemini).
type Option func(*Settings)

// Settings is what a wire server's Options set.
type Settings struct {
	// Behavior shapes the answers (knowledge, accuracy, drift); nil means
	// plain Profile.Respond answers. A wire server given one also serves
	// its control API (Behavior.Mount).
	Behavior *Behavior
}

// WithBehavior makes a wire server answer through b.
func WithBehavior(b *Behavior) Option { return func(s *Settings) { s.Behavior = b } }

// Apply returns the Settings opts make.
func Apply(opts []Option) Settings {
	var s Settings
	for _, o := range opts {
		o(&s)
	}
	return s
}
