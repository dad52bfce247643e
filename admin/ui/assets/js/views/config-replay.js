// What a configuration change would do, as PUT /admin/config?dry_run=1
// reports it: the diff against the running version, and the replay of
// the newest logged requests through the running policy and the new one
// (docs/admin-api.md#put-adminconfig), in words and tables.

import { fmtInt, fmtTime, fmtUSD, h } from '../dom.js';
import { diffBlock, notice, table } from '../widgets.js';

// checkReport shows a dry run's answer: valid, the lines it changes, its
// impact on recent traffic, and the diff.
export function checkReport(res) {
  const added = res.lines_added || 0;
  const removed = res.lines_removed || 0;
  const against = 'version ' + (res.version || '— (not stored)');
  return h('div', { 'data-check': '' },
    notice('success', 'The configuration is valid; nothing is applied yet',
      added || removed
        ? h('div', { 'data-lines': '' }, '+' + added + ' / −' + removed + ' lines against the running ' + against + '.')
        : h('div', { 'data-lines': '' }, 'No line differs from the running ' + against +
          ' (a secret written in place of a mask does not show in the diff).')),
    replayReport(res.replay),
    added || removed ? [h('h3', null, 'Changes from ' + against), diffBlock(res.diff || '')] : null);
}

// replayReport says what the new policy would have done with the recent
// requests; null when the router keeps no request log.
function replayReport(r) {
  if (!r) {
    return h('p', { class: 'muted', 'data-replay': '' }, 'No request log to replay (store.driver: none): only the text was checked.');
  }
  if (!r.requests) {
    return h('p', { class: 'muted', 'data-replay': '' }, 'The request log holds no chat request to replay' +
      (r.skipped ? ' (' + fmtInt(r.skipped) + ' other requests left out).' : '.'));
  }
  return h('div', { 'data-replay': '' },
    h('h3', null, 'Impact on recent traffic'),
    h('p', null, 'The ' + plural(r.requests, 'newest request') + ' of the log (' + fmtTime(r.since) + ' – ' + fmtTime(r.until) +
      '), planned again by the running policy and by this one, every deployment taken as healthy' +
      (r.skipped ? '; ' + plural(r.skipped, 'other request') + ' (not chat) left out' : '') + ':'),
    h('ul', { class: 'impact' },
      h('li', { 'data-moved': '' }, r.moved
        ? plural(r.moved, 'request') + ' would go to another deployment first (' + share(r.moved, r.requests) + ')'
        : 'None would go elsewhere: every request keeps its first choice.'),
      r.refused ? h('li', { class: 'bad', 'data-refused': '' }, plural(r.refused, 'request') + ' served now would be refused') : null,
      r.served ? h('li', { 'data-served': '' }, plural(r.served, 'request') + ' refused now would be served') : null,
      h('li', { 'data-cost': '' }, costWords(r.cost || {})),
      r.differs_from_log ? h('li', { class: 'muted' }, 'For ' + plural(r.differs_from_log, 'request') + ' the running policy\'s ' +
        'replay differs from what the log recorded (health, semantic matching or a learned model decided otherwise then): ' +
        'the replay\'s own error.') : null),
    r.moves && r.moves.length ? [h('h3', null, 'Where they would go'), movesTable(r.moves)] : null,
    r.refusals && r.refusals.length ? [h('h3', null, 'What would be refused'), refusalsTable(r.refusals)] : null);
}

// costWords compares the answers' cost at each policy's first choice.
function costWords(c) {
  const change = c.change_usd || 0;
  return 'Their answers\' tokens priced at the first choice: ' + fmtUSD(c.before_usd || 0) + ' now, ' +
    fmtUSD(c.after_usd || 0) + ' with this change (' + signedUSD(change) + ')' +
    (c.unknown ? '; ' + plural(c.unknown, 'request') + ' not priced (refused, or no known price)' : '') + '.';
}

function movesTable(moves) {
  return h('div', { 'data-moves': '' }, table([
    { label: 'route', cell: (m) => m.route || '—' },
    { label: 'from', cell: (m) => m.from || '—' },
    { label: 'to', cell: (m) => m.to || '—' },
    { label: 'requests', num: true, cell: (m) => fmtInt(m.requests) },
    { label: 'cost change', num: true, cell: (m) => signedUSD(m.cost_change_usd || 0) },
    { label: 'for example', cell: (m) => examples(m.examples) },
  ], moves));
}

function refusalsTable(refusals) {
  return h('div', { 'data-refusals': '' }, table([
    { label: 'route', cell: (r) => r.route || '—' },
    { label: 'code', cell: (r) => h('code', null, r.code || '—') },
    { label: 'why', cell: (r) => r.message },
    { label: 'requests', num: true, cell: (r) => fmtInt(r.requests) },
    { label: 'for example', cell: (r) => examples(r.examples) },
  ], refusals));
}

// examples links to the requests' pages.
function examples(ids) {
  return (ids || []).map((id, i) => [i ? ', ' : '', h('a', { href: '#/requests/' + encodeURIComponent(id), class: 'mono' }, id)]);
}

function signedUSD(v) {
  return (v > 0 ? '+' : '') + fmtUSD(v);
}

function share(n, of) {
  return Math.round((100 * n) / of) + '%';
}

function plural(n, what) {
  return fmtInt(n) + ' ' + what + (n === 1 ? '' : 's');
}
