package sqlstore

import (
	"time"

	"switchyard/store"
)

// IndexedChatSQL is the statement of a tenant's first page of q
// filtering on metadata, for the plans' tests.
func (b *Backend) IndexedChatSQL(tenant string, q store.ChatCompletionQuery, now time.Time) (string, []any) {
	return b.indexedChatSQL(tenant, q, nil, now)
}

// UnindexedChatSQL is the statement a tenant's filtered list first runs
// to find its completions not indexed yet, for the plans' tests.
func (b *Backend) UnindexedChatSQL(tenant string) (string, []any) {
	return b.unindexedChatSQL(store.TenantScope(tenant), "")
}
