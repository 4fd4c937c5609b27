// pages/desk.js — the approval desk: recommendations waiting for a decision (docs/DESK.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './desk-markup.js';
import { api } from '../core/api.js';
import { live } from '../core/live.js';
import { session } from '../core/session.js';
import { time } from '../core/format.js';
import { $ } from '../core/dom.js';
import { button, element, listOf, whileShown } from '../core/view.js';
import { _, fill } from '../core/i18n.js';
import { label } from '../core/labels.js';

const can = (permission) => session.can(permission);
let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown, actShown } = whileShown(() => mounted);

const approvals = new Map();   // id → Approval, as the server last described it
let deciding = null;           // { approval, action } while the reason dialog is open
const STATUS_ORDER = { pending: 0, approved: 1, rejected: 1, expired: 1 };
async function loadApprovals() {
  if (!mounted) return;
  const answer = await fetchShown('/api/v1/approvals?status=pending', $('approvals-error'),
                                 _('Could not load the approvals.'));
  if (!answer) return;
  const items = listOf(answer);
  // Pending ones no longer listed were decided elsewhere while we were away: drop them,
  // the decided ones seen here stay for the record.
  const listed = new Set(items.map((a) => a.id));
  for (const [id, approval] of approvals)
    if (approval.status === 'pending' && !listed.has(id)) approvals.delete(id);
  for (const approval of items) approvals.set(approval.id, approval);
  renderApprovals();
}

function upsertApproval(approval) {
  if (!mounted || !approval || typeof approval.id !== 'number') return;
  approvals.set(approval.id, approval);
  renderApprovals();
}

function requester(approval) {
  if (approval.requested_by !== null && approval.requested_by !== undefined) {
    if (session.user && session.user.id === approval.requested_by) return _('You');
    return fill(_('User #{id}'), { id: approval.requested_by });
  }
  const origin = approval.recommendation && approval.recommendation.origin;
  if (origin === 'webhook') return _('Webhook');
  if (origin === 'live') return _('Engine (live strategy)');
  return _('Desktop owner');
}

function approvalItem(approval) {
  const rec = approval.recommendation || {};
  const li = element('li', null, 'approval');
  li.dataset.approvalId = String(approval.id);
  li.dataset.status = approval.status;

  const heading = element('h3');
  heading.append(element('span', rec.symbol, 'symbol'), ' ');
  heading.append(element('span', label('decision', rec.decision), `decision ${String(rec.decision).toLowerCase()}`), ' ');
  heading.append(element('span', `${rec.interval ?? ''} · ${rec.strategy ?? ''}`, 'dim'), ' ');
  heading.append(element('span', label('approval-status', approval.status), 'status'));
  li.append(heading);

  const facts = element('dl');
  const fact = (name, value, className) => {
    facts.append(element('dt', name), element('dd', value ?? '—', className));
  };
  fact(_('Entry'), rec.entry, 'entry');
  fact(_('Stop loss'), rec.stop_loss, 'stop-loss');
  fact(_('Take profit'), rec.take_profit, 'take-profit');
  fact(_('Confidence'), typeof rec.confidence === 'number' ? `${Math.round(rec.confidence * 100)} %` : rec.confidence, 'confidence');
  fact(_('Reason'), rec.reason, 'model-reason');
  fact(_('Asked by'), requester(approval), 'requested-by');
  fact(_('Asked at'), time(approval.created_at), 'created-at');
  if (approval.status === 'pending') {
    fact(_('Expires'), time(approval.expires_at), 'expires-at');
  } else {
    fact(_('Decided at'), approval.decided_at ? time(approval.decided_at) : '—', 'decided-at');
    fact(_('Decision reason'), approval.reason, 'decision-reason');
  }
  li.append(facts);

  if (approval.status === 'pending' && can('approvals.decide')) {
    const actions = element('div', null, 'actions');
    /* Translators: an approval in a button's name: "BUY BTCUSDT (approval 3)" */
    const what = fill(_('{decision} {symbol} (approval {id})'), { decision: label('decision', rec.decision), symbol: rec.symbol, id: approval.id });
    actions.append(
      button(_('Approve'), fill(_('Approve {approval}'), { approval: what }), 'approve', () => openDecision(approval.id, 'approve')),
      button(_('Reject'), fill(_('Reject {approval}'), { approval: what }), 'reject', () => openDecision(approval.id, 'reject')));
    li.append(actions);
  }
  return li;
}

