// Overview: traffic, errors, cost, tokens and latency over a window, by
// deployment, category or route (GET /admin/stats), and every
// deployment's health (GET /admin/health), with the health reset for the
// roles that may.

import { api, query } from '../api.js';
import { badge, fmtInt, fmtMs, fmtPct, fmtTime, fmtUSD, h, healthBadge, replace } from '../dom.js';
import { card, confirm, errorBox, filters, panel, share, sinceOptions, sinceParam, table } from '../widgets.js';
import { intervalFor, lineChart, ms, seriesOf } from '../chart.js';

const dims = [['deployment', 'deployment'], ['category', 'category'], ['route', 'route']];

export async function overview(ctx) {
  const since = ctx.params.since || '24h';
  const by = ctx.params.by || 'deployment';
  const q = { since: sinceParam(since) };
  const interval = intervalFor(since);
  const stats = ctx.can('GET /admin/stats');
  const [total, groups, timed, health] = await Promise.all([
    stats ? api('/admin/stats' + query(q)).catch((e) => e) : null,
    stats ? api('/admin/stats' + query({ ...q, by })).catch((e) => e) : null,
    stats && interval ? api('/admin/stats' + query({ ...q, by: by + ',time', interval })).catch((e) => e) : null,
    api('/admin/health'),
  ]);
  const form = filters([
    { name: 'since', label: 'Window', type: 'select', options: sinceOptions },
    { name: 'by', label: 'Group by', type: 'select', options: dims },
  ], { since, by }, (v) => ctx.set(v), 'Show');
  return h('div', null,
    h('h1', null, 'Overview'),
    form,
    total instanceof Error ? errorBox(total, 'Traffic') : totals(total),
    timed instanceof Error ? errorBox(timed, 'Traffic over time') : overTime(timed, by, since, interval),
    groups instanceof Error || !groups ? null : byGroup(groups, by, since),
    healthPanel(ctx, health));
}

// overTime charts requests, cost and median latency per bucket of the
// window, a line per deployment (category, route).
function overTime(stats, by, since, interval) {
  if (!stats || !stats.data.length) return null;
  const now = Date.now();
  const data = seriesOf(stats.data, by, now - ms(since), now, ms(interval));
  return panel('Over time', h('span', { class: 'muted small' }, 'by ' + by + ', every ' + interval),
    h('div', { class: 'charts' },
      lineChart('Requests', data, (r) => r.count, fmtInt, true),
      lineChart('Cost', data, (r) => r.cost_usd, fmtUSD, true),
      lineChart('Latency p50', data, (r) => r.latency_ms.p50, fmtMs, false)));
}

// totals are the window's figures over every request.
function totals(stats) {
  if (!stats) return null;
  const t = stats.data[0];
  if (!t) return h('p', { class: 'muted' }, 'No requests in this window.');
  return h('div', { class: 'cards' },
    card('Requests', fmtInt(t.count), fmtInt(t.fallbacks) + ' fell back (' + fmtPct(t.fallback_rate) + ')'),
    card('Error rate', fmtPct(t.error_rate), fmtInt(t.errors) + ' errors'),
    card('Cost', fmtUSD(t.cost_usd), 'served ' + fmtUSD(t.served_cost_usd) +
      (t.unknown_cost_requests ? '; ' + fmtInt(t.unknown_cost_requests) + ' of unknown price' : '')),
    card('Cost per request', fmtUSD(t.count ? t.cost_usd / t.count : 0)),
    card('Tokens', fmtInt(t.tokens.prompt + t.tokens.completion),
      fmtInt(t.tokens.prompt) + ' in (' + fmtInt(t.tokens.cached_read) + ' cached), ' + fmtInt(t.tokens.completion) + ' out'),
    card('Latency p50 / p99', fmtMs(t.latency_ms.p50) + ' / ' + fmtMs(t.latency_ms.p99), 'p90 ' + fmtMs(t.latency_ms.p90)),
    card('Time to first byte p50', fmtMs(t.ttft_ms.p50), 'p99 ' + fmtMs(t.ttft_ms.p99)));
}

