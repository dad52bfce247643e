// Drift: the golden sets' runs (GET /admin/drift/runs), newest first with
// their verdicts, the deployments demoted for quality now (from
// GET /admin/health), and one run's page (GET /admin/drift/runs/{id}):
// its flagged tests with their evidence, every test, every prompt.

import { api, query } from '../api.js';
import { badge, fmtInt, fmtMs, fmtNum, fmtPct, fmtTime, fmtUSD, h } from '../dom.js';
import { filters, kv, pager, panel, table } from '../widgets.js';

const names = ['set', 'deployment', 'verdict', 'since', 'until', 'limit'];
const verdictOptions = [['', 'any'], ['flagged', 'flagged'], ['watch', 'watch'], ['clean', 'clean'], ['baseline', 'baseline'],
  ['incomplete', 'incomplete'], ['capped', 'capped']];

// verdictBadge labels a run's verdict.
export function verdictBadge(v) {
  return badge(v, { flagged: 'bad', watch: 'warn', clean: 'ok', incomplete: 'warn', capped: 'warn' }[v] || '');
}

export async function driftRuns(ctx) {
  const p = ctx.params;
  const q = { cursor: p.cursor };
  for (const k of names) q[k] = p[k];
  const [page, health] = await Promise.all([
    api('/admin/drift/runs' + query(q)),
    ctx.can('GET /admin/health') ? api('/admin/health').catch((e) => e) : null,
  ]);
  const keep = {};
  for (const k of names) if (p[k]) keep[k] = p[k];
  return h('div', null,
    h('h1', null, 'Quality drift'),
    demotions(health),
    filters([
      { name: 'set', label: 'Set', cls: 'narrow', placeholder: 'any' },
      { name: 'deployment', label: 'Deployment', placeholder: 'any' },
      { name: 'verdict', label: 'Verdict', type: 'select', options: verdictOptions },
      { name: 'since', label: 'Since', cls: 'narrow', placeholder: '7d' },
      { name: 'until', label: 'Until', cls: 'narrow' },
    ], p, (v) => ctx.set(v)),
    panel('Golden runs', h('span', { class: 'muted small' }, page.data.length + ' shown, newest first'),
      table([
        { label: 'started', nowrap: true, cell: (r) => fmtTime(r.started) },
        { label: 'run', cell: (r) => h('a', { href: '#/drift/runs/' + encodeURIComponent(r.id), class: 'mono', 'data-run': r.id }, r.id) },
        { label: 'set', cell: (r) => r.set },
        { label: 'deployment', cell: (r) => r.deployment },
        { label: 'prompts', num: true, cell: (r) => fmtInt(r.prompts) },
        { label: 'pass rate', num: true, cell: (r) => h('span', { 'data-field': 'pass_rate' }, fmtPct(r.pass_rate)) },
        { label: 'refused', num: true, cell: (r) => fmtInt(r.refused) },
        { label: 'errors', num: true, cell: (r) => fmtInt(r.errors) },
        { label: 'cost', num: true, cell: (r) => h('span', { 'data-field': 'cost' }, fmtUSD(r.cost_usd)) },
        { label: 'verdict', cell: (r) => h('span', { 'data-field': 'verdict' }, verdictBadge(r.verdict), r.pinned ? badge('pinned', 'accent') : null,
          r.flagged_tests ? h('span', { class: 'sub' }, r.flagged_tests + ' flagged test' + (r.flagged_tests > 1 ? 's' : '')) : null) },
      ], page.data, { empty: 'No golden run matches. Runs are made on the schedule of drift.sets, or with switchyard drift run.' }),
      pager(p.cursor, page.next, (cursor) => ctx.set({ ...keep, cursor }))));
}

// demotions lists the deployments quality monitoring demotes now.
function demotions(health) {
  if (!health) return null;
  if (health instanceof Error) return null;
  const rows = [];
  for (const d of health.deployments) for (const q of d.quality_demotions || []) rows.push(q);
  return panel('Demoted for quality now', h('span', { class: 'muted small' }, 'from deployment health'),
    table([
      { label: 'deployment', cell: (q) => h('span', { 'data-field': 'demoted' }, q.deployment) },
      { label: 'category', cell: (q) => (q.category === '*' ? 'every category' : q.category) },
      { label: 'source', cell: (q) => h('span', null, q.source, q.route ? h('span', { class: 'sub' }, 'route ' + q.route) : null) },
      { label: 'run', cell: (q) => (q.run_id ? h('a', { href: '#/drift/runs/' + encodeURIComponent(q.run_id), class: 'mono' }, q.run_id) : '—') },
      { label: 'since', nowrap: true, cell: (q) => fmtTime(q.since) },
      { label: 'reason', cell: (q) => q.reason },
    ], rows, { empty: 'No deployment is demoted for quality.' }));
}

