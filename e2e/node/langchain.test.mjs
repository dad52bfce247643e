// LangChain.js (@langchain/openai's ChatOpenAI on Chat Completions and,
// with useResponsesApi, the Responses API; @langchain/anthropic's
// ChatAnthropic on the Messages API; OpenAIEmbeddings) against the router,
// pointed at it with configuration.baseURL and anthropicApiUrl, with each
// upstream wire format behind it: OpenAI Chat (gpt-4o-mini), OpenAI
// Responses (gpt-5.3-codex), Anthropic (claude-haiku-4-5) and Gemini
// (gemini-2.5-flash), and their reasoning models for reasoning. LangChain
// parses each reply its own way (tool_calls, usage_metadata,
// response_metadata, chunks concatenated, content blocks): a shape it
// misreads is a failed check here.
process.env.LANGCHAIN_TRACING_V2 = 'false'; // no LangSmith: nothing leaves the machine
process.env.LANGSMITH_TRACING = 'false';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';

const url = process.env.SWITCHYARD_URL;
if (!url) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const apiKey = 'demo-key';
const configuration = { baseURL: url };
// The Anthropic SDK under ChatAnthropic adds /v1/messages itself.
const anthropicApiUrl = url.replace(/\/v1\/?$/, '');

const models = ['gpt-4o-mini', 'gpt-5.3-codex', 'claude-haiku-4-5', 'gemini-2.5-flash'];
// Each client: how LangChain reaches the router (which API it calls).
const clients = {
  'ChatOpenAI (Chat)': (model, o = {}) => new ChatOpenAI({ model, apiKey, configuration, maxRetries: 0, ...o }),
  'ChatOpenAI (Responses)': (model, o = {}) => new ChatOpenAI({ model, apiKey, configuration, maxRetries: 0, useResponsesApi: true, ...o }),
  ChatAnthropic: (model, o = {}) => new ChatAnthropic({ model, apiKey, anthropicApiUrl, maxRetries: 0, ...o }),
};
// The structured output methods of each client.
const methods = {
  'ChatOpenAI (Chat)': ['jsonSchema', 'functionCalling'],
  'ChatOpenAI (Responses)': ['jsonSchema', 'functionCalling'],
  ChatAnthropic: ['functionCalling', 'jsonSchema'],
};

const Person = z.object({ name: z.string(), age: z.number().int() });
const weather = tool(async ({ city }) => JSON.stringify({ city, celsius: 21 }), {
  name: 'weather', description: 'Get the weather in a city', schema: z.object({ city: z.string() }),
});
const clock = tool(async ({ city }) => JSON.stringify({ city, time: '12:00' }), {
  name: 'clock', description: 'Get the local time in a city', schema: z.object({ city: z.string() }),
});
const tools = { weather, clock };

const checks = [];
function check(name, fn) { checks.push([name, fn]); }

