// More of OpenAI's Agents SDK for JavaScript (npm @openai/agents) against
// the router, on each of its ways to a model (agents_common.mjs) with each
// upstream wire format behind it: agents as tools, sessions (in memory,
// OpenAI Conversations, Responses compaction), conversationId, hosted web
// search, the shell and apply_patch tools, a tool's image output, tool
// approval, a streamed run aborted, handoffs across providers with
// reasoning, a websocket's store: false chain.
import assert from 'node:assert/strict';
import { z } from 'zod';
import { APIError } from 'openai';
import {
  Agent, MemorySession, ModelBehaviorError, OpenAIConversationsSession, OpenAIResponsesCompactionSession,
  applyPatchTool, handoff, run, shellTool, tool, webSearchTool,
} from '@openai/agents';
import { callsOf, check, client, models, runChecks, runnerOf, runners, weather } from './agents_common.mjs';

for (const [api, runIt] of Object.entries(runners)) {
  for (const model of models) {
    const at = `${api} via ${model}`;

    check(`agent as a tool ${at}`, async () => {
      const translator = new Agent({ name: 'Translator', instructions: 'Translate to Spanish.', model });
      const boss = new Agent({ name: 'Boss', model, tools: [translator.asTool({ toolName: 'translate', toolDescription: 'Translate text' })] });
      const res = await runIt(boss, 'Use translate on "good morning", then answer.');
      assert.deepEqual(callsOf(res), ['translate']);
      assert.ok(res.finalOutput.length > 0);
    });

    check(`more modelSettings, a non-strict JSON schema tool ${at}`, async () => {
      const lookup = tool({
        name: 'lookup', description: 'Look a word up', strict: false,
        parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'], additionalProperties: true },
        execute: async (args) => ({ word: args.word, meaning: 'a river' }),
      });
      const providerData = api === 'chat_completions'
        ? { metadata: { team: 'e2e' }, user: 'u-1', service_tier: 'auto', prompt_cache_key: 'agents' }
        : { metadata: { team: 'e2e' }, safety_identifier: 'u-1', service_tier: 'auto', prompt_cache_key: 'agents', prompt_cache_retention: '24h' };
      // Server-side compaction (context_management) is OpenAI's alone: a 400 on other deployments.
      if (api !== 'chat_completions' && model.startsWith('gpt')) providerData.context_management = [{ type: 'compaction', compact_threshold: 200000 }];
      const agent = new Agent({
        name: 'Assistant', model, tools: [lookup],
        modelSettings: { topP: 0.9, maxTokens: 300, parallelToolCalls: false, text: { verbosity: 'low' }, providerData },
      });
      const res = await runIt(agent, 'Use lookup on "rio", then answer.');
      assert.deepEqual(callsOf(res), ['lookup']);
      assert.ok(res.finalOutput.length > 0);
    });

    check(`handoff with an input type ${at}`, async () => {
      let got;
      const refunds = new Agent({ name: 'Refunds', model, instructions: 'Handle refunds.' });
      const triage = new Agent({
        name: 'Triage', model,
        handoffs: [handoff(refunds, { inputType: z.object({ reason: z.string() }), onHandoff: (_ctx, input) => { got = input; } })],
      });
      const res = await runIt(triage, 'Use transfer_to_refunds for my broken kettle.');
      assert.equal(res.lastAgent.name, 'Refunds');
      assert.equal(typeof got?.reason, 'string');
      assert.ok(res.finalOutput.length > 0);
    });

    check(`a streamed run aborted ${at}`, async () => {
      const ctrl = new AbortController();
      const agent = new Agent({ name: 'Writer', model });
      const res = await runIt(agent, 'Write a long story.', { stream: true, signal: ctrl.signal });
      for await (const ev of res) if (ev.type === 'raw_model_stream_event' && ev.data.type === 'output_text_delta') ctrl.abort();
      await res.completed.catch(() => {});
      assert.ok(res.cancelled || res.error, 'cancelled');
    });

    check(`a tool approval, the run resumed from its state ${at}`, async () => {
      const guarded = tool({
        name: 'delete_city', description: 'Delete a city', parameters: z.object({ city: z.string() }), needsApproval: true,
        execute: async ({ city }) => `deleted ${city}`,
      });
      const agent = new Agent({ name: 'Assistant', model, tools: [guarded] });
      const first = await runIt(agent, 'Use delete_city for Lima, then answer.');
      assert.equal(first.interruptions.length, 1);
      first.state.approve(first.interruptions[0]);
      const res = await runIt(agent, first.state);
      assert.ok(res.finalOutput.length > 0);
      assert.ok(res.newItems.some((i) => i.type === 'tool_call_output_item' && /deleted/.test(JSON.stringify(i.output))));
    });

    // gpt-5.3-codex's deployment is set without vision (a 400 names it).
    if (model !== 'gpt-5.3-codex') check(`a tool's image output ${at}`, async () => {
      // A 1×1 PNG, as a tool's image output (the SDK sends it as an
      // input_image in the function_call_output, or a Chat tool message's).
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
      const snap = tool({
        name: 'take_photo', description: 'Take a photo of a city', parameters: z.object({ city: z.string() }),
        execute: async () => [{ type: 'text', text: 'A photo:' }, { type: 'image', image: { data: png, mediaType: 'image/png' } }],
      });
      const agent = new Agent({ name: 'Photographer', model, tools: [snap] });
      const res = await runIt(agent, 'Use take_photo for Lima, then describe it.');
      assert.deepEqual(callsOf(res), ['take_photo']);
      assert.ok(res.finalOutput.length > 0);
    });

    check(`outputType beside a tool ${at}`, async () => {
      const agent = new Agent({ name: 'Extractor', model, tools: [weather], outputType: z.object({ city: z.string(), celsius: z.number() }) });
      const call = runIt(agent, 'Use get_weather for Lima, then answer.');
      // Gemini before 3 refuses a response format beside tools, and so
      // does the router on a Chat or Responses request.
      if (model === 'gemini-2.5-flash') {
        await assert.rejects(call, (err) => err instanceof APIError && err.status === 400 && /Gemini before 3/.test(err.message)
          || (api === 'responses_websocket' && err instanceof ModelBehaviorError));
        return;
      }
      const res = await call;
      assert.deepEqual(callsOf(res), ['get_weather']);
      assert.equal(typeof res.finalOutput.celsius, 'number');
    });

    if (api === 'responses_websocket') {
      // store: false chained on one connection, as Codex does: the
      // previous response is the connection's, in memory.
      // The connection keeps its last response (of the default lane): a
      // connection of its own, the others' shared by the checks at once.
      check(`store:false chained by previousResponseId on the connection ${at}`, async () => {
        const own = runnerOf({ useResponses: true, useResponsesWebSocket: true });
        const agent = new Agent({ name: 'Assistant', model, tools: [weather], modelSettings: { store: false } });
        const first = await own(agent, 'Use get_weather for Lima, then answer.');
        const second = await own(agent, 'And say goodbye.', { previousResponseId: first.lastResponseId });
        assert.ok(second.finalOutput.length > 0);
      });
    }

    // The OpenAI Conversations session only beside the Responses API: the
    // SDK's Chat Completions model keeps a call's raw fields (function) on
    // the item, which the Conversations API refuses, the router as OpenAI.
    check(`sessions ${at}`, async () => {
      const sessions = [new MemorySession(), ...(api === 'chat_completions' ? [] : [new OpenAIConversationsSession({ client })])];
      for (const session of sessions) {
        const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
        await runIt(agent, 'Use get_weather for Lima, then answer.', { session });
        const res = await runIt(agent, 'And say goodbye.', { session });
        assert.ok(res.finalOutput.length > 0);
        const items = await session.getItems();
        assert.equal(items.filter((i) => i.role === 'user').length, 2, JSON.stringify(items));
        assert.ok(items.some((i) => i.type === 'function_call_result'), JSON.stringify(items));
        // The last two items, newest last; the newest taken off; all cleared.
        const last = await session.getItems(2);
        assert.deepEqual(last, items.slice(-2));
        assert.deepEqual(await session.popItem(), items.at(-1));
        assert.deepEqual(await session.getItems(), items.slice(0, -1));
        await session.clearSession();
        if (session instanceof MemorySession) assert.deepEqual(await session.getItems(), []);
      }
    });

    if (api !== 'chat_completions') {
      check(`conversationId ${at}`, async () => {
        const conv = await client.conversations.create({});
        const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
        await runIt(agent, 'Use get_weather for Lima, then answer.', { conversationId: conv.id });
        const res = await runIt(agent, 'And say goodbye.', { conversationId: conv.id });
        assert.ok(res.finalOutput.length > 0);
        const items = await client.conversations.items.list(conv.id, { order: 'asc' });
        assert.ok(items.data.some((i) => i.type === 'function_call_output'), JSON.stringify(items.data));
      });

      for (const compactionMode of ['input', 'previous_response_id']) check(`responses compaction session, ${compactionMode} ${at}`, async () => {
        const session = new OpenAIResponsesCompactionSession({ client, model: 'gpt-5.3-codex', compactionMode, shouldTriggerCompaction: () => true });
        const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
        await runIt(agent, 'Use get_weather for Lima, then answer.', { session });
        const items = await session.getItems();
        assert.ok(items.some((i) => i.type === 'compaction'), JSON.stringify(items));
        const res = await runIt(agent, 'And say goodbye.', { session });
        assert.ok(res.finalOutput.length > 0);
      });

      check(`shell and apply_patch tools ${at}`, async () => {
        const ran = [], edits = [];
        const shell = shellTool({ shell: { run: async (action) => {
          ran.push(action.commands);
          return { output: action.commands.map(() => ({ stdout: 'README.md\n', stderr: '', outcome: { type: 'exit', exitCode: 0 } })) };
        } } });
        const patch = applyPatchTool({ editor: {
          createFile: async (op) => { edits.push(op); return { status: 'completed', output: 'created' }; },
          updateFile: async (op) => { edits.push(op); return { status: 'completed', output: 'updated' }; },
          deleteFile: async (op) => { edits.push(op); return { status: 'completed', output: 'deleted' }; },
        } });
        const agent = new Agent({ name: 'Coder', model, tools: [shell, patch] });
        const res = await runIt(agent, 'Use shell to list the files, then answer.');
        assert.equal(ran.length, 1, JSON.stringify(res.newItems.map((i) => i.rawItem)));
        assert.ok(res.finalOutput.length > 0);
        const res2 = await runIt(agent, 'Use apply_patch to create hello.txt, then answer.');
        assert.equal(edits.length, 1, JSON.stringify(res2.newItems.map((i) => i.rawItem)));
        assert.ok(res2.finalOutput.length > 0);
      });

      check(`hosted web search ${at}`, async () => {
        const agent = new Agent({ name: 'Searcher', model, tools: [webSearchTool()] });
        const res = await runIt(agent, 'What is the news today?');
        assert.ok(res.newItems.some((i) => i.type === 'tool_call_item' && i.rawItem.type === 'hosted_tool_call'), JSON.stringify(res.newItems.map((i) => i.rawItem)));
        assert.ok(res.finalOutput.length > 0);
      });
    }
  }
}


