// Stored Chat Completions with the npm `openai` package, unchanged:
// created with store and metadata (complete and streamed), listed with a
// metadata filter and the SDK's own cursor pagination, retrieved, their
// messages listed, metadata updated, deleted. Run by e2e/node_test.go
// (TestNodeChatStore) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

test('stored chat completions: create, list, retrieve, messages, update, delete', async () => {
  const run = `node-${Date.now()}`;
  const made = [];
  for (const prompt of ['What is the capital of France?', 'Name a prime number.', 'Say hello.']) {
    const c = await client.chat.completions.create({
      model: 'gpt-4o-mini', store: true, metadata: { run, topic: 'quiz' },
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: prompt }],
    });
    assert.match(c.id, /^chatcmpl-/);
    made.push(c);
  }
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini', store: true, stream: true, metadata: { run, topic: 'streamed' },
    messages: [{ role: 'user', content: 'Tell me about rivers.' }],
  });
  let streamedID = null, text = '';
  for await (const chunk of stream) {
    streamedID ??= chunk.id;
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.ok(text.length > 0);

  // The SDK follows has_more and after by itself, a page of one at a time.
  const listed = [];
  for await (const c of client.chat.completions.list({ metadata: { run, topic: 'quiz' }, limit: 1 })) {
    listed.push(c.id);
  }
  assert.deepEqual(listed, made.map((c) => c.id));

  const got = await client.chat.completions.retrieve(made[0].id);
  assert.equal(got.id, made[0].id);
  assert.equal(got.choices[0].message.content, made[0].choices[0].message.content);
  assert.deepEqual(got.metadata, { run, topic: 'quiz' });

  const msgs = [];
  for await (const m of client.chat.completions.messages.list(made[0].id)) msgs.push(m);
  assert.deepEqual(msgs.map((m) => m.role), ['system', 'user']);
  assert.equal(msgs[1].content, 'What is the capital of France?');

  const streamed = await client.chat.completions.retrieve(streamedID);
  assert.equal(streamed.choices[0].message.content, text);

  const updated = await client.chat.completions.update(made[1].id, { metadata: { run, topic: 'updated' } });
  assert.deepEqual(updated.metadata, { run, topic: 'updated' });
  const quiz = [];
  for await (const c of client.chat.completions.list({ metadata: { run, topic: 'quiz' }, order: 'desc' })) quiz.push(c.id);
  assert.deepEqual(quiz, [made[2].id, made[0].id]);

  const deleted = await client.chat.completions.delete(made[0].id);
  assert.deepEqual(deleted, { object: 'chat.completion.deleted', id: made[0].id, deleted: true });
  await assert.rejects(client.chat.completions.retrieve(made[0].id), (err) => err.status === 404);
});
