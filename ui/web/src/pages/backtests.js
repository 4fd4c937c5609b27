// pages/backtests.js — run backtests, list them and show one with its result (docs/BACKTESTS.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './backtests-markup.js';
import { live } from '../core/live.js';
import { session } from '../core/session.js';
import { decimal, duration } from '../core/format.js';
import { $, clearErrorsIn, showErrorsIn } from '../core/dom.js';
import { paramsOf } from './kit.js';
import { decimalCell, element, fillTable, getResponse, keepNewest, listOf, pnlCell,
         problemText, readProblem, safeId, userName, whileShown } from '../core/view.js';
import { _, fill } from '../core/i18n.js';
import { label, paramsText } from '../core/labels.js';

const can = (permission) => session.can(permission);
const SVG = 'http://www.w3.org/2000/svg';
let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown, actShown, ifShown } = whileShown(() => mounted);

/* Backtests: run, list and view them (docs/BACKTESTS.md) */

const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'];
const SHOWN_BACKTESTS = 100;
const KEPT_JOBS = 50;
const FINAL_JOB_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);

let strategyTypes = null;      // GET /api/v1/strategies/types: what the form offers
let instruments = null;        // GET /api/v1/instruments
let paramsFor = null;          // the strategy whose parameters the form shows
const backtests = new Map();   // id → Backtest as listed (without its result)
const backtestJobs = new Map(); // job id → the newest backtest.run Job the jobs topic carried
let shownId = null;            // the backtest the address names
let shown = null;              // GET /api/v1/backtests/{id}: that backtest with its result
let shownProblem = '';         // why it could not be read
let shownNote = null;          // "id|note" the note's field was last filled from
// Topic events seen, and at which count each backtest last changed (or was deleted): a list
// asked for before an event must not undo it when its answer comes after.
let backtestEvents = 0;
const backtestSeenAt = new Map();
const deletedBacktests = new Set();
let shownAsked = 0;

function forgetBacktests() {
  strategyTypes = null;
  instruments = null;
  paramsFor = null;
  backtests.clear();
  backtestJobs.clear();
  backtestSeenAt.clear();
  deletedBacktests.clear();
  shownId = null;
  shown = null;
  shownProblem = '';
  shownNote = null;
  $('backtest-form').reset();
  $('bt-start').value = '';
  $('bt-end').value = '';
  $('bt-params').replaceChildren(element('legend', _('Parameters')));
  $('bt-note').value = '';
  $('bt-metrics').tBodies[0].replaceChildren();
  $('bt-trades').tBodies[0].replaceChildren();
  renderBacktestCurve(null);
  clearFieldErrors();
}

function renderBacktests() {
  renderBacktestForm();
  renderBacktestList();
  renderResult();
}

async function loadBacktestsView() {
  await Promise.all([loadBacktests(), loadBacktestForm(),
                     shownId !== null ? loadShown() : null]);
}

// One's own backtests, or anyone's with backtests.manage; the server checks again.
function canManageBacktest(backtest) {
  return can('backtests.run') &&
    (can('backtests.manage') || (session.user !== null && backtest.created_by === session.user.id));
}

function quoteOf(symbol) {
  const instrument = (instruments || []).find((i) => i.symbol === symbol);
  return instrument ? instrument.quote_asset : '';
}

/* Numbers for people: ratios as percentages, decimals without their trailing zeros */

function percentText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = (value * 100).toFixed(2);
  return `${text === '-0.00' ? '0.00' : text} %`;
}

function ratioText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

// A double for people (an expectancy, an equity in a caption): two decimals when it is 1 or
// more, up to eight for less, less the trailing zeros.
function numberText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return decimal(value.toFixed(Math.abs(value) >= 1 ? 2 : 8));
}

function numberSign(value) {
  if (typeof value !== 'number' || value === 0 || Number.isNaN(value)) return 'zero';
  return value > 0 ? 'positive' : 'negative';
}

function durationText(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return duration(Math.round(ms / 1000));
}

