package store

import "context"

// This file holds the retention run's erasure of the stored responses,
// conversations and chat completions, which expire one by one (each its
// own expiry) rather than by the request log's age.

// purgeResponses deletes the stored responses that have expired, when
// the store keeps them (ResponseLog): each has its own expiry, set by
// the responses section's retention when it was stored; then the
// conversations and the stored chat completions likewise.
func (w *Writer) purgeResponses() {
	rl, ok := w.s.(ResponseLog)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.WriteTimeout)
	defer cancel()
	if n, err := rl.DeleteExpiredResponses(ctx, w.cfg.Now()); err != nil {
		w.cfg.Logger.Warn("store: deleting expired responses failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired responses", "deleted", n)
	}
	w.purgeConversations(ctx)
	w.purgeChatCompletions(ctx)
	w.purgeFiles(ctx)
	w.purgeUploads(ctx)
	w.purgeBatches(ctx)
}

// purgeConversations erases the conversations that expired or were
// deleted and that no stored response needs any more (the responses were
// erased first), when the store keeps them (ConversationLog).
func (w *Writer) purgeConversations(ctx context.Context) {
	cl, ok := w.s.(ConversationLog)
	if !ok {
		return
	}
	n, err := cl.DeleteExpiredConversations(ctx, w.cfg.Now())
	if err != nil {
		w.cfg.Logger.Warn("store: deleting expired conversations failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired conversations", "deleted", n)
	}
}

// purgeChatCompletions erases the stored chat completions that expired,
// when the store keeps them (ChatCompletionLog).
func (w *Writer) purgeChatCompletions(ctx context.Context) {
	cl, ok := w.s.(ChatCompletionLog)
	if !ok {
		return
	}
	n, err := cl.DeleteExpiredChatCompletions(ctx, w.cfg.Now())
	if err != nil {
		w.cfg.Logger.Warn("store: deleting expired chat completions failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired chat completions", "deleted", n)
	}
}

// purgeFiles erases the Files API's files that expired, when the store
// keeps them (FileLog).
func (w *Writer) purgeFiles(ctx context.Context) {
	fl, ok := w.s.(FileLog)
	if !ok {
		return
	}
	n, err := fl.DeleteExpiredFiles(ctx, w.cfg.Now())
	if err != nil {
		w.cfg.Logger.Warn("store: deleting expired files failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired files", "deleted", n)
	}
}

// purgeUploads erases the Uploads API's uploads that expired, with their
// parts, when the store keeps them (UploadLog).
func (w *Writer) purgeUploads(ctx context.Context) {
	ul, ok := w.s.(UploadLog)
	if !ok {
		return
	}
	n, err := ul.DeleteExpiredUploads(ctx, w.cfg.Now())
	if err != nil {
		w.cfg.Logger.Warn("store: deleting expired uploads failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired uploads", "deleted", n)
	}
}

// purgeBatches erases the batches that expired, with their lines, when
// the store keeps them (BatchLog).
func (w *Writer) purgeBatches(ctx context.Context) {
	bl, ok := w.s.(BatchLog)
	if !ok {
		return
	}
	n, err := bl.DeleteExpiredBatches(ctx, w.cfg.Now())
	if err != nil {
		w.cfg.Logger.Warn("store: deleting expired batches failed", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Info("store: retention deleted expired batches", "deleted", n)
	}
}
