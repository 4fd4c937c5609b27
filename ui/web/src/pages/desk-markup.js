// desk-markup.js — the desk page's markup: static, our own (pages/desk.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<section id="approvals-section" aria-labelledby="approvals-title">
  <h2 id="approvals-title">${_('Approvals')}</h2>
  <p id="approvals-error" class="error" role="alert" aria-live="assertive"></p>
  <p id="approvals-empty" hidden>${_('Nothing waits for a decision.')}</p>
  <ul id="approvals" aria-labelledby="approvals-title"></ul>
</section>
<dialog id="decide-dialog" aria-labelledby="decide-title">
  <form id="decide-form" method="dialog" novalidate>
    <h2 id="decide-title">${_('Approve')}</h2>
    <p id="decide-summary"></p>
    <label>${_('Reason')} <textarea id="decide-reason" name="reason" rows="3" maxlength="500"></textarea></label>
    <p id="decide-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="decide-cancel" type="button">${_('Cancel')}</button>
      <button id="decide-submit" type="submit">${_('Approve')}</button>
    </div>
  </form>
</dialog>
`;
