// Config: the running configuration (GET /admin/config, secrets masked by
// the API), the versions applied (GET /admin/config/versions), one
// version's text and diff, and — for the roles that may — a rollback to
// it (POST /admin/config/rollback) after a confirmation, and the editor
// (config-edit.js: PUT /admin/config, checked with ?dry_run=1 first).

import { api, query } from '../api.js';
import { badge, fmtTime, h, replace } from '../dom.js';
import { confirm, diffBlock, errorBox, kv, notice, pager, panel, table } from '../widgets.js';
import { appliedNotice, runningPanel } from './config-edit.js';

export async function configView(ctx) {
  const [cur, versions] = await Promise.all([
    api('/admin/config'),
    api('/admin/config/versions' + query({ cursor: ctx.params.cursor, limit: 20 })),
  ]);
  return h('div', null,
    h('h1', null, 'Configuration'),
    appliedNotice(),
    panel('Versions', h('span', { class: 'muted small' }, 'newest first'),
      versionTable(versions.data, cur.version),
      pager(ctx.params.cursor, versions.next, (cursor) => ctx.set({ cursor }))),
    runningPanel(ctx, cur));
}

function versionTable(list, current) {
  return table([
    { label: 'version', cell: (v) => h('span', null, h('a', { href: '#/config/versions/' + v.version }, 'version ' + v.version),
      v.version === current ? badge('running', 'ok') : null) },
    { label: 'time', nowrap: true, cell: (v) => fmtTime(v.time) },
    { label: 'actor', cell: (v) => v.actor },
    { label: 'source', cell: (v) => badge(v.source) },
    { label: 'restores', cell: (v) => v.restores ? 'version ' + v.restores : '' },
    { label: 'diff against', cell: (v) => v.base ? 'version ' + v.base : '' },
  ], list, { empty: 'No version stored.' });
}

export async function versionView(ctx) {
  const n = Number(ctx.vars.version);
  const [v, cur] = await Promise.all([
    api('/admin/config/versions/' + encodeURIComponent(ctx.vars.version)),
    api('/admin/config').catch(() => null),
  ]);
  const running = cur && cur.version === n;
  const slot = h('div');
  const result = h('div');
  let action = null;
  if (ctx.can('POST /admin/config/rollback') && !running) {
    const b = h('button', { type: 'button', class: 'danger' }, 'Roll back to version ' + n + '…');
    b.addEventListener('click', () => confirm(slot, 'Apply version ' + n + '\'s text again, as a new version? ' +
      'It is validated first; secrets keep their running values.', 'Roll back', () => rollback(n, slot, result, b)));
    action = h('div', { class: 'actions' }, b);
  }
  return h('div', null,
    h('p', null, h('a', { href: '#/config' }, '← Configuration')),
    h('h1', null, 'Configuration version ' + v.version, running ? badge('running', 'ok') : null),
    panel(null, null, kv([
      ['applied', fmtTime(v.time)],
      ['by', v.actor],
      ['source', v.source],
      ['restores', v.restores ? 'version ' + v.restores : null],
      ['diff against', v.base ? 'version ' + v.base : null],
    ]), action, slot, result),
    panel('Text', h('span', { class: 'muted small' }, 'secrets masked'), h('pre', { class: 'block' }, v.yaml || '')),
    v.diff ? panel(v.base ? 'Changes from version ' + v.base : 'Changes (the first version stored)', null, diffBlock(v.diff)) : null);
}

async function rollback(n, slot, result, button) {
  try {
    const res = await api('/admin/config/rollback', { method: 'POST', body: { version: n } });
    replace(slot);
    button.remove();
    replace(result, notice('success', res.changed === false ? 'Nothing changed: version ' + n + ' is what runs.' :
      'Rolled back: version ' + res.version + ' now runs (the text of version ' + n + ')',
    res.changed === false ? null : h('div', null, '+' + (res.lines_added || 0) + ' / −' + (res.lines_removed || 0) + ' lines. ',
      h('a', { href: '#/config/versions/' + res.version }, 'See version ' + res.version))));
  } catch (e) {
    replace(slot);
    replace(result, errorBox(e, 'Rollback'));
  }
}
