// A client that leaves a stream mid-answer with the npm openai package's
// own ways — a stream helper's abort(), an AbortController's signal on a
// raw stream and on the Responses stream helper — gets the SDK's
// APIUserAbortError from the helpers, the raw stream's end, not a hang. The upstream stalls for an hour after
// its second piece (a fault the Go test sets on gpt-4o-mini); the Go
// test then checks that each request was recorded as canceled and that
// no upstream request is still open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });
const model = 'gpt-4o-mini';
const messages = [{ role: 'user', content: 'Tell me a long story about rivers.' }];
const aborted = (err) => err instanceof OpenAI.APIUserAbortError;

test('chat.completions.stream(): abort() after the first text', async () => {
  const stream = client.chat.completions.stream({ model, messages });
  let text = '';
  stream.on('content', (delta) => { text += delta; stream.abort(); });
  await assert.rejects(stream.finalChatCompletion(), aborted);
  assert.ok(text.length > 0, 'some text came before the abort');
  assert.ok(stream.aborted);
});

test('chat.completions.create({stream: true}) with an AbortController', async () => {
  const ctrl = new AbortController();
  const { data: stream, request_id } = await client.chat.completions.create({ model, messages, stream: true }, { signal: ctrl.signal }).withResponse();
  assert.match(request_id, /^req_/);
  // The SDK's raw stream ends its iteration quietly when its signal
  // aborts (it throws only from the helpers).
  let chunks = 0;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) { chunks++; ctrl.abort(); }
  }
  assert.equal(chunks, 1);
});

test('responses.stream() with an AbortController', async () => {
  const ctrl = new AbortController();
  const stream = client.responses.stream({ model, input: messages[0].content }, { signal: ctrl.signal });
  let deltas = 0;
  stream.on('response.output_text.delta', () => { deltas++; ctrl.abort(); });
  await assert.rejects(stream.finalResponse(), aborted);
  assert.ok(deltas > 0);
});
