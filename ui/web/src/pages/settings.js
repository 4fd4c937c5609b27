// pages/settings.js — the configuration, its changes, export and import (docs/OPERATIONS.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './settings-markup.js';
import { api } from '../core/api.js';
import { live } from '../core/live.js';
import { session } from '../core/session.js';
import { $, clearErrorsIn, showErrorsIn } from '../core/dom.js';
import { element, problemText, readProblem, safeId, whileShown } from '../core/view.js';
import { _, available, fill, ngettext, override, setOverride } from '../core/i18n.js';

const can = (permission) => session.can(permission);
let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown, actShown } = whileShown(() => mounted);

/* Settings */

let config = null;             // GET /api/v1/config, kept current by the config topic
let configAsked = 0;
let exportUrl = null;          // the last export's object URL, let go at the next one
let importText = null;         // the file chosen for import, as text

async function loadConfig() {
  const asked = ++configAsked;
  const answer = await fetchShown('/api/v1/config', $('settings-error'), _('Could not load the settings.'));
  if (!answer || asked !== configAsked || !mounted) return;
  config = answer;
  renderConfig();
}

function configChanged() {
  if (can('config.read')) loadConfig().catch(() => {});
}

function configFieldId(section, key) {
  return `cfg-${safeId(section)}-${safeId(key)}`;
}

// What the field shows of a key's value: booleans as "true"/"false", secrets as nothing.
function configValueText(key) {
  if (key.secret || key.value === null || key.value === undefined) return '';
  return String(key.value);
}

function configInputText(input) {
  return input.type === 'checkbox' ? String(input.checked) : input.value;
}

function configInput(section, key) {
  let input;
  if (key.type === 'enum') {
    input = element('select');
    for (const allowed of key.allowed || []) input.append(new Option(allowed, allowed));
  } else {
    input = element('input');
    input.autocomplete = 'off';
    input.spellcheck = false;
    if (key.type === 'boolean') {
      input.type = 'checkbox';
    } else if (key.secret) {
      input.type = 'password';
      input.autocomplete = 'new-password';
    } else if (key.type === 'integer') {
      input.type = 'number';
      input.step = '1';
      if (key.min !== undefined) input.min = String(key.min);
      if (key.max !== undefined) input.max = String(key.max);
    } else {
      input.type = 'text';
      if (key.type === 'decimal') input.inputMode = 'decimal';
      if (key.type === 'url') input.inputMode = 'url';
    }
  }
  input.id = configFieldId(section, key.key);
  input.name = key.key;
  return input;
}

function configField(section, key) {
  const id = configFieldId(section, key.key);
  const field = element('div', null, `field config-key${key.type === 'boolean' ? ' check' : ''}`);
  field.dataset.field = `${section}.${key.key}`;
  field.dataset.type = key.type;
  const input = configInput(section, key);
  const label = element('label', key.key);
  label.htmlFor = id;
  const hint = element('p', key.description || '', 'hint');
  hint.id = `${id}-hint`;
  const facts = element('p', '', 'hint facts');
  facts.id = `${id}-facts`;
  const error = element('p', '', 'field-error');
  error.id = `${id}-error`;
  input.setAttribute('aria-describedby', `${hint.id} ${facts.id}`);
  if (key.type === 'boolean') field.append(input, label, hint, facts, error);
  else field.append(label, input, hint, facts, error);
  return field;
}

// Where a key's value comes from, its default and when a change takes effect.
function configFacts(key) {
  const facts = [];
  if (key.secret) facts.push(key.set ? _('Set') : _('Not set'));
  else facts.push(fill(_('Default: {value}'), { value: key.default === '' || key.default === null ? _('(empty)') : String(key.default) }));
  if (key.min !== undefined || key.max !== undefined)
    facts.push(fill(_('From {min} to {max}'), { min: String(key.min ?? '—'), max: String(key.max ?? '—') }));
  facts.push(fill(_('Source: {source}'), { source: `${key.source}${key.origin && key.origin !== key.source ? ` (${key.origin})` : ''}` }));
  if (key.restart_required) facts.push(key.pending_restart ? _('Changed: takes effect after a restart') : _('Restart required'));
  return facts.join(' · ');
}

// Brings a field up to the key as the server describes it. A value typed and not applied yet
// stays (the config topic may bring another section's change meanwhile) unless `force`.
function updateConfigField(field, key, force) {
  const input = field.querySelector('input, select');
  const text = configValueText(key);
  const dirty = input.dataset.original !== undefined && configInputText(input) !== input.dataset.original;
  if (force || !dirty) {
    if (input.type === 'checkbox') input.checked = key.value === true;
    else input.value = text;
    input.dataset.original = configInputText(input);
  }
  if (key.secret) input.placeholder = key.set ? _('Set: type to replace it') : _('Not set');
  input.disabled = !can('config.write');
  field.dataset.source = key.source;
  field.dataset.set = key.secret ? String(Boolean(key.set)) : '';
  field.toggleAttribute('data-pending-restart', Boolean(key.pending_restart));
  field.querySelector('.facts').textContent = configFacts(key);
}

