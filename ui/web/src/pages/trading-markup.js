// trading-markup.js — the trading page's markup: static, our own (pages/trading.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<div id="reconciliation-alert" class="alert" role="status" hidden>
  <span id="reconciliation-alert-text"></span>
  <button id="reconciliation-show" type="button">${_('Show Report')}</button>
  <button id="reconciliation-dismiss" type="button" aria-label="${_('Dismiss the reconciliation alert')}">×</button>
</div>
<section id="system-section" aria-labelledby="system-title">
  <h2 id="system-title">${_('System')}</h2>
  <dl id="system">
    <dt>${_('Engine')}</dt><dd id="engine-state">—</dd>
    <dt>${_('Uptime')}</dt><dd id="engine-uptime">—</dd>
    <dt>${_('Server')}</dt><dd id="server-url">—</dd>
    <dt>${_('WebSocket clients')}</dt><dd id="websocket-clients">—</dd>
    <dt>${_('Database')}</dt><dd id="database">—</dd>
    <dt>${_('Trading mode')}</dt><dd id="mode">—</dd>
    <dt>${_('Version')}</dt><dd id="version">—</dd>
  </dl>
  <div class="actions">
    <button id="reconcile-button" type="button" hidden>${_('Reconcile Now')}</button>
    <button id="go-paper-button" type="button" hidden>${_('Back to Paper…')}</button>
    <button id="go-live-button" class="destructive" type="button" hidden>${_('Trade Live…')}</button>
  </div>
  <p id="system-error" class="error" role="alert" aria-live="assertive"></p>
</section>
<section id="risk-section" aria-labelledby="risk-title">
  <h2 id="risk-title">${_('Trading')}</h2>
  <div id="risk" data-state="">
    <p><strong id="trading-state">—</strong> <span id="risk-reason"></span></p>
    <dl id="risk-facts">
      <dt>${_('Since')}</dt><dd id="risk-since">—</dd>
      <dt>${_('Until')}</dt><dd id="risk-until">—</dd>
      <dt>${_('Set by')}</dt><dd id="risk-set-by">—</dd>
      <dt>${_('Order processing')}</dt><dd id="order-processing">—</dd>
    </dl>
    <ul id="protections"></ul>
    <div class="actions">
      <button id="stop-button" type="button" hidden>${_('Stop Order Processing')}</button>
      <button id="start-button" type="button" hidden>${_('Start Order Processing')}</button>
      <button id="resume-button" type="button" hidden>${_('Resume Trading')}</button>
      <button id="halt-button" class="destructive" type="button" hidden>${_('Halt Trading…')}</button>
    </div>
  </div>
  <p id="risk-error" class="error" role="alert" aria-live="assertive"></p>
