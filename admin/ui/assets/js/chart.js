// Time-series charts drawn as SVG with the DOM (createElementNS and
// text nodes only: no markup is parsed), from GET /admin/stats grouped by
// a dimension and time. No library, no external resource.

import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 180, PAD = { left: 64, right: 12, top: 12, bottom: 28 };
// A palette that stays apart for the first eight series; more repeat it.
const COLORS = ['#1f4e79', '#c2410c', '#1d7a46', '#7c3aed', '#b42318', '#0e7490', '#8a5a00', '#be185d'];

// intervalFor picks the width of the buckets for a window of
// sinceOptions: between 24 and 96 buckets; none for all time.
export function intervalFor(since) {
  return { '1h': '1m', '6h': '5m', '24h': '15m', '7d': '2h', '30d': '12h' }[since] || '';
}

// ms is a duration of the API's short forms (15m, 2h, 7d) in milliseconds.
export function ms(d) {
  const m = /^(\d+)([mhd])$/.exec(d || '');
  return m ? Number(m[1]) * { m: 60e3, h: 3600e3, d: 86400e3 }[m[2]] : 0;
}

// svg makes an SVG element with attributes attrs and children kids.
function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

// seriesOf turns stats rows grouped by dim and time into one series per
// value of dim, each a Map from bucket start (ms) to its row, and the
// sorted bucket starts from since to now every interval (buckets with no
// request are missing from the API, not from the chart).
export function seriesOf(rows, dim, sinceMs, nowMs, intervalMs) {
  const series = new Map();
  for (const r of rows) {
    const name = r.group[dim] || '(none)';
    if (!series.has(name)) series.set(name, new Map());
    series.get(name).set(Date.parse(r.group.time), r);
  }
  const times = [];
  for (let t = Math.floor(sinceMs / intervalMs) * intervalMs; t <= nowMs; t += intervalMs) times.push(t);
  return { series, times };
}

// lineChart draws metric(row) over times for every series; missing
// buckets count as zero when zeroFill, else leave a gap (a latency has no
// value where there was no request). Each point carries its series, time
// and value as data attributes and a title for the pointer.
export function lineChart(title, data, metric, fmt, zeroFill) {
  const { series, times } = data;
  const names = [...series.keys()].sort();
  let top = 0;
  for (const name of names) for (const r of series.get(name).values()) top = Math.max(top, metric(r));
  top = top || 1;
  const x = (i) => PAD.left + (times.length > 1 ? i * (W - PAD.left - PAD.right) / (times.length - 1) : 0);
  const y = (v) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': title, 'data-chart': title },
    svg('title', null, title),
    svg('line', { x1: PAD.left, y1: y(0), x2: W - PAD.right, y2: y(0), stroke: '#dde2e8' }),
    svg('line', { x1: PAD.left, y1: y(top), x2: W - PAD.right, y2: y(top), stroke: '#eef1f4' }),
    svg('text', { x: PAD.left - 6, y: y(top) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5d6b7a' }, fmt(top)),
    svg('text', { x: PAD.left - 6, y: y(0) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5d6b7a' }, fmt(0)),
    axisLabels(times, x));
  names.forEach((name, k) => root.append(line(name, series.get(name), times, x, y, metric, fmt, zeroFill, COLORS[k % COLORS.length])));
  return h('figure', { class: 'chart' }, h('figcaption', null, title), root, legend(names));
}

// axisLabels are the first, middle and last bucket's times.
function axisLabels(times, x) {
  const label = (t) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const at = [...new Set([0, Math.floor((times.length - 1) / 2), times.length - 1])].filter((i) => i >= 0);
  return at.map((i) => svg('text', { x: x(i), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === times.length - 1 ? 'end' : 'middle',
    'font-size': 11, fill: '#5d6b7a' }, label(times[i])));
}

// line is one series' path and points.
function line(name, rows, times, x, y, metric, fmt, zeroFill, color) {
  const g = svg('g', { 'data-series': name });
  let d = '';
  let pen = false;
  times.forEach((t, i) => {
    const r = rows.get(t);
    if (!r && !zeroFill) {
      pen = false;
      return;
    }
    const v = r ? metric(r) : 0;
    d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
    pen = true;
    if (r) {
      g.append(svg('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: color,
        'data-time': r.group.time, 'data-value': v },
      svg('title', null, name + ', ' + new Date(t).toLocaleString() + ': ' + fmt(v))));
    }
  });
  g.prepend(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.5 }));
  return g;
}

function legend(names) {
  return h('ul', { class: 'legend' }, names.map((n, k) =>
    h('li', null, h('span', { class: 'swatch c' + (k % COLORS.length) }), n)));
}
