// markets.js — the instruments (searchable) and one instrument's candlestick chart with volume,
// two moving averages and the account's trades marked, live from `candles:` and `ticker:`; older
// candles are read as the user scrolls back.
// SPDX-License-Identifier: GPL-3.0-or-later
import {
  createChart, CandlestickSeries, HistogramSeries, LineSeries, createSeriesMarkers, CrosshairMode,
} from 'lightweight-charts';
import { listOf } from '../core/view.js';
import { refusalText, intervalMs, timeMs, INTERVALS } from './kit.js';
import { _, fill } from '../core/i18n.js';

const PAGE = 300;              // candles a read asks for
const SMA_PERIOD = 20;
const EMA_PERIOD = 50;

// The moving averages: for display only, so doubles are fine here (docs/WEB.md, Numbers).
function sma(bars, period) {
  const out = [];
  let sum = 0;
  for (let i = 0; i < bars.length; i++) {
    sum += bars[i].c;
    if (i >= period) sum -= bars[i - period].c;
    if (i >= period - 1) out.push({ time: bars[i].time, value: sum / period });
  }
  return out;
}

function ema(bars, period) {
  const out = [];
  const k = 2 / (period + 1);
  let value = null;
  for (let i = 0; i < bars.length; i++) {
    value = value === null ? bars[i].c : bars[i].c * k + value * (1 - k);
    if (i >= period - 1) out.push({ time: bars[i].time, value });
  }
  return out;
}

