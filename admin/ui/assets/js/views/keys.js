// Keys: the managed API keys (GET /admin/keys) — never a key, only its
// visible prefix — and, for the roles that may, making one, revoking and
// rotating. A new key is shown once, in a box to copy it from, and is
// gone from the page when the box is closed.

import { api } from '../api.js';
import { badge, fmtInt, fmtTime, h, replace } from '../dom.js';
import { confirm, errorBox, panel, table } from '../widgets.js';

const roles = ['viewer', 'operator', 'admin'];

export async function keys(ctx) {
  const top = h('div'); // the new key's box, or an error
  const listed = h('div');
  const draw = (list) => replace(listed, panel('Managed keys', h('span', { class: 'muted small' },
    list.data.length + ' keys' + (ctx.me.tenant ? ' of tenant ' + ctx.me.tenant : '')),
  keyTable({ ...ctx, reload }, list.data, top)));
  // reload lists the keys again, leaving a new key's box in place.
  const reload = () => api('/admin/keys').then(draw, (e) => replace(listed, errorBox(e, 'Keys')));
  draw(await api('/admin/keys')); // a refusal or keys_off is the view's error
  return h('div', null,
    h('h1', null, 'Keys'),
    top,
    ctx.can('POST /admin/keys') ? createForm({ ...ctx, reload }, top) : null,
    listed,
    h('p', { class: 'muted small' }, 'Keys written in the configuration file (auth.keys, auth.admin_keys) are not listed: they change with the file.'));
}

function keyTable(ctx, list, top) {
  const cols = [
    { label: 'key', cell: (k) => h('span', null, h('span', { class: 'mono' }, k.prefix), h('span', { class: 'sub' }, 'id ' + k.id)) },
    { label: 'name', cell: (k) => k.name || '—' },
    { label: 'tenant', cell: (k) => k.tenant || '—' },
    { label: 'kind', cell: (k) => k.role ? badge('admin: ' + k.role, 'accent') : 'client' },
    { label: 'state', cell: (k) => h('span', null, badge(k.state, { active: 'ok', rotated: 'warn' }[k.state] || 'bad'),
      k.rotated_to ? h('span', { class: 'sub' }, 'replaced by ' + k.rotated_to) : null) },
    { label: 'may use', cell: (k) => (k.routes || k.deployments || k.overrides
      ? h('span', null, list2('routes', k.routes), list2('deployments', k.deployments), list2('overrides', k.overrides))
      : h('span', { class: 'muted' }, 'everything')) },
    { label: 'limits', cell: (k) => [k.rpm && k.rpm + ' rpm', k.tpm && fmtInt(k.tpm) + ' tpm', k.max_concurrent && k.max_concurrent + ' at once']
      .filter(Boolean).join(', ') || '—' },
    { label: 'created', nowrap: true, cell: (k) => h('span', null, fmtTime(k.created), k.created_by ? h('span', { class: 'sub' }, 'by ' + k.created_by) : null) },
    { label: 'expires', nowrap: true, cell: (k) => k.revoked ? h('span', null, 'revoked ', fmtTime(k.revoked)) : k.expires ? fmtTime(k.expires) : 'never' },
  ];
  const canRevoke = ctx.can('DELETE /admin/keys/{id}');
  const canRotate = ctx.can('POST /admin/keys/{id}/rotate');
  if (canRevoke || canRotate) cols.push({ label: '', cell: (k) => actions(ctx, k, top, canRevoke, canRotate) });
  return table(cols, list, { empty: 'No managed key yet.' });
}

// list2 writes what a key may use: every one (null), none ([]) or a list.
function list2(what, v) {
  if (v === null || v === undefined) return null;
  return h('span', { class: 'sub' }, what + ': ' + (v.length ? v.join(', ') : 'none'));
}

