package batch

import (
	"strconv"
	"strings"
)

// The custom ids of a provider batch's requests carry its key
// (store.BatchForward.Key): "<key>-<line index>". A provider whose batch
// API keeps no key (Anthropic's Message Batches) is searched by them
// (Forwarder.Find), and results whose custom ids do not carry the key
// are not ours: they answer none of our lines. Anthropic allows 1–64 of
// [a-zA-Z0-9_-]; a key is 29 such characters, the index at most 7.
//
// Provider batches sent before the keys were carried (their keys start
// "swfwd_", or they have none) had the custom ids "line-<index>": their
// results are still read so after an upgrade, but such a batch is never
// found by its custom ids.

// forwardKeyPrefix starts the keys whose provider batches' custom ids
// carry them.
const forwardKeyPrefix = "swfk_"

// legacyCustomIDPrefix starts the custom ids of a provider batch whose
// key they do not carry.
const legacyCustomIDPrefix = "line-"

// CarriesKey reports whether the custom ids of the provider batch sent
// under key carry it (false for one sent before they did).
func CarriesKey(key string) bool { return strings.HasPrefix(key, forwardKeyPrefix) }

// ForwardCustomID is the custom id of line index in the provider batch
// sent under key.
func ForwardCustomID(key string, index int) string {
	if !CarriesKey(key) {
		return legacyCustomIDPrefix + strconv.Itoa(index)
	}
	return key + "-" + strconv.Itoa(index)
}

// ForwardLineIndex returns the index of the line whose custom id in the
// provider batch sent under key is id; false when id is no such custom
// id (a result that is not of our lines).
func ForwardLineIndex(key, id string) (int, bool) {
	prefix := legacyCustomIDPrefix
	if CarriesKey(key) {
		prefix = key + "-"
	}
	digits, ok := strings.CutPrefix(id, prefix)
	if !ok || digits == "" || len(digits) > 1 && digits[0] == '0' {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(digits)
	return i, err == nil
}