function shortTime(text) {
  const when = new Date(text);
  if (text === null || text === undefined || Number.isNaN(when.getTime())) return '—';
  return when.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/* The form */

async function loadBacktestForm() {
  if (strategyTypes !== null && instruments !== null) return;
  const [types, listed] = await Promise.all([
    strategyTypes === null
      ? fetchShown('/api/v1/strategies/types', $('backtest-form-error'), _('Could not load the strategies.')) : null,
    instruments === null
      ? fetchShown('/api/v1/instruments', $('backtest-form-error'), _('Could not load the instruments.')) : null,
  ]);
  if (!mounted) return;
  if (types) strategyTypes = listOf(types);
  if (listed) instruments = listOf(listed);
  renderBacktestForm();
  renderResult();
}

// Sets a select's options ([value, label] pairs), keeping the chosen one while it is offered.
function fillSelect(select, options, preferred) {
  const chosen = select.value || preferred;
  const same = select.options.length === options.length &&
    options.every(([value, label], i) => select.options[i].value === value && select.options[i].text === label);
  if (!same) {
    select.replaceChildren(...options.map(([value, label]) => {
      const option = element('option', label);
      option.value = value;
      return option;
    }));
  }
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

// "YYYY-MM-DDTHH:MM" in local time, as a datetime-local field takes it.
function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// A datetime-local field's value as RFC 3339 in UTC; what is not a time goes as typed, for
// the server to name the field.
function rfc3339(local) {
  const when = new Date(local);
  if (local === '' || Number.isNaN(when.getTime())) return local;
  return when.toISOString().replace(/\.000Z$/, 'Z');
}

function renderBacktestForm() {
  $('backtest-form').hidden = !mounted || !can('backtests.run');
  fillSelect($('bt-strategy'), (strategyTypes || []).map((t) => [t.id, t.name ? `${t.name} (${t.id})` : t.id]),
             'sma-cross');
  fillSelect($('bt-symbol'), (instruments || []).map((i) => [i.symbol, i.simulated ? fill(_('{name} (simulated)'), { name: i.symbol }) : i.symbol]));
  fillSelect($('bt-interval'), INTERVALS.map((i) => [i, i]), '1h');
  // The last thirty days up to the current hour, to start from.
  if ($('bt-end').value === '' && $('bt-start').value === '') {
    const end = new Date();
    end.setMinutes(0, 0, 0);
    $('bt-end').value = localInputValue(end);
    $('bt-start').value = localInputValue(new Date(end.getTime() - 30 * 86400000));
  }
  renderParams();
}


// The chosen strategy's parameters, as its description gives them: a field each, with its
// default, its range and what it means.
function renderParams() {
  const id = $('bt-strategy').value;
  if (id === paramsFor) return;
  paramsFor = id;
  const type = (strategyTypes || []).find((t) => t.id === id);
  const properties = (type && type.parameters && type.parameters.properties) || {};
  const fields = Object.entries(properties).map(([name, schema]) => paramField(name, schema || {}));
  $('bt-params').replaceChildren(element('legend', _('Parameters')), ...fields);
  $('bt-params').hidden = fields.length === 0;
}

function paramField(name, schema) {
  const field = element('div', null, 'field');
  field.dataset.field = `params.${name}`;
  const input = element('input');
  input.id = `bt-param-${safeId(name)}`;
  input.name = `params.${name}`;
  input.dataset.param = name;
  input.dataset.type = String(schema.type);
  const error = element('p', null, 'field-error');
  error.id = `${input.id}-error`;
  const range = typeof schema.minimum === 'number' && typeof schema.maximum === 'number'
    ? fill(_('{minimum} to {maximum}'), { minimum: schema.minimum, maximum: schema.maximum }) : '';
  const hint = element('p', [schema.description, range].filter(Boolean).join(': '), 'hint');
  hint.id = `${input.id}-hint`;
  input.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
  if (schema.type === 'boolean') {
    input.type = 'checkbox';
    input.checked = schema.default === true;
    const label = element('label', null, 'check');
    label.append(input, ` ${name}`);
    field.append(label, hint, error);
    return field;
  }
  input.inputMode = schema.type === 'integer' ? 'numeric' : 'decimal';
  input.autocomplete = 'off';
  input.value = schema.default === undefined || schema.default === null ? '' : String(schema.default);
  const label = element('label', name);
  label.htmlFor = input.id;
  field.append(label, input, hint, error);
  return field;
}

// The strategy's parameters as JSON wants them (pages/kit.js).
function formParams() {
  return paramsOf($('bt-params'));
}

function integerOrText(text) {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

// The request of docs/BACKTESTS.md. Money and rates go as the decimal strings typed; a member
// left empty takes the server's default.
function backtestRequest() {
  const text = (id) => $(id).value.trim();
  const body = {
    strategy: $('bt-strategy').value, params: formParams(), symbol: $('bt-symbol').value,
    interval: $('bt-interval').value, start: rfc3339(text('bt-start')), end: rfc3339(text('bt-end')),
    exits: $('bt-exits').value, allow_short: $('bt-allow-short').checked, note: $('bt-form-note').value,
  };
  for (const [member, id] of [['starting_cash', 'bt-cash'], ['fee_rate', 'bt-fee-rate'], ['stake_fraction', 'bt-stake']])
    if (text(id) !== '') body[member] = text(id);
  if (text('bt-slippage') !== '') body.slippage_bps = integerOrText(text('bt-slippage'));
  body.lookback = text('bt-lookback') === '' ? null : integerOrText(text('bt-lookback'));
  return body;
}

function clearFieldErrors(field) {
  clearErrorsIn($('backtest-form'), $('backtest-form-error'), field);
}


// A 422's refusals, each next to the field it names; those naming no field of the form are
// said above the Run button.
function showFieldErrors(problem) {
  showErrorsIn($('backtest-form'), $('backtest-form-error'), problem);
}


async function runBacktest() {
  clearFieldErrors();
  $('bt-run').disabled = true;
  const answer = await actShown('POST', '/api/v1/backtests', backtestRequest(), $('backtest-form-error'),
                           _('The backtest was not started.'));
  $('bt-run').disabled = false;
  if (!answer.ok) {
    if (answer.status === 422) showFieldErrors(answer.problem);
    return;
  }
  const { backtest, job } = answer.data || {};
  if (!backtest || typeof backtest.id !== 'number') return;
  // The topics may have told more of it before this answer came.
  if (!backtests.has(backtest.id) && !deletedBacktests.has(backtest.id)) backtests.set(backtest.id, backtest);
  if (job && typeof job.id === 'number' && !backtestJobs.has(job.id)) backtestJobs.set(job.id, job);
  renderBacktestList();
  location.hash = `#/backtests/${backtest.id}`;
}

/* The list */

async function loadBacktests() {
  const asked = backtestEvents;
  const answer = await fetchShown(`/api/v1/backtests?limit=${SHOWN_BACKTESTS}`, $('backtests-error'),
                                 _('Could not load the backtests.'));
  if (!answer || !mounted) return;
  const changedSince = (id) => (backtestSeenAt.get(id) ?? 0) > asked;
  const listed = listOf(answer).filter((b) => !deletedBacktests.has(b.id));
  const ids = new Set(listed.map((b) => b.id));
  for (const id of backtests.keys()) if (!ids.has(id) && !changedSince(id)) backtests.delete(id);
  for (const backtest of listed) if (!changedSince(backtest.id)) backtests.set(backtest.id, backtest);
  keepNewest(backtests, SHOWN_BACKTESTS);
  renderBacktestList();
}

function jobOf(backtest) {
  return backtest && typeof backtest.job_id === 'number' ? backtestJobs.get(backtest.job_id) : undefined;
}

function statusText(backtest) {
  const job = jobOf(backtest);
  if (backtest.status === 'running' && job && typeof job.progress === 'number')
    return fill(_('running {progress}'), { progress: `${Math.floor(job.progress * 100)} %` });
  return label('job-status', backtest.status);
}

function backtestRow(backtest) {
  const tr = element('tr');
  tr.dataset.backtestId = String(backtest.id);
  tr.dataset.status = String(backtest.status);
  if (backtest.id === shownId) tr.setAttribute('aria-current', 'true');
  const link = element('a', `#${backtest.id}`);
  link.href = `#/backtests/${backtest.id}`;
  link.setAttribute('aria-label', fill(_('Show backtest {id}'), { id: backtest.id }));
  const first = element('td', null, 'id');
  first.append(link);
  const summary = backtest.summary || {};
  const total = element('td', percentText(summary.total_return), 'number total-return');
  total.dataset.sign = numberSign(summary.total_return);
  const strategy = element('td', null, 'strategy');
  strategy.append(element('span', backtest.strategy),
                  element('span', paramsText(backtest.request && backtest.request.params), 'params'));
  tr.append(first, element('td', shortTime(backtest.created_at), 'created-at'), strategy,
            element('td', `${backtest.symbol} ${backtest.interval}`, 'symbol'),
            element('td', `${shortTime(backtest.start)} – ${shortTime(backtest.end)}`, 'window'),
            element('td', backtest.statusText, 'status'), total,
            element('td', ratioText(summary.sharpe), 'number sharpe'),
            element('td', percentText(summary.max_drawdown), 'number max-drawdown'),
            element('td', typeof summary.trades === 'number' ? String(summary.trades) : '—', 'number trades'),
            element('td', userName(backtest.created_by, backtest.created_by_name), 'created-by'),
            element('td', backtest.note || '', 'note'));
  return tr;
}

function renderBacktestList() {
  const items = [...backtests.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN_BACKTESTS)
    .map((b) => Object.assign({}, b, { statusText: statusText(b), shown: b.id === shownId }));
  fillTable('backtests', items, backtestRow);
}

/* The jobs topic: a run's progress and its end */

function backtestOfJob(jobId) {
  return [...backtests.values()].find((b) => b.job_id === jobId) || null;
}

// The backtests topic: a backtest created, ended or noted (without its result), or deleted.
function backtestChanged(data) {
  if (typeof data.id !== 'number') return;
  backtestSeenAt.set(data.id, ++backtestEvents);
  if (data.deleted === true) {
    deletedBacktests.add(data.id);
    backtests.delete(data.id);
    if (shownId === data.id) {
      shownAsked++;   // an answer on its way is older than this
      shown = null;
      shownProblem = _('This backtest has been deleted.');
    }
  } else {
    const known = backtests.get(data.id);
    // "queued" from its creation must not undo the "running" its job's progress said since.
    const status = data.status === 'queued' && known && known.status === 'running' ? 'running' : data.status;
    const backtest = Object.assign({}, data, { status });
    backtests.set(data.id, backtest);
    keepNewest(backtests, SHOWN_BACKTESTS);
    // It ended: it stays shown as it was until its result is in (an answer on its way may be
    // older than the end). A note changes in place.
    const ended = FINAL_JOB_STATUSES.has(status) && !(shown && FINAL_JOB_STATUSES.has(shown.status));
    if (shownId === data.id && ended) loadShown().catch(() => {});
    else if (shownId === data.id && shown) shown = Object.assign({}, shown, backtest);
  }
  renderBacktestList();
  if (shownId === data.id) renderResult();
}

// The jobs topic: the progress of a run (its start and end come on backtests as well).
function jobChanged(job) {
  if (typeof job.id !== 'number' || job.kind !== 'backtest.run') return;
  backtestJobs.set(job.id, job);
  keepNewest(backtestJobs, KEPT_JOBS, (j) => FINAL_JOB_STATUSES.has(j.status));
  const backtest = backtestOfJob(job.id);
  if (!backtest) return;
  if (!FINAL_JOB_STATUSES.has(job.status)) {
    for (const known of [backtest, shown && shown.id === backtest.id ? shown : null])
      if (known && !FINAL_JOB_STATUSES.has(known.status)) known.status = job.status;
  }
  renderBacktestList();
  if (shownId === backtest.id) renderResult();
}

async function cancelBacktest(node) {
  if (!shown || typeof shown.job_id !== 'number') return;
  node.disabled = true;
  const answer = await actShown('POST', `/api/v1/jobs/${encodeURIComponent(shown.job_id)}/cancel`, {},
                           $('bt-result-error'), _('The backtest was not cancelled.'));
  node.disabled = false;
  if (answer.ok && answer.data) jobChanged(answer.data);
  // 409: it had ended already; read how.
  else if (answer.status === 409) loadShown().catch(() => {});
}

/* One backtest, with its result */

function selectBacktest(id) {
  if (id === shownId && (shown || shownProblem)) {
    renderBacktestList();
    renderResult();
    return;
  }
  shownId = id;
  shown = null;
  shownProblem = '';
  $('bt-result-error').textContent = '';
  renderBacktestList();
  renderResult();
  if (id !== null) loadShown().catch(() => {});
}

async function loadShown() {
  const id = shownId;
  if (id === null) return;
  const asked = ++shownAsked;
  const response = await getResponse(`/api/v1/backtests/${encodeURIComponent(id)}`);
  const answer = response.ok ? await response.json() : await readProblem(response);
  if (asked !== shownAsked || id !== shownId || !mounted) return;
  if (!response.ok) {
    shown = null;
    shownProblem = problemText(answer, response.status, fill(_('Could not load backtest {id}.'), { id }));
    if (response.status === 404) backtests.delete(id);
  } else {
    shown = answer;
    shownProblem = '';
    const listed = Object.assign({}, answer);
    delete listed.result;
    backtests.set(id, listed);
  }
  renderBacktestList();
  renderResult();
}

function renderResult() {
  const article = $('backtest-result');
  article.hidden = !mounted || shownId === null;
  if (article.hidden) return;
  const b = shown;
  article.dataset.backtestId = String(shownId);
  article.dataset.status = b ? String(b.status) : shownProblem ? 'unavailable' : 'loading';
  $('bt-result-title').textContent = b ? fill(_('Backtest #{id}: {strategy} on {symbol} {interval}'), { id: b.id, strategy: b.strategy, symbol: b.symbol, interval: b.interval })
    : fill(_('Backtest #{id}'), { id: shownId });
  $('bt-result-summary').textContent = b
    ? [fill(_('{start} to {end}'), { start: shortTime(b.start), end: shortTime(b.end) }), paramsText(b.request && b.request.params),
       label('job-status', b.status), fill(_('by {user}, {time}'), { user: userName(b.created_by, b.created_by_name), time: shortTime(b.created_at) })]
      .filter(Boolean).join(' · ')
    : shownProblem ? '' : _('Loading…');
  $('bt-result-failure').textContent = shownProblem
    || (b && b.status === 'failed' ? fill(_('It failed: {error}.'), { error: b.error ?? _('no reason given') }) : '')
    || (b && b.status === 'cancelled' ? _('It was cancelled.') : '');

  const running = b !== null && !FINAL_JOB_STATUSES.has(b.status);
  const job = jobOf(b);
  $('bt-job').hidden = !running;
  $('bt-job-progress').value = running && job && typeof job.progress === 'number' ? job.progress : 0;
  $('bt-job-message').textContent = running ? (job && job.message) || (b.status === 'queued' ? _('Queued…') : _('Running…')) : '';
  $('bt-job-cancel').hidden = !running || !canManageBacktest(b) || !can('jobs.write');
  $('bt-job-cancel').setAttribute('aria-label', fill(_('Cancel backtest {id}'), { id: shownId }));

  const result = b && b.result;
  $('bt-result-body').hidden = !result;
  if (result) renderBacktestResult(b, result);
  else renderBacktestCurve(null);

  // The note: a field to edit for whoever may, its text for the others.
  const manage = b !== null && canManageBacktest(b);
  $('bt-note-form').hidden = !manage;
  $('bt-note-text').hidden = manage;
  $('bt-note-text').textContent = b ? b.note || _('No note.') : '';
  const noteKey = b ? `${b.id}|${b.note ?? ''}` : null;
  if (noteKey !== shownNote) {
    shownNote = noteKey;
    $('bt-note').value = b ? b.note ?? '' : '';
  }
}

const METRICS = [
  ['total_return', _('Total return'), 'percent'],
  ['buy_and_hold_return', _('Buy and hold'), 'percent'],
  ['annualised_return', _('Annualised return'), 'percent'],
  ['volatility', _('Volatility (annualised)'), 'percent'],
  ['sharpe', _('Sharpe ratio'), 'ratio'],
  ['sortino', _('Sortino ratio'), 'ratio'],
  ['calmar', _('Calmar ratio'), 'ratio'],
  ['max_drawdown', _('Maximum drawdown'), 'percent'],
  ['max_drawdown_duration_ms', _('Longest drawdown'), 'duration'],
  ['trades', _('Closed trades'), 'count'],
  ['win_rate', _('Win rate'), 'percent'],
  ['profit_factor', _('Profit factor'), 'factor'],
  ['expectancy', _('Expectancy per trade'), 'money'],
  ['exposure', _('Time in the market'), 'percent'],
  ['average_duration_ms', _('Average holding time'), 'duration'],
  ['fees', _('Fees'), 'decimal'],
];

function metricText(kind, value, metrics, currency) {
  const money = (text) => (text === '—' || !currency ? text : `${text} ${currency}`);
  switch (kind) {
    case 'percent': return percentText(value);
    case 'ratio': return ratioText(value);
    // null: gains and no loss (docs/BACKTESTS.md).
    case 'factor': return value === null && metrics.trades > 0 ? '∞' : ratioText(value);
    case 'duration': return durationText(value);
    case 'count': return typeof value === 'number' ? String(value) : '—';
    case 'money': return money(numberText(value));
    case 'decimal': return value === null || value === undefined ? '—' : money(decimal(value));
    default: return String(value);
  }
}

function exitReasonText(trade) {
  if (trade.open) return _('Still open (valued at the last close)');
  const reasons = { take_profit: _('Take profit'), stop_loss: _('Stop loss'), signal: _('Signal') };
  return reasons[trade.exit_reason] || String(trade.exit_reason ?? '—');
}

function renderBacktestResult(backtest, result) {
  const currency = quoteOf(backtest.symbol);
  const amount = (text) => (text === null || text === undefined ? '—'
    : `${decimal(text)}${currency ? ` ${currency}` : ''}`);
  const metrics = result.metrics || {};
  $('bt-starting-cash').textContent = amount(result.starting_cash);
  $('bt-final-equity').textContent = amount(result.final_equity);
  $('bt-final-equity').dataset.sign = numberSign(metrics.total_return);
  $('bt-final-cash').textContent = amount(result.final_cash);
  $('bt-fees').textContent = amount(result.fees);
  $('bt-candles').textContent = typeof result.candles === 'number' ? String(result.candles) : '—';
  $('bt-signals').textContent = `${result.signals ?? '—'} (${result.skipped ?? 0})`;

  $('bt-metrics').tBodies[0].replaceChildren(...METRICS.map(([key, label, kind]) => {
    const tr = element('tr');
    tr.dataset.metric = key;
    const value = element('td', metricText(kind, metrics[key], metrics, currency), 'number value');
    if (key === 'total_return' || key === 'buy_and_hold_return' || key === 'annualised_return' || key === 'expectancy')
      value.dataset.sign = numberSign(metrics[key]);
    tr.append(element('th', label), value);
    return tr;
  }));

  const trades = Array.isArray(result.trades) ? result.trades.map((t, i) => Object.assign({ index: i }, t)) : [];
  fillTable('bt-trades', trades, (trade) => {
    const tr = element('tr');
    tr.dataset.index = String(trade.index);
    tr.dataset.open = String(trade.open === true);
    const ret = element('td', percentText(trade.return), 'number return');
    ret.dataset.sign = numberSign(trade.return);
    tr.append(element('td', label('side', trade.side), `side ${String(trade.side).toLowerCase()}`),
              element('td', shortTime(trade.entry_time), 'entry-time'), decimalCell(trade.entry_price, 'entry-price'),
              element('td', trade.exit_time ? shortTime(trade.exit_time) : '—', 'exit-time'),
              decimalCell(trade.exit_price, 'exit-price'), decimalCell(trade.quantity, 'quantity'),
              pnlCell(trade.pnl, 'pnl'), ret, decimalCell(trade.fees, 'fees'),
              element('td', durationText(trade.duration_ms), 'duration'),
              element('td', exitReasonText(trade), 'exit-reason'));
    return tr;
  });

  renderBacktestCurve(result);
}

// The equity curve against buy-and-hold on one scale, and the drawdown under it. Plotting is
// analytics (DESIGN.md §4): doubles place the lines; the caption quotes the API's strings.
function renderBacktestCurve(result) {
  const chart = $('bt-equity-chart');
  const drawdown = $('bt-drawdown-chart');
  const points = (result && Array.isArray(result.equity) ? result.equity : [])
    .filter((p) => typeof p.equity === 'number' && !Number.isNaN(Date.parse(p.time)));
  if (points.length < 2) {
    chart.replaceChildren();
    drawdown.replaceChildren();
    $('bt-axis-from').textContent = '';
    $('bt-axis-to').textContent = '';
    $('bt-equity-caption').textContent = result ? _('Too few candles to draw a curve.') : '';
    return;
  }
  const [width, height, pad, ddHeight] = [600, 200, 8, 60];
  const times = points.map((p) => Date.parse(p.time));
  const duration = times[times.length - 1] - times[0] || 1;
  const x = (i) => (((times[i] - times[0]) / duration) * width).toFixed(1);
  const hold = (p) => typeof p.buy_and_hold === 'number' && Number.isFinite(p.buy_and_hold);
  let low = Infinity;
  let high = -Infinity;
  for (const p of points) {
    for (const v of hold(p) ? [p.equity, p.buy_and_hold] : [p.equity]) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  const span = high - low || 1;
  const y = (v) => (pad + (1 - (v - low) / span) * (height - 2 * pad)).toFixed(1);
  const shape = (tag, className, points) => {
    const node = document.createElementNS(SVG, tag);
    node.setAttribute('points', points);
    node.setAttribute('class', className);
    return node;
  };
  const shapes = [];
  const start = Number(result.starting_cash);
  if (Number.isFinite(start) && start >= low && start <= high)
    shapes.push(shape('polyline', 'baseline', `0,${y(start)} ${width},${y(start)}`));
  shapes.push(shape('polyline', 'buy-and-hold',
                    points.flatMap((p, i) => (hold(p) ? [`${x(i)},${y(p.buy_and_hold)}`] : [])).join(' ')));
  shapes.push(shape('polyline', 'strategy', points.map((p, i) => `${x(i)},${y(p.equity)}`).join(' ')));
  chart.replaceChildren(...shapes);

  const deepest = Math.max(...points.map((p) => (typeof p.drawdown === 'number' ? p.drawdown : 0))) || 1;
  const depth = (p) => (((typeof p.drawdown === 'number' ? p.drawdown : 0) / deepest) * (ddHeight - 2)).toFixed(1);
  drawdown.replaceChildren(shape('polygon', 'drawdown',
    `0,0 ${points.map((p, i) => `${x(i)},${depth(p)}`).join(' ')} ${width},0`));

  $('bt-axis-from').textContent = shortTime(points[0].time);
  $('bt-axis-to').textContent = shortTime(points[points.length - 1].time);
  const metrics = result.metrics || {};
  $('bt-equity-caption').textContent =
    fill(_('The strategy went from {start} to {end} ({return}); buying and holding returned {hold}. Deepest drawdown {drawdown}.'), {
      start: decimal(result.starting_cash), end: decimal(result.final_equity), return: percentText(metrics.total_return),
      hold: percentText(metrics.buy_and_hold_return), drawdown: percentText(metrics.max_drawdown) });
}

async function saveNote(node) {
  if (!shown) return;
  const id = shown.id;
  node.disabled = true;
  const answer = await actShown('PATCH', `/api/v1/backtests/${encodeURIComponent(id)}`, { note: $('bt-note').value },
                           $('bt-result-error'), _('The note was not saved.'));
  node.disabled = false;
  if (!answer.ok || !answer.data || shownId !== id) return;
  shown = Object.assign({}, shown, answer.data, { result: shown.result });
  backtests.set(id, answer.data);
  renderBacktestList();
  renderResult();
}

function openDeleteBacktest() {
  if (!shown) return;
  const running = !FINAL_JOB_STATUSES.has(shown.status);
  $('bt-delete-summary').textContent =
    fill(_('Backtest #{id} ({strategy} on {symbol} {interval}) and its result will be deleted.'),
         { id: shown.id, strategy: shown.strategy, symbol: shown.symbol, interval: shown.interval }) +
    (running ? ` ${_('It is still running: it is cancelled first.')}` : '');
  $('bt-delete-error').textContent = '';
  $('bt-delete-submit').disabled = false;
  $('bt-delete-dialog').showModal();
}

async function submitDeleteBacktest() {
  if (!shown) return;
  const id = shown.id;
  $('bt-delete-submit').disabled = true;
  const answer = await actShown('DELETE', `/api/v1/backtests/${encodeURIComponent(id)}`, undefined,
                           $('bt-delete-error'), _('The backtest was not deleted.'));
  $('bt-delete-submit').disabled = false;
  if (!answer.ok) return;
  $('bt-delete-dialog').close();
  backtestSeenAt.set(id, ++backtestEvents);
  deletedBacktests.add(id);
  backtests.delete(id);
  if (shownId === id) location.hash = '#/backtests';
  renderBacktestList();
}


// The page's controls, wired once its markup is in.
function wire() {
  $('bt-strategy').addEventListener('change', () => {
    renderParams();
    clearFieldErrors();
  });
  $('backtest-form').addEventListener('input', (event) => {
    // What is typed again is not refused yet.
    const field = event.target.closest('.field');
    if (field) clearFieldErrors(field);
  });
  $('backtest-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runBacktest();
  });
  $('bt-job-cancel').addEventListener('click', (event) => cancelBacktest(event.currentTarget));
  $('bt-note-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveNote($('bt-note-save'));
  });
  $('bt-delete').addEventListener('click', openDeleteBacktest);
  $('bt-delete-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitDeleteBacktest();
  });
  $('bt-delete-cancel').addEventListener('click', () => $('bt-delete-dialog').close());

}

// "#/backtests/<id>": that backtest shown.
function idOf(params) {
  return params && /^\d+$/.test(params[0] || '') ? Number(params[0]) : null;
}


export default {
  id: 'backtests',
  title: _('Backtests'),
  permission: 'backtests.read',
  mount(root, ctx) {
    root.innerHTML = markup;
    mounted = true;
    wire();
    forgetBacktests();
    shownId = idOf(ctx.params);
    const off = [
      live.subscribe('backtests', ifShown(backtestChanged)),
      live.subscribe('jobs', ifShown(jobChanged)),
      live.onResync(() => (mounted ? loadBacktestsView() : null)),
      session.onChange(() => { if (mounted) renderBacktests(); }),
    ];
    renderBacktests();
    return () => {
      for (const fn of off) fn();
      for (const dialog of root.querySelectorAll('dialog')) if (dialog.open) dialog.close();
      forgetBacktests();
      mounted = false;
    };
  },
  update(params) {
    selectBacktest(idOf(params));
  },
};
