-- An item_reference of the Responses API names an item by its id alone:
-- the conversation items are found by id (store.ConversationItemFinder).
CREATE INDEX conversation_items_item_id ON conversation_items (id);
