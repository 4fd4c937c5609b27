// calendar.js — the portfolio's daily PnL as a calendar heatmap (GET /portfolio/calendar):
// closed trades by their day in the browser's time zone, a month a grid.
// SPDX-License-Identifier: GPL-3.0-or-later
import { refusalText } from './kit.js';
import { _, fill, ngettext } from '../core/i18n.js';

const WEEKDAYS = [_('Mon'), _('Tue'), _('Wed'), _('Thu'), _('Fri'), _('Sat'), _('Sun')];
const LEVELS = 4;

function mount(root, ctx) {
  const { api, live, format, h } = ctx;
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  let year = new Date().getFullYear();
  let asked = 0;
  let gone = false;
  let pending = null;

  root.classList.add('page-calendar');
  const error = h('p', { class: 'error', role: 'status' });
  const previous = h('button', { type: 'button', id: 'calendar-previous', 'aria-label': _('Previous year') }, '‹');
  const next = h('button', { type: 'button', id: 'calendar-next', 'aria-label': _('Next year') }, '›');
  const shown = h('span', { id: 'calendar-year', 'aria-live': 'polite' }, String(year));
  const summary = h('p', { class: 'caption', id: 'calendar-summary' });
  const months = h('div', { class: 'months', id: 'calendar-months' });
  root.append(
    h('div', { class: 'heading-row' }, h('h2', null, _('PnL calendar')),
      h('div', { class: 'year-chooser' }, previous, shown, next)),
    error, summary, months,
    h('p', { class: 'caption legend' }, h('span', { class: 'swatch', 'data-sign': 'positive', 'data-level': '3' }),
      ` ${_('profit')} `, h('span', { class: 'swatch', 'data-sign': 'negative', 'data-level': '3' }),
      ` ${_('loss, darker for more;')} `, fill(_('days in {zone}'), { zone: tz })));

  function render(answer) {
    const days = new Map((answer.days || []).map((d) => [d.date, d]));
    // The colour's depth only: doubles are fine for drawing (docs/WEB.md, Numbers).
    const largest = Math.max(0, ...[...days.values()].map((d) => Math.abs(Number(d.net_pnl)) || 0));
    const currency = answer.currency || undefined;
    let traded = 0;
    let up = 0;
    months.replaceChildren();
    for (let m = 0; m < 12; m++) {
      const first = new Date(Date.UTC(year, m, 1));
      const length = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
      const lead = (first.getUTCDay() + 6) % 7;           // weeks start on Monday
      const name = first.toLocaleString(undefined, { month: 'long', timeZone: 'UTC' });
      const body = h('tbody');
      let row = h('tr');
      for (let i = 0; i < lead; i++) row.append(h('td', { class: 'pad' }));
      for (let d = 1; d <= length; d++) {
        const date = `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const day = days.get(date);
        const cell = h('td', { 'data-date': date }, h('span', { 'aria-hidden': 'true' }, String(d)));
        if (day) {
          traded++;
          const sign = format.signOf(day.net_pnl);
          if (sign === 'positive') up++;
          const depth = largest > 0 ? Math.max(1, Math.ceil((Math.abs(Number(day.net_pnl)) / largest) * LEVELS)) : 1;
          cell.dataset.sign = sign;
          cell.dataset.level = String(depth);
          const text = fill(ngettext('{amount}, {n} trade', '{amount}, {n} trades', day.trades), { amount: format.money(day.net_pnl, currency), n: day.trades });
          cell.title = `${date}: ${text}`;
          cell.append(h('span', { class: 'visually-hidden' }, ` ${fill(_('{month} {day}: {trades}'), { month: name, day: d, trades: text })}`));
        } else {
          cell.append(h('span', { class: 'visually-hidden' }, ` ${fill(_('{month} {day}: no trades'), { month: name, day: d })}`));
        }
        row.append(cell);
        if ((lead + d) % 7 === 0) {
          body.append(row);
          row = h('tr');
        }
      }
      if (row.childNodes.length) body.append(row);
      months.append(h('table', { class: 'month', 'data-month': String(m + 1) },
        h('caption', null, name),
        h('thead', null, h('tr', null, ...WEEKDAYS.map((w) => h('th', { scope: 'col', abbr: w }, w.slice(0, 1))))),
        body));
    }
    summary.textContent = traded === 0 ? fill(_('No closed trades in {year}.'), { year })
      : fill(ngettext('{n} day with closed trades in {year}, {up} of them in profit.', '{n} days with closed trades in {year}, {up} of them in profit.', traded), { n: traded, year, up });
  }

  async function load() {
    const mine = ++asked;
    shown.textContent = String(year);
    error.textContent = '';
    try {
      const answer = await api.get(`/api/v1/portfolio/calendar?year=${year}&tz=${encodeURIComponent(tz)}`);
      if (gone || mine !== asked) return;
      render(answer);
      root.dataset.loaded = String(year);
    } catch (err) {
      if (!gone && mine === asked) error.textContent = refusalText(err, _('Could not load the calendar.'));
    }
  }

  previous.addEventListener('click', () => {
    year--;
    load();
  });
  next.addEventListener('click', () => {
    year++;
    load();
  });

  // A trade closed adds to its day: read the year again, once for a burst of them.
  const stops = [
    live.subscribe('trades', (trade) => {
      if (!trade || trade.status !== 'closed' || pending !== null) return;
      pending = setTimeout(() => {
        pending = null;
        if (!gone) load();
      }, 500);
    }),
  ];
  // After the subscription: the first read, and again after each reconnection.
  stops.push(live.onResync(load));

  return () => {
    gone = true;
    clearTimeout(pending);
    for (const stop of stops) stop();
  };
}

export default { id: 'calendar', title: _('PnL Calendar'), permission: 'portfolio.read', mount };
