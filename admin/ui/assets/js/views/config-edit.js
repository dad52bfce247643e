// The Config view's running text and, for the keys allowed PUT
// /admin/config, its editor: the text GET /admin/config gives (secrets
// masked: a mask keeps the running value), checked with PUT
// /admin/config?dry_run=1 (the diff, and the replay of recent traffic
// through the new policy), then applied with PUT /admin/config after a
// confirmation. Apply takes only the text last checked, and both calls
// send base_version, the version the text was read at: a change applied
// meanwhile by anyone is a 409, shown with what to do. Edits are not
// lost silently: Cancel and leaving the view ask first, and closing the
// tab makes the browser ask.

import { api, query } from '../api.js';
import { fmtTime, h, replace } from '../dom.js';
import { confirm, diffBlock, errorBox, notice, panel } from '../widgets.js';
import { checkReport } from './config-replay.js';

const PUT = 'PUT /admin/config';

// applied is the answer of the last change applied, shown once by the
// view drawn after it.
let applied = null;

// appliedNotice says what the last change applied did (once), or null.
export function appliedNotice() {
  const res = applied;
  applied = null;
  if (!res) return null;
  if (res.changed === false) {
    return notice('success', 'Nothing changed: the text is version ' + res.version + '\'s, which runs.');
  }
  return h('div', { 'data-applied': '' }, notice('success', 'Applied: version ' + res.version + ' now runs',
    h('div', null, 'It replaced version ' + res.previous + ': +' + (res.lines_added || 0) + ' / −' + (res.lines_removed || 0) +
      ' lines' + (res.secrets_changed && res.secrets_changed.length ? '; secrets changed: ' + res.secrets_changed.join(', ') : '') + '. ',
    h('a', { href: '#/config/versions/' + res.version }, 'See version ' + res.version))));
}

// runningPanel shows the running text, with an Edit button for the keys
// that may change it.
export function runningPanel(ctx, cur) {
  const body = h('div');
  const showText = () => {
    ctx.guard(null);
    replace(body, ctx.can(PUT)
      ? h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'primary', 'data-edit': '', on: { click: () => openEditor(ctx, cur, body, showText) },
      }, 'Edit…'))
      : h('p', { class: 'muted small' }, 'Changing it needs an admin key without a tenant (' + PUT + '); this one may only read it.'),
    h('pre', { class: 'block', 'data-config': '' }, cur.yaml));
  };
  showText();
  return panel('Running: version ' + (cur.version || '— (not stored)'),
    h('span', { class: 'muted small' }, 'secrets masked, ${VAR} references as written'), body);
}

// openEditor replaces the running text in body with the editor; close
// brings the text back.
function openEditor(ctx, cur, body, close) {
  const ed = {
    ctx, original: cur.yaml, base: cur.version || 0, checked: null, close,
    area: h('textarea', {
      class: 'config-editor', name: 'config', spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Configuration (YAML)',
      rows: Math.max(10, cur.yaml.split('\n').length + 1), value: cur.yaml,
    }),
    check: h('button', { type: 'button', class: 'primary', 'data-check-button': '' }, 'Check changes'),
    apply: h('button', { type: 'button', class: 'danger', 'data-apply': '', disabled: true }, 'Apply…'),
    cancel: h('button', { type: 'button', 'data-cancel': '' }, 'Cancel'),
    state: h('span', { class: 'muted small', 'data-state': '' }),
    ask: h('div', { 'data-ask': '' }),
    result: h('div', { 'data-result': '' }),
  };
  ed.area.addEventListener('input', () => update(ed));
  ed.area.addEventListener('keydown', (ev) => indent(ed.area, ev));
  ed.check.addEventListener('click', () => check(ed));
  ed.apply.addEventListener('click', () => askApply(ed));
  ed.cancel.addEventListener('click', () => cancel(ed));
  ctx.guard(() => ed.area.value !== ed.original ? 'Discard your unsaved edits to the configuration?' : '');
  update(ed);
  replace(body,
    notice('notice', 'Editing the running configuration (version ' + (cur.version || 'not stored') + ')',
      h('div', null, 'Secrets show as "********": a mask keeps the running value of its place. To change a secret, write ' +
        'the new value (or a ${VAR} reference) in its place; it is never shown back. The security section, and what only a ' +
        'restart changes (server, store, state, telemetry, learn), cannot change here.')),
    ed.area,
    h('p', { class: 'muted small' }, 'Tab indents by two spaces (YAML takes no tabs); Shift+Tab leaves the field.'),
    h('div', { class: 'editor-bar' }, ed.check, ed.apply, ed.cancel, ed.state),
    ed.ask, ed.result);
  ed.area.focus();
}

// update enables Apply only for the text last checked, and says where
// the editor stands.
function update(ed) {
  const text = ed.area.value;
  ed.apply.disabled = ed.checked === null || text !== ed.checked;
  ed.state.textContent = ed.checked !== null && text === ed.checked ? 'Checked: apply it, or edit further.'
    : ed.checked !== null ? 'Edited since the check: check again before applying.'
      : text === ed.original ? 'Unchanged.' : 'Not checked yet.';
}

