// The Vercel AI SDK (npm ai with @ai-sdk/openai, @ai-sdk/anthropic and
// @ai-sdk/openai-compatible) against the router, each provider pointed at
// it with baseURL, with each upstream wire format behind it: OpenAI Chat
// (gpt-4o-mini), OpenAI Responses (gpt-5.3-codex), Anthropic
// (claude-haiku-4-5) and Gemini (gemini-2.5-flash), and their reasoning
// models for reasoning. The SDK checks every
// reply and stream event against strict zod schemas: a shape it does not
// take fails the call (AI_TypeValidationError), so each test here is a
// wire-shape check of the router's Responses, Chat and Messages APIs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError, Output, embed, embedMany, generateObject, generateText, isStepCount, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { z } from 'zod';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const apiKey = 'demo-key';
const openai = createOpenAI({ baseURL, apiKey });
const anthropic = createAnthropic({ baseURL, apiKey });
// supportsStructuredOutputs: the router takes json_schema on every
// deployment (without it the SDK sends json_object, which OpenAI refuses
// unless the prompt says "json").
const compat = createOpenAICompatible({ name: 'switchyard', baseURL, apiKey, includeUsage: true, supportsStructuredOutputs: true });

const models = ['gpt-4o-mini', 'gpt-5.3-codex', 'claude-haiku-4-5', 'gemini-2.5-flash'];
// Each client: how the SDK reaches the router (which API it calls).
const clients = {
  'openai (Responses)': (m) => openai(m),
  'openai.chat': (m) => openai.chat(m),
  anthropic: (m) => anthropic(m),
  'openai-compatible': (m) => compat.chatModel(m),
};