// signals lists a group's non-zero answer-quality rates.
function signals(rates) {
  const parts = Object.entries(rates || {}).filter(([, v]) => v > 0).map(([k, v]) => badge(k + ' ' + fmtPct(v), 'warn'));
  return parts.length ? parts : h('span', { class: 'muted' }, 'none');
}

function byGroup(stats, by, since) {
  const total = stats.data.reduce((n, g) => n + g.count, 0);
  const link = (g) => {
    const v = g.group[by];
    const q = new URLSearchParams({ [by]: v });
    if (since !== 'all') q.set('since', since);
    return h('a', { href: '#/requests?' + q.toString(), title: 'The requests of this ' + by }, v || '(none)');
  };
  return panel('By ' + by, h('span', { class: 'muted small' }, fmtInt(total) + ' requests'), table([
    { label: by, cell: link },
    { label: 'requests', num: true, cell: (g) => fmtInt(g.count) },
    { label: 'share', cell: (g) => share(total ? g.count / total : 0) },
    { label: 'error rate', num: true, cell: (g) => h('span', { class: g.error_rate > 0.05 ? 'badge bad' : null }, fmtPct(g.error_rate)) },
    { label: 'fallbacks', num: true, cell: (g) => fmtPct(g.fallback_rate) },
    { label: 'latency p50', num: true, cell: (g) => fmtMs(g.latency_ms.p50) },
    { label: 'p99', num: true, cell: (g) => fmtMs(g.latency_ms.p99) },
    { label: 'TTFT p50', num: true, cell: (g) => fmtMs(g.ttft_ms.p50) },
    { label: 'tokens in / out', num: true, cell: (g) => fmtInt(g.tokens.prompt) + ' / ' + fmtInt(g.tokens.completion) },
    { label: 'cost', num: true, cell: (g) => h('span', null, fmtUSD(g.cost_usd),
      g.unknown_cost_requests ? h('span', { class: 'sub' }, g.unknown_cost_requests + ' unknown price') : null) },
    { label: 'per request', num: true, cell: (g) => fmtUSD(g.count ? g.cost_usd / g.count : 0) },
    { label: 'signals', cell: (g) => signals(g.signal_rates) },
  ], stats.data, { empty: 'No requests in this window.' }));
}

