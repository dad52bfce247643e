// The weekly report (GET /admin/report): what routing saved against each
// route's reference deployment (savings.js), each route's categories by
// deployment — volume, cost, satisfaction — and the recommendations with
// the evidence behind them and the config changes that apply them.

import { api, query } from '../api.js';
import { fmtInt, fmtInterval, fmtNum, fmtPct, fmtUSD, h } from '../dom.js';
import { filters, kv, panel, share, sinceOptions, sinceParam, table } from '../widgets.js';
import { savingsPanel } from './savings.js';

export async function report(ctx) {
  const p = ctx.params;
  const since = p.since || '7d';
  const rep = await api('/admin/report' + query({
    since: sinceParam(since), min_outcomes: p.min_outcomes, large_prompt_tokens: p.large_prompt_tokens, reference: p.reference,
  }));
  const form = filters([
    { name: 'since', label: 'Window', type: 'select', options: sinceOptions },
    { name: 'min_outcomes', label: 'Min outcomes', type: 'number', cls: 'narrow', placeholder: String(rep.min_outcomes), min: 1 },
    { name: 'large_prompt_tokens', label: 'Large prompt (tokens)', type: 'number', cls: 'narrow', placeholder: String(rep.large_prompt_tokens), min: 1 },
    { name: 'reference', label: 'Savings reference', placeholder: 'each route\'s default', title: 'a deployment for every route, or route=deployment, comma-separated' },
  ], { ...p, since }, (v) => ctx.set(v));
  return h('div', null,
    h('h1', null, 'Weekly report'),
    form,
    savingsPanel(rep.savings),
    panel('Recommendations', h('span', { class: 'muted small' }, rep.recommendations.length + ' found'),
      rep.recommendations.length ? rep.recommendations.map(recommendation) :
        h('p', { class: 'muted' }, 'None: no cheaper deployment did as well, with enough outcomes, in this window.')),
    rep.notes.length ? panel('Notes', null, h('ul', null, rep.notes.map((n) => h('li', null, n)))) : null,
    panel('Route × category × deployment', null, rows(rep.rows)),
    h('div', { 'data-panel': 'batches' }, panel('Batches',
      h('span', { class: 'muted small' }, 'a breakdown: chat lines are requests of the rows above (in rows)'),
      batchRows(rep.batches || []))));
}

// batchRows are the batch lines of the window per deployment: forwarded
// to the provider's batch API (at the batch price) or run on the router.
function batchRows(list) {
  return table([
    { label: 'deployment', cell: (b) => b.deployment || '—' },
    { label: 'batches', num: true, cell: (b) => fmtInt(b.batches) },
    { label: 'lines', num: true, cell: (b) => fmtInt(b.lines) },
    { label: 'forwarded', num: true, cell: (b) => fmtInt(b.forwarded) },
    { label: 'on router', num: true, cell: (b) => fmtInt(b.on_router) },
    { label: 'in rows', num: true, title: 'chat lines, also counted in the rows above', cell: (b) => fmtInt(b.in_rows) },
    { label: 'cost', num: true, cell: (b) => h('span', null, fmtUSD(b.cost_usd), b.cost_unknown ? h('span', { class: 'sub' }, 'unknown price') : null) },
    { label: 'forwarded cost', num: true, cell: (b) => fmtUSD(b.forwarded_cost_usd) },
  ], list, { empty: 'No batch line in this window.' });
}

// rows groups the report's rows under a heading per route and category.
function rows(list) {
  const out = [];
  let last = '';
  for (const r of list) {
    const k = r.route + '/' + r.category;
    if (k !== last) out.push({ groupRow: 'route ' + r.route + ' · category ' + (r.category || '—') });
    last = k;
    out.push(r);
  }
  return table([
    { label: 'deployment', cell: (r) => r.deployment },
    { label: 'share', cell: (r) => h('span', null, share(r.share), ' ', fmtPct(r.share, 0)) },
    ...statColumns(),
  ], out, { empty: 'No requests in this window.' });
}

// statColumns are the columns of an account (ReportStats).
function statColumns(get = (r) => r) {
  return [
    { label: 'requests', num: true, cell: (r) => fmtInt(get(r).requests) },
    // Refusals passed over for another candidate (on_refusal: fallback).
    { label: 'refused', num: true, cell: (r) => fmtInt(get(r).refused || 0) },
    { label: 'outcomes', num: true, cell: (r) => fmtInt(get(r).outcomes) },
    { label: 'satisfaction', num: true, cell: (r) => get(r).satisfaction === null ? h('span', { class: 'muted' }, '—') :
      h('span', null, fmtNum(get(r).satisfaction), h('span', { class: 'sub' }, fmtInterval(get(r).satisfaction_interval))) },
    { label: 'cost', num: true, cell: (r) => fmtUSD(get(r).cost_usd) },
    { label: 'per request', num: true, cell: (r) => fmtUSD(get(r).cost_per_request_usd) },
  ];
}

function recommendation(rec) {
  const sides = [{ role: 'incumbent', ...rec.incumbent }, { role: 'cheaper', ...rec.cheaper }];
  const large = rec.large_prompts;
  return h('div', { class: 'panel' },
    h('h3', null, 'route ' + rec.route + ' · category ' + rec.category),
    h('p', null, rec.text),
    kv([
      ['share it can take', fmtPct(rec.share)],
      ['cost ratio', fmtNum(rec.cost_ratio) + '× the incumbent\'s per request'],
    ]),
    h('h3', null, 'Evidence'),
    table([{ label: '', cell: (s) => s.role }, { label: 'deployment', cell: (s) => s.deployment }, ...statColumns()], sides),
    large ? h('div', null,
      h('h3', null, 'Prompts over ' + fmtInt(large.over_tokens) + ' tokens (the cheaper one does worse there)'),
      table([{ label: '', cell: (s) => s.role }, ...statColumns((s) => s.stats)],
        [{ role: 'incumbent', stats: large.incumbent }, { role: 'cheaper', stats: large.cheaper }])) : null,
    h('h3', null, 'Config changes that apply it'),
    h('pre', { class: 'block' }, (rec.changes || []).map((c) =>
      c.path.join('.') + (c.append ? ' += ' : ' = ') + JSON.stringify(c.value)).join('\n')));
}