const Person = z.object({ name: z.string(), age: z.number().int() });
const Weather = z.object({ city: z.string(), celsius: z.number() });
const weather = tool({
  description: 'Get the weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

// The checks run a few at a time: each waits on the router most of its
// time, and the whole file stays within the Go test's deadline.
const checks = [];
function check(name, fn) { checks.push([name, fn]); }

// usageOK checks the SDK's usage: both counts present and positive.
function usageOK(usage, what) {
  assert.ok(usage.inputTokens > 0, `${what}: inputTokens ${JSON.stringify(usage)}`);
  assert.ok(usage.outputTokens > 0, `${what}: outputTokens ${JSON.stringify(usage)}`);
}

for (const [name, make] of Object.entries(clients)) {
  // The router refuses an unknown model before any upstream: once a client.
  check(`error: unknown model ${name}`, async () => {
    await assert.rejects(
      generateText({ model: make('no-such-model'), prompt: 'hi', maxRetries: 0 }),
      (err) => {
        assert.ok(APICallError.isInstance(err), `${err?.name}: ${err?.message}`);
        assert.equal(err.statusCode, 404);
        assert.match(err.message, /no-such-model/);
        return true;
      },
    );
  });

  check(`error: unknown model, streamed ${name}`, async () => {
    let got;
    const res = streamText({ model: make('no-such-model'), prompt: 'hi', maxRetries: 0, onError: ({ error }) => { got = error; } });
    for await (const part of res.fullStream) if (part.type === 'error') got ??= part.error;
    assert.ok(APICallError.isInstance(got), `${got?.name}: ${got?.message}`);
    assert.equal(got.statusCode, 404);
    assert.match(got.message, /no-such-model/);
  });

  for (const model of models) {
    const at = `${name} via ${model}`;

    check(`generateText ${at}`, async () => {
      const res = await generateText({ model: make(model), prompt: 'Say hello.', maxRetries: 0 });
      assert.ok(res.text.length > 0);
      assert.equal(res.finishReason, 'stop');
      assert.equal(res.response.modelId, model);
      assert.ok(res.response.id);
      usageOK(res.usage, at);
    });

    check(`streamText ${at}`, async () => {
      const res = streamText({ model: make(model), prompt: 'Say hello.', maxRetries: 0 });
      let text = '';
      for await (const delta of res.textStream) text += delta;
      assert.ok(text.length > 0);
      assert.equal(await res.text, text);
      assert.equal(await res.finishReason, 'stop');
      usageOK(await res.usage, at);
    });

    check(`tools, multi-step ${at}`, async () => {
      const res = await generateText({
        model: make(model), tools: { weather }, stopWhen: isStepCount(3), maxRetries: 0,
        prompt: 'Use the weather tool for Lima, then answer.',
      });
      assert.ok(res.steps.length >= 2, `steps: ${res.steps.length}`);
      const call = res.steps[0].toolCalls[0];
      assert.equal(call?.toolName, 'weather');
      assert.equal(typeof call.input.city, 'string');
      assert.equal(res.steps[0].finishReason, 'tool-calls');
      assert.equal(res.steps[0].toolResults[0].output.celsius, 21);
      assert.equal(res.finishReason, 'stop');
      assert.ok(res.text.length > 0);
      usageOK(res.totalUsage, at);
    });

    check(`streamText tools, multi-step ${at}`, async () => {
      const res = streamText({
        model: make(model), tools: { weather }, stopWhen: isStepCount(3), maxRetries: 0,
        prompt: 'Use the weather tool for Lima, then answer.',
      });
      const types = new Set();
      for await (const part of res.fullStream) {
        if (part.type === 'error') throw part.error;
        types.add(part.type);
      }
      for (const t of ['tool-input-start', 'tool-call', 'tool-result', 'text-delta', 'finish']) assert.ok(types.has(t), `no ${t} in ${[...types]}`);
      const steps = await res.steps;
      assert.ok(steps.length >= 2);
      assert.equal(steps[0].finishReason, 'tool-calls');
      assert.equal(await res.finishReason, 'stop');
    });

    check(`structured output ${at}`, async () => {
      const res = await generateText({
        model: make(model), output: Output.object({ schema: Person }), maxRetries: 0,
        prompt: 'Extract: Grace Hopper, 85.',
      });
      assert.deepEqual(res.output, Person.parse(res.output));
      assert.equal(res.finishReason, 'stop');

      const streamed = streamText({
        model: make(model), output: Output.object({ schema: Person }), maxRetries: 0,
        prompt: 'Extract: Grace Hopper, 85.',
      });
      let last;
      for await (const partial of streamed.partialOutputStream) last = partial;
      assert.deepEqual(await streamed.output, Person.parse(last));

      const obj = await generateObject({ model: make(model), schema: Person, prompt: 'Extract: Grace Hopper, 85.', maxRetries: 0 });
      assert.deepEqual(obj.object, Person.parse(obj.object));
      usageOK(obj.usage, at);
    });

    // Structured output beside tools: the tool loop, then the object
    // (@ai-sdk/anthropic asks a model it does not know for it with a
    // forced "json" tool). Gemini before 3 refuses a response format
    // beside tools, and so does the router on a Chat or Responses request.
    check(`structured output with tools, multi-step ${at}`, async () => {
      const call = generateText({
        model: make(model), tools: { weather }, output: Output.object({ schema: Weather }), stopWhen: isStepCount(3), maxRetries: 0,
        prompt: 'Use the weather tool for Lima, then answer.',
      });
      if (model === 'gemini-2.5-flash' && name !== 'anthropic') {
        await assert.rejects(call, (err) => APICallError.isInstance(err) && err.statusCode === 400 && /Gemini before 3/.test(err.message));
        return;
      }
      const res = await call;
      assert.equal(res.steps[0].toolCalls[0]?.toolName, 'weather');
      assert.deepEqual(res.output, Weather.parse(res.output));
    });

    check(`abort mid-stream ${at}`, async () => {
      const ctrl = new AbortController();
      const res = streamText({ model: make(model), prompt: 'Write a long story.', abortSignal: ctrl.signal, maxRetries: 0 });
      // The SDK ends an aborted stream quietly, its last part an abort
      // (after what was already read), with no finish.
      const parts = [];
      for await (const part of res.fullStream) {
        parts.push(part.type);
        if (part.type === 'text-delta') ctrl.abort();
      }
      assert.equal(parts.at(-1), 'abort', parts.join());
      assert.ok(!parts.includes('finish') && !parts.includes('error'), parts.join());
    });
  }
}

// Reasoning, asked in each SDK provider's own options, on the reasoning
// models of each upstream: o3-mini (OpenAI Chat, no visible reasoning),
// gpt-5.3-codex (OpenAI Responses: a summary), claude-sonnet-4-5
// (thinking) and gemini-2.5-pro (thought summaries when asked to show).
const reasoning = {
  'openai (Responses)': { openai: { reasoningEffort: 'low', reasoningSummary: 'auto', forceReasoning: true } },
  'openai.chat': { openai: { reasoningEffort: 'low', forceReasoning: true } },
  anthropic: { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } },
  'openai-compatible': { switchyard: { reasoningEffort: 'low' } },
};
// shows: the clients whose API carries the reasoning text of these
// upstreams. Chat Completions carries none (OpenAI's has no field for it;
// the router relays reasoning_content, which the openai-compatible
// provider reads, only from OpenAI-compatible hosts that write it, such
// as DeepSeek: docs/providers.md).
const shows = { 'openai (Responses)': true, anthropic: true };
const thinkers = { 'o3-mini': false, 'gpt-5.3-codex': true, 'claude-sonnet-4-5': true, 'gemini-2.5-pro': true };

for (const [name, make] of Object.entries(clients)) {
  for (const [model, visible] of Object.entries(thinkers)) {
    const at = `${name} via ${model}`;
    const providerOptions = reasoning[name];
    const text = visible && shows[name];

    check(`reasoning ${at}`, async () => {
      const res = await generateText({ model: make(model), prompt: 'Is 91 prime?', providerOptions, maxRetries: 0 });
      assert.equal(res.finishReason, 'stop');
      if (text) assert.ok(res.reasoningText?.length > 0, `no reasoning text: ${JSON.stringify(res.content)}`);
      const streamed = streamText({ model: make(model), prompt: 'Is 91 prime?', providerOptions, maxRetries: 0 });
      const types = new Set();
      for await (const part of streamed.fullStream) {
        if (part.type === 'error') throw part.error;
        types.add(part.type);
      }
      if (text) {
        assert.ok(types.has('reasoning-delta'), `no reasoning-delta in ${[...types]}`);
        assert.equal(await streamed.reasoningText, res.reasoningText);
      }
      // The reasoning tokens, complete and streamed alike (the Claude
      // simulator reports no output_tokens_details: 0 there).
      const counted = res.usage.outputTokenDetails.reasoningTokens;
      if (model !== 'claude-sonnet-4-5') assert.ok(counted > 0, `reasoning tokens ${JSON.stringify(res.usage)}`);
      assert.equal((await streamed.usage).outputTokenDetails.reasoningTokens, counted);
    });

    check(`reasoning with tools, multi-step ${at}`, async () => {
      const res = streamText({
        model: make(model), tools: { weather }, stopWhen: isStepCount(3), providerOptions, maxRetries: 0,
        prompt: 'Use the weather tool for Lima, then answer.',
      });
      for await (const part of res.fullStream) if (part.type === 'error') throw part.error;
      const steps = await res.steps;
      assert.equal(steps.length, 2);
      assert.equal(steps[0].finishReason, 'tool-calls');
      if (text) assert.ok(steps[0].reasoningText?.length > 0, 'the tool call step reasoned');
      assert.equal(await res.finishReason, 'stop');
    });
  }
}

// The Responses API without a store: the SDK sends the reasoning back as
// encrypted content, which the router must take on the next step.
for (const model of ['gpt-5.3-codex', 'claude-sonnet-4-5', 'gemini-2.5-pro']) {
  check(`openai (Responses) store:false, encrypted reasoning, multi-step via ${model}`, async () => {
    const res = await generateText({
      model: openai(model), tools: { weather }, stopWhen: isStepCount(3), maxRetries: 0,
      providerOptions: { openai: { ...reasoning['openai (Responses)'].openai, store: false, include: ['reasoning.encrypted_content'] } },
      prompt: 'Use the weather tool for Lima, then answer.',
    });
    assert.equal(res.steps.length, 2);
    assert.equal(res.finishReason, 'stop');
    assert.ok(res.text.length > 0);
  });
}

// Hosted web search: OpenAI's web_search tool through the Responses API
// on every upstream (Claude and Gemini run their own), Anthropic's on
// Claude; the SDK reads the search call and its sources.
for (const [name, model, tools] of [
  ...models.map((m) => ['openai (Responses)', m, { web_search: openai.tools.webSearch({}) }]),
  ['anthropic', 'claude-sonnet-4-5', { web_search: anthropic.tools.webSearch_20250305({ maxUses: 1 }) }],
]) {
  check(`web search ${name} via ${model}`, async () => {
    const make = clients[name];
    const res = await generateText({ model: make(model), tools, prompt: 'What is the news today?', maxRetries: 0 });
    assert.equal(res.finishReason, 'stop');
    assert.ok(res.sources.length > 0, JSON.stringify(res.content));
    assert.ok(res.sources.every((s) => s.sourceType === 'url' && s.url.startsWith('https://')));
    const call = res.toolCalls.find((c) => c.toolName === 'web_search');
    assert.ok(call?.providerExecuted, JSON.stringify(res.content));
    const streamed = streamText({ model: make(model), tools, prompt: 'What is the news today?', maxRetries: 0 });
    for await (const part of streamed.fullStream) if (part.type === 'error') throw part.error;
    assert.equal((await streamed.sources).length, res.sources.length);
  });
}

// Prompt caching asked the Anthropic way (cacheControl on a block): the
// second call reads what the first wrote, complete and streamed.
check('anthropic cacheControl via claude-sonnet-4-5: written, then read', async () => {
  const args = {
    model: anthropic('claude-sonnet-4-5'), maxRetries: 0,
    messages: [{ role: 'user', content: [
      { type: 'text', text: `Background: ${'the river flows to the sea. '.repeat(400)}`, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
      { type: 'text', text: 'Summarize.' },
    ] }],
  };
  const first = await generateText(args);
  assert.ok(first.usage.inputTokenDetails.cacheWriteTokens > 0, JSON.stringify(first.usage));
  const second = await generateText(args);
  assert.equal(second.usage.inputTokenDetails.cacheReadTokens, first.usage.inputTokenDetails.cacheWriteTokens);
  const streamed = streamText(args);
  for await (const part of streamed.fullStream) if (part.type === 'error') throw part.error;
  assert.equal((await streamed.usage).inputTokenDetails.cacheReadTokens, second.usage.inputTokenDetails.cacheReadTokens);
});

// Embeddings through the OpenAI provider and the openai-compatible one,
// an OpenAI and a Gemini deployment.
for (const model of ['text-embedding-3-small', 'gemini-embedding-001']) {
  check(`embed and embedMany via ${model}`, async () => {
    const one = await embed({ model: openai.embedding(model), value: 'rivers', maxRetries: 0 });
    assert.ok(one.embedding.length > 0 && one.usage.tokens > 0);
    const many = await embedMany({ model: compat.embeddingModel(model), values: ['rivers', 'lakes'], maxRetries: 0, providerOptions: { switchyard: { dimensions: 64 } } });
    assert.deepEqual(many.embeddings.map((e) => e.length), [64, 64]);
  });
}

describe('Vercel AI SDK', { concurrency: 8 }, () => {
  for (const [name, fn] of checks) test(name, fn);
});
