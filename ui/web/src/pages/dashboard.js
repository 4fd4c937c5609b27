// dashboard.js — the first page: equity, today's PnL, open positions, pending approvals, and the
// health of the system and its feeds, each live from its topic.
// SPDX-License-Identifier: GPL-3.0-or-later
import { listOf } from '../core/view.js';
import { refusalText, fillRows, decimalCell, scrollingTable, mergeHealth, healthAlert, healthSummary } from './kit.js';
import { _, fill } from '../core/i18n.js';
import { label } from '../core/labels.js';

const SHOWN_APPROVALS = 5;

function mount(root, ctx) {
  const { api, live, session, format, h } = ctx;
  const can = (permission) => session.can(permission);
  let portfolio = null;                 // GET /portfolio, then the topic's summaries over it
  let positions = new Map();            // symbol → position
  const approvals = new Map();          // id → pending Approval
  let status = null;                    // GET /system/status or the system topic
  const health = new Map();             // component → { component, status, reason, since }
  let gone = false;
  const error = h('p', { class: 'error', role: 'status' });

  root.classList.add('page-dashboard');
  root.append(h('h2', null, _('Dashboard')), error);
  const cards = h('div', { class: 'cards' });
  root.append(cards);

  const fail = (err, fallback) => {
    if (!gone) error.textContent = refusalText(err, fallback);
  };

  /* Equity and positions */
  const figures = {};
  const figure = (key, label) => {
    figures[key] = h('dd', { 'data-figure': key }, '—');
    return [h('dt', null, label), figures[key]];
  };
  const positionRows = h('tbody');
  if (can('portfolio.read')) {
    cards.append(
      h('section', { class: 'card', 'aria-labelledby': 'dash-equity-title' },
        h('h3', { id: 'dash-equity-title' }, _('Equity')),
        h('dl', { class: 'figures' }, ...figure('equity', _('Equity')), ...figure('today_pnl', _('Today’s PnL')),
          ...figure('cash', _('Cash')), ...figure('drawdown', _('Drawdown')))),
      h('section', { class: 'card wide', 'aria-labelledby': 'dash-positions-title' },
        h('h3', { id: 'dash-positions-title' }, _('Open positions'), ' ', h('span', { class: 'count', 'data-count': 'positions' })),
        scrollingTable(h, { id: 'dash-positions', label: _('Open positions'), body: positionRows,
                            columns: [_('Symbol'), `#${_('Quantity')}`, `#${_('Average')}`, `#${_('Last')}`, `#${_('Unrealised PnL')}`] })));
  }

  const amount = (text) => (text === undefined || text === null ? '—'
    : format.money(text, portfolio && portfolio.currency ? portfolio.currency : undefined));

  function renderPortfolio() {
    if (!can('portfolio.read')) return;
    const p = portfolio || {};
    figures.equity.textContent = amount(p.equity);
    figures.today_pnl.textContent = amount(p.today_pnl);
    figures.today_pnl.dataset.sign = format.signOf(p.today_pnl);
    figures.cash.textContent = amount(p.cash);
    // A ratio meant for people travels as a JSON number (docs/TRADING.md).
    figures.drawdown.textContent = typeof p.drawdown === 'number' ? `${(p.drawdown * 100).toFixed(2)} %`
      : (p.drawdown ? format.decimal(p.drawdown) : '—');
    const open = [...positions.values()].sort((a, b) => String(a.symbol).localeCompare(b.symbol));
    root.querySelector('[data-count="positions"]').textContent = `(${open.length})`;
    fillRows(h, positionRows, 5, open, (position) => {
      const tr = h('tr', { 'data-symbol': String(position.symbol) },
        h('td', null, String(position.symbol)), decimalCell(h, format, position.quantity),
        decimalCell(h, format, position.average_price), decimalCell(h, format, position.last_price),
        decimalCell(h, format, position.unrealized_pnl, true));
      return tr;
    }, _('No open positions'));
  }

  async function loadPortfolio() {
    try {
      const answer = await api.get('/api/v1/portfolio');
      if (gone) return;
      portfolio = answer;
      positions = new Map((answer.positions || []).map((p) => [p.symbol, p]));
      renderPortfolio();
    } catch (err) {
      fail(err, _('Could not load the portfolio.'));
    }
  }

  function positionChanged(data) {
    for (const position of Array.isArray(data.items) ? data.items : [data]) {
      if (!position || !position.symbol) continue;
      if (format.signOf(position.quantity) === 'zero') positions.delete(position.symbol);
      else positions.set(position.symbol, position);
    }
    renderPortfolio();
  }

  /* Pending approvals */
  const approvalList = h('ul', { class: 'plain', id: 'dash-approvals' });
  const approvalCount = h('span', { class: 'count', 'data-count': 'approvals' });
  if (can('approvals.read')) {
    const open = h('button', { type: 'button', class: 'link' }, _('Open approvals'));
    open.addEventListener('click', () => ctx.navigate('desk'));
    cards.append(h('section', { class: 'card', 'aria-labelledby': 'dash-approvals-title' },
      h('h3', { id: 'dash-approvals-title' }, _('Pending approvals'), ' ', approvalCount), approvalList, open));
  }

  function renderApprovals() {
    if (!can('approvals.read')) return;
    const pending = [...approvals.values()].sort((a, b) => b.id - a.id);
    approvalCount.textContent = `(${pending.length})`;
    approvalList.replaceChildren(...pending.slice(0, SHOWN_APPROVALS).map((approval) => {
      const rec = approval.recommendation || {};
      return h('li', { 'data-approval-id': String(approval.id) },
        h('strong', { class: `decision ${String(rec.decision || '').toLowerCase()}` }, rec.decision ? label('decision', rec.decision) : ''),
        ` ${rec.symbol || ''} `, h('span', { class: 'dim' }, fill(_('expires {time}'), { time: format.time(approval.expires_at) })));
    }));
    if (pending.length === 0) approvalList.append(h('li', { class: 'empty' }, _('Nothing waits for a decision')));
  }

  async function loadApprovals() {
    try {
      const answer = await api.get('/api/v1/approvals?status=pending');
      if (gone) return;
      approvals.clear();
      for (const approval of listOf(answer)) if (approval.status === 'pending') approvals.set(approval.id, approval);
      renderApprovals();
    } catch (err) {
      fail(err, _('Could not load the approvals.'));
    }
  }

  function approvalChanged(approval) {
    if (!approval || typeof approval.id !== 'number') return;
    if (approval.status === 'pending') approvals.set(approval.id, approval);
    else approvals.delete(approval.id);
    renderApprovals();
  }

  /* System, feeds and components */
  const systemList = h('dl', { class: 'figures', id: 'dash-system' });
  const feedRows = h('tbody');
  const healthRows = h('tbody');
  const worst = h('span', { class: 'health-status', 'data-health': '' });
  if (can('system.read')) {
    cards.append(
      h('section', { class: 'card', 'aria-labelledby': 'dash-system-title' },
        h('h3', { id: 'dash-system-title' }, _('System')), systemList,
        h('h4', null, _('Feeds')),
        scrollingTable(h, { id: 'dash-feeds', label: _('Feeds'), body: feedRows, columns: [_('Feed'), _('State')] })),
      h('section', { class: 'card', 'aria-labelledby': 'dash-health-title' },
        h('h3', { id: 'dash-health-title' }, _('Health'), ' ', worst),
        scrollingTable(h, { id: 'dash-health', label: _('Components’ health'), body: healthRows,
                            columns: [_('Component'), _('Status'), _('Reason')] })));
  }

  function renderSystem() {
    if (!can('system.read')) return;
    const s = status || {};
    const trading = s.trading || {};
    // data-system and data-value keep the English key and the server's value, whatever the language.
    const rows = [
      ['engine', _('Engine'), 'engine-state', s.engine ? s.engine.state : null],
      ['order-processing', _('Order processing'), 'processing', trading.running === undefined ? null : (trading.running ? 'running' : 'stopped')],
      ['trading-state', _('Trading state'), 'trading-state', trading.state],
      ['mode', _('Mode'), 'mode', trading.mode || s.mode],
    ];
    systemList.replaceChildren(...rows.flatMap(([key, name, kind, value]) =>
      [h('dt', null, name), h('dd', { 'data-system': key, 'data-value': value ?? '' }, label(kind, value))]));
    const feeds = (s.market && Array.isArray(s.market.feeds)) ? s.market.feeds : [];
    fillRows(h, feedRows, 2, feeds, (feed) => h('tr', { 'data-feed': String(feed.id), 'data-state': String(feed.state) },
      h('td', null, feed.simulated ? fill(_('{name} (simulated)'), { name: feed.name || feed.id }) : String(feed.name || feed.id)),
      h('td', { class: 'state' }, label('feed-state', feed.state))), _('No feed runs'));
  }

  async function loadSystem() {
    try {
      const answer = await api.get('/api/v1/system/status');
      if (gone) return;
      status = answer;
      renderSystem();
    } catch (err) {
      fail(err, _('Could not load the system’s status.'));
    }
  }

  function renderHealth() {
    if (!can('system.read')) return;
    const { items, worst: w } = healthSummary(health);
    worst.textContent = w ? `(${label('health', w)})` : '';
    worst.dataset.health = w;
    fillRows(h, healthRows, 3, items, (item) => h('tr', { 'data-component': String(item.component), 'data-status': String(item.status) },
      h('td', null, String(item.component)), h('td', { class: 'status' }, label('health', item.status)),
      h('td', null, item.reason == null ? '—' : String(item.reason))), _('No component reported'));
  }

  async function loadHealth() {
    try {
      const answer = await api.get('/api/v1/health/components');
      if (gone) return;
      mergeHealth(health, listOf(answer));
      renderHealth();
    } catch (err) {
      fail(err, _('Could not load the components’ health.'));
    }
  }

  function alertArrived(alert) {
    if (alert && alert.type === 'component' && healthAlert(health, alert)) renderHealth();
  }

  /* In step: the topics, and everything again over REST after each (re)connection or gap. */
  function reload() {
    error.textContent = '';
    return Promise.all([
      can('portfolio.read') ? loadPortfolio() : null,
      can('approvals.read') ? loadApprovals() : null,
      can('system.read') ? loadSystem() : null,
      can('system.read') ? loadHealth() : null,
    ]);
  }

  const stops = [];
  if (can('portfolio.read')) {
    stops.push(live.subscribe('portfolio', (data) => {
      // The topic carries the summary without its lists.
      portfolio = Object.assign({}, portfolio, data);
      renderPortfolio();
    }));
    stops.push(live.subscribe('positions', positionChanged));
  }
  if (can('approvals.read')) stops.push(live.subscribe('approvals', approvalChanged));
  stops.push(live.subscribe('system', (data) => {
    status = Object.assign({}, status, data);
    renderSystem();
  }));
  if (can('users.read')) stops.push(live.subscribe('alerts', alertArrived));
  renderPortfolio();
  renderApprovals();
  renderSystem();
  renderHealth();
  // Subscribed first, then read: nothing falls between the two (it runs at once, then again
  // after each reconnection or gap).
  stops.push(live.onResync(reload));

  return () => {
    gone = true;
    for (const stop of stops) stop();
  };
}

export default { id: 'dashboard', title: _('Dashboard'), permission: 'system.read', mount };