// textOf is a message's text, its content a string or blocks.
function textOf(msg) {
  if (typeof msg.content === 'string') return msg.content;
  return msg.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

// usageOK checks LangChain's usage_metadata: both counts present, positive
// and summed.
function usageOK(msg, what) {
  const u = msg.usage_metadata;
  assert.ok(u?.input_tokens > 0, `${what}: input_tokens ${JSON.stringify(u)}`);
  assert.ok(u.output_tokens > 0, `${what}: output_tokens ${JSON.stringify(u)}`);
  assert.equal(u.total_tokens, u.input_tokens + u.output_tokens, `${what}: ${JSON.stringify(u)}`);
}

// concat joins a stream's chunks into one AIMessageChunk.
async function concat(stream) {
  let whole;
  let n = 0;
  for await (const chunk of stream) {
    whole = whole === undefined ? chunk : whole.concat(chunk);
    n++;
  }
  return [whole, n];
}

// toolLoop runs tool calls of msg, returning their ToolMessages.
async function toolLoop(msg) {
  return Promise.all(msg.tool_calls.map(async (call) => new ToolMessage({
    tool_call_id: call.id, name: call.name, content: await tools[call.name].invoke(call.args),
  })));
}

for (const [name, make] of Object.entries(clients)) {
  // The router refuses an unknown model before any upstream: once a client.
  check(`error: unknown model, complete and streamed ${name}`, async () => {
    const refused = (err) => {
      assert.equal(err.status, 404, `${err?.name}: ${err?.message}`);
      assert.match(err.message, /no-such-model/);
      return true;
    };
    await assert.rejects(make('no-such-model').invoke('hi'), refused);
    await assert.rejects(async () => { for await (const _ of await make('no-such-model').stream('hi')); }, refused);
  });

  for (const model of models) {
    const at = `${name} via ${model}`;

    check(`invoke ${at}`, async () => {
      const msg = await make(model).invoke('Say hello.');
      assert.ok(textOf(msg).length > 0);
      assert.ok(msg.id, 'message id');
      assert.deepEqual(msg.tool_calls, []);
      usageOK(msg, at);
      const meta = msg.response_metadata;
      assert.equal(meta.model_name ?? meta.model, model, JSON.stringify(meta));
      assert.ok(['stop', 'end_turn', 'completed'].includes(meta.finish_reason ?? meta.stop_reason ?? meta.status), JSON.stringify(meta));
    });

    check(`stream ${at}`, async () => {
      const [msg, n] = await concat(await make(model, { streamUsage: true }).stream('Say hello.'));
      assert.ok(n > 1, `${n} chunks`);
      assert.ok(textOf(msg).length > 0);
      usageOK(msg, at);
    });

    check(`bindTools, a tool loop ${at}`, async () => {
      const llm = make(model).bindTools([weather]);
      const messages = [new HumanMessage('Use the weather tool for Lima, then answer.')];
      const first = await llm.invoke(messages);
      assert.equal(first.tool_calls.length, 1, JSON.stringify(first.content));
      const [call] = first.tool_calls;
      assert.equal(call.name, 'weather');
      assert.equal(typeof call.args.city, 'string');
      assert.ok(call.id);
      messages.push(first, ...(await toolLoop(first)));
      const second = await llm.invoke(messages);
      assert.deepEqual(second.tool_calls, []);
      assert.match(textOf(second), /celsius|21/);
      usageOK(second, at);
    });

    check(`stream, parallel tool calls and their loop ${at}`, async () => {
      const llm = make(model).bindTools([weather, clock]);
      const messages = [new HumanMessage('Use the weather tool and the clock tool for Lima, then answer.')];
      const [first] = await concat(await llm.stream(messages));
      assert.ok(first.tool_call_chunks.length >= 2, JSON.stringify(first.tool_call_chunks));
      assert.deepEqual(first.tool_calls.map((c) => c.name), ['weather', 'clock']);
      for (const c of first.tool_calls) assert.equal(typeof c.args.city, 'string', JSON.stringify(c));
      assert.deepEqual(first.invalid_tool_calls, []);
      assert.notEqual(first.tool_calls[0].id, first.tool_calls[1].id);
      usageOK(first, at);
      messages.push(first, ...(await toolLoop(first)));
      const [second] = await concat(await llm.stream(messages));
      assert.deepEqual(second.tool_calls, []);
      assert.ok(textOf(second).length > 0);
    });

    for (const method of methods[name]) {
      check(`withStructuredOutput ${method} ${at}`, async () => {
        const llm = make(model).withStructuredOutput(Person, { method, name: 'person' });
        const out = await llm.invoke('Extract: Grace Hopper, 85.');
        assert.deepEqual(out, Person.parse(out));
        const raw = await make(model).withStructuredOutput(Person, { method, includeRaw: true }).invoke('Extract: Grace Hopper, 85.');
        assert.deepEqual(raw.parsed, Person.parse(raw.parsed));
        usageOK(raw.raw, at);
      });
    }

    check(`batch ${at}`, async () => {
      const msgs = await make(model).batch(['Say hello.', 'Say goodbye.']);
      assert.equal(msgs.length, 2);
      for (const m of msgs) assert.ok(textOf(m).length > 0);
    });

    check(`abort via signal ${at}`, async () => {
      const ctrl = new AbortController();
      const stream = await make(model).stream('Write a long story.', { signal: ctrl.signal });
      let n = 0;
      await assert.rejects(async () => {
        for await (const _ of stream) if (++n === 1) ctrl.abort();
      }, (err) => /abort/i.test(`${err?.name} ${err?.message}`));
      assert.equal(n, 1);
      // Aborted before the call: refused at once.
      await assert.rejects(make(model).invoke('hi', { signal: AbortSignal.abort() }), /abort/i);
    });
  }
}

// Reasoning on the reasoning models of each upstream: o3-mini (OpenAI
// Chat, no visible reasoning), gpt-5.3-codex (OpenAI Responses: a
// summary), claude-sonnet-4-5 (thinking) and gemini-2.5-pro. ChatOpenAI
// sends its reasoning option only for model names it knows reason (o1,
// o3..., gpt-5...: isReasoningModel in @langchain/openai's utils/misc.js);
// for another name the option goes in modelKwargs, sent as it is.
const thinkers = ['o3-mini', 'gpt-5.3-codex', 'claude-sonnet-4-5', 'gemini-2.5-pro'];
const openaiNamed = (m) => /^(o\d|gpt-5)/.test(m);
for (const model of thinkers) {
  const visible = model !== 'o3-mini';
  check(`ChatOpenAI (Responses) reasoning, its round trip via ${model}`, async () => {
    const reasoning = { effort: 'low', summary: 'auto' };
    const opts = openaiNamed(model) ? { reasoning } : { modelKwargs: { reasoning } };
    const llm = clients['ChatOpenAI (Responses)'](model, opts).bindTools([weather]);
    const messages = [new HumanMessage('Use the weather tool for Lima, then answer.')];
    const first = await llm.invoke(messages);
    assert.equal(first.tool_calls.length, 1);
    if (visible) {
      const block = first.content.find?.((b) => b.type === 'reasoning');
      assert.ok(block?.reasoning?.length > 0, JSON.stringify(first.content));
      assert.ok(first.additional_kwargs.reasoning?.id, JSON.stringify(first.additional_kwargs));
    }
    // The reasoning item goes back with the call and its result.
    messages.push(first, ...(await toolLoop(first)));
    const [second] = await concat(await llm.stream(messages));
    assert.deepEqual(second.tool_calls, []);
    assert.ok(textOf(second).length > 0);
    if (visible) assert.ok(second.content.some((b) => b.type === 'reasoning'), JSON.stringify(second.content));
    // The Claude simulator reports no reasoning tokens.
    if (model !== 'claude-sonnet-4-5') assert.ok(second.usage_metadata.output_token_details?.reasoning > 0, JSON.stringify(second.usage_metadata));
  });

  check(`ChatOpenAI (Chat) reasoning effort via ${model}`, async () => {
    const opts = openaiNamed(model) ? { reasoning: { effort: 'low' } } : { modelKwargs: { reasoning_effort: 'low' } };
    const msg = await clients['ChatOpenAI (Chat)'](model, opts).invoke('Is 91 prime?');
    assert.ok(textOf(msg).length > 0);
    if (model !== 'claude-sonnet-4-5') assert.ok(msg.usage_metadata.output_token_details?.reasoning > 0, JSON.stringify(msg.usage_metadata));
  });
}

for (const model of ['claude-sonnet-4-5', 'gemini-2.5-pro']) {
  check(`ChatAnthropic thinking, its round trip via ${model}`, async () => {
    const llm = clients.ChatAnthropic(model, { maxTokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } }).bindTools([weather]);
    const messages = [new HumanMessage('Use the weather tool for Lima, then answer.')];
    const first = await llm.invoke(messages);
    const thinking = first.content.find((b) => b.type === 'thinking');
    assert.ok(thinking?.thinking.length > 0, JSON.stringify(first.content));
    // Claude signs its thinking; Gemini signs no thought text, and the
    // router writes an empty signature (docs/providers.md).
    const signed = model.startsWith('claude');
    if (signed) assert.ok(thinking.signature, `no signature: ${JSON.stringify(first.content)}`);
    assert.equal(first.tool_calls.length, 1);
    messages.push(first, ...(await toolLoop(first)));
    const [second] = await concat(await llm.stream(messages));
    assert.deepEqual(second.tool_calls, []);
    assert.ok(textOf(second).length > 0);
    const streamedThinking = second.content.find((b) => b.type === 'thinking');
    assert.ok(streamedThinking?.thinking.length > 0, JSON.stringify(second.content));
    if (signed) assert.ok(streamedThinking.signature, JSON.stringify(second.content));
  });
}

