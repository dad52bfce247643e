// Scores and feedback: the cost-quality score of each group
// (GET /admin/scores) and the feedback rows behind it (GET /admin/feedback).

import { api, query } from '../api.js';
import { badge, fmtInt, fmtInterval, fmtNum, fmtTime, fmtUSD, h } from '../dom.js';
import { errorBox, filters, pager, panel, sinceOptions, sinceParam, table } from '../widgets.js';
import { evidence } from './request.js';

const kinds = [['', 'any'], ['explicit', 'explicit (ratings)'], ['retry', 'retry'], ['regenerate', 'regenerate'],
  ['abandoned', 'abandoned'], ['continued', 'continued'], ['format_failed', 'format failed'], ['refusal', 'refusal']];

export async function learning(ctx) {
  const p = ctx.params;
  const since = p.since || '7d';
  const by = p.by || 'route,deployment';
  const canFeedback = ctx.can('GET /admin/feedback');
  const fq = { since: sinceParam(since), kind: p.kind, request_id: p.request_id, cursor: p.cursor, limit: 50 };
  const [scores, fb] = await Promise.all([
    api('/admin/scores' + query({ since: sinceParam(since), by, lambda: p.lambda })),
    canFeedback ? api('/admin/feedback' + query(fq)).catch((e) => e) : null,
  ]);
  const form = filters([
    { name: 'since', label: 'Window', type: 'select', options: sinceOptions },
    { name: 'by', label: 'Group by', type: 'select', options: [['route,deployment', 'route × deployment'],
      ['route,category,deployment', 'route × category × deployment'], ['category,deployment', 'category × deployment'],
      ['deployment', 'deployment'], ['route', 'route'], ['category', 'category']] },
    { name: 'lambda', label: 'λ (cost weight)', type: 'number', cls: 'narrow', placeholder: String(scores.lambda), step: 'any', min: 0 },
    { name: 'kind', label: 'Feedback kind', type: 'select', options: kinds },
    { name: 'request_id', label: 'Request id', placeholder: 'req_…' },
  ], { ...p, since, by }, (v) => ctx.set(v));
  const keep = { since, by, lambda: p.lambda, kind: p.kind, request_id: p.request_id };
  return h('div', null,
    h('h1', null, 'Scores & feedback'),
    form,
    panel('Cost-quality scores', h('span', { class: 'muted small' }, 'score = satisfaction − λ × cost per request, λ = ' + fmtNum(scores.lambda)),
      scoreTable(scores)),
    fb === null ? null : fb instanceof Error ? errorBox(fb, 'Feedback') : feedbackPanel(fb, p.cursor, (cursor) => ctx.set({ ...keep, cursor })));
}

function scoreTable(s) {
  const cols = s.by.map((d) => ({ label: d, cell: (g) => g.group[d] || '—' }));
  cols.push(
    { label: 'requests', num: true, cell: (g) => fmtInt(g.requests) },
    { label: 'outcomes', num: true, cell: (g) => fmtInt(g.outcomes) + (g.explicit ? ' (' + fmtInt(g.explicit) + ' rated)' : '') },
    { label: 'satisfaction', num: true, cell: (g) => g.satisfaction === null ? h('span', { class: 'muted' }, 'no outcomes') :
      h('span', null, fmtNum(g.satisfaction), h('span', { class: 'sub' }, fmtInterval(g.satisfaction_interval))) },
    { label: 'cost / request', num: true, cell: (g) => fmtUSD(g.cost_per_request_usd) },
    { label: 'reprompt + correction', num: true, cell: (g) => fmtUSD(g.reprompt_cost_usd + g.correction_cost_usd) },
    { label: 'score', num: true, cell: (g) => g.score === null ? '—' :
      h('span', null, h('strong', null, fmtNum(g.score)), h('span', { class: 'sub' }, fmtInterval(g.score_interval))) },
    { label: 'signals', cell: (g) => Object.entries(g.signals || {}).map(([k, n]) => badge(k + ' ' + n, 'warn')) },
  );
  return table(cols, s.data, { empty: 'No requests in this window.' });
}

function feedbackPanel(fb, cursor, go) {
  return panel('Feedback', h('span', { class: 'muted small' }, 'ratings (POST /v1/feedback) and the signals the router detected'),
    table([
      { label: 'time', nowrap: true, cell: (f) => fmtTime(f.time) },
      { label: 'request', cell: (f) => h('a', { href: '#/requests/' + encodeURIComponent(f.request_id), class: 'mono' }, f.request_id) },
      { label: 'tenant', cell: (f) => f.tenant || '—' },
      { label: 'kind', cell: (f) => badge(f.kind, f.kind === 'explicit' ? (f.value >= 0.5 ? 'ok' : 'bad') : f.value < 0 ? 'warn' : '') },
      { label: 'value', num: true, cell: (f) => fmtNum(f.value) },
      { label: 'tags', cell: (f) => (f.tags || []).map((t) => badge(t)) },
      { label: 'evidence', cell: (f) => evidence(f.evidence) },
      { label: 'cost', num: true, cell: (f) => f.cost_usd ? fmtUSD(f.cost_usd) : '' },
    ], fb.data, { empty: 'No feedback matches.' }),
    pager(cursor, fb.next, go));
}
