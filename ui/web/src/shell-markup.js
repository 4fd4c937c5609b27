// shell-markup.js — the shell's markup: the header, the sign-in and first-run forms, the page's place (main.js fills it). Its text is translated (core/i18n.js).
// SPDX-License-Identifier: GPL-3.0-or-later

import { _ } from './core/i18n.js';
import { html } from './core/dom.js';

// The command stays as it is typed, in <code>, wherever the sentence puts it.
const setupHint = _('No account exists yet. {command} printed a one-time setup address beside its “Listening on” line: open it to create the first administrator.')
  .split('{command}');

export default html`
  <a class="skip-link" href="#main">${_('Skip to the content')}</a>
  <header>
    <img src="/icon.svg" alt="" width="32" height="32">
    <h1>Bourse</h1>
    <button id="menu-button" type="button" aria-controls="views" aria-expanded="false" hidden>${_('Menu')}</button>
    <nav id="views" hidden aria-label="${_('Pages')}"></nav>
    <span id="paper-badge" class="badge paper" hidden title="${_('Orders trade the paper account: no real money')}">${_('Paper')}</span>
    <span id="live-badge" class="badge live" hidden title="${_('Live trading: orders go to Binance with real money')}">${_('LIVE')}</span>
    <span id="connection" class="badge" data-state="connecting" role="status">${_('Connecting…')}</span>
    <button id="sign-out" type="button" hidden>${_('Sign Out')}</button>
  </header>
  <main id="main" tabindex="-1">
    <form id="sign-in" hidden aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">${_('Sign In')}</h2>
      <label>${_('Username or e-mail')} <input id="login" name="login" autocomplete="username" required></label>
      <label>${_('Password')} <input id="password" name="password" type="password" autocomplete="current-password" required></label>
      <p id="sign-in-error" role="alert"></p>
      <button type="submit">${_('Sign In')}</button>
      <p id="setup-hint" class="note" hidden>${setupHint[0]}<code>boursed serve</code>${setupHint[1] ?? ''}</p>
    </form>
    <form id="setup" hidden novalidate aria-labelledby="setup-title">
      <h2 id="setup-title">${_('Create the Administrator')}</h2>
      <p class="note">${_('This server has no account yet. The first one administers it.')}</p>
      <div class="field" data-field="username">
        <label for="setup-username">${_('Username')}</label>
        <input id="setup-username" name="username" autocomplete="username" required>
        <p id="setup-username-error" class="field-error"></p>
      </div>
      <div class="field" data-field="email">
        <label for="setup-email">${_('E-mail (optional)')}</label>
        <input id="setup-email" name="email" type="email" autocomplete="email">
        <p id="setup-email-error" class="field-error"></p>
      </div>
      <div class="field" data-field="password">
        <label for="setup-password">${_('Password')}</label>
        <input id="setup-password" name="password" type="password" autocomplete="new-password" required>
        <p id="setup-password-error" class="field-error"></p>
      </div>
      <div class="field">
        <label for="setup-confirm">${_('Password again')}</label>
        <input id="setup-confirm" name="confirm" type="password" autocomplete="new-password" required>
        <p id="setup-confirm-error" class="field-error"></p>
      </div>
      <p id="setup-error" class="error form-error" role="alert" aria-live="assertive"></p>
      <button id="setup-submit" type="submit">${_('Create and Sign In')}</button>
    </form>
    <div id="page"></div>
  </main>
`;
