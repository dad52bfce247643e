package config

import (
	"strings"
	"testing"
	"time"
)

func TestResponsesSection(t *testing.T) {
	c := mustParse(t, []byte(storeBase), nil)
	if !c.Responses.StoreOn() || c.Responses.Retention != 720*time.Hour || c.Responses.ConversationRetention != 720*time.Hour {
		t.Errorf("defaults: %+v (store on %v), want stored for 720h", c.Responses, c.Responses.StoreOn())
	}
	c = mustParse(t, []byte(storeBase+"responses: {store: false, retention: 48h, conversation_retention: 2160h}\n"), nil)
	if c.Responses.StoreOn() || c.Responses.Retention != 48*time.Hour || c.Responses.ConversationRetention != 2160*time.Hour {
		t.Errorf("store false, 48h: %+v", c.Responses)
	}
	if _, err := Parse([]byte(storeBase+"responses: {conversation_retention: -1h}\n"), nil); err == nil || !strings.Contains(err.Error(), "conversation_retention") {
		t.Errorf("a negative conversation_retention: %v", err)
	}
	_, err := Parse([]byte(storeBase+"responses: {keep: true}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `unknown field "keep"`) {
		t.Errorf("unknown field: %v", err)
	}
}