// The Responses API without a store (zdrEnabled: store false, the
// reasoning sent back as encrypted content), and with the store
// (previous_response_id, only the new items sent).
for (const model of ['gpt-5.3-codex', 'claude-sonnet-4-5', 'gemini-2.5-pro']) {
  const reasoning = { effort: 'low', summary: 'auto' };
  const opts = openaiNamed(model) ? { reasoning } : { modelKwargs: { reasoning } };
  check(`ChatOpenAI (Responses) zdrEnabled, encrypted reasoning sent back via ${model}`, async () => {
    // include is a call option (the constructor has none).
    const llm = clients['ChatOpenAI (Responses)'](model, { ...opts, zdrEnabled: true }).bindTools([weather]);
    const include = ['reasoning.encrypted_content'];
    const messages = [new HumanMessage('Use the weather tool for Lima, then answer.')];
    const [first] = await concat(await llm.stream(messages, { include }));
    assert.equal(first.tool_calls.length, 1);
    assert.ok(first.additional_kwargs.reasoning?.encrypted_content, JSON.stringify(first.additional_kwargs));
    messages.push(first, ...(await toolLoop(first)));
    const second = await llm.invoke(messages, { include });
    assert.ok(textOf(second).length > 0);
  });

  check(`ChatOpenAI (Responses) previous_response_id via ${model}`, async () => {
    const llm = clients['ChatOpenAI (Responses)'](model, opts).bindTools([weather]);
    const first = await llm.invoke([new HumanMessage('Use the weather tool for Lima, then answer.')]);
    assert.equal(first.tool_calls.length, 1);
    assert.match(first.id, /^resp_/);
    const second = await llm.invoke(await toolLoop(first), { previous_response_id: first.id });
    assert.deepEqual(second.tool_calls, []);
    assert.match(textOf(second), /celsius|21/);
  });
}