function actions(ctx, k, top, canRevoke, canRotate) {
  if (k.state === 'revoked' || k.state === 'expired') return '';
  const slot = h('div');
  const grace = h('input', { type: 'text', class: 'narrow', placeholder: 'grace: 24h', title: 'How long the old key keeps working (1h, 7d); empty: none' });
  const rotate = h('button', { type: 'button' }, 'Rotate');
  rotate.addEventListener('click', () => confirm(slot, 'Make a new key for ' + (k.name || k.id) + '? The old one works ' +
    (grace.value.trim() ? 'for ' + grace.value.trim() + ' more.' : 'no more.'), 'Rotate', async () => {
    try {
      const nk = await api('/admin/keys/' + encodeURIComponent(k.id) + '/rotate', { method: 'POST', body: { grace: grace.value.trim() } });
      replace(top, secretBox(nk, 'Rotated ' + (k.name || k.id)));
      ctx.reload();
    } catch (e) {
      replace(slot, errorBox(e, 'Rotate'));
    }
  }));
  const revoke = h('button', { type: 'button', class: 'danger' }, 'Revoke');
  revoke.addEventListener('click', () => confirm(slot, 'Revoke ' + (k.name || k.id) + '? It stops working at once.', 'Revoke', async () => {
    try {
      await api('/admin/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
      ctx.reload();
    } catch (e) {
      replace(slot, errorBox(e, 'Revoke'));
    }
  }));
  return h('div', null, h('div', { class: 'actions' }, canRotate && k.state === 'active' ? [grace, rotate] : null, canRevoke ? revoke : null), slot);
}

// createForm makes a key from its fields (POST /admin/keys).
function createForm(ctx, top) {
  const mine = roles.indexOf(ctx.me.role);
  const f = (name, label, attrs = {}) => h('label', { class: 'field' }, label,
    h('input', { name, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs }));
  const isAdmin = h('input', { type: 'checkbox', name: 'admin' });
  const role = h('select', { name: 'role', disabled: true },
    roles.filter((r, i) => i <= mine).map((r) => h('option', { value: r }, r)));
  isAdmin.addEventListener('change', () => { role.disabled = !isAdmin.checked; });
  const form = h('form', { class: 'filters', autocomplete: 'off', 'data-form': 'create-key' },
    f('name', 'Name', { placeholder: 'acme-batch' }),
    f('tenant', 'Tenant', ctx.me.tenant ? { value: ctx.me.tenant, disabled: true } : { placeholder: 'none' }),
    f('routes', 'Routes', { placeholder: 'all (comma list)' }),
    f('deployments', 'Deployments', { placeholder: 'all (comma list)' }),
    f('rpm', 'RPM', { class: 'narrow', inputmode: 'numeric' }),
    f('tpm', 'TPM', { class: 'narrow', inputmode: 'numeric' }),
    f('max_concurrent', 'At once', { class: 'narrow', inputmode: 'numeric' }),
    f('expires', 'Expires', { class: 'narrow', placeholder: '30d, never' }),
    h('label', { class: 'field check' }, isAdmin, 'admin key'),
    h('label', { class: 'field' }, 'Role', role),
    h('button', { type: 'submit', class: 'primary' }, 'Create key'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const val = (n) => form.elements.namedItem(n).value.trim();
    const list = (n) => (val(n) ? val(n).split(',').map((s) => s.trim()).filter(Boolean) : undefined);
    const int = (n) => (val(n) ? Number(val(n)) : undefined);
    const body = {
      name: val('name'), tenant: ctx.me.tenant || val('tenant'), routes: list('routes'), deployments: list('deployments'),
      rpm: int('rpm'), tpm: int('tpm'), max_concurrent: int('max_concurrent'), expires: val('expires'),
    };
    if (isAdmin.checked) Object.assign(body, { admin: true, role: role.value });
    try {
      const nk = await api('/admin/keys', { method: 'POST', body });
      form.reset();
      role.disabled = true;
      replace(top, secretBox(nk, 'Created ' + (nk.name || nk.id)));
      ctx.reload();
    } catch (e) {
      replace(top, errorBox(e, 'Create key'));
    }
  });
  return h('section', { class: 'panel' }, h('h2', null, 'New key'), form);
}

// secretBox shows a new key once: copy it now; closing the box drops it
// from the page.
function secretBox(nk, title) {
  const field = h('input', { type: 'text', readOnly: true, value: nk.key, 'aria-label': 'The new key', 'data-secret': '' });
  const status = h('span', { class: 'small' });
  const copy = h('button', { type: 'button', class: 'primary' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Copied.';
    } catch {
      field.select();
      status.textContent = document.execCommand('copy') ? 'Copied.' : 'Select the key and copy it.';
    }
  });
  const done = h('button', { type: 'button' }, 'I have stored it — close');
  const box = h('div', { class: 'secret-box', role: 'alert' },
    h('strong', null, title + ': copy the key now'),
    h('div', null, 'This is the only time it is shown: the router keeps only its hash. Store it in your secret manager.'),
    field, h('div', { class: 'actions' }, copy, done, status),
    nk.replaces ? h('div', { class: 'small' }, 'It replaces key ' + nk.replaces + '.') : null);
  done.addEventListener('click', () => {
    field.value = '';
    box.remove();
  });
  field.addEventListener('focus', () => field.select());
  return box;
}
