// The npm openai package's helper layer (parse, stream, runTools, the
// Responses parse and stream helpers, zod formats and functions) against
// the router, with each upstream wire format behind it: OpenAI Chat
// (gpt-4o-mini), OpenAI Responses (gpt-5.3-codex), Anthropic
// (claude-haiku-4-5) and Gemini (gemini-2.5-flash). The helpers read
// more of the answer than create does: parsed content and arguments,
// strict tools, the stream's per-piece done events, the tool loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { z } from 'zod';
import { zodFunction, zodResponseFormat, zodResponsesFunction, zodTextFormat } from 'openai/helpers/zod';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });
const models = ['gpt-4o-mini', 'gpt-5.3-codex', 'claude-haiku-4-5', 'gemini-2.5-flash'];

const Person = z.object({ name: z.string(), age: z.number().int() });
const Weather = z.object({ city: z.string(), unit: z.enum(['c', 'f']).nullable() });
const extract = [{ role: 'user', content: 'Extract: Grace Hopper, 85.' }];
const useTool = [{ role: 'user', content: 'Use get_weather for Lima.' }];

for (const model of models) {
  test(`chat.completions.parse via ${model}: a zod response format`, async () => {
    const res = await client.chat.completions.parse({ model, messages: extract, response_format: zodResponseFormat(Person, 'person') });
    const msg = res.choices[0].message;
    assert.equal(msg.refusal ?? null, null);
    assert.deepEqual(msg.parsed, Person.parse(JSON.parse(msg.content)));
    assert.equal(res.choices[0].finish_reason, 'stop');
  });

  test(`chat.completions.parse via ${model}: a zodFunction tool`, async () => {
    const tools = [zodFunction({ name: 'get_weather', parameters: Weather })];
    assert.equal(tools[0].function.strict, true);
    const res = await client.chat.completions.parse({ model, messages: useTool, tools });
    const call = res.choices[0].message.tool_calls?.[0];
    assert.ok(call, JSON.stringify(res.choices[0]));
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(call.function.parsed_arguments, Weather.parse(JSON.parse(call.function.arguments)));
  });

  test(`chat.completions.stream via ${model}: deltas, parsed done events, finalChatCompletion`, async () => {
    const events = [];
    let text = '';
    const stream = client.chat.completions.stream({
      model, messages: extract, response_format: zodResponseFormat(Person, 'person'), stream_options: { include_usage: true },
    });
    stream.on('content.delta', (e) => { text += e.delta; assert.equal(e.snapshot, text); });
    stream.on('content.done', (e) => events.push(['content', e.parsed]));
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].message.content, text);
    assert.deepEqual(final.choices[0].message.parsed, Person.parse(JSON.parse(text)));
    assert.deepEqual(events, [['content', final.choices[0].message.parsed]]);
    assert.ok(final.usage?.completion_tokens > 0, 'the usage chunk reached the final completion');

    const calls = client.chat.completions.stream({ model, messages: useTool, tools: [zodFunction({ name: 'get_weather', parameters: Weather })] });
    const done = [];
    calls.on('tool_calls.function.arguments.delta', (e) => assert.equal(e.index, 0));
    calls.on('tool_calls.function.arguments.done', (e) => done.push(e));
    const called = await calls.finalChatCompletion();
    assert.equal(done.length, 1);
    assert.equal(done[0].name, 'get_weather');
    assert.deepEqual(done[0].parsed_arguments, Weather.parse(JSON.parse(done[0].arguments)));
    assert.deepEqual(called.choices[0].message.tool_calls[0].function.parsed_arguments, done[0].parsed_arguments);
    assert.equal(called.choices[0].finish_reason, 'tool_calls');
    assert.equal(called.choices[0].message.content, null, 'an answer of calls alone has no text, as OpenAI streams it');
  });

  // n: the upstreams that return several choices (Claude and the Responses API return one: a 400 on n).
  if (['gpt-4o-mini', 'gemini-2.5-flash'].includes(model)) test(`chat.completions.stream via ${model}: two choices, each with its role and finish`, async () => {
    const final = await client.chat.completions.stream({ model, n: 2, messages: [{ role: 'user', content: 'Name a river.' }] }).finalChatCompletion();
    assert.equal(final.choices.length, 2);
    for (const c of final.choices) {
      assert.equal(c.message.role, 'assistant');
      assert.equal(c.finish_reason, 'stop');
      assert.ok(c.message.content.length > 0);
    }
  });

  for (const stream of [false, true]) {
    test(`chat.completions.runTools via ${model}${stream ? ', streamed' : ''}: a two-step tool loop`, async () => {
      const seen = [];
      const runner = client.chat.completions.runTools({
        model, stream, messages: [{ role: 'user', content: 'Use get_weather for Lima, then tell me the temperature.' }],
        tools: [zodFunction({ name: 'get_weather', parameters: Weather, function: (args) => { seen.push(args.city); return { temp_c: 19 }; } })],
      });
      const content = await runner.finalContent();
      assert.equal(seen.length, 1, `the tool ran once: ${JSON.stringify(seen)}`);
      assert.match(content, /19/);
      assert.ok(runner.allChatCompletions().length >= 2);
      const roles = runner.messages.map((m) => m.role);
      assert.deepEqual(roles.slice(-3), ['assistant', 'tool', 'assistant']);
    });
  }

  test(`responses.parse via ${model}: a zod text format and a zod function`, async () => {
    const res = await client.responses.parse({ model, input: 'Extract: Grace Hopper, 85.', text: { format: zodTextFormat(Person, 'person') } });
    assert.deepEqual(res.output_parsed, Person.parse(JSON.parse(res.output_text)));
    const called = await client.responses.parse({
      model, input: 'Use get_weather for Lima.', tools: [zodResponsesFunction({ name: 'get_weather', parameters: Weather })],
    });
    const call = called.output.find((it) => it.type === 'function_call');
    assert.ok(call, JSON.stringify(called.output));
    assert.deepEqual(call.parsed_arguments, Weather.parse(JSON.parse(call.arguments)));
  });

  test(`responses.stream via ${model}: output_text deltas, finalResponse and output_parsed`, async () => {
    const stream = client.responses.stream({ model, input: 'Extract: Grace Hopper, 85.', text: { format: zodTextFormat(Person, 'person') } });
    let text = '', last = -1;
    stream.on('event', (e) => { assert.equal(e.sequence_number, last + 1, e.type); last = e.sequence_number; });
    stream.on('response.output_text.delta', (e) => { text += e.delta; assert.equal(e.snapshot, text); });
    const final = await stream.finalResponse();
    assert.equal(final.output_text, text);
    assert.deepEqual(final.output_parsed, Person.parse(JSON.parse(text)));

    const calls = client.responses.stream({ model, input: 'Use get_weather for Lima.', tools: [zodResponsesFunction({ name: 'get_weather', parameters: Weather })] });
    const args = [];
    calls.on('response.function_call_arguments.done', (e) => args.push(e.arguments));
    const called = await calls.finalResponse();
    const call = called.output.find((it) => it.type === 'function_call');
    assert.ok(call, JSON.stringify(called.output));
    assert.deepEqual(args, [call.arguments]);
    assert.deepEqual(call.parsed_arguments, Weather.parse(JSON.parse(call.arguments)));
  });
}

test('embeddings: the SDK default (base64) decodes to the floats asked for, on each embedding upstream', async () => {
  for (const model of ['text-embedding-3-small', 'gemini-embedding-001']) {
    const b64 = await client.embeddings.create({ model, input: 'hello' });
    const floats = await client.embeddings.create({ model, input: 'hello', encoding_format: 'float' });
    assert.equal(b64.data[0].embedding.length, floats.data[0].embedding.length, model);
    b64.data[0].embedding.forEach((v, i) => assert.ok(Math.abs(v - floats.data[0].embedding[i]) < 1e-6, `${model} [${i}]`));
  }
});
