// Custom tools (free text, a Lark grammar) with the npm `openai` package,
// unchanged: the Responses API's custom_tool_call, complete and streamed,
// on an OpenAI and a Claude deployment, its output sent back; Chat
// Completions' custom tool call. Run by e2e/node_test.go
// (TestNodeCustomTools) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

const grammar = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF';
const tool = { type: 'custom', name: 'apply_patch', description: 'Edit files.', format: { type: 'grammar', syntax: 'lark', definition: grammar } };
const prompt = 'Use apply_patch to add hello.txt.';

for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
  test(`responses: a custom tool round trip on ${model}`, async () => {
    const input = [{ role: 'user', content: prompt }];
    const first = await client.responses.create({ model, input, tools: [tool] });
    assert.equal(first.output.length, 1);
    const call = first.output[0];
    assert.equal(call.type, 'custom_tool_call');
    assert.equal(call.name, 'apply_patch');
    assert.match(call.id, /^ctc_/);
    assert.ok(call.input.length > 0);

    const stream = await client.responses.create({ model, input, tools: [tool], stream: true });
    let deltas = '', done = null, item = null;
    for await (const ev of stream) {
      if (ev.type === 'response.custom_tool_call_input.delta') deltas += ev.delta;
      if (ev.type === 'response.custom_tool_call_input.done') done = ev.input;
      if (ev.type === 'response.output_item.done') item = ev.item;
    }
    assert.equal(item.type, 'custom_tool_call');
    assert.equal(item.input, deltas);
    assert.equal(done, deltas);

    const answer = await client.responses.create({ model, tools: [tool], input: [...input,
      { type: 'custom_tool_call', call_id: call.call_id, name: call.name, input: call.input },
      { type: 'custom_tool_call_output', call_id: call.call_id, output: 'patch applied' }] });
    assert.match(answer.output_text, /patch applied/);
  });
}

test('chat: a custom tool call', async () => {
  const resp = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }],
    tools: [{ type: 'custom', custom: { name: 'apply_patch', format: { type: 'grammar', grammar: { syntax: 'lark', definition: grammar } } } }] });
  const calls = resp.choices[0].message.tool_calls;
  assert.equal(calls.length, 1);
  assert.equal(calls[0].type, 'custom');
  assert.equal(calls[0].custom.name, 'apply_patch');
  assert.ok(calls[0].custom.input.startsWith('*** Begin Patch'));
});