</section>
<section id="portfolio-section" aria-labelledby="portfolio-title">
  <h2 id="portfolio-title">${_('Portfolio')}</h2>
  <p id="portfolio-error" class="error" role="alert" aria-live="assertive"></p>
  <dl class="figures">
    <dt>${_('Equity')}</dt><dd id="equity">—</dd>
    <dt>${_('Cash')}</dt><dd id="cash">—</dd>
    <dt>${_('Positions')}</dt><dd id="positions-value">—</dd>
    <dt>${_('Today’s PnL')}</dt><dd id="today-pnl">—</dd>
    <dt>${_('Drawdown')}</dt><dd id="drawdown">—</dd>
    <dt>${_('Peak equity')}</dt><dd id="peak-equity">—</dd>
  </dl>
  <figure id="equity-curve">
    <svg id="equity-chart" viewBox="0 0 600 150" preserveAspectRatio="none" role="img"
         aria-labelledby="equity-caption"></svg>
    <figcaption id="equity-caption">${_('Equity: no snapshots yet.')}</figcaption>
  </figure>
  <h3>${_('Open positions')}</h3>
  <p id="positions-empty">${_('No open positions.')}</p>
  <table id="positions" hidden>
    <thead><tr><th>${_('Symbol')}</th><th class="number">${_('Quantity')}</th><th class="number">${_('Average')}</th><th class="number">${_('Last')}</th><th class="number">${_('Value')}</th>
      <th class="number">${_('Unrealised')}</th><th class="number">${_('Realised')}</th><th>${_('Opened')}</th></tr></thead>
    <tbody></tbody>
  </table>
  <h3>${_('Balances')}</h3>
  <table id="balances">
    <thead><tr><th>${_('Asset')}</th><th class="number">${_('Free')}</th><th class="number">${_('Locked')}</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<section id="orders-section" aria-labelledby="orders-title">
  <h2 id="orders-title">${_('Orders')}</h2>
  <p id="orders-error" class="error" role="alert" aria-live="assertive"></p>
  <div class="heading-row">
    <h3>${_('Open')}</h3>
    <button id="cancel-all-button" type="button" hidden>${_('Cancel All…')}</button>
  </div>
  <p id="open-orders-empty">${_('No open orders.')}</p>
  <table id="open-orders" class="orders" hidden>
    <thead><tr><th>${_('Placed')}</th><th>${_('Symbol')}</th><th>${_('Side')}</th><th>${_('Type')}</th><th class="number">${_('Quantity')}</th>
      <th class="number">${_('Filled')}</th><th class="number">${_('Price')}</th><th class="number">${_('Stop')}</th><th>${_('Status')}</th><th>${_('Mode')}</th><th>${_('Exchange')}</th><th>${_('By')}</th><th></th></tr></thead>
    <tbody></tbody>
  </table>
  <h3>${_('Recent fills')}</h3>
  <p id="fills-empty">${_('No fills yet.')}</p>
  <table id="fills" hidden>
    <thead><tr><th>${_('Time')}</th><th>${_('Symbol')}</th><th>${_('Side')}</th><th class="number">${_('Quantity')}</th><th class="number">${_('Price')}</th>
      <th class="number">${_('Fee')}</th><th>${_('Liquidity')}</th></tr></thead>
    <tbody></tbody>
  </table>
  <h3>${_('History')}</h3>
  <p id="order-history-empty">${_('No closed orders.')}</p>
  <table id="order-history" class="orders" hidden>
    <thead><tr><th>${_('Placed')}</th><th>${_('Symbol')}</th><th>${_('Side')}</th><th>${_('Type')}</th><th class="number">${_('Quantity')}</th>
      <th class="number">${_('Filled')}</th><th class="number">${_('Average')}</th><th>${_('Status')}</th><th>${_('Mode')}</th><th>${_('Exchange')}</th><th>${_('Reason')}</th><th>${_('By')}</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<section id="trades-section" aria-labelledby="trades-title">
  <h2 id="trades-title">${_('Trades')}</h2>
  <p id="trades-error" class="error" role="alert" aria-live="assertive"></p>
  <p id="trades-empty">${_('No trades yet.')}</p>
  <table id="trades" hidden>
    <thead><tr><th>${_('Opened')}</th><th>${_('Symbol')}</th><th>${_('Side')}</th><th class="number">${_('Quantity')}</th><th class="number">${_('Entry')}</th><th class="number">${_('Exit')}</th>
      <th class="number">${_('Net PnL')}</th><th class="number">${_('Fees')}</th><th>${_('Status')}</th><th>${_('Exit reason')}</th><th>${_('Closed')}</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
<section id="exchange-section" aria-labelledby="exchange-title">
  <h2 id="exchange-title">${_('Exchange')}</h2>
  <p id="exchange-error" class="error" role="alert" aria-live="assertive"></p>
  <dl id="exchange">
    <dt>${_('Network')}</dt><dd id="exchange-network">—</dd>
    <dt>${_('Base URL')}</dt><dd id="exchange-base-url">—</dd>
    <dt>${_('API keys')}</dt><dd id="exchange-keys">—</dd>
    <dt>${_('Check')}</dt><dd id="exchange-check">—</dd>
    <dt>${_('Last reconciliation')}</dt><dd id="exchange-reconciliation">—</dd>
  </dl>
  <div class="actions">
    <button id="keys-check-button" type="button" hidden>${_('Check Again')}</button>
    <button id="keys-remove-button" class="destructive" type="button" hidden>${_('Remove Keys…')}</button>
  </div>
  <form id="keys-form" hidden novalidate aria-labelledby="keys-title">
    <h3 id="keys-title">${_('New keys')}</h3>
    <p class="note">${_('Create keys on Binance with spot trading enabled and withdrawals disabled: keys that can withdraw are refused. Binance checks them before they are kept, in the server\'s keyring.')}</p>
    <label>${_('API key')} <input id="keys-api-key" name="api_key" autocomplete="off" spellcheck="false"></label>
    <label>${_('Secret key (HMAC), or Ed25519 private key (PEM)')}
      <textarea id="keys-secret" name="secret" rows="4" autocomplete="off" spellcheck="false"></textarea></label>
    <p id="keys-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="keys-save" type="submit">${_('Check and Save')}</button>
    </div>
  </form>
