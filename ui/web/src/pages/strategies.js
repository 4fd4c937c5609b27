// strategies.js — the live strategies, and an editor whose form is drawn from the strategy
// type's parameter description (GET /strategies/types); the server's 422 shown at each field it
// names (`params.fast` at the strategy's `fast`).
// SPDX-License-Identifier: GPL-3.0-or-later
import { fieldErrors } from '../core/dom.js';
import { listOf, safeId } from '../core/view.js';
import { refusalText, fillRows, scrollingTable, paramsOf, INTERVALS } from './kit.js';
import { _, fill } from '../core/i18n.js';
import { label, paramsText } from '../core/labels.js';

const POLICIES = [
  ['manual', _('Manual: each signal asks for an approval')],
  ['auto-paper', _('Automatic on paper')],
  ['notify-only', _('Notify only')],
];

function mount(root, ctx) {
  const { api, live, session, format, h } = ctx;
  const writable = session.can('strategies.write');
  let types = [];
  let instruments = [];
  let strategies = [];
  let editing = null;          // the LiveStrategy edited, or {} for a new one, or null
  let gone = false;

  root.classList.add('page-strategies');
  const error = h('p', { class: 'error', role: 'status' });
  const rows = h('tbody');
  const add = h('button', { type: 'button', id: 'strategies-new' }, _('New Strategy'));
  add.hidden = !writable;
  // The form is drawn from the types and instruments: not before they are here.
  add.disabled = true;
  add.addEventListener('click', () => edit({}));
  const editor = h('div', { class: 'editor', id: 'strategies-editor' });
  root.append(
    h('div', { class: 'heading-row' }, h('h2', null, _('Strategies')), add), error,
    scrollingTable(h, { id: 'strategies-list', label: _('Live strategies'), body: rows,
                        columns: [_('Name'), _('Type'), _('Instrument'), _('Interval'), _('Policy'), _('Enabled'), _('Last signal'), _('Actions')] }),
    editor);

  const typeOf = (id) => types.find((t) => t.id === id || (Array.isArray(t.aliases) && t.aliases.includes(id)));

  function renderList() {
    fillRows(h, rows, 8, strategies, (s) => {
      const type = typeOf(s.strategy);
      const actions = h('td', { class: 'actions-cell' });
      if (writable) {
        const change = h('button', { type: 'button', 'aria-label': fill(_('Edit {name}'), { name: s.name }) }, _('Edit'));
        change.addEventListener('click', () => edit(s));
        const remove = h('button', { type: 'button', class: 'destructive', 'aria-label': fill(_('Delete {name}'), { name: s.name }) }, _('Delete…'));
        remove.addEventListener('click', () => confirmDelete(s, remove));
        actions.append(change, ' ', remove);
      }
      return h('tr', { 'data-strategy-id': String(s.id) },
        h('td', null, String(s.name)),
        h('td', { title: paramsText(s.params) }, type ? String(type.name) : String(s.strategy)),
        h('td', null, String(s.symbol)), h('td', null, String(s.interval)), h('td', { 'data-policy': String(s.policy) }, label('policy', s.policy)),
        h('td', { class: 'enabled' }, s.enabled ? _('yes') : _('no')),
        h('td', null, s.last_signal_at ? format.time(s.last_signal_at) : '—'), actions);
    }, _('No live strategy yet'));
  }

  async function load() {
    error.textContent = '';
    try {
      const [t, i, s] = await Promise.all([
        api.get('/api/v1/strategies/types'),
        session.can('market.read') ? api.get('/api/v1/instruments') : null,
        api.get('/api/v1/strategies'),
      ]);
      if (gone) return;
      types = listOf(t);
      // Instruments answered {"instruments":[…]} before every list became `items`.
      instruments = i ? (Array.isArray(i.items) ? i.items : (i.instruments || [])) : [];
      strategies = listOf(s);
      add.disabled = false;
      renderList();
    } catch (err) {
      if (!gone) error.textContent = refusalText(err, _('Could not load the strategies.'));
    }
  }

  /* The editor */

  function field(name, label, control, hint) {
    const id = control.id;
    const message = h('p', { class: 'field-error', id: `${id}-error` });
    const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
    control.setAttribute('aria-describedby', described);
    control.name = name;
    const wrapper = h('div', { class: 'field', 'data-field': name });
    if (control.type === 'checkbox') wrapper.append(h('label', { class: 'check', for: id }, control, ` ${label}`));
    else wrapper.append(h('label', { for: id }, label), control);
    if (hint) wrapper.append(h('p', { class: 'hint', id: `${id}-hint` }, hint));
    wrapper.append(message);
    // A refusal shown at a field goes when the field is typed in again.
    const clear = () => {
      message.textContent = '';
      control.removeAttribute('aria-invalid');
    };
    control.addEventListener('input', clear);
    control.addEventListener('change', clear);
    return wrapper;
  }

  function select(id, options, value) {
    const s = h('select', { id }, ...options.map(([v, text]) => h('option', { value: v }, text)));
    if (value !== undefined && value !== null) s.value = value;
    return s;
  }

  function paramFields(fieldset, typeId, values) {
    const type = typeOf(typeId);
    const properties = (type && type.parameters && type.parameters.properties) || {};
    const fields = Object.entries(properties).map(([name, schema]) => {
      schema = schema || {};
      const input = h('input', { id: `strategy-param-${safeId(name)}`, autocomplete: 'off' });
      input.dataset.param = name;
      input.dataset.type = String(schema.type);
      const value = values && values[name] !== undefined ? values[name] : schema.default;
      if (schema.type === 'boolean') {
        input.type = 'checkbox';
        input.checked = value === true;
      } else {
        input.inputMode = schema.type === 'integer' ? 'numeric' : 'decimal';
        input.value = value === undefined || value === null ? '' : String(value);
      }
      const range = typeof schema.minimum === 'number' && typeof schema.maximum === 'number'
        ? fill(_('{minimum} to {maximum}'), { minimum: schema.minimum, maximum: schema.maximum }) : '';
      return field(`params.${name}`, name, input, [schema.description, range].filter(Boolean).join(': '));
    });
    fieldset.replaceChildren(h('legend', null, _('Parameters')), ...fields);
    fieldset.hidden = fields.length === 0;
  }

  function edit(strategy) {
    editing = strategy;
    if (!writable || !strategy) {
      editor.replaceChildren();
      return;
    }
    const isNew = strategy.id === undefined;
    const name = h('input', { id: 'strategy-name', autocomplete: 'off' });
    name.value = strategy.name || '';
    name.required = true;
    const firstType = types.length ? types[0].id : '';
    const type = select('strategy-type', types.map((t) => [t.id, `${t.name} (${t.id})`]), strategy.strategy || firstType);
    const symbol = select('strategy-symbol', instruments.map((i) => [i.symbol, String(i.symbol)]), strategy.symbol);
    const interval = select('strategy-interval', INTERVALS.map((i) => [i, i]), strategy.interval || '1h');
    const policy = select('strategy-policy', POLICIES, strategy.policy || 'manual');
    const enabled = h('input', { id: 'strategy-enabled', type: 'checkbox' });
    enabled.checked = isNew ? true : strategy.enabled === true;
    const params = h('fieldset', { class: 'params', id: 'strategy-params' });
    // Another type starts from its defaults, as the server does.
    paramFields(params, type.value, type.value === strategy.strategy ? strategy.params : null);
    type.addEventListener('change', () => paramFields(params, type.value, type.value === strategy.strategy ? strategy.params : null));

    const formError = h('p', { class: 'error', id: 'strategy-form-error', role: 'alert' });
    const save = h('button', { type: 'submit', id: 'strategy-save' }, isNew ? _('Create Strategy') : _('Save Strategy'));
    const cancel = h('button', { type: 'button' }, _('Cancel'));
    cancel.addEventListener('click', () => edit(null));
    const form = h('form', { id: 'strategy-form', novalidate: '', 'aria-labelledby': 'strategy-form-title' },
      h('h3', { id: 'strategy-form-title' }, isNew ? _('New strategy') : fill(_('Edit {name}'), { name: strategy.name })),
      field('name', _('Name'), name),
      field('strategy', _('Type'), type),
      field('symbol', _('Instrument'), symbol),
      field('interval', _('Interval'), interval),
      field('policy', _('Policy'), policy),
      field('enabled', _('Enabled'), enabled),
      params, formError, h('div', { class: 'actions' }, cancel, save));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      formError.textContent = '';
      for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
      for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
      const body = {
        name: name.value.trim(), strategy: type.value, symbol: symbol.value, interval: interval.value,
        policy: policy.value, enabled: enabled.checked, params: paramsOf(params),
      };
      save.disabled = true;
      try {
        const answer = isNew ? await api.post('/api/v1/strategies', body)
          : await api.put(`/api/v1/strategies/${strategy.id}`, body);
        if (gone) return;
        strategies = [answer, ...strategies.filter((s) => s.id !== answer.id)];
        renderList();
        edit(null);
        add.focus();
      } catch (err) {
        if (gone) return;
        if (err && err.status === 422) fieldErrors(form, err);
        else formError.textContent = refusalText(err, _('The strategy was not saved.'));
      } finally {
        save.disabled = false;
      }
    });
    editor.replaceChildren(form);
    name.focus();
  }

  function confirmDelete(strategy, opener) {
    const dialogError = h('p', { class: 'error', role: 'alert' });
    const yes = h('button', { type: 'button', class: 'destructive' }, _('Delete'));
    const no = h('button', { type: 'button' }, _('Cancel'));
    const dialog = h('dialog', { 'aria-labelledby': 'strategy-delete-title' },
      h('h3', { id: 'strategy-delete-title' }, fill(_('Delete “{name}”?'), { name: strategy.name })),
      h('p', null, _('Its signals and recommendations stay.')), dialogError,
      h('div', { class: 'actions' }, no, yes));
    const close = () => {
      dialog.close();
      dialog.remove();
      if (opener.isConnected) opener.focus();
    };
    no.addEventListener('click', close);
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api.del(`/api/v1/strategies/${strategy.id}`);
        if (gone) return;
        strategies = strategies.filter((s) => s.id !== strategy.id);
        if (editing && editing.id === strategy.id) edit(null);
        close();
        renderList();
        add.focus();
      } catch (err) {
        dialogError.textContent = refusalText(err, _('The strategy was not deleted.'));
        yes.disabled = false;
      }
    });
    root.append(dialog);
    dialog.showModal();
  }

  // A signal tells when a strategy last spoke.
  const stops = [];
  if (session.can('signals.read')) {
    stops.push(live.subscribe('signals', (signal) => {
      const s = signal && strategies.find((x) => x.id === signal.strategy_id);
      if (!s) return;
      s.last_signal_at = signal.created_at;
      renderList();
    }));
  }
  stops.push(live.onResync(load));

  return () => {
    gone = true;
    for (const stop of stops) stop();
  };
}

export default { id: 'strategies', title: _('Strategies'), permission: 'strategies.read', mount };
