// The weekly report's savings (GET /admin/report, savings): what routing
// saved against each route's reference deployment — a summary card per
// route, and the total — with the quality evidence beside it. Every
// figure is the API's; text goes in as text (dom.js).

import { badge, fmtInt, fmtInterval, fmtNum, fmtUSD, h } from '../dom.js';
import { card, kv, panel } from '../widgets.js';

// savingsPanel is the savings section; sv is the report's savings (null
// when the router has no configuration to price them with).
export function savingsPanel(sv) {
  if (!sv) {
    return panel('Savings', null, h('p', { class: 'muted' }, 'Not computed: the router gave the report no configuration to price them with.'));
  }
  return panel('Savings against a reference deployment', h('span', { class: 'muted small' }, 'an estimate'),
    h('p', { class: 'muted small', 'data-field': 'estimate' }, sv.estimate),
    h('div', { class: 'cards', 'data-savings-total': '' }, accountCards(sv.total, 'all routes')),
    sv.no_reference_requests ? h('p', { class: 'muted small' },
      'The total leaves out ' + fmtInt(sv.no_reference_requests) + ' requests of routes without a priced reference.') : null,
    sv.no_route_requests ? h('p', { class: 'muted small', 'data-field': 'no-route' },
      fmtInt(sv.no_route_requests) + ' requests went through no route (a deployment named in model, or refused before routing): ' +
      'routing chose nothing for them, so they are in no account.') : null,
    sv.routes.length ? sv.routes.map(routeCard) : h('p', { class: 'muted' }, 'No requests in this window.'));
}

// accountCards are the cards of an account: actual, at the reference,
// saved (with its percent), and the requests counted.
function accountCards(a, what) {
  const saved = a.saved_usd === null ? '—' : fmtUSD(a.saved_usd);
  const pct = a.saved_percent === null ? null :
    h('span', null, h('span', { 'data-field': 'saved-percent' }, a.saved_percent.toFixed(1) + '%'), ' of the reference cost');
  return [
    fieldCard('actual', 'Actual cost', fmtUSD(a.actual_usd), 'what ' + what + ' cost, failed attempts included'),
    fieldCard('reference', 'At the reference', a.reference_usd === null ? '—' : fmtUSD(a.reference_usd), 'the same tokens at its prices'),
    fieldCard('saved', 'Saved', saved, pct),
    fieldCard('counted', 'Requests counted', fmtInt(a.counted) + ' of ' + fmtInt(a.requests), leftOut(a)),
  ];
}

// fieldCard is a card whose value is marked with data-field=name.
function fieldCard(name, label, value, sub) {
  return card(label, h('span', { 'data-field': name }, value), sub);
}

// leftOut says which requests the sums leave out.
function leftOut(a) {
  const parts = [];
  const ex = a.excluded;
  if (ex.pinned) parts.push(fmtInt(ex.pinned) + ' pinned');
  if (ex.cost_unknown) parts.push(fmtInt(ex.cost_unknown) + ' unpriced');
  if (ex.no_tokens) parts.push(fmtInt(ex.no_tokens) + ' without tokens');
  if (a.estimated_tokens) parts.push(fmtInt(a.estimated_tokens) + ' with estimated tokens (counted)');
  return parts.length ? 'left out: ' + parts.join(', ') : null;
}

const verdictKinds = { no_drop_detected: 'ok', higher: 'ok', lower: 'bad', possible_drop: 'warn', insufficient_data: 'warn' };

// routeCard is one route's summary card.
function routeCard(r) {
  const q = r.quality;
  return h('div', { class: 'panel', 'data-savings-route': r.route },
    h('h3', null, 'route ' + r.route + ' · reference ',
      r.reference === null ? h('span', { class: 'muted' }, 'none') : h('span', { 'data-field': 'reference-deployment' }, r.reference),
      ' ', badge(r.reference_source)),
    h('div', { class: 'cards' }, accountCards(r, 'its requests')),
    kv([
      ['reference', r.reference_why],
      ['quality', q ? h('span', null, badge(q.verdict, verdictKinds[q.verdict] || ''), ' ', h('span', { 'data-field': 'verdict-text' }, q.text)) : null],
      ['reference answered', q ? sideText(q.reference) : null],
      ['others answered', q ? sideText(q.others) : null],
    ]));
}

// sideText is one side's requests and satisfaction.
function sideText(s) {
  const sat = s.satisfaction === null ? 'no outcomes' :
    'satisfaction ' + fmtNum(s.satisfaction) + ' ' + fmtInterval(s.satisfaction_interval) + ' over ' + fmtInt(s.outcomes) + ' outcomes';
  return fmtInt(s.requests) + ' requests, ' + sat;
}
