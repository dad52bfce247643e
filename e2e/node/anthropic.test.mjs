// End-to-end tests of Switchyard's Anthropic-compatible API with the
// official npm `@anthropic-ai/sdk` package, used unchanged: messages
// complete and streamed (the SDK's MessageStream accumulating the events)
// to Claude, OpenAI and routed deployments, a tool round trip, cited
// documents, count_tokens, models auto-paged, Message Batches and the
// SDK's error classes. Run by e2e/node_test.go (TestNodeAnthropic) with
// SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';

const url = process.env.SWITCHYARD_URL;
if (!url) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
// The SDK adds /v1 to its base URL itself.
const baseURL = url.replace(/\/v1\/?$/, '');
const client = new Anthropic({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const ask = (model, content, extra = {}) => ({ model, max_tokens: 300, messages: [{ role: 'user', content }], ...extra });
const texts = (msg) => msg.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

for (const model of ['claude-haiku-4-5', 'gpt-4o-mini']) {
  test(`messages.create via ${model}`, async () => {
    const { data: msg, response, request_id } = await client.messages
      .create(ask(model, 'What is the capital of Peru?')).withResponse();
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.content[0].type, 'text');
    assert.ok(msg.content[0].text.length > 0);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, JSON.stringify(msg.usage));
    assert.equal(response.headers.get('x-switchyard-deployment'), model);
    assert.match(request_id, /^req_/);
    assert.equal(msg._request_id, request_id);
  });
}

for (const model of ['claude-haiku-4-5', 'auto']) {
  test(`messages.stream via ${model}: text events and finalMessage`, async () => {
    const stream = client.messages.stream(ask(model, 'Write a few sentences about rivers.'));
    let text = '', pieces = 0, started = 0;
    stream.on('text', (delta) => { text += delta; pieces++; });
    stream.on('streamEvent', (ev) => { if (ev.type === 'message_start') started++; });
    const { response, request_id } = await stream.withResponse();
    const msg = await stream.finalMessage();
    assert.equal(started, 1);
    assert.match(request_id, /^req_/);
    assert.ok(pieces > 1, `text arrived in ${pieces} events`);
    assert.ok(text.length > 0);
    assert.equal(texts(msg), text);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, JSON.stringify(msg.usage));
    // The deployment that answered, for a route too.
    assert.equal(msg.model, response.headers.get('x-switchyard-deployment'));
    if (model !== 'auto') assert.equal(msg.model, model);
  });
}

const weather = {
  name: 'get_weather', description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

for (const model of ['claude-haiku-4-5', 'gpt-4o-mini']) {
  test(`tool round trip via ${model}`, async () => {
    const params = ask(model, 'What is the weather in Paris?', { tools: [weather], tool_choice: { type: 'any' } });
    const first = await client.messages.create(params);
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use, JSON.stringify(first.content));
    assert.equal(use.name, 'get_weather');
    assert.match(use.id, /\S/);
    assert.equal(typeof use.input.location, 'string');
    params.messages.push({ role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '19 degrees and sunny' }] });
    delete params.tool_choice;
    const second = await client.messages.stream(params).finalMessage();
    assert.equal(second.stop_reason, 'end_turn');
    assert.match(texts(second), /19/);
  });
}

// A tool forced by name ({type: 'tool'}) on an OpenAI deployment, which
// answers a named tool_choice with finish_reason "stop", and Claude Code's
// long metadata.user_id (OpenAI takes 64 characters): stop_reason is
// tool_use, complete and through the MessageStream, as from Claude.
test('a forced tool via gpt-4o-mini stops on tool_use', async () => {
  const userID = JSON.stringify({ device_id: 'd'.repeat(64), account_uuid: '', session_id: '0b5e3c7e-8a1f-4c1d-9a57-3f7c9b1d2e4a' });
  const params = ask('gpt-4o-mini', 'What is the weather in Paris?',
    { tools: [weather], tool_choice: { type: 'tool', name: 'get_weather' }, metadata: { user_id: userID } });
  const msg = await client.messages.create(params);
  assert.equal(msg.stop_reason, 'tool_use', JSON.stringify(msg));
  const streamed = await client.messages.stream(params).finalMessage();
  assert.equal(streamed.stop_reason, 'tool_use');
  assert.equal(streamed.content.at(-1).type, 'tool_use');
});

