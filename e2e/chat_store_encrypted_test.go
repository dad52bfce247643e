package e2e

import (
	"bytes"
	"slices"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

// TestChatStoreEncryptedMetadataFilter: stored Chat Completions whose
// metadata is encrypted at rest (responses.encryption) are listed by a
// metadata filter with openai-go, the database's files holding no
// metadata in clear; after a key rotation (the old key kept as a
// previous one) the filter finds the rows of both keys, in order, and
// sees an update at once.
func TestChatStoreEncryptedMetadataFilter(t *testing.T) {
	t.Parallel()
	path := freshSQLitePath(t)
	e, _ := encryptedEnv(t, path, e2eResponsesKey)
	mine := map[string]string{"team": markerMetadata}
	first, _ := storedChat(t, e.Client, "gpt-4o-mini", "Capital of Peru?", mine, false)
	second, _ := storedChat(t, e.Client, "gpt-4o-mini", "Capital of Chile?", map[string]string{"team": "other"}, true)
	if ids := listedChats(t, e.Client, openai.ChatCompletionListParams{Metadata: shared.Metadata(mine)}); !slices.Equal(ids, []string{first}) {
		t.Errorf("filtered list = %v; want [%s]", ids, first)
	}
	if disk := sqliteFiles(t, path); bytes.Contains(disk, []byte("MARKER-")) {
		t.Error("the database's files hold the metadata in clear")
	}

	rotated, _ := encryptedEnv(t, path, e2eResponsesKey2, e2eResponsesKey)
	c := rotated.Client
	third, _ := storedChat(t, c, "gpt-4o-mini", "Capital of Bolivia?", mine, false)
	if ids := listedChats(t, c, openai.ChatCompletionListParams{Metadata: shared.Metadata(mine)}); !slices.Equal(ids, []string{first, third}) {
		t.Errorf("after the rotation, filtered list = %v; want [%s %s]", ids, first, third)
	}
	if _, err := c.Chat.Completions.Update(ctxT(t), second, openai.ChatCompletionUpdateParams{Metadata: shared.Metadata(mine)}); err != nil {
		t.Fatal(err)
	}
	if ids := listedChats(t, c, openai.ChatCompletionListParams{Metadata: shared.Metadata(mine), Order: openai.ChatCompletionListParamsOrderDesc}); !slices.Equal(ids, []string{third, second, first}) {
		t.Errorf("after an update, filtered list newest first = %v; want [%s %s %s]", ids, third, second, first)
	}
	if ids := listedChats(t, c, openai.ChatCompletionListParams{Metadata: shared.Metadata{"team": "other"}}); len(ids) != 0 {
		t.Errorf("the old metadata still finds %v", ids)
	}
}
