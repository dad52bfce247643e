// One request (GET /admin/requests/{id}): why it went where it went —
// its category and where that came from, the policy, the rules, every
// candidate kept or dropped and why, the adaptive scorer's estimates,
// every attempt with its outcome and cost — then its cost, tokens,
// quality signals, guard findings, feedback and, when stored, its
// redacted prompt and answer.

import { api, query } from '../api.js';
import { badge, fmtInt, fmtMs, fmtNum, fmtPct, fmtTime, fmtUSD, h, outcomeBadge, statusBadge } from '../dom.js';
import { errorBox, kv, longText, panel, rawJSON, share, table } from '../widgets.js';
import { why } from './why.js';

export async function requestDetail(ctx) {
  const id = ctx.vars.id;
  const [r, fb] = await Promise.all([
    api('/admin/requests/' + encodeURIComponent(id)),
    ctx.can('GET /admin/feedback') ? api('/admin/feedback' + query({ request_id: id })).catch((e) => e) : null,
  ]);
  const ex = r.explanation || {};
  return h('div', { 'data-request': r.id },
    h('p', null, h('a', { href: '#/requests' }, '← Requests')),
    h('h1', null, 'Request ', h('span', { class: 'mono' }, r.id)),
    summary(r),
    panel('Why it went where it went', null, why(r)),
    h('div', { class: 'row' },
      panel('Classification', null, classification(r)),
      panel('Policy', null, policy(r, ex))),
    panel('Candidates', h('span', { class: 'muted small' }, 'every deployment the plan considered, in plan order'), candidates(r, ex)),
    panel('Attempts', h('span', { class: 'muted small' }, 'every upstream call, in order'), attempts(r)),
    h('div', { class: 'row' },
      panel('Cost and tokens', null, costs(r)),
      panel('Answer quality signals', null, signalList(r.signals)),
      ex.guard ? panel('Guard', null, guard(ex.guard)) : null),
    feedback(fb),
    r.bodies ? bodies(r.bodies) : panel('Prompt and answer', null,
      h('p', { class: 'muted' }, 'Not stored: the router keeps bodies only with store.bodies: redacted.')),
    others(ex),
    rawJSON(r));
}

function summary(r) {
  return h('div', { class: 'cards' },
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Status'),
      h('div', { class: 'value' }, statusBadge(r.status, r.failed), r.error_kind ? badge(r.error_kind, 'bad') : null,
        r.stream_failed ? badge('stream cut', 'bad') : null),
      h('div', { class: 'sub' }, fmtTime(r.time))),
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Route → deployment'),
      h('div', { class: 'value', 'data-field': 'deployment' }, r.deployment || '—'),
      h('div', { class: 'sub' }, (r.pinned ? 'pinned ' + r.pinned : 'route ' + (r.route || '—')) + ', ' + r.endpoint +
        (r.stream ? ', streamed' : ''), r.fallback ? badge('fallback', 'warn') : null, r.resumed_from ? badge('resumed from ' + r.resumed_from, 'warn') : null)),
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Category'),
      h('div', { class: 'value', 'data-field': 'category' }, r.category || '—'),
      h('div', { class: 'sub' }, r.category ? fmtPct(r.confidence) + ' confident' : '')),
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Cost'), h('div', { class: 'value' }, fmtUSD(r.cost_usd)),
      h('div', { class: 'sub' }, 'served ' + fmtUSD(r.served_cost_usd) + (r.cost_estimated ? ', estimated' : '') + (r.cost_unknown ? ', part of unknown price' : ''))),
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Latency'), h('div', { class: 'value' }, fmtMs(r.latency_ms)),
      h('div', { class: 'sub' }, 'first byte ' + fmtMs(r.ttft_ms))),
    h('div', { class: 'card' }, h('div', { class: 'label' }, 'Caller'), h('div', { class: 'value' }, r.tenant || '—'),
      h('div', { class: 'sub' }, r.key_name ? 'key ' + r.key_name : 'no key name')));
}