// The MessageStream helper on each upstream wire format: the tool input
// arrives as inputJson events whose snapshot is the input parsed so far,
// and finalMessage holds the same input; thinking, asked for, arrives
// as thinking events and a thinking block before the call.
for (const model of ['claude-haiku-4-5', 'gpt-4o-mini', 'gpt-5.3-codex', 'gemini-2.5-flash']) {
  test(`messages.stream via ${model}: inputJson, finalMessage`, async () => {
    const stream = client.messages.stream(ask(model, 'What is the weather in Paris?', { tools: [weather], tool_choice: { type: 'any' } }));
    let json = '', snapshot = null;
    stream.on('inputJson', (delta, snap) => { json += delta; snapshot = snap; });
    const msg = await stream.finalMessage();
    const use = msg.content.find((b) => b.type === 'tool_use');
    assert.ok(use, JSON.stringify(msg.content));
    assert.equal(msg.stop_reason, 'tool_use');
    assert.deepEqual(JSON.parse(json), use.input);
    assert.deepEqual(snapshot, use.input);
    assert.equal(typeof use.input.location, 'string');
  });
}

// The SDK's tool runner runs the tool the model calls and sends its result
// back. It asks for a message thread by default, which the router holds
// (its tool result goes as a continue); `thread: false` asks for none.
for (const [model, thread] of [['claude-haiku-4-5', undefined], ['gpt-4o-mini', undefined], ['claude-haiku-4-5', false]]) {
  test(`beta toolRunner via ${model}, thread ${thread}`, async () => {
    const calls = [];
    const tool = betaTool({ name: 'get_weather', description: 'Current weather for a city',
      inputSchema: weather.input_schema, run: (input) => { calls.push(input); return `19 degrees in ${input.location}`; } });
    const params = { ...ask(model, 'Use get_weather for Lima.'), tools: [tool], max_iterations: 3 };
    if (thread !== undefined) params.thread = thread;
    const runner = client.beta.messages.toolRunner(params);
    const turns = [];
    for await (const msg of runner) turns.push(msg);
    assert.equal(turns.length, 2, JSON.stringify(turns.map((m) => m.content)));
    assert.equal(turns[0].stop_reason, 'tool_use');
    assert.equal(calls.length, 1);
    assert.equal(typeof calls[0].location, 'string');
    assert.equal(turns[1].stop_reason, 'end_turn');
    assert.match(texts(turns[1]), new RegExp(`19 degrees in ${calls[0].location}`));
  });
}

// A message thread (client.beta.messages.thread): the second turn sends
// only its message, continuing the first reply, and is answered knowing
// the first turn, sent whole to the deployment (an OpenAI one for the
// streamed turn).
test('beta messages.thread: send, then stream on another provider', async () => {
  const thread = client.beta.messages.thread({ model: 'claude-haiku-4-5', max_tokens: 200, system: 'Be brief.' });
  const first = await thread.send({ role: 'user', content: 'What is the capital of Peru?' });
  assert.match(first.id, /^msg_/);
  assert.equal(thread.previousMessageId, first.id);
  thread.update({ model: 'gpt-4o-mini' });
  const second = await thread.stream({ role: 'user', content: 'And of Chile?' }).finalMessage();
  assert.ok(texts(second).length > 0);
  assert.equal(thread.previousMessageId, second.id);
  assert.equal(thread.messages.length, 4);
  const third = await thread.send({ role: 'user', content: 'Thanks.' });
  assert.equal(thread.previousMessageId, third.id);
});

const cited = ask('claude-haiku-4-5', [
  { type: 'document', title: 'Lawn care', citations: { enabled: true },
    source: { type: 'text', media_type: 'text/plain', data: 'The grass is green. The sky is blue.' } },
  { type: 'text', text: 'What colour is the grass?' },
]);

for (const streamed of [false, true]) {
  test(`citations, ${streamed ? 'streamed' : 'complete'}`, async () => {
    const msg = streamed ? await client.messages.stream(cited).finalMessage() : await client.messages.create(cited);
    const blocks = msg.content.filter((b) => b.type === 'text');
    assert.equal(blocks.length, msg.content.length);
    const withCitations = blocks.filter((b) => b.citations?.length);
    assert.equal(withCitations.length, 1, JSON.stringify(msg.content));
    assert.equal(withCitations[0].text, ' The grass is green.');
    assert.equal(withCitations[0].citations.length, 1);
    const c = withCitations[0].citations[0];
    assert.equal(c.type, 'char_location');
    assert.equal(c.cited_text, 'The grass is green.');
    assert.equal(c.document_index, 0);
    assert.equal(c.document_title, 'Lawn care');
    assert.equal(c.start_char_index, 0);
    assert.equal(c.end_char_index, 19);
  });
}