function renderApprovals() {
  const sorted = [...approvals.values()].sort((a, b) =>
    (STATUS_ORDER[a.status] ?? 1) - (STATUS_ORDER[b.status] ?? 1) || b.id - a.id);
  $('approvals').replaceChildren(...sorted.map(approvalItem));
  $('approvals-empty').hidden = sorted.some((a) => a.status === 'pending');
}

function openDecision(id, action) {
  const approval = approvals.get(id);
  if (!approval) return;
  const rec = approval.recommendation || {};
  deciding = { id, action };
  const verb = action === 'approve' ? _('Approve') : _('Reject');
  $('decide-title').textContent = fill(action === 'approve' ? _('Approve {decision} {symbol}') : _('Reject {decision} {symbol}'),
                                       { decision: label('decision', rec.decision), symbol: rec.symbol });
  $('decide-summary').textContent =
    fill(_('Entry {entry}, stop loss {stop}, take profit {take}.'), { entry: rec.entry ?? '—', stop: rec.stop_loss ?? '—', take: rec.take_profit ?? '—' });
  $('decide-reason').value = '';
  $('decide-reason').required = action === 'reject';
  $('decide-reason').setAttribute('aria-required', action === 'reject' ? 'true' : 'false');
  $('decide-reason').placeholder = action === 'reject' ? _('Required') : _('Optional');
  $('decide-error').textContent = '';
  $('decide-submit').textContent = verb;
  $('decide-submit').disabled = false;
  $('decide-dialog').showModal();
  $('decide-reason').focus();
}

async function submitDecision() {
  if (!deciding) return;
  const { id, action } = deciding;
  const reason = $('decide-reason').value.trim();
  if (action === 'reject' && reason === '') {
    $('decide-error').textContent = _('A reason is required to reject.');
    $('decide-reason').focus();
    return;
  }
  const body = reason === '' ? {} : { reason };
  $('decide-submit').disabled = true;
  const answer = await actShown('POST', `/api/v1/approvals/${encodeURIComponent(id)}/${action}`, body,
                           $('decide-error'), _('The decision was refused.'));
  $('decide-submit').disabled = false;
  // 409: decided elsewhere or expired; 403: four eyes; 422: the reason. act() said so, in the
  // server's words: show the approval as it now stands.
  if (answer.status === 409) fetchApproval(id).catch(() => {});
  if (!answer.ok) return;
  upsertApproval(answer.data);
  deciding = null;
  $('decide-dialog').close();
}

async function fetchApproval(id) {
  upsertApproval(await api.get(`/api/v1/approvals/${encodeURIComponent(id)}`));
}


// The page's controls, wired once its markup is in.
function wire() {
  $('decide-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitDecision();
  });
  $('decide-cancel').addEventListener('click', () => {
    deciding = null;
    $('decide-dialog').close();
  });
  $('decide-dialog').addEventListener('close', () => { deciding = null; });

}

export default {
  id: 'desk',
  title: _('Approvals'),
  permission: 'approvals.read',
  mount(root) {
    root.innerHTML = markup;
    mounted = true;
    wire();
    const off = [
      live.subscribe('approvals', upsertApproval),
      live.onResync(loadApprovals),
      session.onChange(renderApprovals),
    ];
    renderApprovals();
    return () => {
      for (const fn of off) fn();
      mounted = false;
      approvals.clear();
      deciding = null;
    };
  },
};
