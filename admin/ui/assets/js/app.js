// The dashboard's shell: sign-in, the header, and hash routing
// (#/requests?route=auto) to the views. The pages are static: each view
// asks the admin API for its data with the operator's key.

import { api, forgetKey, storeKey, storedKey, whenUnauthorized } from './api.js';
import { badge, h, replace } from './dom.js';
import { confirm, errorBox, notice } from './widgets.js';
import { overview } from './views/overview.js';
import { requestList } from './views/requests.js';
import { requestDetail } from './views/request.js';
import { learning } from './views/learning.js';
import { report } from './views/report.js';
import { configView, versionView } from './views/config.js';
import { keys } from './views/keys.js';
import { audit } from './views/audit.js';
import { budgets } from './views/budgets.js';
import { batches } from './views/batches.js';
import { driftRun, driftRuns } from './views/drift.js';

// routes: path (":name" segments are parameters), the nav label (none:
// not in the nav), the endpoint the view needs (hidden when the key may
// not call it), the view, and whether auto-refresh redraws it.
const routes = [
  { path: 'overview', label: 'Overview', need: 'GET /admin/health', view: overview, refresh: true },
  { path: 'requests', label: 'Requests', need: 'GET /admin/requests', view: requestList, refresh: true },
  { path: 'requests/:id', need: 'GET /admin/requests/{id}', view: requestDetail },
  { path: 'learning', label: 'Scores & feedback', need: 'GET /admin/scores', view: learning, refresh: true },
  { path: 'report', label: 'Weekly report', need: 'GET /admin/report', view: report },
  { path: 'budgets', label: 'Budgets', need: 'GET /admin/budgets', view: budgets, refresh: true },
  { path: 'batches', label: 'Batches', need: 'GET /admin/batches', view: batches, refresh: true },
  { path: 'drift', label: 'Drift', need: 'GET /admin/drift/runs', view: driftRuns, refresh: true },
  { path: 'drift/runs/:id', need: 'GET /admin/drift/runs/{id}', view: driftRun },
  { path: 'config', label: 'Config', need: 'GET /admin/config', view: configView },
  { path: 'config/versions/:version', need: 'GET /admin/config/versions/{version}', view: versionView },
  { path: 'keys', label: 'Keys', need: 'GET /admin/keys', view: keys },
  { path: 'audit', label: 'Audit log', need: 'GET /admin/audit', view: audit, refresh: true },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let me = null; // the whoami answer of the signed-in key
let seq = 0; // the number of the latest render; older ones are dropped
let timer = 0;
// leave is the drawn view's check before it is left: it returns the
// question to ask when leaving would lose unsaved work, '' when nothing
// would be lost (null: no check). drawn is the hash drawn.
let leave = null;
let drawn = '';

function can(pattern) {
  return !!me && me.allowed.includes(pattern);
}

// parseHash splits "#/requests/req_1?x=y" into its path and parameters.
function parseHash() {
  const [p, q] = location.hash.replace(/^#\/?/, '').split('?');
  return { path: p || 'overview', params: Object.fromEntries(new URLSearchParams(q || '')) };
}

// match finds the route of path and its parameters; null when none has
// it, or a parameter is not percent-encoding (a crafted address).
function match(path) {
  const segs = path.split('/');
  for (const r of routes) {
    const want = r.path.split('/');
    if (want.length !== segs.length) continue;
    const vars = {};
    try {
      if (want.every((w, i) => (w.startsWith(':') ? (vars[w.slice(1)] = decodeURIComponent(segs[i])) : w === segs[i]))) {
        return { route: r, vars };
      }
    } catch {
      return null;
    }
  }
  return null;
}

// go moves to path with params (the hash changes, and render follows).
function go(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  const hash = '#/' + path + (s ? '?' + s : '');
  if (location.hash === hash) render();
  else location.hash = hash;
}

async function render(quiet) {
  if (!me) return;
  const my = ++seq;
  leave = null;
  drawn = location.hash;
  const { path, params } = parseHash();
  const m = match(path);
  if (!m) {
    go('overview');
    return;
  }
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.path === m.route.path.split('/')[0]);
  if (!can(m.route.need)) {
    replace(main, notice('notice', 'Your key may not open this view',
      'It needs ' + m.route.need + ', which role ' + me.role + (me.tenant ? ' scoped to tenant ' + me.tenant : '') + ' may not call.'));
    main.dataset.view = 'denied';
    return;
  }
  if (!quiet) {
    replace(main, h('p', { class: 'muted' }, 'Loading…'));
    main.dataset.view = 'loading';
  }
  const ctx = {
    me, params, vars: m.vars, can, go,
    // set moves to the same view with other parameters.
    set: (p) => go(m.route.path.replace(/:(\w+)/g, (_, k) => encodeURIComponent(m.vars[k])), p),
    redraw: () => render(true),
    // guard sets the check run before the view is left (null: none).
    guard: (fn) => {
      if (my === seq) leave = fn;
    },
  };
  let el;
  try {
    el = await m.route.view(ctx);
  } catch (e) {
    el = errorBox(e);
  }
  if (my !== seq) return;
  replace(main, el);
  main.dataset.view = m.route.path; // what is drawn (the browser tests wait on it)
}

function drawNav() {
  replace(nav, routes.filter((r) => r.label && can(r.need)).map((r) =>
    h('a', { href: '#/' + r.path, 'data-path': r.path }, r.label)));
}

function drawWho() {
  const auto = h('input', { type: 'checkbox', checked: !!timer, title: 'Redraw lists every 15 seconds' });
  auto.addEventListener('change', () => setAuto(auto.checked));
  replace(who,
    h('label', null, auto, 'auto-refresh'),
    h('span', { title: 'The admin key signed in (its name, never the key)', 'data-who': '' },
      me.key_required ? me.name : me.name + ' (no key needed)'),
    badge(me.role),
    me.tenant ? badge('tenant ' + me.tenant) : null,
    me.key_required ? h('button', { type: 'button', on: { click: signOut } }, 'Sign out') : null);
}

function setAuto(on) {
  clearInterval(timer);
  timer = 0;
  if (!on) return;
  timer = setInterval(() => {
    const m = match(parseHash().path);
    const busy = main.contains(document.activeElement) && document.activeElement.matches('input, select, textarea');
    if (m && m.route.refresh && !busy && document.visibilityState === 'visible') render(true);
  }, 15000);
}

// started shows the dashboard for the principal whoami returned.
function started(who) {
  me = who;
  drawNav();
  drawWho();
  render();
}

function signOut() {
  forgetKey();
  me = null;
  setAuto(false);
  signIn(null, 'Signed out. The key was removed from this tab.');
}

// signIn shows the sign-in form, with err (an ApiError) or a message.
function signIn(err, message) {
  me = null;
  leave = null;
  replace(nav);
  replace(who);
  const input = h('input', {
    type: 'password', name: 'key', autocomplete: 'off', spellcheck: 'false', placeholder: 'admin key',
    'aria-label': 'Admin key', required: true,
  });
  const status = h('div');
  if (err) status.append(errorBox(err, 'Sign-in'));
  else if (message) status.append(notice('success', message));
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { method: 'post', autocomplete: 'off', id: 'signin' }, input, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    input.value = '';
    if (!key) return;
    button.disabled = true;
    try {
      const w = await api('/admin/whoami', { key });
      storeKey(key);
      started(w);
    } catch (e) {
      replace(status, errorBox(e, 'Sign-in'));
      button.disabled = false;
      input.focus();
    }
  });
  main.dataset.view = 'signin';
  replace(main, h('section', { class: 'panel signin' },
    h('h1', null, 'Sign in'),
    h('p', null, 'Paste an admin key (auth.admin_keys, or one made with switchyard keys create --admin).'),
    h('p', { class: 'muted small' }, 'The key stays in this browser tab only (sessionStorage, cleared when the tab closes or ' +
      'you sign out) and is sent only to this router, as an Authorization header. It is never shown on the page.'),
    status, form));
  input.focus();
}

