-- The redacted prompt and answer (JSON of store.Bodies); NULL unless
-- store.bodies is "redacted".
ALTER TABLE requests ADD COLUMN bodies TEXT;