function healthPanel(ctx, health) {
  const canReset = ctx.can('POST /admin/health/{deployment}/reset');
  const msg = h('div');
  const price = (p) => {
    if (!p) return '—';
    if (!p.known) return badge('unknown price', 'warn');
    if (p.media) return h('span', null, mediaRate(p), h('span', { class: 'sub' }, p.media + ', ' + p.source));
    return h('span', null, '$' + p.input_per_m + ' / $' + p.output_per_m, h('span', { class: 'sub' }, 'per 1M in / out, ' + p.source),
      longPrompt(p.long_prompt));
  };
  const demotions = (d) => (d.quality_demotions || []).map((q) =>
    h('div', { class: 'small' }, badge(q.category === '*' ? 'every category' : q.category, 'warn'), q.source, ': ', q.reason));
  const reset = (d) => {
    const slot = h('span');
    const b = h('button', { type: 'button', class: 'danger' }, 'Reset');
    b.addEventListener('click', () => confirm(slot, 'Clear ' + d.deployment + "'s breaker, demotion and rate limit window?", 'Reset', async () => {
      try {
        await api('/admin/health/' + encodeURIComponent(d.deployment) + '/reset', { method: 'POST' });
        ctx.redraw();
      } catch (e) {
        replace(msg, errorBox(e, 'Reset ' + d.deployment));
        replace(slot);
      }
    }));
    return h('span', null, b, slot);
  };
  const cols = [
    { label: 'deployment', cell: (d) => h('a', { href: '#/requests?deployment=' + encodeURIComponent(d.deployment) }, d.deployment) },
    { label: 'status', cell: (d) => h('span', null, healthBadge(d.status), d.reason ? h('span', { class: 'sub' }, d.reason) : null,
      d.since ? h('span', { class: 'sub' }, 'since ' + fmtTime(d.since)) : null, demotions(d), flexWindow(d), fastWindow(d)) },
    { label: 'breaker', cell: (d) => badge(d.breaker, d.breaker === 'closed' ? 'ok' : 'bad') },
    { label: 'window', num: true, cell: (d) => fmtInt(d.window_requests) + ' req', title: 'the recent window' },
    { label: 'errors', num: true, cell: (d) => fmtPct(d.window_error_rate) },
    { label: 'TTFT p50 / p99', num: true, cell: (d) => fmtMs(d.ttft_p50_ms) + ' / ' + fmtMs(d.ttft_p99_ms) },
    { label: 'latency p50 / p99', num: true, cell: (d) => fmtMs(d.latency_p50_ms) + ' / ' + fmtMs(d.latency_p99_ms) },
    { label: 'spikes', num: true, cell: (d) => fmtInt(d.recent_spikes) },
    { label: 'price', cell: (d) => price(d.price) },
  ];
  // A reset is offered where there is something to clear.
  const troubled = (d) => d.status !== 'healthy' || d.breaker !== 'closed' || d.window_failures > 0 || d.recent_spikes > 0 ||
    d.flex_unavailable_until || d.fast_unavailable_until;
  if (canReset) cols.push({ label: '', cell: (d) => (troubled(d) ? reset(d) : '') });
  return panel('Deployment health', h('span', { class: 'muted small' }, 'now'), msg, table(cols, health.deployments));
}

// mediaRate is a media deployment's rate in the unit people quote it in:
// per image (the configured sizes), per 1M characters, per minute of
// audio, or per 1M tokens; the built-in per-pixel image prices are not
// listed (the unit says how they apply).
function mediaRate(p) {
  const usd = (v) => '$' + Number(v.toPrecision(6));
  if (p.per_image) return Object.entries(p.per_image).map(([k, v]) => usd(v) + ' ' + k).join(', ') + ' per image';
  if (p.per_character != null) return usd(p.per_character * 1e6) + ' per 1M characters';
  if (p.per_second != null) return usd(p.per_second * 60) + ' per minute';
  if (p.input_per_m != null) return usd(p.input_per_m) + ' / ' + usd(p.output_per_m || 0) + ' per 1M in / out' +
    (p.audio_input_per_m != null ? ', audio in ' + usd(p.audio_input_per_m) : '');
  return 'by size and quality';
}

// longPrompt shows a deployment's long-prompt band: the prices every
// token of a request over its threshold pays (none without a band).
function longPrompt(b) {
  if (!b) return null;
  return h('span', { class: 'sub', 'data-long-prompt': '' }, 'over ' + b.above_tokens.toLocaleString('en-US') +
    ' prompt tokens: $' + b.input_per_m + ' / $' + b.output_per_m + ', ' + b.source);
}

// fastWindow shows a deployment's fast window: until when requests for
// Claude's fast mode go to it at standard speed.
function fastWindow(d) {
  if (!d.fast_unavailable_until) return null;
  return h('span', { class: 'sub', 'data-fast-window': d.deployment },
    badge('fast mode limited', 'warn'), ' until ' + fmtTime(d.fast_unavailable_until) + ': fast requests go at standard speed');
}

// flexWindow shows a deployment's flex window: until when flex requests
// pass it over, and why (none for other requests).
function flexWindow(d) {
  if (!d.flex_unavailable_until) return null;
  return h('span', { class: 'sub', 'data-flex-window': d.deployment },
    badge('no flex capacity', 'warn'), ' until ' + fmtTime(d.flex_unavailable_until) + ': ' + (d.flex_reason || ''));
}