whenUnauthorized((err) => {
  forgetKey();
  setAuto(false);
  signIn(err);
});

// A move to another view asks first when the view drawn would lose
// unsaved work: the address goes back to it until the operator confirms.
window.addEventListener('hashchange', () => {
  const question = leave ? leave() : '';
  if (!question) {
    render();
    return;
  }
  const to = location.hash;
  history.replaceState(null, '', drawn);
  askLeave(question, to);
});

// Closing or reloading the tab with unsaved work makes the browser ask.
window.addEventListener('beforeunload', (ev) => {
  if (leave && leave()) ev.preventDefault();
});

// askLeave asks, above the view, whether to lose its unsaved work and
// move to the hash to.
function askLeave(question, to) {
  const old = main.querySelector('[data-leave]');
  if (old) old.remove();
  const slot = h('div', { 'data-leave': '' });
  main.prepend(slot);
  confirm(slot, question, 'Discard and leave', () => {
    leave = null;
    location.hash = to;
  });
  slot.scrollIntoView({ block: 'nearest' });
}

// boot asks who the stored key is; without one, whether the admin API
// needs a key from here at all (auth.json: not in demo mode, nor on the
// router's host while no admin key exists), and then who it takes us
// for, or shows the sign-in form without calling the API.
async function boot() {
  const key = storedKey();
  if (key) {
    try {
      started(await api('/admin/whoami', { key }));
    } catch (e) {
      forgetKey();
      signIn(e);
    }
    return;
  }
  let needed = true;
  try {
    const res = await fetch('auth.json', { cache: 'no-store', credentials: 'omit' });
    needed = (await res.json()).key_required !== false;
  } catch {
    needed = true;
  }
  if (needed) {
    signIn();
    return;
  }
  try {
    started(await api('/admin/whoami', { key: '' }));
  } catch (e) {
    signIn(e);
  }
}

boot();
