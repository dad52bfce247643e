-- The media type of a file's content, sniffed when it was uploaded
-- (a PDF by its magic, an image by its signature, UTF-8 as text): what
-- the Anthropic Files API shows as its mime_type. '' for a file stored
-- before, or written by the router (a batch's output), whose type is its
-- name's extension's.
ALTER TABLE files ADD COLUMN media_type TEXT NOT NULL DEFAULT '';
