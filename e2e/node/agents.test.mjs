// OpenAI's Agents SDK for JavaScript (npm @openai/agents) against the
// router, on each of its ways to a model (the Responses API over HTTP and
// over a websocket, Chat Completions: agents_common.mjs) with each
// upstream wire format behind it: runs, function tools over several turns
// and in parallel, handoffs, a zod outputType, streamed runs,
// conversations by history and by previousResponseId, model settings,
// reasoning (store: false with encrypted reasoning too), usage, an unknown
// model's error and an input guardrail. agents_more.test.mjs has the rest.
import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { Agent, InputGuardrailTripwireTriggered, ModelBehaviorError } from '@openai/agents';
import { Person, callsOf, check, models, runChecks, runners, thinkers, usageOK, weather, time } from './agents_common.mjs';

for (const [api, runIt] of Object.entries(runners)) {
  check(`error: unknown model ${api}`, async () => {
    const agent = new Agent({ name: 'Assistant', model: 'no-such-model' });
    for (const stream of [false, true]) {
      await assert.rejects(
        (async () => { const r = await runIt(agent, 'hi', { stream }); if (stream) await r.completed; })(),
        (err) => {
          // Over a websocket the router sends the error event (status 404,
          // model_not_found), which the SDK reports without its payload.
          if (api === 'responses_websocket') return err instanceof ModelBehaviorError && /terminal state "error"/.test(err.message);
          assert.ok(err instanceof APIError, `${err?.name}: ${err?.message}`);
          assert.equal(err.status, 404);
          assert.match(err.message, /no-such-model/);
          return true;
        },
      );
    }
  });

  check(`input guardrail tripwire ${api}`, async () => {
    let checked = 0;
    const agent = new Agent({
      name: 'Assistant', model: 'gpt-4o-mini',
      inputGuardrails: [{ name: 'no homework', execute: async ({ input }) => {
        checked++;
        return { tripwireTriggered: /homework/.test(JSON.stringify(input)), outputInfo: { checked } };
      } }],
    });
    await assert.rejects(runIt(agent, 'Do my math homework.'), InputGuardrailTripwireTriggered);
    const ok = await runIt(agent, 'Say hello.');
    assert.ok(ok.finalOutput.length > 0);
    assert.equal(checked, 2);
  });

  for (const model of models) {
    const at = `${api} via ${model}`;

    check(`run ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model });
      const res = await runIt(agent, 'Say hello.');
      assert.ok(res.finalOutput.length > 0);
      assert.equal(res.rawResponses.length, 1);
      assert.ok(res.rawResponses[0].responseId);
      usageOK(res, 1, at);
    });

    check(`function tool, multi-turn ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
      const res = await runIt(agent, 'Use get_weather for Lima, then answer.');
      assert.deepEqual(callsOf(res), ['get_weather']);
      const out = res.newItems.find((i) => i.type === 'tool_call_output_item');
      assert.deepEqual(out.output, { city: JSON.parse(res.newItems.find((i) => i.type === 'tool_call_item').rawItem.arguments).city, celsius: 21 });
      assert.ok(res.finalOutput.length > 0);
      assert.equal(res.rawResponses.length, 2);
      usageOK(res, 2, at);
    });

    check(`two tools in parallel ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather, time], modelSettings: { parallelToolCalls: true } });
      const res = await runIt(agent, 'Use get_weather for Paris and get_time for Tokyo.');
      assert.deepEqual(callsOf(res).sort(), ['get_time', 'get_weather']);
      assert.equal(res.rawResponses.length, 2, 'both calls in one turn');
      assert.match(res.finalOutput, /09:30|21/);
    });

    check(`handoff ${at}`, async () => {
      const spanish = new Agent({ name: 'Spanish agent', instructions: 'Answer in Spanish.', model, handoffDescription: 'Speaks Spanish' });
      const triage = new Agent({ name: 'Triage agent', model, handoffs: [spanish] });
      const res = await runIt(triage, 'Use transfer_to_spanish_agent, then say hello.');
      assert.equal(res.lastAgent.name, 'Spanish agent');
      assert.ok(res.newItems.some((i) => i.type === 'handoff_output_item'));
      assert.ok(res.finalOutput.length > 0);
    });

    check(`structured outputType ${at}`, async () => {
      const agent = new Agent({ name: 'Extractor', model, outputType: Person });
      const res = await runIt(agent, 'Extract: Grace Hopper, 85.');
      assert.deepEqual(res.finalOutput, Person.parse(res.finalOutput));
    });

    check(`stream ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
      const res = await runIt(agent, 'Use get_weather for Lima, then answer.', { stream: true });
      let text = '';
      const items = [], raw = [];
      for await (const ev of res) {
        if (ev.type === 'raw_model_stream_event') raw.push(ev.data.type);
        if (ev.type === 'raw_model_stream_event' && ev.data.type === 'output_text_delta') text += ev.data.delta;
        if (ev.type === 'run_item_stream_event' && ev.name !== 'reasoning_item_created') items.push(ev.name);
      }
      await res.completed;
      assert.equal(res.error, null);
      assert.ok(text.length > 0);
      assert.equal(res.finalOutput, text);
      assert.deepEqual(items, ['tool_called', 'tool_output', 'message_output_created']);
      assert.deepEqual(raw.filter((t) => t === 'response_started' || t === 'response_done'), ['response_started', 'response_done', 'response_started', 'response_done']);
      usageOK(res, 2, at);
    });

    check(`multi-turn via history ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
      const first = await runIt(agent, 'Use get_weather for Lima, then answer.');
      const second = await runIt(agent, [...first.history, { role: 'user', content: 'And say goodbye.' }]);
      assert.ok(second.finalOutput.length > 0);
      assert.ok(second.history.length > first.history.length);
    });

    if (api !== 'chat_completions') {
      check(`multi-turn via previousResponseId ${at}`, async () => {
        const agent = new Agent({ name: 'Assistant', model, tools: [weather] });
        const first = await runIt(agent, 'Use get_weather for Lima, then answer.');
        assert.ok(first.lastResponseId);
        const second = await runIt(agent, 'And say goodbye.', { previousResponseId: first.lastResponseId });
        assert.ok(second.finalOutput.length > 0);
        assert.notEqual(second.lastResponseId, first.lastResponseId);
      });
    }

    check(`modelSettings temperature, toolChoice required ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather], modelSettings: { temperature: 0.2, toolChoice: 'required', maxTokens: 200 } });
      // No tool named: required calls one; the SDK resets tool_choice after it.
      const res = await runIt(agent, 'What is it like in Lima?');
      assert.deepEqual(callsOf(res), ['get_weather']);
      assert.ok(res.finalOutput.length > 0);
    });
    check(`toolChoice a named tool ${at}`, async () => {
      const agent = new Agent({ name: 'Assistant', model, tools: [weather, time], modelSettings: { toolChoice: 'get_time' } });
      const res = await runIt(agent, 'What is it like in Lima?');
      assert.deepEqual(callsOf(res), ['get_time']);
      assert.ok(res.finalOutput.length > 0);
    });

    check(`structured outputType, streamed ${at}`, async () => {
      const agent = new Agent({ name: 'Extractor', model, outputType: Person });
      const res = await runIt(agent, 'Extract: Grace Hopper, 85.', { stream: true });
      for await (const _ of res.toTextStream()) { /* drain */ }
      await res.completed;
      assert.deepEqual(res.finalOutput, Person.parse(res.finalOutput));
    });

  }

  for (const model of thinkers) {
    const at = `${api} via ${model}`;
    check(`reasoning effort ${at}`, async () => {
      const agent = new Agent({ name: 'Thinker', model, tools: [weather], modelSettings: { reasoning: { effort: 'low', summary: 'auto' } } });
      const res = await runIt(agent, 'Use get_weather for Lima, then answer.');
      assert.deepEqual(callsOf(res), ['get_weather']);
      assert.ok(res.finalOutput.length > 0);
      const u = res.runContext.usage;
      assert.ok(u.outputTokensDetails.some((d) => d.reasoning_tokens > 0) || model === 'claude-sonnet-4-5', JSON.stringify(u));
      if (api !== 'chat_completions' && model !== 'o3-mini') {
        const r = res.newItems.find((i) => i.type === 'reasoning_item');
        assert.ok(r?.rawItem.content?.some((c) => c.text?.length > 0), `a reasoning summary: ${JSON.stringify(r?.rawItem)}`);
      }
    });

    if (api !== 'chat_completions' && model !== 'o3-mini') {
      check(`store:false, encrypted reasoning ${at}`, async () => {
        const agent = new Agent({
          name: 'Thinker', model, tools: [weather],
          modelSettings: { store: false, reasoning: { effort: 'low', summary: 'auto' }, providerData: { include: ['reasoning.encrypted_content'] } },
        });
        const res = await runIt(agent, 'Use get_weather for Lima, then answer.', { stream: true });
        for await (const _ of res) { /* drain */ }
        await res.completed;
        assert.equal(res.error, null);
        const r = res.newItems.find((i) => i.type === 'reasoning_item');
        assert.ok(r?.rawItem.providerData?.encrypted_content ?? r?.rawItem.encrypted_content, JSON.stringify(r?.rawItem));
        assert.ok(res.finalOutput.length > 0);
      });
    }
  }
}

runChecks('OpenAI Agents SDK');