test('messages.countTokens', async () => {
  const short = await client.messages.countTokens({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] });
  const long = await client.messages.countTokens({ model: 'claude-haiku-4-5',
    messages: [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog. '.repeat(20) }] });
  assert.ok(Number.isInteger(short.input_tokens) && short.input_tokens > 0, JSON.stringify(short));
  assert.ok(long.input_tokens > short.input_tokens + 100, `${long.input_tokens} vs ${short.input_tokens}`);
  const withTool = await client.messages.countTokens({ model: 'claude-haiku-4-5', tools: [weather],
    messages: [{ role: 'user', content: 'hi' }] });
  assert.ok(withTool.input_tokens > short.input_tokens);
});

test('models.list auto-paging', async () => {
  const whole = await client.models.list({ limit: 1000 });
  assert.equal(whole.has_more, false);
  const all = whole.data.map((m) => m.id);
  assert.ok(all.includes('claude-haiku-4-5') && all.includes('gpt-4o-mini'), all.join(','));
  const paged = [];
  let pages = 0;
  for (let page = await client.models.list({ limit: 2 }); ; page = await page.getNextPage()) {
    pages++;
    paged.push(...page.data.map((m) => m.id));
    if (!page.hasNextPage()) break;
  }
  assert.ok(pages > 1, `${pages} pages`);
  assert.deepEqual(paged, all);
  const items = [];
  for await (const m of client.models.list({ limit: 2 })) {
    assert.equal(m.type, 'model');
    assert.ok(m.display_name && m.created_at, JSON.stringify(m));
    items.push(m.id);
  }
  assert.deepEqual(items, all);
  const one = await client.models.retrieve('claude-haiku-4-5');
  assert.equal(one.id, 'claude-haiku-4-5');
});

test('errors: the SDK classes, with the request id', async () => {
  const unknown = await client.messages.create(ask('no-such-model', 'hi')).catch((e) => e);
  assert.ok(unknown instanceof Anthropic.NotFoundError, String(unknown));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.type, 'not_found_error');
  assert.match(unknown.requestID, /^req_/);
  assert.equal(unknown.headers.get('request-id'), unknown.requestID);

  const bad = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [] }).catch((e) => e);
  assert.ok(bad instanceof Anthropic.BadRequestError, String(bad));
  assert.equal(bad.status, 400);
  assert.equal(bad.type, 'invalid_request_error');
  assert.match(bad.requestID, /^req_/);
  assert.notEqual(bad.requestID, unknown.requestID);

  // A stream refused before its first byte throws the same classes.
  const refused = await client.messages.stream(ask('no-such-model', 'hi')).finalMessage().catch((e) => e);
  assert.ok(refused instanceof Anthropic.NotFoundError, String(refused));
  assert.match(refused.requestID, /^req_/);
});

for (const model of ['claude-haiku-4-5', 'gpt-4o-mini']) {
  test(`upstream rate limit via ${model} is a RateLimitError, complete and streamed`, async () => {
    for (const send of [(p) => client.messages.create(p), (p) => client.messages.stream(p).finalMessage()]) {
      const err = await send(ask(model, 'hi [[sim:rate_limit]]')).catch((e) => e);
      assert.ok(err instanceof Anthropic.RateLimitError, String(err));
      assert.equal(err.type, 'rate_limit_error');
      assert.match(err.requestID, /^req_/);
    }
  });

  // With no fallback the router has nowhere to resume a cut stream: the
  // SDK gets its error event and throws it.
  test(`a stream cut upstream via ${model} throws the error event`, async () => {
    const stream = client.messages.stream(ask(model, 'A long story [[sim:cut]]'), { headers: { 'x-switchyard-fallback': 'none' } });
    let text = '';
    stream.on('text', (delta) => { text += delta; });
    const err = await stream.finalMessage().catch((e) => e);
    assert.ok(err instanceof Anthropic.APIError, String(err));
    assert.equal(err.type, 'api_error');
    assert.match(err.requestID, /^req_/);
    assert.ok(text.length > 0, 'text arrived before the cut');
  });
}

