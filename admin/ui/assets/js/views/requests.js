// Requests: the request log (GET /admin/requests) with its filters and
// cursor pagination; each row links to the request's detail.

import { api, query } from '../api.js';
import { badge, fmtInt, fmtMs, fmtPct, fmtTime, fmtUSD, h, statusBadge } from '../dom.js';
import { filters, pager, panel, table } from '../widgets.js';

// The listing's filters, as the API names them.
const filterNames = ['since', 'until', 'tenant', 'route', 'category', 'deployment', 'batch', 'status', 'stream', 'limit'];

export async function requestList(ctx) {
  const p = ctx.params;
  const q = { cursor: p.cursor };
  for (const k of filterNames) q[k] = p[k];
  if (ctx.me.tenant) q.tenant = '';
  const page = await api('/admin/requests' + query(q));
  const form = filters([
    { name: 'since', label: 'Since', placeholder: '1h, 7d, 2026-03-01', cls: 'narrow' },
    { name: 'until', label: 'Until', placeholder: 'time', cls: 'narrow' },
    { name: 'tenant', label: 'Tenant', cls: 'narrow', disabled: !!ctx.me.tenant,
      placeholder: ctx.me.tenant || 'any', title: ctx.me.tenant ? 'This key reads only its tenant' : null },
    { name: 'route', label: 'Route', cls: 'narrow', placeholder: 'any' },
    { name: 'category', label: 'Category', cls: 'narrow', placeholder: 'any' },
    { name: 'deployment', label: 'Deployment', placeholder: 'any' },
    { name: 'batch', label: 'Batch', placeholder: 'batch_… id', title: 'A batch id: the lines of that batch' },
    { name: 'status', label: 'Status', cls: 'narrow', placeholder: 'ok, error, 429' },
    { name: 'stream', label: 'Stream', type: 'select', options: [['', 'any'], ['true', 'streamed'], ['false', 'not streamed']] },
    { name: 'limit', label: 'Rows', type: 'select', options: [['', '50'], ['25', '25'], ['100', '100'], ['200', '200'], ['500', '500']] },
  ], p, (v) => ctx.set(v));
  const keep = {};
  for (const k of filterNames) if (p[k]) keep[k] = p[k];
  const shown = Object.keys(keep).filter((k) => k !== 'limit');
  return h('div', null,
    h('h1', null, 'Requests'),
    form,
    panel(shown.length ? 'Filtered: ' + shown.map((k) => k + '=' + keep[k]).join(', ') : 'Newest first',
      h('span', { class: 'muted small' }, page.data.length + ' shown' + (p.cursor ? ' (a later page)' : '')),
      requestTable(page.data),
      pager(p.cursor, page.next, (cursor) => ctx.set({ ...keep, cursor }))));
}

// requestTable lists request summaries.
export function requestTable(rows) {
  return table([
    { label: 'time', nowrap: true, cell: (r) => fmtTime(r.time) },
    { label: 'request', cell: (r) => h('a', { href: '#/requests/' + encodeURIComponent(r.id), class: 'mono' }, r.id) },
    { label: 'tenant / key', cell: (r) => h('span', null, r.tenant || '—', r.key_name ? h('span', { class: 'sub' }, r.key_name) : null) },
    { label: 'route', cell: (r) => h('span', null, r.route || '—', r.pinned ? h('span', { class: 'sub' }, 'pinned ' + r.pinned) : null,
      r.endpoint !== 'chat' ? h('span', { class: 'sub' }, r.endpoint) : null,
      r.batch_id ? h('span', { class: 'sub' }, 'batch ', h('a', { href: '#/requests?batch=' + encodeURIComponent(r.batch_id), class: 'mono' }, r.batch_id)) : null) },
    { label: 'category', cell: (r) => r.category ? h('span', null, r.category, h('span', { class: 'sub' }, fmtPct(r.confidence, 0) + ' confident')) : '—' },
    { label: 'deployment', cell: (r) => h('span', null, r.deployment || '—',
      r.fallback ? badge('fallback', 'warn') : null, r.resumed_from ? badge('resumed', 'warn') : null) },
    { label: 'status', cell: (r) => h('span', null, statusBadge(r.status, r.failed), r.error_kind ? h('span', { class: 'sub' }, r.error_kind) : null,
      r.stream_failed ? badge('stream cut', 'bad') : null) },
    { label: 'tokens in / out', num: true, cell: (r) => fmtInt(r.tokens.prompt) + ' / ' + fmtInt(r.tokens.completion) },
    { label: 'cost', num: true, cell: (r) => h('span', null, fmtUSD(r.cost_usd),
      r.cost_unknown ? h('span', { class: 'sub' }, 'unknown price') : r.cost_estimated ? h('span', { class: 'sub' }, 'estimated') : null) },
    { label: 'latency', num: true, cell: (r) => h('span', null, fmtMs(r.latency_ms), r.stream ? h('span', { class: 'sub' }, 'TTFT ' + fmtMs(r.ttft_ms)) : null) },
  ], rows, { empty: 'No request matches.' });
}