// Prompt caching: long instructions run twice, the second reads them from
// the cache, as the usage's input token details say. Not Claude: an
// OpenAI-format request marks no cache breakpoint, and the router marks
// them only with the provider's prompt_cache: auto (docs/providers.md).
for (const [api, runIt] of Object.entries(runners)) {
  for (const model of models.filter((m) => !m.startsWith('claude'))) {
    check(`cached input tokens ${api} via ${model}`, async () => {
      const instructions = `You answer questions about rivers. ${'The river flows to the sea. '.repeat(300)}`;
      const agent = new Agent({ name: 'Assistant', instructions, model, modelSettings: { providerData: { prompt_cache_key: `agents-${api}-${model}` } } });
      await runIt(agent, 'Say hello.');
      const res = await runIt(agent, 'Say hello.');
      const u = res.runContext.usage;
      assert.ok(u.inputTokensDetails.some((d) => d.cached_tokens > 0), JSON.stringify(u));
    });
  }
}

// A handoff between reasoning models of two providers: the history the
// second gets holds the first's reasoning items (encrypted with store:
// false), which the router must take whatever provider made them.
for (const [from, to] of [['gpt-5.3-codex', 'claude-sonnet-4-5'], ['claude-sonnet-4-5', 'gemini-2.5-pro'], ['gemini-2.5-pro', 'gpt-5.3-codex']]) {
  for (const store of [true, false]) {
    check(`handoff across providers with reasoning, store ${store}: ${from} to ${to}`, async () => {
      const modelSettings = { store, reasoning: { effort: 'low', summary: 'auto' }, ...(store ? {} : { providerData: { include: ['reasoning.encrypted_content'] } }) };
      const second = new Agent({ name: 'Second', model: to, modelSettings });
      const first = new Agent({ name: 'First', model: from, modelSettings, handoffs: [second] });
      const res = await run(first, 'Use transfer_to_second, then answer: is 91 prime?');
      assert.equal(res.lastAgent.name, 'Second');
      const types = res.newItems.map((i) => i.type);
      // Claude thinks in a tool loop only after its own signed thinking: a
      // turn after another provider's goes without (docs/providers.md).
      const thoughts = to === 'claude-sonnet-4-5' ? 1 : 2;
      assert.equal(types.filter((t) => t === 'reasoning_item').length, thoughts, JSON.stringify(res.newItems.map((i) => i.rawItem)));
      assert.ok(res.finalOutput.length > 0);
    });
  }
}

runChecks('OpenAI Agents SDK, more');