function cssColour(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function mount(root, ctx) {
  const { api, live, session, format, h } = ctx;
  let instruments = [];
  let symbol = null;
  let interval = '1h';
  let gone = false;
  let stopTopics = [];
  let bars = [];                // oldest first: { time (s), open, high, low, close, volume (strings), c (double) }
  let loadingOlder = false;
  let exhausted = false;
  let generation = 0;           // a newer choice of symbol or interval makes older answers moot
  let markers = null;

  root.classList.add('page-markets');
  const error = h('p', { class: 'error', role: 'status' });
  const search = h('input', { type: 'search', id: 'markets-search', autocomplete: 'off', placeholder: 'BTC…' });
  const list = h('ul', { class: 'instrument-list', id: 'markets-instruments', 'aria-label': _('Instruments') });
  const intervalSelect = h('select', { id: 'markets-interval' },
    ...INTERVALS.map((i) => h('option', { value: i }, i)));
  intervalSelect.value = interval;
  const title = h('h3', { id: 'markets-chart-title' }, _('Choose an instrument'));
  const ticker = h('dl', { class: 'figures ticker', id: 'markets-ticker' });
  const chartBox = h('div', { class: 'chart', id: 'markets-chart' });
  const lastCandle = h('p', { class: 'caption', id: 'markets-last', 'aria-live': 'polite' });
  // The library's own logo brings a <style> element, which the Content-Security-Policy refuses:
  // its attribution is this link instead (lightweight-charts' NOTICE asks for one).
  const legend = h('p', { class: 'caption legend' },
    h('span', { class: 'sma' }, `SMA ${SMA_PERIOD}`), ' · ', h('span', { class: 'ema' }, `EMA ${EMA_PERIOD}`),
    can('portfolio.read') ? ' · arrows: your trades' : '', ' · ',
    h('a', { href: 'https://www.tradingview.com/', rel: 'noopener noreferrer', target: '_blank' }, _('Charting by TradingView')));
  root.append(
    h('h2', null, _('Markets')), error,
    h('div', { class: 'markets-layout' },
      h('div', { class: 'instruments' },
        h('label', { for: 'markets-search' }, _('Search instruments')), search, list),
      h('div', { class: 'chart-pane' },
        h('div', { class: 'heading-row' }, title,
          h('label', { class: 'inline', for: 'markets-interval' }, _('Interval'), ' ', intervalSelect)),
        ticker,
        h('figure', { class: 'chart-figure', 'aria-labelledby': 'markets-chart-title' }, chartBox,
          h('figcaption', null, legend, lastCandle)))));

  function can(permission) {
    return session.can(permission);
  }

  /* The chart */
  const chart = createChart(chartBox, {
    autoSize: true,
    layout: { background: { color: 'transparent' }, textColor: cssColour('--chart-text', '#888'), attributionLogo: false },
    grid: { vertLines: { color: 'rgba(128,128,128,0.15)' }, horzLines: { color: 'rgba(128,128,128,0.15)' } },
    crosshair: { mode: CrosshairMode.Normal },
    timeScale: { timeVisible: true, secondsVisible: false },
    rightPriceScale: { scaleMargins: { top: 0.1, bottom: 0.25 } },
    localization: { timeFormatter: (t) => new Date(t * 1000).toLocaleString() },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: '#26a269', downColor: '#c01c28', borderVisible: false, wickUpColor: '#26a269', wickDownColor: '#c01c28',
  });
  const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: 'volume' });
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  const smaLine = chart.addSeries(LineSeries, { color: '#3584e4', lineWidth: 1, priceLineVisible: false,
                                               lastValueVisible: false, crosshairMarkerVisible: false });
  const emaLine = chart.addSeries(LineSeries, { color: '#e66100', lineWidth: 1, priceLineVisible: false,
                                               lastValueVisible: false, crosshairMarkerVisible: false });
  markers = createSeriesMarkers(candles, []);

  function barOf(candle) {
    return {
      time: Math.floor(timeMs(candle.open_time) / 1000),
      open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume,
      c: Number(candle.close),
    };
  }

  const drawn = (b) => ({ time: b.time, open: Number(b.open), high: Number(b.high), low: Number(b.low), close: b.c });
  const volumeOf = (b) => ({ time: b.time, value: Number(b.volume),
                             color: Number(b.close) >= Number(b.open) ? 'rgba(38,162,105,0.45)' : 'rgba(192,28,40,0.45)' });

  function drawAll() {
    candles.setData(bars.map(drawn));
    volume.setData(bars.map(volumeOf));
    drawIndicators();
    describeLast();
  }

  function drawIndicators() {
    smaLine.setData(sma(bars, SMA_PERIOD));
    emaLine.setData(ema(bars, EMA_PERIOD));
  }

  // The newest candle in words, for those who do not see the canvas (the API's strings, trimmed).
  function describeLast() {
    const b = bars[bars.length - 1];
    chartBox.dataset.candles = String(bars.length);
    lastCandle.textContent = b
      ? fill(_('Last candle {time}: open {open}, high {high}, low {low}, close {close}, volume {volume}'), {
        time: new Date(b.time * 1000).toLocaleString(), open: format.decimal(b.open), high: format.decimal(b.high),
        low: format.decimal(b.low), close: format.decimal(b.close), volume: format.decimal(b.volume) })
      : _('No candles stored for this interval.');
  }

  // A candle from the topic: the forming one again and again, then closed; an older one is in
  // the list already (or will come with a read) and is not drawn out of order.
  function candleArrived(data) {
    if (!data || data.symbol !== symbol || data.interval !== interval) return;
    const bar = barOf(data);
    chartBox.dataset.live = String(bar.time);   // the topic's last candle: for styling and the tests
    const last = bars[bars.length - 1];
    if (last && bar.time < last.time) return;
    if (last && bar.time === last.time) bars[bars.length - 1] = bar;
    else bars.push(bar);
    candles.update(drawn(bar));
    volume.update(volumeOf(bar));
    drawIndicators();
    describeLast();
  }

  function tickerArrived(data) {
    if (!data || data.symbol !== symbol) return;
    showTicker(data);
  }

  function showTicker(t) {
    // data-ticker keeps an English key whatever the language.
    const rows = [
      ['last', _('Last'), t.last_price === null || t.last_price === undefined ? '—' : format.decimal(t.last_price), null],
      ['24-h-change', _('24 h change'), t.change_percent === null || t.change_percent === undefined ? '—' : `${t.change_percent} %`,
       format.signOf(t.change_percent)],
      ['high', _('High'), t.high == null ? '—' : format.decimal(t.high), null],
      ['low', _('Low'), t.low == null ? '—' : format.decimal(t.low), null],
      ['volume', _('Volume'), t.volume == null ? '—' : format.decimal(t.volume), null],
    ];
    ticker.replaceChildren(...rows.flatMap(([key, label, value, sign]) => {
      const dd = h('dd', { 'data-ticker': key }, value);
      if (sign) dd.dataset.sign = sign;
      return [h('dt', null, label), dd];
    }));
    if (t.simulated) ticker.append(h('dt', null, _('Source')), h('dd', null, 'simulated'));
  }

  // The PAGE candles that open before `before` (a time in ms, or 'latest'): the API answers them
  // newest first (docs/API.md, Paging backwards); the chart wants them oldest first.
  async function readBefore(before) {
    const query = new URLSearchParams({ interval, limit: String(PAGE), before: String(before) });
    const answer = await api.get(`/api/v1/market/candles/${encodeURIComponent(symbol)}?${query}`);
    return { got: listOf(answer).map(barOf).reverse(), more: answer.next_cursor !== null && answer.next_cursor !== undefined };
  }

  // The newest candles, whatever the clock says (a simulated market runs ahead of it, an import
  // may be long past), and the ticker beside them.
  async function loadLatest() {
    const asked = ++generation;
    exhausted = false;
    bars = [];
    drawAll();
    if (!symbol) return;
    api.get(`/api/v1/market/ticker/${encodeURIComponent(symbol)}`).then((t) => {
      if (!gone && asked === generation) showTicker(t);
    }, (err) => {
      if (!gone && asked === generation) error.textContent = refusalText(err, _('Could not load the ticker.'));
    });
    try {
      const { got, more } = await readBefore('latest');
      if (gone || asked !== generation) return;
      exhausted = !more;
      // Candles the topic brought meanwhile stay.
      const known = new Set(bars.map((b) => b.time));
      bars = [...got.filter((b) => !known.has(b.time)), ...bars].sort((a, b) => a.time - b.time);
      drawAll();
      chart.timeScale().scrollToRealTime();
      loadMarks();
    } catch (err) {
      if (!gone && asked === generation) error.textContent = refusalText(err, _('Could not load the candles.'));
    }
  }

  // Older candles, as the user scrolls back: the page before the oldest shown, across any gap,
  // until the API says there are none before.
  async function loadOlder() {
    if (loadingOlder || exhausted || !symbol || bars.length === 0) return;
    loadingOlder = true;
    const asked = generation;
    chartBox.dataset.loading = 'older';
    try {
      const { got, more } = await readBefore(bars[0].time * 1000);
      if (gone || asked !== generation) return;
      exhausted = !more;
      const older = got.filter((b) => b.time < bars[0].time);
      if (older.length > 0) {
        bars = [...older, ...bars];
        // Keep the view where it was: the bars added shift the logical range.
        const range = chart.timeScale().getVisibleLogicalRange();
        drawAll();
        if (range) chart.timeScale().setVisibleLogicalRange({ from: range.from + older.length, to: range.to + older.length });
      }
    } catch (err) {
      if (!gone) error.textContent = refusalText(err, _('Could not load older candles.'));
    } finally {
      loadingOlder = false;
      delete chartBox.dataset.loading;
    }
  }

  chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
    if (range && range.from < 10) loadOlder();
  });

  // The account's trades in this symbol, an arrow at each entry and exit.
  async function loadMarks() {
    if (!can('portfolio.read') || !symbol) return;
    const asked = generation;
    try {
      const answer = await api.get(`/api/v1/trades?symbol=${encodeURIComponent(symbol)}&limit=200`);
      if (gone || asked !== generation) return;
      const step = intervalMs(interval) / 1000;
      const snap = (ms) => Math.floor(ms / 1000 / step) * step;
      const list = [];
      for (const trade of listOf(answer)) {
        const short = /sell|short/i.test(String(trade.side));
        if (trade.opened_at) {
          list.push({ time: snap(timeMs(trade.opened_at)), position: short ? 'aboveBar' : 'belowBar',
                      color: short ? '#c01c28' : '#26a269', shape: short ? 'arrowDown' : 'arrowUp',
                      text: `${short ? _('Sell') : _('Buy')} ${format.decimal(trade.entry_price)}` });
        }
        if (trade.closed_at) {
          list.push({ time: snap(timeMs(trade.closed_at)), position: short ? 'belowBar' : 'aboveBar',
                      color: '#3584e4', shape: 'circle', text: fill(_('Exit {price}'), { price: format.decimal(trade.exit_price) }) });
        }
      }
      list.sort((a, b) => a.time - b.time);
      markers.setMarkers(list);
      chartBox.dataset.marks = String(list.length);
    } catch {
      // Marks are an extra: the chart stands without them.
    }
  }

  /* Choosing */
  function follow() {
    for (const stop of stopTopics) stop();
    stopTopics = [];
    if (!symbol) return;
    stopTopics.push(live.subscribe(`candles:${symbol}:${interval}`, candleArrived));
    stopTopics.push(live.subscribe(`ticker:${symbol}`, tickerArrived));
    if (can('portfolio.read')) stopTopics.push(live.subscribe('trades', (trade) => {
      if (trade && trade.symbol === symbol) loadMarks();
    }));
  }

  function choose(next) {
    symbol = next;
    title.textContent = `${symbol} · ${interval}`;
    for (const item of list.querySelectorAll('button')) item.setAttribute('aria-pressed', String(item.dataset.symbol === symbol));
    follow();
    loadLatest();
  }

  intervalSelect.addEventListener('change', () => {
    interval = intervalSelect.value;
    if (symbol) choose(symbol);
  });

  function renderInstruments() {
    const wanted = search.value.trim().toUpperCase();
    const shown = instruments.filter((i) => !wanted || String(i.symbol).includes(wanted)
      || String(i.base_asset).includes(wanted) || String(i.quote_asset).includes(wanted));
    list.replaceChildren(...shown.map((instrument) => {
      const button = h('button', { type: 'button', class: 'instrument', 'data-symbol': String(instrument.symbol),
                                   'aria-pressed': String(instrument.symbol === symbol) },
        h('span', { class: 'symbol' }, String(instrument.symbol)),
        h('span', { class: 'dim' }, `${instrument.base_asset}/${instrument.quote_asset}`
          + `${instrument.status === 'halted' ? ` · ${_('halted')}` : ''}${instrument.simulated ? ` · ${_('simulated')}` : ''}`));
      button.addEventListener('click', () => choose(instrument.symbol));
      return h('li', null, button);
    }));
    if (shown.length === 0) list.append(h('li', { class: 'empty' }, _('No instrument matches')));
  }
  search.addEventListener('input', renderInstruments);

  async function loadInstruments() {
    try {
      const answer = await api.get('/api/v1/instruments');
      if (gone) return;
      // Other helpers are moving the list into `items`; instruments answered `instruments` before.
      instruments = (Array.isArray(answer.items) ? answer.items : (answer.instruments || []))
        .slice().sort((a, b) => String(a.symbol).localeCompare(String(b.symbol)));
      renderInstruments();
      if (!symbol && instruments.length) choose(instruments[0].symbol);
    } catch (err) {
      if (!gone) error.textContent = refusalText(err, _('Could not load the instruments.'));
    }
  }

  // Instruments made, changed or deleted elsewhere, as they commit; the list stays in symbol order.
  // (Not among stopTopics: those are the chosen instrument's and go with each choice.)
  const stopInstruments = live.subscribe('instruments', (event) => {
    if (!event || typeof event.symbol !== 'string') return;
    instruments = instruments.filter((i) => i.symbol !== event.symbol);
    if (!event.deleted) instruments.push(event);
    instruments.sort((a, b) => String(a.symbol).localeCompare(String(b.symbol)));
    renderInstruments();
  });

  // The first read, and again after each reconnection (the chart's topics follow the choice).
  const stopResync = live.onResync(() => {
    error.textContent = '';
    return Promise.all([loadInstruments(), symbol ? loadLatest() : null]);
  });

  return () => {
    gone = true;
    stopResync();
    stopInstruments();
    for (const stop of stopTopics) stop();
    chart.remove();
  };
}

export default { id: 'markets', title: _('Markets'), permission: 'market.read', mount };
