// logs-markup.js — the logs page's markup: static, our own (pages/logs.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<section id="logs-section" aria-labelledby="logs-title">
  <h2 id="logs-title">${_('Logs')}</h2>
  <form id="logs-filter" class="filters" novalidate aria-label="${_('Filter the logs')}">
    <label>${_('Lowest level')}
      <select id="logs-level">
        <option value="debug">${_('Debug')}</option>
        <option value="info">${_('Info')}</option>
        <option value="message">${_('Message')}</option>
        <option value="warning">${_('Warning')}</option>
        <option value="critical">${_('Critical')}</option>
      </select></label>
    <label>${_('Domain')} <input id="logs-domain" list="logs-domains" placeholder="${_('All')}" autocomplete="off"></label>
    <datalist id="logs-domains"></datalist>
    <label>${_('Search')} <input id="logs-search" type="search" placeholder="${_('Text in the message')}" autocomplete="off"></label>
    <label class="check"><input id="logs-live" type="checkbox" checked> ${_('Follow new entries')}</label>
  </form>
  <p id="logs-error" class="error" role="alert" aria-live="assertive"></p>
  <p id="logs-empty">${_('No log entries.')}</p>
  <table id="logs" hidden>
    <thead><tr><th>${_('Time')}</th><th>${_('Level')}</th><th>${_('Domain')}</th><th>${_('Message')}</th></tr></thead>
    <tbody></tbody>
  </table>
  <div class="actions"><button id="logs-older" type="button" hidden>${_('Older')}</button></div>
</section>
`;
