// The admin API client. The operator's admin key lives in sessionStorage
// under one entry (gone when the tab closes; never localStorage, a
// cookie or the URL) and goes out only as an Authorization header to
// this origin. It is never written into the page.

const KEY = 'switchyard.adminKey';

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY, key);
}

// forgetKey drops the key and everything else this tab kept.
export function forgetKey() {
  sessionStorage.clear();
}

// ApiError is an answer that was not a success: status, the OpenAI-shaped
// error's message, code and param, and, for a configuration that does not
// validate, its list of errors.
export class ApiError extends Error {
  constructor(status, message, code, param, errors) {
    super(message);
    this.status = status;
    this.code = code || '';
    this.param = param || '';
    this.errors = errors || [];
  }
}

// Listeners of a refused key (401): the app signs out and says why.
const onUnauthorized = [];
export function whenUnauthorized(fn) {
  onUnauthorized.push(fn);
}

// api calls the admin API: path is "/admin/…" with its query; opts.method,
// opts.body (sent as JSON) and opts.key (the key to try instead of the
// stored one: the sign-in form's). It returns the decoded JSON, or throws
// an ApiError.
export async function api(path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const key = opts.key !== undefined ? opts.key : storedKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(path, {
      method: opts.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit',
      redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, 'The router did not answer (' + e.message + '). Is it running, and is this its address?');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.message || res.status + ' ' + res.statusText, e.code, e.param, e.errors);
    if (res.status === 401 && opts.key === undefined && key) {
      for (const fn of onUnauthorized) fn(err);
    }
    throw err;
  }
  return data;
}

// query writes params as a query string, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
