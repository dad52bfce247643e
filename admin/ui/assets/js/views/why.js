// why tells a request's routing as a numbered path, from what the client
// asked to who answered: the story the explanation and attempts hold.

import { badge, fmtNum, fmtPct, fmtTime, h } from '../dom.js';

const sources = {
  classifier: 'by the classifier',
  hint: 'from the client\'s category hint header',
  semantic: 'by a semantic category\'s examples',
  low_confidence: 'the classifier was not confident enough, so the route\'s default policy applied',
};

// tierPrices say where a service tier's price came from (explanation.tier_price).
const tierPrices = {
  config: 'the configured tier price',
  catalog: 'the catalog\'s batch price',
  'batch discount': 'the batch discount on the standard price',
  multiplier: 'the standard price times cost.priority_multiplier (an estimate: no listed price)',
};

function step(name, ...kids) {
  return h('li', { 'data-step': name }, h('span', { class: 'step' }, name), ' ', kids);
}

export function why(r) {
  const ex = r.explanation || {};
  const cands = ex.candidates || [];
  const kept = cands.filter((c) => c.kept);
  const dropped = cands.filter((c) => !c.kept);
  const tiers = new Set(kept.map((c) => c.tier)).size;
  const steps = [];
  steps.push(step('Asked', r.pinned ? 'for deployment ' + r.pinned + ' directly (pinned)' : 'for route ' + (r.route || '—'),
    ' (' + r.endpoint + (r.stream ? ', streamed' : '') + ')'));
  if (r.category) {
    steps.push(step('Classified', 'as ', h('strong', null, r.category), ', ' + fmtPct(r.confidence) + ' confident, ' +
      (sources[ex.category_source] || (ex.category_source ? 'from ' + ex.category_source : ''))));
  }
  if (ex.policy || ex.strategy) {
    const policy = !ex.policy || ex.policy === 'route' ? 'the route\'s own (no category policy)' : ex.policy;
    steps.push(step('Policy', policy + ': strategy ' + (ex.strategy || '—') + ', scorer ' + (ex.scorer || '—')));
  }
  steps.push(step('Rules', ex.rules && ex.rules.length ? ['matched ', ex.rules.map((x) => badge(x, 'accent'))] : 'none matched'));
  if (ex.split) {
    steps.push(step('Split', 'the weighted split drew ', h('strong', null, ex.split), ' first' +
      (r.propensity > 0 && r.propensity < 1 ? ' (its chance: ' + fmtPct(r.propensity) + ')' : '')));
  }
  if (ex.no_fallback) {
    steps.push(step('Fallback', 'disabled by the caller (x-switchyard-fallback: none): only the first candidate was tried'));
  }
  if (ex.guard && ex.guard.scanned && ex.guard.acted) {
    steps.push(step('Guard', 'prompt injection score ' + fmtNum(ex.guard.score) + ' reached ' + fmtNum(ex.guard.threshold) +
      ': ' + ex.guard.action + (ex.guard.rerouted_to ? ' to ' + ex.guard.rerouted_to : '')));
  }
  if (cands.length) {
    steps.push(step('Candidates', kept.length + ' kept in ' + tiers + (tiers === 1 ? ' tier' : ' tiers') +
      (kept.length ? ' (first: ' + kept[0].deployment + ')' : ''),
      dropped.length ? ['; ' + dropped.length + ' dropped: ', dropped.map((c, i) =>
        h('span', null, i ? ', ' : '', c.deployment + ' (' + (c.reason || 'dropped') + (c.by ? ' by ' + c.by : '') + ')'))] : '; none dropped'));
  }
  if (ex.adaptive) {
    const a = ex.adaptive;
    steps.push(step('Learned', 'the adaptive scorer ranked by estimated p(good) − ' + fmtNum(a.lambda) + ' × cost; its greedy choice was ' +
      a.greedy + (a.explored ? ', but an exploration draw chose another' : '')));
  }
  if (ex.service_tier && ex.service_tier !== 'default' && ex.service_tier !== 'standard') {
    steps.push(step('Tier', 'served on the provider\'s ' + ex.service_tier + ' tier' + (ex.tier_price ? ', priced by ' +
      (tierPrices[ex.tier_price] || ex.tier_price) : '')));
  }
  if (ex.required_inference_geo || ex.inference_geo) {
    steps.push(step('Residency', (ex.required_inference_geo ? 'required inference in ' + ex.required_inference_geo.toUpperCase() +
      ' only (deployments that cannot keep to it were dropped); ' : '') +
      (ex.inference_geo ? 'the provider says it ran in ' + (ex.inference_geo === 'us' ? 'the US (priced 1.1x on the Claude API)' : ex.inference_geo) :
        'the provider did not say where it ran')));
  }
  if (ex.batch === 'provider') {
    steps.push(step('Batch', 'a line of a batch, sent through the provider\'s own batch API: priced at its batch price ' +
      '(about half the live price); its latency is not the time it waited for the provider batch'));
  }
  const flex = flexSkipped(r);
  if (flex.length) {
    steps.push(step('Flex', 'not called for want of flex capacity: ', flex.map((c, i) => h('span', null, i ? ', ' : '',
      c.deployment + ' (its 429 resource_unavailable\'s Retry-After ran until ' + fmtTime(c.flex_unavailable_until) + ')'))));
  }
  const slowed = ((r.explanation || {}).candidates || []).filter((c) => c.kept && c.fast_unavailable_until);
  if (slowed.length) {
    steps.push(step('Fast mode', 'sent at standard speed past fast mode\'s own rate limit: ', slowed.map((c, i) => h('span', null, i ? ', ' : '',
      c.deployment + ' (its fast-mode 429\'s Retry-After ran until ' + fmtTime(c.fast_unavailable_until) + ')'))));
  }
  const limited = skippedFor(r, 'rate_limited_until');
  if (limited.length) {
    steps.push(step('Rate limits', 'not called while rate-limited (ranked last): ', limited.map((c, i) => h('span', null, i ? ', ' : '',
      c.deployment + ' (its window ran until ' + fmtTime(c.rate_limited_until) + ')'))));
  }
  steps.push(outcome(r));
  return h('ol', { class: 'path' }, steps);
}