export async function driftRun(ctx) {
  const r = await api('/admin/drift/runs/' + encodeURIComponent(ctx.vars.id));
  const flagged = r.tests.filter((t) => t.flagged);
  return h('div', null,
    h('h1', null, 'Golden run ', h('span', { class: 'mono' }, r.id)),
    panel('Run', verdictBadge(r.verdict), kv([
      ['Set', r.set],
      ['Deployment', h('span', { 'data-field': 'deployment' }, r.deployment)],
      ['Started', fmtTime(r.started)],
      ['Finished', fmtTime(r.finished)],
      ['Prompts', h('span', { 'data-field': 'prompts' }, fmtInt(r.prompts))],
      ['Pass rate', h('span', { 'data-field': 'pass_rate' }, fmtPct(r.pass_rate) + ' (' + fmtInt(r.passed) + ' of ' + fmtInt(r.prompts - r.errors) + ' answered)')],
      ['Refused', fmtInt(r.refused)],
      ['Errors', fmtInt(r.errors)],
      ['Cost', h('span', { 'data-field': 'cost' }, fmtUSD(r.cost_usd))],
      ['Pinned baseline', r.pinned ? 'yes' : null],
    ])),
    panel('Flagged tests', h('span', { class: 'muted small' }, flagged.length + ' of ' + r.tests.length),
      flagged.length ? h('ul', { class: 'evidence' }, flagged.map((t) => h('li', { 'data-flagged': '' }, t.description)))
        : h('p', { class: 'muted' }, r.tests.length ? 'No test was flagged.' : 'This run was not compared (a baseline, capped or incomplete run).')),
    r.tests.length ? panel('Every test', null, testTable(r.tests)) : null,
    panel('Prompts', h('span', { class: 'muted small' }, r.results.length + ' answered or failed'), table([
      { label: 'prompt', cell: (x) => h('span', { class: 'mono', 'data-field': 'prompt' }, x.prompt_id) },
      { label: 'category', cell: (x) => x.category },
      { label: 'expects', cell: (x) => x.expect },
      { label: 'result', cell: (x) => (x.error_kind ? badge('error ' + x.error_kind, 'bad') : badge(x.pass ? 'pass' : 'fail', x.pass ? 'ok' : 'warn')) },
      { label: 'refusal', cell: (x) => (x.refusal ? badge('refusal', 'warn') : '') },
      { label: 'chars', num: true, cell: (x) => fmtInt(x.answer_chars) },
      { label: 'latency', num: true, cell: (x) => fmtMs(x.latency_ms) },
      { label: 'cost', num: true, cell: (x) => fmtUSD(x.cost_usd) },
    ], r.results, { empty: 'No result stored.' })));
}

// testTable lists a run's tests with their p and q values.
export function testTable(tests) {
  const p = (v) => (v < 0.001 ? v.toExponential(1) : fmtNum(v));
  return table([
    { label: '', cell: (t) => (t.flagged ? badge('flagged', 'bad') : '') },
    { label: 'metric', cell: (t) => h('span', null, t.metric, t.category ? h('span', { class: 'sub' }, t.category) : null) },
    { label: 'scope', cell: (t) => t.scope },
    { label: 'baseline → current', num: true, cell: (t) => fmtNum(t.baseline) + ' → ' + fmtNum(t.current) },
    { label: 'n', num: true, cell: (t) => fmtInt(t.baseline_n) + ', ' + fmtInt(t.current_n) },
    { label: 'effect', num: true, cell: (t) => fmtNum(t.effect) },
    { label: 'test', cell: (t) => t.test },
    { label: 'p', num: true, cell: (t) => h('span', { 'data-field': 'p' }, p(t.p)) },
    { label: 'q', num: true, cell: (t) => h('span', { 'data-field': 'q' }, p(t.q)) },
  ], tests);
}
