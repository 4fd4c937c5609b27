// health-markup.js — the health page's markup: static, our own (pages/health.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<section id="health-section" aria-labelledby="health-title">
  <h2 id="health-title">${_('Health')} <span id="health-status" class="status-tag" data-status=""></span></h2>
  <p id="health-error" class="error" role="alert" aria-live="assertive"></p>
  <p id="health-empty">${_('No component has reported yet.')}</p>
  <table id="health" hidden>
    <thead><tr><th>${_('Component')}</th><th>${_('Status')}</th><th>${_('Reason')}</th><th>${_('Since')}</th></tr></thead>
    <tbody></tbody>
  </table>
</section>
`;
