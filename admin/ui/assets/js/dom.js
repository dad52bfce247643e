// DOM construction and number formatting. Every piece of text the API
// returns reaches the page through text nodes or element properties made
// here: nothing is ever parsed as HTML (the page's Content-Security-Policy
// makes the DOM's HTML sinks refuse strings in any case).

// The attributes h sets with setAttribute; anything else is refused.
const ATTRS = new Set(['class', 'id', 'for', 'type', 'name', 'placeholder', 'title', 'role', 'min', 'max',
  'step', 'rows', 'cols', 'autocomplete', 'spellcheck', 'width', 'height', 'alt', 'low', 'high',
  'optimum', 'colspan', 'open', 'maxlength', 'inputmode', 'method']);
// The properties h sets directly (form state).
const PROPS = new Set(['value', 'checked', 'disabled', 'readOnly', 'selected', 'required', 'autofocus']);

// h builds an element: h('a', {href: '#/requests', class: 'x'}, 'text', child, [more]).
// props.on maps event names to handlers. Strings and numbers become text
// nodes; null, undefined and false are skipped; arrays are flattened.
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'href') {
      el.setAttribute('href', safeHref(v));
    } else if (PROPS.has(k)) {
      el[k] = v;
    } else if (ATTRS.has(k) || k.startsWith('aria-') || k.startsWith('data-')) {
      el.setAttribute(k, v === true ? '' : String(v));
    } else {
      throw new Error('h: attribute ' + k + ' is not allowed');
    }
  }
  append(el, kids);
  return el;
}

// append adds kids (nodes, text, arrays of them) to el.
export function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

// safeHref lets through the dashboard's own links (#/…) and paths of
// this origin; anything else (javascript:, another host) becomes '#'.
// A path is checked as the browser reads it: "/\host" and a "/" with a
// tab or newline before the next "/" name another host.
function safeHref(v) {
  const s = String(v);
  if (s.startsWith('#')) return s;
  if (!s.startsWith('/')) return '#';
  try {
    return new URL(s, location.href).origin === location.origin ? s : '#';
  } catch {
    return '#';
  }
}

// clear empties el.
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// replace swaps el's children for kids.
export function replace(el, ...kids) {
  return append(clear(el), kids);
}

const num = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const int = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const when = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

// fmtUSD writes dollars: six decimals below $1 (most requests cost
// fractions of a cent), two above.
export function fmtUSD(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '$0';
  const a = Math.abs(v);
  const sign = v < 0 ? '-$' : '$';
  // Under a millionth of a dollar (an embedding of a few tokens), two
  // significant digits: six decimals would show a cost as $0.000000.
  if (a < 1e-6) return sign + a.toFixed(Math.min(20, 1 - Math.floor(Math.log10(a))));
  if (a < 1) return sign + a.toFixed(6);
  return sign + a.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function fmtInt(v) {
  return v === null || v === undefined ? '—' : int.format(v);
}

export function fmtNum(v) {
  return v === null || v === undefined ? '—' : num.format(v);
}

// fmtMs writes a duration in milliseconds: "820 ms", "1.52 s"; zero is
// "—" (the API's zero means none: no first byte, an empty window).
export function fmtMs(v) {
  if (v === null || v === undefined || v === 0) return '—';
  if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
  if (v >= 100) return Math.round(v) + ' ms';
  return v.toFixed(v < 10 ? 2 : 1) + ' ms';
}

// fmtPct writes a rate in [0, 1] as a percentage.
export function fmtPct(v, digits = 1) {
  if (v === null || v === undefined) return '—';
  return (v * 100).toFixed(digits) + '%';
}

// fmtTime writes an RFC 3339 time in the browser's time zone.
export function fmtTime(s) {
  if (!s) return '—';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? String(s) : when.format(d);
}

// fmtInterval writes a [low, high] interval.
export function fmtInterval(iv, f = fmtNum) {
  return iv ? '[' + f(iv[0]) + ', ' + f(iv[1]) + ']' : '';
}

// badge is a small label; kind is ok, warn, bad, accent or empty.
export function badge(text, kind = '') {
  return h('span', { class: 'badge' + (kind ? ' ' + kind : '') }, text);
}

// statusBadge labels an HTTP status.
export function statusBadge(status, failed) {
  const kind = status >= 500 || failed ? 'bad' : status >= 400 ? 'warn' : 'ok';
  return badge(String(status || '—'), kind);
}

// healthBadge labels a deployment's health status.
export function healthBadge(status) {
  const kind = { healthy: 'ok', unavailable: 'bad', demoted: 'warn', rate_limited: 'warn', quality_demoted: 'warn' }[status] || '';
  return badge(status, kind);
}

// outcomeBadge labels an attempt's outcome.
export function outcomeBadge(outcome) {
  return badge(outcome || '—', outcome === 'ok' ? 'ok' : outcome === 'canceled' ? '' : 'bad');
}