function classification(r) {
  const f = r.features || {};
  const scores = Object.entries(f.scores || {}).sort((a, b) => b[1] - a[1]);
  const flags = [['has_tools', 'tools'], ['wants_json', 'JSON asked'], ['has_code', 'code'], ['has_images', 'images']]
    .filter(([k]) => f[k]).map(([, l]) => badge(l, 'accent'));
  return h('div', null,
    kv([
      ['category', r.category ? h('strong', null, r.category) : '—'],
      ['confidence', r.category ? fmtPct(r.confidence) : null],
      ['from', (r.explanation || {}).category_source],
      ['prompt tokens', f.prompt_tokens ? fmtInt(f.prompt_tokens) : null],
      ['turn', f.turn ? String(f.turn) : null],
      ['language', f.language],
      ['features', flags.length ? flags : null],
    ]),
    scores.length ? h('h3', null, 'Classifier scores') : null,
    scores.length ? table([
      { label: 'category', cell: ([c]) => c === r.category ? h('strong', null, c) : c },
      { label: 'probability', num: true, cell: ([, v]) => fmtPct(v) },
      { label: '', cell: ([, v]) => share(v) },
    ], scores) : null);
}

function policy(r, ex) {
  const a = ex.adaptive;
  return h('div', null,
    kv([
      ['policy', ex.policy],
      ['strategy', ex.strategy],
      ['scorer', ex.scorer],
      ['rules matched', ex.rules && ex.rules.length ? ex.rules.map((x) => badge(x, 'accent')) : 'none'],
      ['propensity', r.propensity ? fmtNum(r.propensity) : null],
    ]),
    a ? h('h3', null, 'Adaptive scorer') : null,
    a ? kv([
      ['context', a.context],
      ['λ (cost weight)', fmtNum(a.lambda)],
      ['explore', fmtNum(a.explore)],
      ['greedy choice', a.greedy],
      ['explored', a.explored ? badge('yes: a draw chose another', 'warn') : 'no'],
    ]) : null);
}

function candidates(r, ex) {
  const list = ex.candidates || [];
  const learned = list.some((c) => c.p_good || c.outcomes || c.rank);
  const cols = [
    { label: 'deployment', cell: (c) => h('span', null, c.deployment, c.deployment === r.deployment ? badge('answered', r.failed ? 'bad' : 'ok') : null) },
    { label: 'kept', cell: (c) => c.kept ? badge('kept', 'ok') : badge('dropped', 'bad') },
    { label: 'tier', num: true, cell: (c) => c.tier ? String(c.tier) : '—' },
    { label: 'ranked by', cell: rankedBy },
    { label: 'why dropped', cell: (c) => c.kept ? (c.cost_unknown ? badge('unknown price', 'warn') : '') :
      h('span', null, c.reason ? badge(c.reason, 'bad') : null, c.by ? h('span', { class: 'muted' }, ' by ' + c.by) : null,
        c.detail ? h('span', { class: 'sub' }, c.detail) : null) },
  ];
  if (learned) {
    cols.push(
      { label: 'p(good)', num: true, cell: (c) => c.p_good ? fmtNum(c.p_good) + (c.ci95 ? ' ± ' + fmtNum(c.ci95) : '') : '—' },
      { label: 'outcomes', num: true, cell: (c) => c.outcomes ? fmtNum(c.outcomes) : '—' },
      { label: 'cost (rel.)', num: true, cell: (c) => c.cost ? fmtNum(c.cost) : '—' },
      { label: 'static rank', num: true, cell: (c) => (c.rank ? String(c.rank) : '—') + (c.static ? ' (too few outcomes)' : '') });
  }
  return table(cols, list, {
    empty: 'No candidates recorded (a pinned deployment, or a request refused before routing).',
    rowClass: (c) => (c.deployment === r.deployment ? 'chosen' : c.kept ? null : 'dropped'),
  });
}