for (const [name, make] of Object.entries(clients)) {
  for (const model of models) {
    const at = `${name} via ${model}`;
    check(`tool_choice forced, strict tools, streamed structured output ${at}`, async () => {
      const forced = await make(model).bindTools([weather, clock], { tool_choice: 'clock', ...(name === 'ChatAnthropic' ? {} : { strict: true }) }).invoke('What is up in Lima?');
      assert.deepEqual(forced.tool_calls.map((c) => c.name), ['clock']);
      // Streamed, functionCalling is left out where LangChain breaks it on
      // any host: ChatAnthropic (@langchain/core since 1.1.46 does not merge
      // the tool_use block with its input_json_delta chunks:
      // langchainjs#10907), and the Responses API (its message content is
      // a list, and the tools parser streamed takes only a string: "Cannot
      // handle non-string output"), which ChatOpenAI uses for a codex model
      // even without useResponsesApi (_modelPrefersResponsesAPI).
      const listContent = name !== 'ChatOpenAI (Chat)' || model.includes('codex');
      for (const method of methods[name].filter((m) => m !== 'functionCalling' || !listContent)) {
        let last;
        for await (const part of await make(model).withStructuredOutput(Person, { method }).stream('Extract: Grace Hopper, 85.')) last = part;
        assert.deepEqual(last, Person.parse(last), method);
      }
    });
  }
}

for (const model of ['claude-sonnet-4-5', 'gemini-2.5-pro']) {
  check(`ChatAnthropic thinking streamed first, invoked next via ${model}`, async () => {
    const llm = clients.ChatAnthropic(model, { maxTokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, streamUsage: true }).bindTools([weather]);
    const messages = [new HumanMessage('Use the weather tool for Lima, then answer.')];
    const [first] = await concat(await llm.stream(messages));
    const blocks = first.content.filter((b) => b.type === 'thinking');
    assert.equal(blocks.length, 1, JSON.stringify(first.content));
    assert.ok(blocks[0].thinking.length > 0);
    if (model.startsWith('claude')) assert.ok(blocks[0].signature);
    assert.equal(first.tool_calls.length, 1, JSON.stringify(first.tool_call_chunks));
    usageOK(first, model);
    messages.push(first, ...(await toolLoop(first)));
    const second = await llm.invoke(messages);
    assert.ok(textOf(second).length > 0);
  });
}