// outcome is the last step: the attempts and who answered.
function outcome(r) {
  const att = r.attempts || [];
  if (!att.length) {
    return step('Outcome', r.failed ? 'refused before any upstream call: ' : 'no upstream call: ',
      String(r.status), r.error_kind ? ' ' + r.error_kind : '');
  }
  const failed = att.filter((a) => a.outcome !== 'ok');
  const tries = att.map((a, i) => h('span', null, i ? ' → ' : '', a.deployment + ' ', badge(a.outcome + (a.error_kind ? ' ' + a.error_kind : ''),
    a.outcome === 'ok' ? 'ok' : 'bad')));
  if (r.failed) {
    return step('Outcome', 'failed after ' + att.length + (att.length === 1 ? ' attempt: ' : ' attempts: '), tries,
      '; answered ' + r.status + (r.error_kind ? ' ' + r.error_kind : ''));
  }
  const served = att.find((a) => a.outcome === 'ok') || att[att.length - 1];
  return step('Outcome', 'served by ', h('strong', null, served.deployment), ' (tier ' + (served.tier || '—') + ')',
    failed.length ? [' after ' + failed.length + ' failed ' + (failed.length === 1 ? 'attempt' : 'attempts') + ': ', tries] : ' on the first attempt',
    passedOver(r, served));
}

// flexSkipped are the kept candidates of a flex request that no attempt
// called while in a flex window: dispatch passed over them for the next.
function flexSkipped(r) {
  return skippedFor(r, 'flex_unavailable_until');
}

// skippedFor are the kept candidates with a window (field: its end) that
// no attempt called.
function skippedFor(r, field) {
  const called = new Set((r.attempts || []).map((a) => a.deployment));
  return ((r.explanation || {}).candidates || []).filter((c) => c.kept && c[field] && !called.has(c.deployment));
}

// passedOver names the kept candidates of a lower tier than the one that
// served that no attempt called: dispatch passed over them (held back
// while failing, an open breaker, a rate limit window).
function passedOver(r, served) {
  const called = new Set((r.attempts || []).map((a) => a.deployment));
  const skipped = ((r.explanation || {}).candidates || [])
    .filter((c) => c.kept && c.tier && c.tier < served.tier && !called.has(c.deployment) && !c.flex_unavailable_until && !c.rate_limited_until)
    .map((c) => c.deployment);
  return skipped.length ? '; not called: ' + skipped.join(', ') +
    ' (dispatch passed over ' + (skipped.length === 1 ? 'it' : 'them') + ': failing, breaker open or rate-limited at that moment)' : '';
}
