// backtests-markup.js — the backtests page's markup: static, our own (pages/backtests.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<section id="backtests-section" aria-labelledby="backtests-title">
  <h2 id="backtests-title">${_('Backtests')}</h2>
  <p id="backtests-error" class="error" role="alert" aria-live="assertive"></p>
  <form id="backtest-form" hidden novalidate aria-labelledby="backtest-form-title">
    <h3 id="backtest-form-title">${_('New backtest')}</h3>
    <div class="field" data-field="strategy">
      <label for="bt-strategy">${_('Strategy')}</label>
      <select id="bt-strategy" name="strategy"></select>
      <p class="field-error" id="bt-strategy-error"></p>
    </div>
    <fieldset id="bt-params" hidden>
      <legend>${_('Parameters')}</legend>
    </fieldset>
    <div class="field" data-field="symbol">
      <label for="bt-symbol">${_('Instrument')}</label>
      <select id="bt-symbol" name="symbol"></select>
      <p class="field-error" id="bt-symbol-error"></p>
    </div>
    <div class="field" data-field="interval">
      <label for="bt-interval">${_('Interval')}</label>
      <select id="bt-interval" name="interval"></select>
      <p class="field-error" id="bt-interval-error"></p>
    </div>
    <div class="field" data-field="start">
      <label for="bt-start">${_('Start (local time)')}</label>
      <input id="bt-start" name="start" type="datetime-local">
      <p class="field-error" id="bt-start-error"></p>
    </div>
    <div class="field" data-field="end">
      <label for="bt-end">${_('End (local time, not included)')}</label>
      <input id="bt-end" name="end" type="datetime-local">
      <p class="field-error" id="bt-end-error"></p>
    </div>
    <div class="field" data-field="starting_cash">
      <label for="bt-cash">${_('Starting cash')}</label>
      <input id="bt-cash" name="starting_cash" inputmode="decimal" autocomplete="off" value="10000">
      <p class="field-error" id="bt-cash-error"></p>
    </div>
    <div class="field" data-field="fee_rate">
      <label for="bt-fee-rate">${_('Fee rate (0.001 is 0.1 %)')}</label>
      <input id="bt-fee-rate" name="fee_rate" inputmode="decimal" autocomplete="off" placeholder="${_('The paper broker’s')}">
      <p class="field-error" id="bt-fee-rate-error"></p>
    </div>
    <div class="field" data-field="slippage_bps">
      <label for="bt-slippage">${_('Slippage (basis points)')}</label>
      <input id="bt-slippage" name="slippage_bps" inputmode="numeric" autocomplete="off" placeholder="${_('The paper broker’s')}">
      <p class="field-error" id="bt-slippage-error"></p>
    </div>
    <div class="field" data-field="stake_fraction">
      <label for="bt-stake">${_('Stake (fraction of the free cash, 1 is all)')}</label>
      <input id="bt-stake" name="stake_fraction" inputmode="decimal" autocomplete="off" value="1">
      <p class="field-error" id="bt-stake-error"></p>
    </div>
    <div class="field" data-field="exits">
      <label for="bt-exits">${_('Exits')}</label>
      <select id="bt-exits" name="exits">
        <option value="both" selected>${_('Signals and stop-loss / take-profit levels')}</option>
        <option value="signals">${_('Opposite signals only')}</option>
        <option value="levels">${_('Stop-loss / take-profit levels only')}</option>
      </select>
      <p class="field-error" id="bt-exits-error"></p>
    </div>
    <div class="field" data-field="lookback">
      <label for="bt-lookback">${_('Lookback (candles)')}</label>
      <input id="bt-lookback" name="lookback" inputmode="numeric" autocomplete="off" placeholder="${_('As a live strategy')}">
      <p class="field-error" id="bt-lookback-error"></p>
    </div>
    <div class="field" data-field="allow_short">
      <label class="check"><input id="bt-allow-short" name="allow_short" type="checkbox"> ${_('Allow short positions')}</label>
      <p class="field-error" id="bt-allow-short-error"></p>
    </div>
    <div class="field wide" data-field="note">
      <label for="bt-form-note">${_('Note')}</label>
      <textarea id="bt-form-note" name="note" rows="2" maxlength="2000"></textarea>
      <p class="field-error" id="bt-form-note-error"></p>
    </div>
    <p id="backtest-form-error" class="error wide" role="alert" aria-live="assertive"></p>
    <div class="actions wide">
      <button id="bt-run" type="submit">${_('Run Backtest')}</button>
    </div>
  </form>
  <article id="backtest-result" hidden aria-labelledby="bt-result-title">
    <h3 id="bt-result-title"></h3>
    <p id="bt-result-summary" class="note"></p>
    <div id="bt-job" hidden>
      <progress id="bt-job-progress" max="1" value="0"></progress>
      <span id="bt-job-message"></span>
      <button id="bt-job-cancel" type="button" hidden>${_('Cancel')}</button>
    </div>
    <p id="bt-result-failure" class="error"></p>
    <div id="bt-result-body" hidden>
      <dl class="figures">
        <dt>${_('Starting cash')}</dt><dd id="bt-starting-cash">—</dd>
        <dt>${_('Final equity')}</dt><dd id="bt-final-equity">—</dd>
        <dt>${_('Final cash')}</dt><dd id="bt-final-cash">—</dd>
        <dt>${_('Fees')}</dt><dd id="bt-fees">—</dd>
        <dt>${_('Candles')}</dt><dd id="bt-candles">—</dd>
        <dt>${_('Signals (skipped)')}</dt><dd id="bt-signals">—</dd>
      </dl>
      <figure id="bt-curve">
        <svg id="bt-equity-chart" viewBox="0 0 600 200" preserveAspectRatio="none" role="img"
             aria-labelledby="bt-equity-caption"></svg>
        <svg id="bt-drawdown-chart" viewBox="0 0 600 60" preserveAspectRatio="none" role="img"
             aria-label="${_('Drawdown')}"></svg>
        <div class="axis"><span id="bt-axis-from"></span><span id="bt-axis-to"></span></div>
        <figcaption>
          <span class="key strategy">${_('Strategy')}</span> <span class="key buy-and-hold">${_('Buy and hold')}</span>
          <span class="key drawdown">${_('Drawdown')}</span>
          <span id="bt-equity-caption"></span>
        </figcaption>
      </figure>
      <h4>${_('Metrics')}</h4>
      <table id="bt-metrics">
        <tbody></tbody>
      </table>
      <h4>${_('Trades')}</h4>
      <p id="bt-trades-empty">${_('No trades.')}</p>
      <table id="bt-trades" hidden>
        <thead><tr><th>${_('Side')}</th><th>${_('Entry')}</th><th class="number">${_('Entry price')}</th><th>${_('Exit')}</th><th class="number">${_('Exit price')}</th>
          <th class="number">${_('Quantity')}</th><th class="number">${_('PnL')}</th><th class="number">${_('Return')}</th><th class="number">${_('Fees')}</th>
          <th>${_('Held')}</th><th>${_('Exit reason')}</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
    <h4>${_('Note')}</h4>
    <p id="bt-note-text" class="note"></p>
    <form id="bt-note-form" hidden novalidate aria-label="${_('Note')}">
      <textarea id="bt-note" name="note" rows="2" maxlength="2000" aria-label="${_('Note')}"></textarea>
      <div class="actions">
        <button id="bt-delete" class="destructive" type="button">${_('Delete…')}</button>
        <button id="bt-note-save" type="submit">${_('Save Note')}</button>
      </div>
    </form>
    <p id="bt-result-error" class="error" role="alert" aria-live="assertive"></p>
  </article>
  <h3>${_('Runs')}</h3>
  <p id="backtests-empty">${_('No backtests yet.')}</p>
  <table id="backtests" hidden>
    <thead><tr><th></th><th>${_('Created')}</th><th>${_('Strategy')}</th><th>${_('Instrument')}</th><th>${_('Window')}</th><th>${_('Status')}</th>
      <th class="number">${_('Return')}</th><th class="number">${_('Sharpe')}</th><th class="number">${_('Max drawdown')}</th>
      <th class="number">${_('Trades')}</th><th>${_('By')}</th><th>${_('Note')}</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<dialog id="bt-delete-dialog" aria-labelledby="bt-delete-title">
  <form id="bt-delete-form" method="dialog" novalidate>
    <h2 id="bt-delete-title">${_('Delete the Backtest?')}</h2>
    <p id="bt-delete-summary"></p>
    <p id="bt-delete-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="bt-delete-cancel" type="button">${_('Keep It')}</button>
      <button id="bt-delete-submit" class="destructive" type="submit">${_('Delete')}</button>
    </div>
  </form>
</dialog>
`;