// rankedBy names what moved a kept candidate: the caller's pin, a prefer
// list, the split's draw, health or quality demotion (ranked last), a
// quality probe (a demotion waived), a flex window (a flex request
// passes over it).
function rankedBy(c) {
  const marks = [
    [c.pinned, 'pinned', 'accent'], [c.preferred, 'preferred', 'accent'], [c.split, 'split pick', 'accent'],
    [c.demoted, 'demoted: failing', 'warn'], [c.quality_demoted, 'demoted for quality', 'warn'],
    [c.quality_probe, 'quality probe', 'accent'], [c.flex_unavailable_until, 'no flex capacity', 'warn'],
    [c.fast_unavailable_until, 'fast mode limited', 'warn'],
    [c.rate_limited_until, 'rate-limited', 'warn'],
  ].filter(([on]) => on).map(([, text, kind]) => badge(text, kind));
  return h('span', null, marks, c.quality_demoted ? h('span', { class: 'sub' }, c.quality_demoted) : null,
    c.flex_unavailable_until ? h('span', { class: 'sub' }, 'flex window until ' + fmtTime(c.flex_unavailable_until)) : null,
    c.fast_unavailable_until ? h('span', { class: 'sub' }, 'fast window until ' + fmtTime(c.fast_unavailable_until) + ': standard speed') : null,
    c.rate_limited_until ? h('span', { class: 'sub' }, 'rate limit window until ' + fmtTime(c.rate_limited_until)) : null);
}

function attempts(r) {
  return table([
    { label: '#', num: true, cell: (a) => String(r.attempts.indexOf(a) + 1) },
    { label: 'deployment', cell: (a) => h('span', null, a.deployment, a.hedge ? badge('hedge', 'accent') : null,
      a.resumed_from ? h('span', { class: 'sub' }, 'resumes ' + a.resumed_from) : null) },
    { label: 'tier', num: true, cell: (a) => String(a.tier || '—') },
    { label: 'outcome', cell: (a) => h('span', null, outcomeBadge(a.outcome), a.error_kind ? h('span', { class: 'sub' }, a.error_kind) : null) },
    { label: 'first byte', num: true, cell: (a) => fmtMs(a.ttft_ms) },
    { label: 'latency', num: true, cell: (a) => fmtMs(a.latency_ms) },
    { label: 'tokens in / out', num: true, cell: (a) => fmtInt(a.tokens.prompt) + ' / ' + fmtInt(a.tokens.completion) },
    { label: 'cost', num: true, cell: (a) => a.cost_unknown ? badge('unknown price', 'warn') : fmtUSD(a.cost_usd) },
  ], r.attempts || [], { empty: 'No upstream call was made.' });
}

function costs(r) {
  const t = r.tokens;
  return kv([
    ['total cost', fmtUSD(r.cost_usd) + ' (every billed attempt)'],
    ['served cost', fmtUSD(r.served_cost_usd) + ' (the answer the client got)'],
    ['estimated', r.cost_estimated ? badge('part estimated: no usage reported', 'warn') : null],
    ['unknown', r.cost_unknown ? badge('an attempt had no known price: a lower bound', 'warn') : null],
    ['prompt tokens', fmtInt(t.prompt)],
    ['cached reads', t.cached_read ? fmtInt(t.cached_read) : null],
    ['cache writes', t.cache_write ? fmtInt(t.cache_write) + (t.cache_write_1h ? ' (' + fmtInt(t.cache_write_1h) + ' for 1h)' : '') : null],
    ['completion tokens', fmtInt(t.completion)],
    ['reasoning tokens', t.reasoning ? fmtInt(t.reasoning) : null],
  ]);
}

function signalList(s) {
  if (!s) return h('p', { class: 'muted' }, 'None recorded.');
  const bad = [['refusal', 'refused'], ['content_filter', 'content filter'], ['truncated', 'truncated'], ['empty', 'empty answer']]
    .filter(([k]) => s[k]).map(([, l]) => badge(l, 'warn'));
  return kv([
    ['flags', bad.length ? bad : badge('none', 'ok')],
    ['format', s.format_checked ? (s.format_ok ? badge('kept', 'ok') : badge('not kept', 'bad')) : 'not asked'],
    ['invalid tool calls', s.invalid_tool_calls ? fmtInt(s.invalid_tool_calls) : null],
    ['answer length', fmtInt(s.answer_chars) + ' characters'],
    ['vs usual length', s.length_ratio ? fmtNum(s.length_ratio) + '×' : null],
  ]);
}

