// Package offline learns a prompt-level router from outcome data (one row
// per prompt × model: the model's score and cost on the prompt) and proves
// it offline: it fits a per-model quality predictor over hashed prompt
// features, routes each held-out prompt to argmax p̂ − λ·cost, and sweeps λ
// to trace quality against cost next to the single models, random and
// oracle choices and the nearest-neighbour and per-task baselines — without
// calling any model. See docs/learning.md.
package offline
