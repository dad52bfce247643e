// Budgets: every budget in force (GET /admin/budgets) with each instance's
// use in the current period — spent, held by requests in flight (and batch lines at a provider), what is
// left, a bar of the share used — and when it resets. A key scoped to a
// tenant sees its tenant's instances only.

import { api, query } from '../api.js';
import { badge, fmtInt, fmtPct, fmtTime, h } from '../dom.js';
import { filters, kv, panel, share, table } from '../widgets.js';

export async function budgets(ctx) {
  const p = ctx.params;
  const list = await api('/admin/budgets' + query({ name: p.name, tenant: ctx.me.tenant ? '' : p.tenant }));
  return h('div', null,
    h('h1', null, 'Budgets'),
    filters([
      { name: 'name', label: 'Budget', placeholder: 'any' },
      { name: 'tenant', label: 'Tenant', cls: 'narrow', disabled: !!ctx.me.tenant,
        placeholder: ctx.me.tenant || 'any', title: ctx.me.tenant ? 'This key reads only its tenant' : null },
    ], p, (v) => ctx.set(v)),
    list.data.length ? list.data.map(budgetPanel)
      : panel(null, null, h('p', { class: 'muted' }, 'No budget is configured (budgets in the configuration), or none is yours to see.')));
}

// amount writes a figure in the budget's unit: dollars to the
// micro-dollar the budget counts in (so $4.999711 left of $5 is not
// rounded up to the limit), at least to the cent.
function amount(b, v) {
  if (b.unit !== 'usd') return fmtInt(v) + ' tokens';
  return (v < 0 ? '-$' : '$') + Math.abs(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

// usedClass marks a share: past the alert threshold, spent.
function usedClass(b, s) {
  return s >= 1 ? 'badge bad' : s >= b.alert_at ? 'badge warn' : null;
}

function budgetPanel(b) {
  const ceiling = b.soft ? [b.soft.max_input_price ? '$' + b.soft.max_input_price + ' in' : null,
    b.soft.max_output_price ? '$' + b.soft.max_output_price + ' out' : null].filter(Boolean).join(', ') + ' per 1M tokens once spent' : null;
  const title = h('span', { 'data-budget': b.name }, b.name);
  return h('section', { class: 'panel', 'data-budget-panel': b.name },
    h('h2', null, title, badge(b.scope), badge(b.period), badge(b.mode, b.mode === 'soft' ? 'accent' : '')),
    kv([
      ['Applies to', b.match === '*' ? 'each ' + b.scope + ' separately' : b.scope + ' ' + b.match],
      ['Limit', h('span', { 'data-field': 'limit' }, amount(b, b.limit) + ' per ' + (b.period === 'daily' ? 'UTC day' : 'UTC month'))],
      ['Alert at', fmtPct(b.alert_at, 0) + ' of the limit'],
      ['Price ceiling', ceiling],
      ['Resets', h('span', { 'data-field': 'resets', title: b.resets }, fmtTime(b.resets))],
    ]),
    table([
      { label: b.scope, cell: (i) => h('span', { 'data-field': 'instance' }, i.instance) },
      { label: 'spent', num: true, cell: (i) => h('span', { 'data-field': 'spent' }, amount(b, i.spent)) },
      { label: 'held', num: true, title: 'Reserved by requests in flight and by batch lines waiting at a provider', cell: (i) => h('span', { 'data-field': 'reserved' }, amount(b, i.reserved)) },
      { label: 'remaining', num: true, cell: (i) => h('span', { 'data-field': 'remaining' }, amount(b, i.remaining)) },
      { label: 'share used', cell: (i) => h('span', null, share(i.share_used), ' ',
        h('span', { class: usedClass(b, i.share_used), 'data-field': 'share' }, fmtPct(i.share_used))) },
      { label: 'resets', nowrap: true, cell: (i) => fmtTime(i.resets) },
    ], b.instances, { empty: 'Nothing counted this period yet.' }));
}