function guard(g) {
  return kv([
    ['injection score', g.scanned ? fmtNum(g.score) + (g.threshold ? ' (threshold ' + fmtNum(g.threshold) + ')' : '') : 'not scanned'],
    ['action', g.action ? h('span', null, g.action, ' ', g.acted ? badge('acted', 'bad') : badge('below threshold', 'ok')) : null],
    ['reasons', g.reasons && g.reasons.length ? g.reasons.map((x) => badge(x, 'warn')) : null],
    ['rerouted to', g.rerouted_to],
    ['links removed', g.links_removed ? fmtInt(g.links_removed) : null],
    ['images removed', g.images_removed ? fmtInt(g.images_removed) : null],
    ['system prompt leak', g.system_prompt_leak ? badge(g.leak_cut ? 'leak, cut' : 'leak', 'bad') : null],
  ]);
}

function feedback(fb) {
  if (fb === null) return null;
  if (fb instanceof Error) return panel('Feedback', null, errorBox(fb));
  return panel('Feedback', null, table([
    { label: 'time', nowrap: true, cell: (f) => fmtTime(f.time) },
    { label: 'kind', cell: (f) => badge(f.kind, f.value > 0.5 ? 'ok' : f.value < 0 || (f.kind === 'explicit' && f.value < 0.5) ? 'bad' : '') },
    { label: 'value', num: true, cell: (f) => fmtNum(f.value) },
    { label: 'tags', cell: (f) => (f.tags || []).map((t) => badge(t)) },
    { label: 'evidence', cell: (f) => evidence(f.evidence) },
    { label: 'cost', num: true, cell: (f) => f.cost_usd ? fmtUSD(f.cost_usd) : '' },
  ], fb.data, { empty: 'No rating or signal for this request.' }));
}

// evidence writes a feedback row's evidence as "name: value" pairs.
export function evidence(e) {
  return Object.entries(e || {}).map(([k, v]) =>
    h('span', { class: 'sub' }, k + ': ', k === 'by' ? h('a', { href: '#/requests/' + encodeURIComponent(v), class: 'mono' }, v) : String(v)));
}

function bodies(b) {
  const msgs = (b.messages || []).map((m) => h('div', { class: 'message' },
    h('div', { class: 'role' }, m.role + (m.tool_call_id ? ' (answers ' + m.tool_call_id + ')' : '')),
    m.text ? longText(m.text) : null,
    m.refusal ? longText('refusal: ' + m.refusal) : null,
    (m.tool_calls || []).map((c) => longText('tool call ' + JSON.stringify(c)))));
  const a = b.answer;
  return panel('Prompt and answer', h('span', { class: 'muted small' }, 'redacted as stored' + (b.truncated ? '; cut to the size bound' : '')),
    h('div', { class: 'chat' },
      b.omitted_messages ? h('p', { class: 'muted' }, b.omitted_messages + ' older messages left out') : null,
      msgs,
      a ? h('div', { class: 'message' }, h('div', { class: 'role' }, 'answer' + (a.finish_reason ? ' (' + a.finish_reason + ')' : '')),
        a.text ? longText(a.text) : null,
        a.refusal ? longText('refusal: ' + a.refusal) : null,
        (a.tool_calls || []).map((c) => longText('tool call ' + JSON.stringify(c))),
        (a.hosted || []).map((it) => longText('hosted ' + it.type + ' ' + it.item, 'block text hosted')),
        a.annotations ? longText('annotations ' + a.annotations, 'block text annotations') : null) : null));
}

// others shows any part of the explanation this page does not know yet,
// so nothing the API says is hidden.
function others(ex) {
  const known = new Set(['category_source', 'policy', 'strategy', 'scorer', 'rules', 'candidates', 'adaptive', 'guard', 'batch', 'split', 'no_fallback', 'service_tier', 'tier_price', 'required_inference_geo', 'inference_geo']);
  const rest = Object.entries(ex).filter(([k]) => !known.has(k));
  if (!rest.length) return null;
  return panel('More of the explanation', null, kv(rest.map(([k, v]) =>
    [k, typeof v === 'object' ? h('pre', { class: 'block text' }, JSON.stringify(v, null, 2)) : String(v)])));
}