// indent makes Tab insert two spaces instead of leaving the field.
function indent(area, ev) {
  if (ev.key !== 'Tab' || ev.shiftKey || ev.ctrlKey || ev.altKey || ev.metaKey) return;
  ev.preventDefault();
  if (!document.execCommand('insertText', false, '  ')) { // keeps the undo history where it works
    area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
    area.dispatchEvent(new Event('input'));
  }
}

// put sends text to PUT /admin/config, a dry run or not, made from the
// editor's base version.
function put(ed, text, dry) {
  return api('/admin/config' + query({ dry_run: dry ? 1 : '', base_version: ed.base || '' }),
    { method: 'PUT', body: { yaml: text } });
}

async function check(ed) {
  const text = ed.area.value;
  replace(ed.ask);
  ed.check.disabled = true;
  replace(ed.result, h('p', { class: 'muted' }, 'Checking…'));
  try {
    const res = await put(ed, text, true);
    ed.checked = text;
    replace(ed.result, checkReport(res));
  } catch (e) {
    ed.checked = null;
    replace(ed.result, failure(ed, e, 'Check'));
  } finally {
    ed.check.disabled = false;
    update(ed);
  }
}

function askApply(ed) {
  update(ed);
  if (ed.apply.disabled) return;
  confirm(ed.ask, 'Apply the text checked as a new version? It serves from the next request on (routers sharing the ' +
    'store follow it), and is audited under your key\'s name.', 'Apply', () => apply(ed));
}

async function apply(ed) {
  const text = ed.checked;
  ed.check.disabled = true;
  ed.apply.disabled = true;
  try {
    applied = await put(ed, text, false);
    ed.ctx.guard(null);
    ed.ctx.redraw(); // the new running text and version list, with the notice
  } catch (e) {
    ed.checked = null;
    replace(ed.ask);
    replace(ed.result, failure(ed, e, 'Apply'));
    ed.check.disabled = false;
    update(ed);
  }
}

function cancel(ed) {
  if (ed.area.value === ed.original) {
    ed.close();
    return;
  }
  confirm(ed.ask, 'Discard your edits? They are kept nowhere else.', 'Discard edits', () => ed.close());
}

// failure explains a refused check or apply: the configuration's
// mistakes, positioned in the text; a change applied meanwhile; or the
// API's error.
function failure(ed, e, what) {
  if (e.status === 422 && e.errors && e.errors.length) return invalid(ed, e);
  if (e.status === 409 && e.code === 'config_conflict') return conflict(ed, e);
  return errorBox(e, what);
}

// invalid lists the mistakes, each with a button that selects its line,
// and selects the first one's.
function invalid(ed, e) {
  const first = e.errors.find((x) => x.line > 0);
  if (first) selectLine(ed.area, first.line);
  return h('div', { class: 'error', role: 'alert', 'data-invalid': '' },
    h('strong', null, 'The configuration does not validate: ' + e.errors.length + ' problem' +
      (e.errors.length === 1 ? '' : 's') + '; nothing was applied'),
    h('ul', null, e.errors.map((x) => h('li', null,
      x.line > 0 ? h('button', {
        type: 'button', class: 'link', 'data-line': x.line, on: { click: () => selectLine(ed.area, x.line) },
      }, 'line ' + x.line + (x.column > 0 ? ', column ' + x.column : '')) : null,
      x.line > 0 ? ': ' : null,
      x.problem ? (x.path ? x.path + ': ' : '') + x.problem : x.message,
      x.hint ? h('span', { class: 'sub' }, x.hint) : null))),
    h('div', { class: 'small' }, 'code: ', h('code', null, e.code)));
}

// selectLine selects line n (from 1) of area and scrolls it into view.
function selectLine(area, n) {
  const lines = area.value.split('\n');
  if (n < 1 || n > lines.length) return;
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  area.focus({ preventScroll: true });
  area.setSelectionRange(start, start + lines[n - 1].length);
  const lh = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (n - 4) * lh);
  const y = area.getBoundingClientRect().top + (n - 1) * lh - area.scrollTop;
  if (y < 60 || y > window.innerHeight - 40) window.scrollBy(0, y - window.innerHeight / 3);
}

// conflict explains a 409: the text stays; the version running now is
// shown with what it changed, and the operator may compare the text
// with it.
function conflict(ed, e) {
  const more = h('div');
  api('/admin/config').then((cur) => api('/admin/config/versions/' + cur.version)).then((v) => {
    const compare = h('button', { type: 'button', 'data-rebase': '' }, 'Compare my text with version ' + v.version);
    compare.addEventListener('click', () => {
      ed.base = v.version;
      check(ed);
    });
    replace(more, h('details', null,
      h('summary', null, 'What version ' + v.version + ' changed (' + v.actor + ', ' + v.source + ', ' + fmtTime(v.time) + ')'),
      v.diff ? diffBlock(v.diff) : h('p', null, 'Its diff is not stored.')),
    h('div', { class: 'actions' }, compare));
  }, () => {});
  return h('div', { class: 'error', role: 'alert', 'data-conflict': '' },
    h('strong', null, 'The configuration changed meanwhile; nothing was applied'),
    h('div', { class: 'msg' }, e.message),
    h('div', { class: 'small' }, 'code: ', h('code', null, e.code)),
    h('p', null, 'Your text stays in the editor. Compared with the version running now, its diff shows everything it ' +
      'would change — undoing the other change too, unless you redo it in your text.'),
    more);
}
