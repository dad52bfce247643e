// Audit log (GET /admin/audit): configuration and key changes, refused
// admin calls and failed logins, newest first. Targets and details can
// hold what an outsider sent (a path asked for): they are shown as text.

import { api, query } from '../api.js';
import { badge, fmtTime, h } from '../dom.js';
import { filters, pager, panel, table } from '../widgets.js';

const names = ['action', 'actor', 'since', 'until', 'tenant'];

export async function audit(ctx) {
  const p = ctx.params;
  const q = { cursor: p.cursor, limit: 100 };
  for (const k of names) q[k] = p[k];
  const page = await api('/admin/audit' + query(q));
  const keep = {};
  for (const k of names) if (p[k]) keep[k] = p[k];
  return h('div', null,
    h('h1', null, 'Audit log'),
    filters([
      { name: 'action', label: 'Action', placeholder: 'config.* or key.create' },
      { name: 'actor', label: 'Actor', cls: 'narrow' },
      { name: 'since', label: 'Since', cls: 'narrow', placeholder: '24h' },
      { name: 'until', label: 'Until', cls: 'narrow' },
      { name: 'tenant', label: 'Tenant', cls: 'narrow', disabled: !!ctx.me.tenant, placeholder: ctx.me.tenant || 'any' },
    ], p, (v) => ctx.set(v)),
    panel('Events', h('span', { class: 'muted small' }, page.data.length + ' shown, newest first'),
      table([
        { label: 'time', nowrap: true, cell: (e) => fmtTime(e.time) },
        { label: 'actor', cell: (e) => e.actor },
        { label: 'tenant', cell: (e) => e.tenant || '—' },
        { label: 'action', cell: (e) => badge(e.action, e.action.startsWith('auth.') || e.action === 'admin.denied' ? 'warn' : 'accent') },
        { label: 'target', cell: (e) => h('span', { class: 'mono' }, e.target) },
        { label: 'detail', cell: (e) => e.detail },
        { label: 'outcome', cell: (e) => badge(e.outcome, e.outcome === 'ok' ? 'ok' : 'bad') },
      ], page.data, { empty: 'No event matches.' }),
      pager(p.cursor, page.next, (cursor) => ctx.set({ ...keep, cursor }))));
}