const item = (custom_id, model, content) => ({ custom_id, params: ask(model, content) });

async function ended(id) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const b = await client.messages.batches.retrieve(id);
    if (b.processing_status === 'ended') return b;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${b.processing_status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function results(id) {
  const out = {};
  for await (const r of await client.messages.batches.results(id)) {
    assert.equal(out[r.custom_id], undefined, `${r.custom_id} twice`);
    out[r.custom_id] = r.result;
  }
  return out;
}

test('message batches: create, retrieve, results, list, cancel, delete', async () => {
  const created = await client.messages.batches.create({ requests: [
    item('claude', 'claude-haiku-4-5', 'Capital of Peru?'), item('routed', 'auto', 'Capital of Chile?'),
    item('openai', 'gpt-4o-mini', 'Capital of Bolivia?'), item('unknown', 'no-such-model', 'hi'),
  ] });
  assert.match(created.id, /^msgbatch_/);
  assert.equal(created.type, 'message_batch');
  assert.equal(created.processing_status, 'in_progress');
  assert.equal(created.request_counts.processing, 4);
  assert.equal(created.results_url, null);

  const done = await ended(created.id);
  assert.deepEqual(done.request_counts, { processing: 0, succeeded: 3, errored: 1, canceled: 0, expired: 0 });
  assert.ok(done.ended_at);
  assert.ok(done.results_url.endsWith(`/v1/messages/batches/${created.id}/results`), done.results_url);
  const res = await results(created.id);
  assert.deepEqual(Object.keys(res).sort(), ['claude', 'openai', 'routed', 'unknown']);
  for (const id of ['claude', 'routed', 'openai']) {
    assert.equal(res[id].type, 'succeeded', JSON.stringify(res[id]));
    assert.equal(res[id].message.role, 'assistant');
    assert.ok(texts(res[id].message).length > 0);
    assert.ok(res[id].message.usage.output_tokens > 0);
  }
  assert.equal(res.unknown.type, 'errored');
  assert.equal(res.unknown.error.type, 'error');
  assert.equal(res.unknown.error.error.type, 'not_found_error');

  // A slow batch: a delete refused while it runs, then cancelled. Its lines
  // run on the router (Gemini takes no provider batch): a line the router
  // did not start is canceled. (A line sent to a provider's batch API is
  // answered if the provider did before the cancel, as the APIs do.)
  const slow = Array.from({ length: 12 }, (_, i) => item(`slow-${i}`, 'gemini-2.5-flash', 'Say hi. [[sim:slow=300ms]]'));
  const running = await client.messages.batches.create({ requests: slow });
  const refused = await client.messages.batches.delete(running.id).catch((e) => e);
  assert.ok(refused instanceof Anthropic.BadRequestError, String(refused));
  const canceling = await client.messages.batches.cancel(running.id);
  assert.equal(canceling.processing_status, 'canceling');
  assert.ok(canceling.cancel_initiated_at);
  const cancelled = await ended(running.id);
  const n = cancelled.request_counts;
  assert.ok(n.canceled > 0, JSON.stringify(n));
  assert.equal(n.succeeded + n.canceled + n.errored, 12);
  const kinds = Object.values(await results(running.id)).map((r) => r.type);
  assert.equal(kinds.length, 12);
  assert.equal(kinds.filter((k) => k === 'canceled').length, n.canceled);

  // Listed newest first, one a page, by the SDK's auto-paging (a router
  // run by hand may hold older batches too).
  const first = await client.messages.batches.list({ limit: 1 });
  assert.deepEqual(first.data.map((b) => b.id), [running.id]);
  assert.equal(first.has_more, true);
  const listed = [];
  for await (const b of client.messages.batches.list({ limit: 1 })) listed.push(b.id);
  assert.deepEqual(listed.slice(0, 2), [running.id, created.id]);
  assert.deepEqual(listed, (await client.messages.batches.list({ limit: 1000 })).data.map((b) => b.id));

  const deleted = await client.messages.batches.delete(created.id);
  assert.deepEqual(deleted, { id: created.id, type: 'message_batch_deleted' });
  const gone = await client.messages.batches.retrieve(created.id).catch((e) => e);
  assert.ok(gone instanceof Anthropic.NotFoundError, String(gone));
  const after = [];
  for await (const b of client.messages.batches.list()) after.push(b.id);
  assert.deepEqual(after, listed.filter((id) => id !== created.id));
});
