// The Conversations API with the npm `openai` package, unchanged: a
// conversation made with an item, answered in by an OpenAI deployment
// then a Claude one (streamed), its items paged with `for await`, added,
// read, deleted; its metadata updated; the conversation deleted. Run by
// e2e/node_test.go (TestNodeConversations) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

test('conversations: made, answered in on two providers, paged, changed, deleted', async () => {
  const conv = await client.conversations.create({ metadata: { topic: 'demo' }, items: [{ type: 'message', role: 'user', content: 'My name is Ada.' }] });
  assert.match(conv.id, /^conv_[0-9a-f]{48}$/);
  assert.deepEqual(conv.metadata, { topic: 'demo' });
  const first = await client.responses.create({ model: 'gpt-4o-mini', conversation: conv.id, input: 'What is my name?' });
  assert.equal(first.conversation.id, conv.id);
  const stream = await client.responses.create({ model: 'claude-haiku-4-5', conversation: { id: conv.id }, input: 'Thanks!', stream: true });
  let completed = null;
  for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
  assert.equal(completed.conversation.id, conv.id);
  const ids = [], texts = [];
  for await (const item of client.conversations.items.list(conv.id, { order: 'asc', limit: 2 })) {
    ids.push(item.id);
    texts.push(item.content[0].text);
  }
  assert.equal(ids.length, 5);
  assert.deepEqual(texts.slice(0, 2), ['My name is Ada.', 'What is my name?']);
  assert.equal(ids[2], first.output[0].id);
  assert.equal(texts[4], completed.output[0].content[0].text);
  const added = await client.conversations.items.create(conv.id, { items: [{ type: 'message', role: 'user', content: 'One more.' }] });
  assert.equal(added.data.length, 1);
  const item = await client.conversations.items.retrieve(added.data[0].id, { conversation_id: conv.id });
  assert.equal(item.content[0].text, 'One more.');
  const after = await client.conversations.items.delete(item.id, { conversation_id: conv.id });
  assert.equal(after.id, conv.id);
  const updated = await client.conversations.update(conv.id, { metadata: { topic: 'names' } });
  assert.deepEqual(updated.metadata, { topic: 'names' });
  const deleted = await client.conversations.delete(conv.id);
  assert.deepEqual(deleted, { id: conv.id, object: 'conversation.deleted', deleted: true });
  await assert.rejects(client.conversations.retrieve(conv.id), (err) => err instanceof OpenAI.NotFoundError);
});