function configForm(section) {
  const name = section.name;
  const form = element('form', null, 'config-section');
  form.id = `config-${safeId(name)}`;
  form.noValidate = true;
  form.dataset.section = name;
  const title = element('h3', name);
  title.id = `${form.id}-title`;
  form.setAttribute('aria-labelledby', title.id);
  const fields = element('div', null, 'config-fields');
  const status = element('p', '', 'note config-status');
  status.id = `${form.id}-status`;
  status.setAttribute('role', 'status');
  const error = element('p', '', 'error');
  error.id = `${form.id}-error`;
  error.setAttribute('role', 'alert');
  const apply = element('button', _('Apply'));
  apply.type = 'submit';
  apply.id = `${form.id}-apply`;
  apply.setAttribute('aria-label', fill(_('Apply the {section} settings'), { section: name }));
  const actions = element('div', null, 'actions');
  actions.append(apply);
  form.append(title, fields, error, status, actions);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    applyConfigSection(name);
  });
  form.addEventListener('input', (event) => {
    // What is typed again is not refused yet.
    const field = event.target.closest('.field');
    if (field) clearErrorsIn(form, error, field);
    status.textContent = '';
  });
  return form;
}

// Updates the forms in place: a field keeps its focus, what is typed in it and the refusal
// shown at it while the topic brings changes.
function renderConfigSection(section, force) {
  const container = $('config-sections');
  let form = $(`config-${safeId(section.name)}`);
  if (!form) {
    form = configForm(section);
    container.append(form);
  }
  const fields = form.querySelector('.config-fields');
  for (const key of section.keys || []) {
    let field = $(configFieldId(section.name, key.key))?.closest('.field');
    if (!field) {
      field = configField(section.name, key);
      fields.append(field);
    }
    updateConfigField(field, key, force);
  }
  form.querySelector('button[type="submit"]').hidden = !can('config.write');
}

function renderConfig() {
  if (!config) {
    $('config-sections').replaceChildren();
    $('config-path').textContent = '';
    return;
  }
  $('config-path').textContent = config.path
    ? fill(_('Changes are written to {path}.'), { path: config.path }) : _('There is no configuration file: changes last until boursed stops.');
  for (const section of config.sections || []) renderConfigSection(section, false);
}

// The changed fields of a section as a PUT's body: integers and decimals as the text typed
// (the server reads strings of any type), an emptied one back to its default, a secret only
// when one is typed.
function configChanges(section) {
  const body = {};
  for (const key of section.keys || []) {
    const input = $(configFieldId(section.name, key.key));
    if (!input) continue;
    const text = configInputText(input);
    if (key.secret) {
      if (text !== '') body[key.key] = text;
    } else if (text !== input.dataset.original) {
      if (key.type === 'boolean') body[key.key] = input.checked;
      else if (text === '' && ['integer', 'decimal', 'enum'].includes(key.type)) body[key.key] = null;
      else body[key.key] = text;
    }
  }
  return body;
}

async function applyConfigSection(name) {
  const section = config && (config.sections || []).find((s) => s.name === name);
  const form = $(`config-${safeId(name)}`);
  if (!section || !form) return;
  const error = form.querySelector('.error');
  const status = form.querySelector('.config-status');
  clearErrorsIn(form, error);
  status.textContent = '';
  const body = configChanges(section);
  if (Object.keys(body).length === 0) {
    status.textContent = _('Nothing to apply: no value was changed.');
    return;
  }
  const apply = form.querySelector('button[type="submit"]');
  apply.disabled = true;
  const answer = await actShown('PUT', `/api/v1/config/${encodeURIComponent(name)}`, body, error,
                           _('The settings were not applied.'));
  apply.disabled = false;
  if (!answer.ok) {
    if (answer.status === 422) showErrorsIn(form, error, answer.problem);
    return;
  }
  const changed = answer.data;
  const index = config.sections.findIndex((s) => s.name === name);
  if (index >= 0) config.sections[index] = { name: changed.name, keys: changed.keys };
  renderConfigSection({ name: changed.name, keys: changed.keys }, true);
  const applied = changed.applied || [];
  const later = changed.restart_required || [];
  const said = [];
  if (applied.length) said.push(fill(_('Applied: {keys}.'), { keys: applied.join(', ') }));
  if (later.length) said.push(fill(_('Saved, taking effect after a restart: {keys}.'), { keys: later.join(', ') }));
  status.textContent = said.length ? said.join(' ') : _('Nothing changed.');
}

