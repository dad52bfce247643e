// Building blocks the views share: panels, tables, filter forms, pagers,
// confirmations and error boxes. All text goes in as text (dom.js).

import { h, replace } from './dom.js';

// panel is a titled box; extra goes beside the title.
export function panel(title, extra, ...kids) {
  return h('section', { class: 'panel' }, title ? h('h2', null, title, extra || null) : null, kids);
}

// card is one figure of an overview.
export function card(label, value, sub) {
  return h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value),
    sub ? h('div', { class: 'sub' }, sub) : null);
}

// table renders rows under columns: [{label, cell(row) → node or text,
// num: right-aligned}]; rowClass(row) names a row's class. An empty
// list shows empty.
export function table(columns, rows, opts = {}) {
  const head = h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : null, title: c.title }, c.label)));
  const body = h('tbody');
  if (!rows.length) {
    body.append(h('tr', null, h('td', { colspan: columns.length, class: 'muted' }, opts.empty || 'Nothing to show.')));
  }
  for (const r of rows) {
    if (r && r.groupRow) {
      body.append(h('tr', { class: 'group' }, h('td', { colspan: columns.length }, r.groupRow)));
      continue;
    }
    body.append(h('tr', { class: opts.rowClass ? opts.rowClass(r) : null },
      columns.map((c) => h('td', { class: c.num ? 'num' : c.nowrap ? 'nowrap' : null }, c.cell(r)))));
  }
  return h('div', { class: 'table-wrap' }, h('table', null, h('thead', null, head), body));
}

// kv is a definition list of [label, value] pairs; pairs whose value is
// null or undefined are left out.
export function kv(pairs) {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(h('dt', null, k), h('dd', null, v));
  }
  return dl;
}

// field is one labelled control of a filter form: {name, label, type
// (text, number, select), options [[value, label]], placeholder, cls,
// disabled, title}.
function field(f, value) {
  let control;
  if (f.type === 'select') {
    control = h('select', { name: f.name, disabled: f.disabled, title: f.title },
      f.options.map(([v, l]) => h('option', { value: v, selected: String(value ?? '') === v }, l)));
  } else {
    control = h('input', {
      name: f.name, type: f.type || 'text', value: value ?? '', placeholder: f.placeholder, class: f.cls,
      disabled: f.disabled, title: f.title, autocomplete: 'off', spellcheck: 'false', min: f.min, step: f.step,
    });
  }
  return h('label', { class: 'field' }, f.label, control);
}

// filters is a form of fields filled from params; on submit apply gets
// the values (empty ones left out).
export function filters(fields, params, apply, submitLabel = 'Apply') {
  const form = h('form', { class: 'filters', autocomplete: 'off' },
    fields.map((f) => field(f, params[f.name])),
    h('button', { type: 'submit', class: 'primary' }, submitLabel));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const out = {};
    for (const f of fields) {
      const el = form.elements.namedItem(f.name);
      const v = el && !el.disabled ? el.value.trim() : '';
      if (v !== '') out[f.name] = v;
    }
    apply(out);
  });
  return form;
}

// pager offers the first page (when not on it) and the next (when there
// is one); go(cursor) moves.
export function pager(cursor, next, go) {
  return h('div', { class: 'pager' },
    cursor ? h('button', { type: 'button', on: { click: () => go('') } }, '« First page') : null,
    next ? h('button', { type: 'button', class: 'primary', on: { click: () => go(next) } }, 'Next page »') : null);
}

// errorBox explains an API error: what the status means for the operator
// and the API's own message.
export function errorBox(err, what) {
  const titles = {
    0: 'The router did not answer',
    400: 'The request was refused',
    401: 'The key was refused',
    403: 'Your key may not do this',
    404: 'Not available',
    409: 'Conflict',
    422: 'The change does not validate',
    429: 'Too many requests',
    503: 'Temporarily unavailable',
  };
  const title = titles[err.status] || 'The admin API answered ' + err.status;
  return h('div', { class: 'error', role: 'alert' },
    h('strong', null, (what ? what + ': ' : '') + title),
    h('div', { class: 'msg' }, err.message || String(err)),
    err.code ? h('div', { class: 'small' }, 'code: ', h('code', null, err.code)) : null,
    err.errors && err.errors.length
      ? h('ul', null, err.errors.map((e) => h('li', null, e.message || JSON.stringify(e))))
      : null);
}

// notice is a highlighted message.
export function notice(kind, title, ...kids) {
  return h('div', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, h('strong', null, title), kids);
}

// confirm replaces into's content with a question and two buttons; ok
// runs on Confirm, and Cancel empties into.
export function confirm(into, question, label, ok) {
  const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': '' }, label);
  const no = h('button', { type: 'button' }, 'Cancel');
  yes.addEventListener('click', () => {
    yes.disabled = true;
    no.disabled = true;
    ok();
  });
  no.addEventListener('click', () => replace(into));
  replace(into, h('div', { class: 'confirm' }, h('span', null, question), yes, no));
}

// rawJSON is a closed section showing v as indented JSON text.
export function rawJSON(v, label = 'Raw JSON') {
  return h('details', null, h('summary', null, label), h('pre', { class: 'block' }, JSON.stringify(v, null, 2)));
}

// share is a meter of a value between 0 and 1.
export function share(v) {
  return h('meter', { min: 0, max: 1, value: Math.max(0, Math.min(1, v || 0)), title: ((v || 0) * 100).toFixed(1) + '%' });
}

// sinceOptions are the time windows offered by the views.
export const sinceOptions = [['1h', 'last hour'], ['6h', 'last 6 hours'], ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'], ['30d', 'last 30 days'], ['all', 'all time']];

// sinceParam turns a window of sinceOptions into the API's since (none for all).
export function sinceParam(v) {
  return v === 'all' ? '' : v;
}

// diffBlock shows a unified diff, its lines coloured by class (added,
// removed, hunk headers), as text nodes only.
export function diffBlock(text) {
  return h('pre', { class: 'block', 'data-diff': '' }, text.split('\n').map((line) => {
    const cls = line.startsWith('@@') ? 'hunk' : line.startsWith('+') && !line.startsWith('+++') ? 'add' :
      line.startsWith('-') && !line.startsWith('---') ? 'del' : null;
    return [cls ? h('span', { class: cls }, line) : line, '\n'];
  }));
}

// longAt is how many characters of a long text are shown before the
// operator asks for the rest.
const longAt = 4000;

// longText is a block of text (a prompt's message, an answer) showing its
// first longAt characters and a button for the rest: a stored prompt of
// tens of kilobytes stays a screen long until asked.
export function longText(text, cls = 'block text') {
  const s = String(text);
  if (s.length <= longAt) return h('pre', { class: cls }, s);
  const pre = h('pre', { class: cls }, s.slice(0, longAt) + '…');
  const more = h('button', { type: 'button', class: 'more', 'data-more': '' },
    'Show all ' + s.length.toLocaleString() + ' characters');
  more.addEventListener('click', () => {
    replace(pre, s);
    more.remove();
  });
  return h('div', { class: 'long' }, pre, more);
}
