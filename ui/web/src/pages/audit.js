// audit.js — administrators' audit trail, newest first: filters (the server's), Older by
// next_cursor, and Verify (the hash chain checked by the server).
// SPDX-License-Identifier: GPL-3.0-or-later
import { fieldErrors } from '../core/dom.js';
import { listOf } from '../core/view.js';
import { refusalText, fillRows, scrollingTable } from './kit.js';
import { _, fill, ngettext } from '../core/i18n.js';

const PAGE = 100;

function mount(root, ctx) {
  const { api, live, format, h } = ctx;
  let entries = [];
  let cursor = null;
  let asked = 0;               // a newer filter makes an older answer moot
  let gone = false;

  root.classList.add('page-audit');
  const error = h('p', { class: 'error', role: 'status', id: 'audit-error' });
  const input = (id, name, label, type) => {
    const control = h('input', { id, name, type: type || 'text', autocomplete: 'off' });
    return { control, node: h('div', { class: 'field', 'data-field': name },
      h('label', { for: id }, label), control, h('p', { class: 'field-error', id: `${id}-error` })) };
  };
  const actor = input('audit-actor', 'actor', _('Actor'));
  const action = input('audit-action', 'action', _('Action (a prefix ends in “.”)'));
  const target = input('audit-target', 'target', _('Target'));
  const since = input('audit-since', 'since', _('Since'), 'date');
  const until = input('audit-until', 'until', _('Until'), 'date');
  for (const f of [actor, action, target, since, until])
    f.control.setAttribute('aria-describedby', `${f.control.id}-error`);
  const apply = h('button', { type: 'submit' }, _('Filter'));
  const form = h('form', { class: 'filters', id: 'audit-filter', 'aria-label': _('Audit filters') },
    actor.node, action.node, target.node, since.node, until.node, h('div', { class: 'actions' }, apply));
  const verify = h('button', { type: 'button', id: 'audit-verify' }, _('Verify'));
  const verdict = h('p', { id: 'audit-verdict', role: 'status' });
  const rows = h('tbody');
  const older = h('button', { type: 'button', id: 'audit-older' }, _('Older'));
  older.hidden = true;
  root.append(
    h('div', { class: 'heading-row' }, h('h2', null, _('Audit')), verify), verdict, form, error,
    scrollingTable(h, { id: 'audit-list', label: _('Audit entries'), body: rows,
                        columns: [_('Time'), _('Actor'), _('Action'), _('Target'), _('Details'), _('Address')] }),
    older);

  // The filters as they were when the list was read: Older pages on with those, whatever
  // has been typed since.
  let filters = new URLSearchParams();

  function readFilters() {
    const q = new URLSearchParams({ limit: String(PAGE) });
    for (const [f, name] of [[actor, 'actor'], [action, 'action'], [target, 'target']])
      if (f.control.value.trim() !== '') q.set(name, f.control.value.trim());
    // A date alone is that UTC day (and as `until`, its end): the API takes it as it is.
    if (since.control.value) q.set('since', since.control.value);
    if (until.control.value) q.set('until', until.control.value);
    return q;
  }

  function query(withCursor) {
    const q = new URLSearchParams(filters);
    if (withCursor && cursor !== null) q.set('cursor', cursor);
    return `/api/v1/audit?${q}`;
  }

  function detailsText(details) {
    if (!details || typeof details !== 'object' || Object.keys(details).length === 0) return '';
    return JSON.stringify(details);
  }

  function render() {
    fillRows(h, rows, 6, entries, (e) => h('tr', { 'data-audit-id': String(e.id) },
      h('td', null, e.ts ? format.time(e.ts) : '—'),
      h('td', { class: 'actor' }, e.actor == null ? '—' : String(e.actor)),
      h('td', { class: 'action' }, e.action == null ? '—' : String(e.action)),
      h('td', { class: 'target' }, e.target == null ? '—' : String(e.target)),
      h('td', { class: 'details' }, detailsText(e.details)),
      h('td', null, e.client_address == null ? '—' : String(e.client_address))), _('No entry matches'));
    older.hidden = cursor === null;
  }

  async function load(more) {
    const mine = more ? asked : ++asked;
    if (!more) filters = readFilters();
    error.textContent = '';
    for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    older.disabled = true;
    try {
      const answer = await api.get(query(more));
      if (gone || mine !== asked) return;
      const got = listOf(answer);
      entries = more ? [...entries, ...got.filter((e) => !entries.some((k) => k.id === e.id))] : got;
      cursor = answer.next_cursor === null || answer.next_cursor === undefined ? null : String(answer.next_cursor);
      render();
    } catch (err) {
      if (gone || mine !== asked) return;
      if (err && err.status === 422) fieldErrors(form, err);
      else error.textContent = refusalText(err, _('Could not load the audit trail.'));
    } finally {
      older.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cursor = null;
    load(false);
  });
  older.addEventListener('click', () => load(true));
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    verdict.textContent = _('Verifying…');
    delete verdict.dataset.ok;
    try {
      const answer = await api.get('/api/v1/audit/verify');
      if (gone) return;
      verdict.dataset.ok = String(answer.ok === true);
      verdict.textContent = answer.ok
        ? fill(ngettext('The trail is intact: {n} entry checked.', 'The trail is intact: {n} entries checked.', answer.checked), { n: answer.checked })
        : fill(_('The trail was altered: entry {entry} does not match ({n} checked).'), { entry: answer.first_bad_id, n: answer.checked });
    } catch (err) {
      if (!gone) verdict.textContent = refusalText(err, _('The trail could not be verified.'));
    } finally {
      verify.disabled = false;
    }
  });

  // The trail has no topic: what happened while away is read again after each reconnection.
  // (It also runs at once: the first read.)
  const stopResync = live.onResync(() => {
    cursor = null;
    return load(false);
  });

  return () => {
    gone = true;
    stopResync();
  };
}

export default { id: 'audit', title: _('Audit'), permission: 'audit.read', mount };