</section>
<dialog id="halt-dialog" aria-labelledby="halt-title">
  <form id="halt-form" method="dialog" novalidate>
    <h2 id="halt-title">${_('Halt Trading')}</h2>
    <p>${_('No new order is accepted until an administrator resumes trading.')}</p>
    <label>${_('Reason')} <textarea id="halt-reason" name="reason" rows="3" maxlength="500" required
      aria-required="true" placeholder="${_('Required')}"></textarea></label>
    <label class="check"><input id="halt-cancel-orders" type="checkbox" checked> ${_('Cancel open orders')}</label>
    <label class="check"><input id="halt-flatten" type="checkbox"> ${_('Close all positions at market')}</label>
    <p id="halt-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="halt-cancel" type="button">${_('Cancel')}</button>
      <button id="halt-submit" class="destructive" type="submit">${_('Halt Trading')}</button>
    </div>
  </form>
</dialog>
<dialog id="cancel-all-dialog" aria-labelledby="cancel-all-title">
  <form id="cancel-all-form" method="dialog" novalidate>
    <h2 id="cancel-all-title">${_('Cancel All Open Orders')}</h2>
    <p id="cancel-all-summary"></p>
    <p id="cancel-all-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="cancel-all-back" type="button">${_('Keep Them')}</button>
      <button id="cancel-all-submit" class="destructive" type="submit">${_('Cancel All')}</button>
    </div>
  </form>
</dialog>
<dialog id="live-dialog" aria-labelledby="live-title">
  <form id="live-form" method="dialog" novalidate>
    <h2 id="live-title">${_('Trade Live with Real Money?')}</h2>
    <p>${_('Orders will go to Binance and trade real money with the stored keys. Open paper orders must be closed first; the paper book stays as it is.')}</p>
    <label>${_('Type LIVE to confirm')} <input id="live-confirm" name="confirm" autocomplete="off" spellcheck="false"></label>
    <p id="live-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="live-cancel" type="button">${_('Cancel')}</button>
      <button id="live-submit" class="destructive" type="submit" disabled>${_('Trade Live')}</button>
    </div>
  </form>
</dialog>
<dialog id="paper-dialog" aria-labelledby="paper-title">
  <form id="paper-form" method="dialog" novalidate>
    <h2 id="paper-title">${_('Back to Paper Trading?')}</h2>
    <p>${_('New orders trade the paper account again. Open live orders must be canceled first.')}</p>
    <p id="paper-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="paper-cancel" type="button">${_('Cancel')}</button>
      <button id="paper-submit" type="submit">${_('Trade Paper')}</button>
    </div>
  </form>
</dialog>
<dialog id="remove-keys-dialog" aria-labelledby="remove-keys-title">
  <form id="remove-keys-form" method="dialog" novalidate>
    <h2 id="remove-keys-title">${_('Remove the Exchange Keys?')}</h2>
    <p>${_('They are deleted from the keyring. Live trading needs keys entered and checked again.')}</p>
    <p id="remove-keys-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="remove-keys-cancel" type="button">${_('Cancel')}</button>
      <button id="remove-keys-submit" class="destructive" type="submit">${_('Remove Keys')}</button>
    </div>
  </form>
</dialog>
<dialog id="reconciliation-dialog" aria-labelledby="reconciliation-title">
  <form method="dialog">
    <h2 id="reconciliation-title">${_('Reconciliation')}</h2>
    <p id="reconciliation-summary"></p>
    <ul id="reconciliation-items"></ul>
    <p id="reconciliation-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="reconciliation-close" type="submit">${_('Close')}</button>
    </div>
  </form>
</dialog>
`;
