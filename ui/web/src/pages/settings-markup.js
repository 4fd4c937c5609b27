// settings-markup.js — the settings page's markup: static, our own (pages/settings.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from '../core/i18n.js';
import { html } from '../core/dom.js';

export default html`
<section id="settings-section" aria-labelledby="settings-title">
  <div class="heading-row">
    <h2 id="settings-title">${_('Settings')}</h2>
    <div id="config-transfer" class="actions" hidden>
      <button id="config-export" type="button">${_('Export')}</button>
      <label class="file-button">${_('Import…')}
        <input id="config-import-file" type="file" accept=".conf,text/plain"></label>
    </div>
  </div>
  <p id="config-path" class="note"></p>
  <p id="settings-error" class="error" role="alert" aria-live="assertive"></p>
  <div id="config-import" class="panel" hidden aria-labelledby="config-import-title">
    <h3 id="config-import-title">${_('Import')}</h3>
    <p id="config-import-summary"></p>
    <table id="config-import-changes" hidden>
      <thead><tr><th>${_('Setting')}</th><th>${_('Now')}</th><th>${_('Imported')}</th><th>${_('Takes effect')}</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="config-import-error" class="error" role="alert" aria-live="assertive"></p>
    <div class="actions">
      <button id="config-import-close" type="button">${_('Close')}</button>
      <button id="config-import-apply" type="button" hidden>${_('Apply Import')}</button>
    </div>
  </div>
  <form id="language-form" class="panel" aria-labelledby="language-title">
    <h3 id="language-title">${_('Language')}</h3>
    <div class="field">
      <label for="language-choice">${_('Language of this console in this browser')}</label>
      <select id="language-choice" aria-describedby="language-hint"></select>
      <p id="language-hint" class="hint">${_('Applying it reloads the page.')}</p>
    </div>
    <div class="actions"><button id="language-apply" type="submit">${_('Apply')}</button></div>
  </form>
  <div id="config-sections"></div>
</section>
`;
