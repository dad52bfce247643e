// OpenAI's hosted tools through the router with the npm `openai` package,
// unchanged: a web search on the demo's route code-agent (gpt-5.3-codex,
// called on OpenAI's Responses API), complete and streamed, the search
// call and the answer citing it back as OpenAI writes them; on a Claude
// deployment, as Claude's web search tool, in the same shapes; a
// deployment serving no web search (Gemini) refuses it at the tool. Run by
// e2e/node_test.go (TestNodeResponsesHosted) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const search = {
  model: 'code-agent', input: 'What is the weather in Paris today?',
  tools: [{ type: 'web_search' }], include: ['web_search_call.action.sources'],
};

// checkSearch checks a web search answer's output: the search call, then
// the message whose url_citation covers the link to the source.
function checkSearch(output) {
  assert.deepEqual(output.map((it) => it.type), ['web_search_call', 'message']);
  const [call, msg] = output;
  assert.match(call.id, /^ws_/);
  assert.equal(call.status, 'completed');
  assert.equal(call.action.type, 'search');
  assert.deepEqual(call.action.queries, ['What is the weather in Paris today?']);
  const url = call.action.sources[0].url;
  assert.match(url, /^https:\/\/example\.com\/search\/what-is-the-weather/);
  const part = msg.content[0];
  assert.equal(part.annotations.length, 1);
  const a = part.annotations[0];
  assert.equal(a.type, 'url_citation');
  assert.equal(a.url, url);
  assert.ok([...part.text].slice(a.start_index, a.end_index).join('').includes(url));
}

test('a web search, complete', async () => {
  const { data: resp, response } = await client.responses.create(search).withResponse();
  assert.equal(response.headers.get('x-switchyard-deployment'), 'gpt-5.3-codex');
  assert.equal(resp.model, 'gpt-5.3-codex');
  checkSearch(resp.output);
  assert.ok(resp.output_text.includes('example.com'));
});

test('a web search, streamed', async () => {
  const stream = await client.responses.create({ ...search, stream: true });
  const types = [];
  let done = null;
  for await (const ev of stream) {
    types.push(ev.type);
    if (ev.type === 'response.completed') done = ev.response;
  }
  const got = types.join(' ');
  assert.ok(got.includes('response.web_search_call.in_progress response.web_search_call.searching response.web_search_call.completed'), got);
  assert.ok(got.includes('response.output_text.annotation.added'), got);
  checkSearch(done.output);
});

test('a Claude deployment runs it as Claude\'s web search tool', async () => {
  const resp = await client.responses.create({ ...search, model: 'claude-haiku-4-5' });
  assert.deepEqual(resp.output.map((it) => it.type), ['web_search_call', 'message']);
  const [call, msg] = resp.output;
  assert.match(call.id, /^ws_/);
  assert.equal(call.status, 'completed');
  assert.deepEqual(call.action.queries, ['What is the weather in Paris today?']);
  assert.equal(call.action.sources.length, 2);
  const part = msg.content[0];
  assert.deepEqual(part.annotations.map((a) => a.url), call.action.sources.map((s) => s.url));
  const cited = part.annotations.map((a) => [...part.text].slice(a.start_index, a.end_index).join(''));
  assert.deepEqual(cited, ['The first source gives an overview.', ' The second has the latest news.']);
});

test('a Gemini deployment runs it as Grounding with Google Search', async () => {
  const resp = await client.responses.create({ ...search, model: 'gemini-2.5-flash' });
  assert.deepEqual(resp.output.map((it) => it.type), ['web_search_call', 'message']);
  const [call, msg] = resp.output;
  assert.equal(call.status, 'completed');
  assert.deepEqual(call.action.queries, ['What is the weather in Paris today?']);
  const part = msg.content[0];
  const cited = part.annotations.map((a) => [...part.text].slice(a.start_index, a.end_index).join(''));
  assert.deepEqual(cited, ['the Louvre opens late on Fridays.', 'Métro line 14 now reaches Orly.', 'Métro line 14 now reaches Orly.']);
});

test('a route with no deployment serving it refuses it at the tool', async () => {
  await assert.rejects(client.responses.create({ ...search, model: 'chat-only' }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'tools[0].type' && /hosted tools/.test(err.message));
});
