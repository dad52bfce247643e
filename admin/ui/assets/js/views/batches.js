// Batches (GET /admin/batches): the batches of both batch APIs, newest
// first, with their status, counts, cost and the deployments their lines
// ran on — sent to the provider's batch API (at the batch price) or run
// by the router. A Message Batch shows Anthropic's processing_status and
// counts. Filters on status (the Batch API's words, for both APIs), a
// Message Batch's processing_status, API and creation time, applied by
// the admin API. Each links to its lines in the request log
// (#/requests?batch=ID).

import { api, query } from '../api.js';
import { badge, fmtInt, fmtTime, fmtUSD, h } from '../dom.js';
import { filters, pager, panel, table } from '../widgets.js';

// statusKinds colours a batch's status.
const statusKinds = {
  completed: 'ok', failed: 'bad', expired: 'warn', cancelled: 'warn', cancelling: 'warn',
  in_progress: 'accent', validating: 'accent', finalizing: 'accent',
};

// messageKinds colours a Message Batch's processing_status.
const messageKinds = { in_progress: 'accent', canceling: 'warn', ended: 'ok' };

// statusOptions are the status filter's choices: any, the running ones,
// the ended ones, or one status (status= takes a comma-separated list).
const statusOptions = [['', 'any'], ['validating,in_progress,finalizing', 'running'],
  ['completed,failed,expired,cancelled', 'ended'],
  ...['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled'].map((s) => [s, s])];

// filterNames are the view's parameters kept from page to page.
const filterNames = ['tenant', 'status', 'processing_status', 'api', 'since', 'until'];

export async function batches(ctx) {
  const p = ctx.params;
  const keep = {};
  for (const n of filterNames) if (p[n] && !(n === 'tenant' && ctx.me.tenant)) keep[n] = p[n];
  const page = await api('/admin/batches' + query({ ...keep, cursor: p.cursor }));
  return h('div', null,
    h('h1', null, 'Batches'),
    filters([
      { name: 'tenant', label: 'Tenant', cls: 'narrow', disabled: !!ctx.me.tenant,
        placeholder: ctx.me.tenant || 'any', title: ctx.me.tenant ? 'This key reads only its tenant' : null },
      { name: 'status', label: 'Status', type: 'select', options: statusOptions,
        title: "The Batch API's status; a Message Batch's too (in_progress, canceling, ended: running, cancelling, ended)" },
      { name: 'processing_status', label: 'Processing', type: 'select',
        options: [['', 'any'], ...['in_progress', 'canceling', 'ended'].map((s) => [s, s])],
        title: "A Message Batch's processing_status (Message Batches only)" },
      { name: 'api', label: 'API', type: 'select', options: [['', 'any'], ['openai', 'Batch API (OpenAI)'], ['anthropic', 'Message Batches (Anthropic)']] },
      { name: 'since', label: 'Created since', placeholder: '1h, 7d, 2026-03-01', cls: 'narrow' },
      { name: 'until', label: 'Until', placeholder: 'time', cls: 'narrow' },
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
    { label: 'status', cell: statusCell },
    { label: 'requests', num: true, title: 'answered / failed of all', cell: countsCell },
    { label: 'ran', cell: (b) => b.runs ? badge({ provider: 'provider batch', router: 'router', both: 'provider + router' }[b.runs] || b.runs,
      b.runs === 'router' ? '' : 'accent') : h('span', { class: 'muted' }, '—') },
    { label: 'deployments', cell: (b) => b.deployments.length ? h('ul', { class: 'plain' }, b.deployments.map(deployed)) : '—' },
    { label: 'cost', num: true, title: 'served cost; total: every call billed', cell: (b) => h('span', null, fmtUSD(b.cost_usd),
      b.total_cost_usd !== b.cost_usd ? h('span', { class: 'sub' }, 'total ' + fmtUSD(b.total_cost_usd)) : null) },
  ], rows, { empty: 'No batch.' });
}

// statusCell is a batch's status: a Message Batch's processing_status,
// with the common status beside it (the one the filter takes).
function statusCell(b) {
  const ended = b.ended_at ? 'ended ' + fmtTime(b.ended_at) : null;
  if (!b.processing_status) {
    return h('span', null, badge(b.status, statusKinds[b.status] || ''), ended ? h('span', { class: 'sub' }, ended) : null);
  }
  return h('span', null, badge(b.processing_status, messageKinds[b.processing_status] || ''),
    h('span', { class: 'sub', title: 'The status GET /admin/batches?status= filters on' }, ['status ' + b.status, ended].filter(Boolean).join(' · ')));
}

// countsCell is a batch's requests in its API's shape: the Batch API's
// answered / failed of all; a Message Batch's succeeded / errored, and
// those processing, canceled or expired.
function countsCell(b) {
  const c = b.request_counts;
  if (!b.processing_status) {
    return h('span', null, fmtInt(c.completed) + ' / ' + fmtInt(c.failed), h('span', { class: 'sub' }, 'of ' + fmtInt(c.total)));
  }
  const rest = ['processing', 'canceled', 'expired'].filter((k) => c[k]).map((k) => fmtInt(c[k]) + ' ' + k);
  return h('span', { title: 'succeeded / errored' }, fmtInt(c.succeeded) + ' / ' + fmtInt(c.errored),
    h('span', { class: 'sub' }, ['succeeded / errored', ...rest].join(' · ')));
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
