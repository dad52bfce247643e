// Batches (GET /admin/batches): the batches of both batch APIs, newest
// first, with their status, counts, cost and the deployments their lines
// ran on — sent to the provider's batch API (at the batch price) or run
// by the router. Each links to its lines in the request log
// (#/requests?batch=ID).

import { api, query } from '../api.js';
import { badge, fmtInt, fmtTime, fmtUSD, h } from '../dom.js';
import { filters, pager, panel, table } from '../widgets.js';

// statusKinds colours a batch's status.
const statusKinds = {
  completed: 'ok', failed: 'bad', expired: 'warn', cancelled: 'warn', cancelling: 'warn',
  in_progress: 'accent', validating: 'accent', finalizing: 'accent',
};

export async function batches(ctx) {
  const p = ctx.params;
  const q = { cursor: p.cursor, tenant: ctx.me.tenant ? '' : p.tenant };
  const page = await api('/admin/batches' + query(q));
  const keep = p.tenant && !ctx.me.tenant ? { tenant: p.tenant } : {};
  return h('div', null,
    h('h1', null, 'Batches'),
    filters([
      { name: 'tenant', label: 'Tenant', cls: 'narrow', disabled: !!ctx.me.tenant,
        placeholder: ctx.me.tenant || 'any', title: ctx.me.tenant ? 'This key reads only its tenant' : null },
    ], p, (v) => ctx.set(v)),
    panel('Newest first', h('span', { class: 'muted small' }, page.data.length + ' shown' + (p.cursor ? ' (a later page)' : '')),
      batchTable(page.data),
      pager(p.cursor, page.next, (cursor) => ctx.set({ ...keep, cursor }))));
}

// batchTable lists batches.
function batchTable(rows) {
  return table([
    { label: 'created', nowrap: true, cell: (b) => fmtTime(b.created_at) },
    { label: 'batch', cell: (b) => h('span', null,
      h('a', { href: '#/requests?batch=' + encodeURIComponent(b.id), class: 'mono', title: 'Its lines in the request log' }, b.id),
      h('span', { class: 'sub' }, b.api === 'message_batches' ? 'Message Batch' : 'Batch API', ' · ', b.endpoint || '—')) },
    { label: 'tenant / key', cell: (b) => h('span', null, b.tenant || '—', b.key_name ? h('span', { class: 'sub' }, b.key_name) : null) },
    { label: 'status', cell: (b) => h('span', null, badge(b.status, statusKinds[b.status] || ''),
      b.ended_at ? h('span', { class: 'sub' }, 'ended ' + fmtTime(b.ended_at)) : null) },
    { label: 'requests', num: true, title: 'answered / failed of all', cell: (b) => h('span', null,
      fmtInt(b.request_counts.completed) + ' / ' + fmtInt(b.request_counts.failed),
      h('span', { class: 'sub' }, 'of ' + fmtInt(b.request_counts.total))) },
    { label: 'ran', cell: (b) => b.runs ? badge({ provider: 'provider batch', router: 'router', both: 'provider + router' }[b.runs] || b.runs,
      b.runs === 'router' ? '' : 'accent') : h('span', { class: 'muted' }, '—') },
    { label: 'deployments', cell: (b) => b.deployments.length ? h('ul', { class: 'plain' }, b.deployments.map(deployed)) : '—' },
    { label: 'cost', num: true, title: 'served cost; total: every call billed', cell: (b) => h('span', null, fmtUSD(b.cost_usd),
      b.total_cost_usd !== b.cost_usd ? h('span', { class: 'sub' }, 'total ' + fmtUSD(b.total_cost_usd)) : null) },
  ], rows, { empty: 'No batch.' });
}

// deployed is one deployment's lines of a batch.
function deployed(d) {
  const how = [];
  if (d.forwarded) how.push(fmtInt(d.forwarded) + ' forwarded');
  if (d.on_router) how.push(fmtInt(d.on_router) + ' on router');
  return h('li', { 'data-deployment': d.deployment }, h('span', null, d.deployment || '—'),
    h('span', { class: 'sub' }, fmtInt(d.lines) + ' line' + (d.lines === 1 ? '' : 's') + ' (' + how.join(', ') + ') · ' + fmtUSD(d.cost_usd) +
      (d.cost_unknown ? ' (unknown price)' : '')));
}