async function exportConfig(node) {
  const error = $('settings-error');
  error.textContent = '';
  node.disabled = true;
  try {
    const response = await api.request('POST', '/api/v1/config/export', undefined, { raw: true });
    if (!response.ok) {
      error.textContent = problemText(await readProblem(response), response.status, _('Could not export the settings.'));
      return;
    }
    const blob = await response.blob();
    const named = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '');
    if (exportUrl) URL.revokeObjectURL(exportUrl);
    exportUrl = URL.createObjectURL(blob);
    const link = element('a');
    link.href = exportUrl;
    link.download = named ? named[1] : 'bourse.conf';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } catch (failure) {
    if (failure.message !== 'unauthenticated') error.textContent = fill(_('Could not reach the server: {error}'), { error: failure.message });
  } finally {
    node.disabled = false;
  }
}

function importValueText(value) {
  if (value === null || value === undefined) return '—';
  return String(value);
}

function importRow(change) {
  const tr = element('tr');
  tr.dataset.field = change.field;
  tr.append(element('td', change.field, 'field-name'), element('td', importValueText(change.old), 'old'),
            element('td', importValueText(change.new), 'new'),
            element('td', change.restart_required ? _('After a restart') : _('At once')));
  return tr;
}

// Sends the chosen file: first as a dry run listing what it would change, then, when
// Apply Import is pressed, for real.
async function importConfig(dryRun) {
  if (importText === null) return;
  const panel = $('config-import');
  panel.hidden = false;
  $('config-import-apply').hidden = true;
  $('config-import-apply').disabled = true;
  const answer = await actShown('POST', `/api/v1/config/import${dryRun ? '?dry_run=true' : ''}`, importText,
                           $('config-import-error'), _('The file was not imported.'), 'text/plain');
  $('config-import-apply').disabled = false;
  const changes = answer.ok && answer.data && Array.isArray(answer.data.changes) ? answer.data.changes : [];
  panel.dataset.state = !answer.ok ? 'refused' : dryRun ? 'dry-run' : 'applied';
  $('config-import-changes').tBodies[0].replaceChildren(...changes.map(importRow));
  $('config-import-changes').hidden = changes.length === 0;
  if (!answer.ok) {
    $('config-import-summary').textContent = _('Nothing was changed.');
    return;
  }
  if (dryRun) {
    $('config-import-summary').textContent = changes.length === 0
      ? _('No changes: the file agrees with the running configuration.')
      : fill(ngettext('The file would change {n} setting. Nothing is changed until you apply it.', 'The file would change {n} settings. Nothing is changed until you apply it.', changes.length), { n: changes.length });
    $('config-import-apply').hidden = changes.length === 0 || !can('config.write');
  } else {
    $('config-import-summary').textContent =
      fill(ngettext('Imported: {n} setting changed.', 'Imported: {n} settings changed.', changes.length), { n: changes.length });
    importText = null;
    loadConfig().catch(() => {});
  }
}

async function chooseImport(input) {
  const [file] = input.files;
  input.value = '';           // the same file chosen again is read again
  if (!file) return;
  importText = await file.text();
  await importConfig(true);
}


// The page's controls, wired once its markup is in.
function wire() {
  $('config-export').addEventListener('click', (event) => exportConfig(event.currentTarget));
  $('config-import-file').addEventListener('change', (event) => chooseImport(event.currentTarget).catch(() => {}));
  $('config-import-apply').addEventListener('click', () => importConfig(false));
  $('config-import-close').addEventListener('click', () => {
    importText = null;
    $('config-import').hidden = true;
  });
}

/* The language (core/i18n.js): this browser's choice, kept in localStorage, applied by a reload */

// A language's name in itself ("Deutsch"), as the reader of that language looks for it.
function languageName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch (error) {
    return code;
  }
}

function renderLanguage() {
  const choice = $('language-choice');
  const codes = ['en', ...Object.keys(available()).filter((code) => code !== 'en').sort()];
  choice.replaceChildren(new Option(_('Automatic (the browser’s language)'), ''),
                         ...codes.map((code) => new Option(languageName(code), code)));
  const kept = override();
  choice.value = kept && codes.includes(kept) ? kept : '';
  $('language-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setOverride(choice.value || null);
    location.reload();
  });
}

function forgetSettings() {
  config = null;
  configAsked++;
  importText = null;
  if (exportUrl) URL.revokeObjectURL(exportUrl);
  exportUrl = null;
}

export default {
  id: 'settings',
  title: _('Settings'),
  permission: 'config.read',
  mount(root) {
    root.innerHTML = markup;
    mounted = true;
    wire();
    renderLanguage();
    $('config-transfer').hidden = !can('config.write');
    const off = [
      live.subscribe('config', () => { if (mounted) configChanged(); }),
      live.onResync(() => (mounted ? loadConfig() : null)),
      session.onChange(() => { if (mounted) $('config-transfer').hidden = !can('config.write'); }),
    ];
    return () => {
      for (const fn of off) fn();
      mounted = false;
      forgetSettings();
    };
  },
};
