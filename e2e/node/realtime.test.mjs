// The Realtime API with the npm `openai` package's realtime clients,
// unchanged: OpenAIRealtimeWS (over the `ws` package, the key in the
// Authorization header) and OpenAIRealtimeWebSocket (a browser's
// WebSocket, here ws's in its place: the key offered as the
// openai-insecure-api-key subprotocol). Both build wss:// URLs from the
// base URL, so e2e/node_test.go (TestNodeRealtime) serves the router
// over TLS with a test certificate and sets SWITCHYARD_URL and
// NODE_TLS_REJECT_UNAUTHORIZED=0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { OpenAIRealtimeWebSocket } from 'openai/realtime/websocket';
import { WebSocket } from 'ws';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

// converse asks one question in text on rt and returns the answer's
// text, the response.done usage and the event types seen.
async function converse(rt, question) {
  const types = [];
  rt.on('event', (e) => types.push(e.type));
  const errors = [];
  rt.on('error', (err) => errors.push(err));
  await rt.emitted('session.created');
  rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'], instructions: 'Be brief.' } });
  await rt.emitted('session.updated');
  let text = '';
  rt.on('response.output_text.delta', (e) => { text += e.delta; });
  rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: question }] } });
  rt.send({ type: 'response.create' });
  const done = await rt.emitted('response.done');
  assert.deepEqual(errors, []);
  return { text, usage: done.response.usage, types };
}

test('OpenAIRealtimeWS: a text round trip', async () => {
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime' }, client);
  const opened = new Promise((resolve, reject) => { rt.socket.on('open', resolve); rt.socket.on('error', reject); });
  await opened;
  assert.equal(rt.socket.protocol, '');
  const { text, usage, types } = await converse(rt, 'What is the capital of France?');
  assert.ok(text.length > 0);
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  for (const t of ['response.created', 'response.output_item.added', 'response.content_part.added', 'response.output_text.done', 'response.output_item.done']) {
    assert.ok(types.includes(t), `${t} in ${types}`);
  }
  const closed = new Promise((resolve) => rt.socket.on('close', (code) => resolve(code)));
  rt.close();
  assert.equal(await closed, 1000);
});

test('OpenAIRealtimeWebSocket: the key as a subprotocol, realtime echoed', async () => {
  globalThis.WebSocket = WebSocket;
  try {
    const rt = new OpenAIRealtimeWebSocket({ model: 'gpt-realtime' }, client);
    await new Promise((resolve, reject) => { rt.socket.addEventListener('open', resolve); rt.socket.addEventListener('error', reject); });
    assert.equal(rt.socket.protocol, 'realtime');
    const { text, usage } = await converse(rt, 'And of Italy?');
    assert.ok(text.length > 0 && usage.output_tokens > 0);
    rt.close();
  } finally {
    delete globalThis.WebSocket;
  }
});

test('client secrets: realtime.clientSecrets.create, then a browser session with the ek_ key', async () => {
  const secret = await client.realtime.clientSecrets.create({
    expires_after: { anchor: 'created_at', seconds: 120 },
    session: { type: 'realtime', model: 'gpt-realtime' },
  });
  assert.match(secret.value, /^ek_/);
  assert.ok(secret.expires_at > Date.now() / 1000);
  assert.equal(secret.session.model, 'gpt-realtime');
  globalThis.WebSocket = WebSocket;
  try {
    const browser = new OpenAI({ baseURL, apiKey: secret.value, maxRetries: 0 }); // an ek_ key is allowed in a browser
    const rt = new OpenAIRealtimeWebSocket({ model: 'gpt-realtime' }, browser);
    await new Promise((resolve, reject) => { rt.socket.addEventListener('open', resolve); rt.socket.addEventListener('error', reject); });
    const { text } = await converse(rt, 'Hello from a browser');
    assert.ok(text.length > 0);
    rt.close();
  } finally {
    delete globalThis.WebSocket;
  }
});

test('an unknown model is refused before the upgrade', async () => {
  const rt = new OpenAIRealtimeWS({ model: 'no-such-model' }, client);
  const status = await new Promise((resolve) => {
    rt.socket.on('unexpected-response', (req, res) => { resolve(res.statusCode); res.resume(); req.destroy(); });
    rt.socket.on('error', () => {});
  });
  assert.equal(status, 404);
});