// A system message, a tool without arguments, a tool result in content
// blocks, and the finish reason, model and usage of a stream.
const now = tool(async () => [{ type: 'text', text: 'It is 12:00.' }], {
  name: 'now', description: 'Get the time', schema: z.object({}), responseFormat: 'content',
});
for (const [name, make] of Object.entries(clients)) {
  for (const model of models) {
    const at = `${name} via ${model}`;
    check(`system message, argument-less tool, tool result blocks, stream metadata ${at}`, async () => {
      const llm = make(model, { streamUsage: true }).bindTools([now]);
      const messages = [new SystemMessage('You are terse.'), new HumanMessage('Call the now tool, then answer.')];
      const [first] = await concat(await llm.stream(messages));
      assert.equal(first.tool_calls.length, 1, JSON.stringify(first.tool_call_chunks));
      assert.deepEqual(first.tool_calls[0].args, {});
      // ChatAnthropic streamed keeps the model and stop_reason of
      // message_start and message_delta in additional_kwargs.
      const meta = { ...first.additional_kwargs, ...first.response_metadata };
      assert.ok(['tool_calls', 'tool_use', 'completed'].includes(meta.finish_reason ?? meta.stop_reason ?? meta.status), JSON.stringify(meta));
      assert.equal(meta.model_name ?? meta.model, model, JSON.stringify(meta));
      const result = new ToolMessage({ tool_call_id: first.tool_calls[0].id, content: [{ type: 'text', text: 'It is 12:00.' }] });
      const [second] = await concat(await llm.stream([...messages, first, result]));
      assert.match(textOf(second), /12:00/);
      const end = { ...second.additional_kwargs, ...second.response_metadata };
      assert.ok(['stop', 'end_turn', 'completed'].includes(end.finish_reason ?? end.stop_reason ?? end.status), JSON.stringify(end));
      usageOK(second, at);
    });
  }
}

// An image in LangChain's standard content block, a reply cut at
// maxTokens, a call required of any tool.
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
for (const [name, make] of Object.entries(clients)) {
  for (const model of models) {
    const at = `${name} via ${model}`;
    check(`image block, maxTokens cut, tool_choice any ${at}`, async () => {
      // gpt-5.3-codex's deployment takes no images. ChatOpenAI converts
      // each block form for one API only: on Chat Completions the data
      // block (source_type), on the Responses API the standard one
      // (mimeType; the data block goes as an image_url object, which
      // OpenAI refuses, and on Chat the standard block is sent as it is).
      const image = name === 'ChatOpenAI (Responses)'
        ? { type: 'image', mimeType: 'image/png', data: pixel }
        : { type: 'image', source_type: 'base64', mime_type: 'image/png', data: pixel };
      if (model !== 'gpt-5.3-codex') {
        const seen = await make(model).invoke([new HumanMessage({ content: [
          { type: 'text', text: 'Describe this image.' }, image,
        ] })]);
        assert.ok(textOf(seen).length > 0);
      }
      // The standard block on Chat Completions is sent as it is: OpenAI
      // refuses its type, and so does the router, in OpenAI's words, on
      // every deployment.
      if (name === 'ChatOpenAI (Chat)' && model !== 'gpt-5.3-codex') {
        const standard = make(model).invoke([new HumanMessage({ content: [
          { type: 'text', text: 'Describe this image.' }, { type: 'image', mimeType: 'image/png', data: pixel },
        ] })]);
        await assert.rejects(standard, (err) => err.status === 400 && /Invalid value: 'image'\. Supported values are/.test(err.message));
      }
      const cut = await make(model, { maxTokens: 16 }).invoke('Write a long story about rivers.');
      const meta = cut.response_metadata;
      assert.ok(['length', 'max_tokens', 'incomplete'].includes(meta.finish_reason ?? meta.stop_reason ?? meta.status), JSON.stringify(meta));
      // On the Responses API ChatOpenAI sends no tool_choice given as a
      // string ('any', 'required', 'auto', 'none' are dropped).
      const responses = name !== 'ChatOpenAI (Chat)' || model.includes('codex');
      if (name === 'ChatAnthropic' || !responses) {
        const any = await make(model).bindTools([weather, clock], { tool_choice: 'any' }).invoke('Hello there.');
        assert.equal(any.tool_calls.length, 1, JSON.stringify(any.content));
      }
    });
  }
}

// Embeddings on an OpenAI and a Gemini deployment.
for (const model of ['text-embedding-3-small', 'gemini-embedding-001']) {
  check(`OpenAIEmbeddings via ${model}`, async () => {
    const emb = new OpenAIEmbeddings({ model, apiKey, configuration, maxRetries: 0 });
    const one = await emb.embedQuery('rivers');
    assert.ok(one.length > 0 && one.every((x) => typeof x === 'number'));
    const small = new OpenAIEmbeddings({ model, apiKey, configuration, maxRetries: 0, dimensions: 64 });
    const many = await small.embedDocuments(['rivers', 'lakes', 'seas']);
    assert.deepEqual(many.map((e) => e.length), [64, 64, 64]);
  });
}

describe('LangChain.js', { concurrency: 8 }, () => {
  for (const [name, fn] of checks) test(name, fn);
});
