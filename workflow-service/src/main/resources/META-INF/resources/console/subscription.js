/*
 * A customer's subscription beside their journeys: on the executions list filtered by a business
 * key that is a quote of a subscription, the panel shows it with its invoices, as billing-service
 * has it (read through /api/v1/workflows/subscriptions with the operator's token, so billing's
 * tenancy and roles decide), and lets an operator set it to end at its period's end or renew again.
 */

import { api, confirmAction, h, newKey, notify, roleHint, showError, statusBadge, timeEl } from '../_pages/common.js';

/** An amount of the API (a JSON number with two decimals) with its currency. */
function money(amount, currency) {
  return amount === null || amount === undefined ? '-' : `${currency || ''} ${Number(amount).toFixed(2)}`.trim();
}

const ENDED = new Set(['canceled', 'incomplete_expired']);
const REASONS = { subscription_create: 'first', subscription_cycle: 'renewal', subscription_update: 'seat change' };

function invoiceRow(invoice) {
  const page = /^https?:\/\//.test(invoice.hosted_invoice_url || '')
    ? h('a', { href: invoice.hosted_invoice_url, target: '_blank', rel: 'noopener noreferrer' }, invoice.stripe_invoice_id)
    : invoice.stripe_invoice_id;
  return h('tr', { testid: 'invoice-row', 'data-status': invoice.status },
    h('td', null, statusBadge(invoice.status)),
    h('td', null, REASONS[invoice.billing_reason] || invoice.billing_reason || '-'),
    h('td', null, timeEl(invoice.period_start), ' \u2013 ', timeEl(invoice.period_end)),
    h('td', { class: 'num' }, money(invoice.amount_due, invoice.currency)),
    h('td', { class: 'num' }, money(invoice.amount_paid, invoice.currency)),
    h('td', null, page));
}

function subscriptionCard(subscription, onChanged) {
  const ended = ENDED.has(subscription.status);
  const cancelling = Boolean(subscription.cancel_at_period_end);
  const hint = roleHint('operator');
  const action = cancelling ? 'resume' : 'cancel';
  const button = h('button', {
    type: 'button', class: `btn btn-small ${cancelling ? '' : 'btn-danger'}`, testid: `subscription-${action}`,
    disabled: ended || Boolean(hint), title: ended ? 'The subscription has ended' : hint || '',
    onclick: async () => {
      const { ok } = await confirmAction(cancelling
        ? { title: 'Renew the subscription again?', message: 'It will not end at its period\'s end; Stripe charges the next period.', ok: 'Renew again' }
        : { title: 'Cancel at the period\'s end?', message: 'It runs until the end of the paid period, is not renewed, then ends: the licenses expire and the platform is torn down after the retention.', ok: 'Cancel at period end', danger: true });
      if (!ok) return;
      button.disabled = true;
      try {
        await api('POST', `/subscriptions/${encodeURIComponent(subscription.id)}/${action}`, {
          body: {}, headers: { 'Idempotency-Key': newKey() },
        });
        notify(cancelling ? 'The subscription renews again.' : 'The subscription ends at its period\'s end.');
      } catch (e) {
        showError(e);
      }
      onChanged();
    },
  }, cancelling ? 'Renew again' : 'Cancel at period end');
  const invoices = subscription.invoices || [];
  return h('div', { class: 'subscription', testid: 'subscription', 'data-subscription-id': subscription.id },
    h('div', { class: 'panel-head' },
      statusBadge(subscription.status, 'subscription-status'),
      h('span', { testid: 'subscription-period' }, ' paid until ', timeEl(subscription.current_period_end)),
      cancelling && !ended ? h('span', { class: 'badge status-cancelled', testid: 'subscription-ending' }, 'ends then') : null,
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted' }, subscription.stripe_subscription_id),
      button),
    invoices.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'invoices-table' },
        h('thead', null, h('tr', null, ['Status', 'Invoice for', 'Period', 'Due', 'Paid', 'Stripe invoice'].map((t) => h('th', null, t)))),
        h('tbody', null, invoices.map(invoiceRow))))
      : h('div', { class: 'empty' }, 'No invoices yet.'));
}

/**
 * The panel of the subscriptions the quote `key` started, or nothing when it started none (the key
 * may be a lead, an email...). Drawn into `holder` when read; `view` says whether it is still shown.
 */
export async function subscriptionPanel(holder, key, view) {
  let found;
  try {
    found = await api('GET', '/subscriptions', { params: { quote_id: key } });
  } catch (e) {
    if (!view.alive) return;
    holder.replaceChildren(h('div', { class: 'panel muted', testid: 'subscription-error' },
      `The subscription could not be read: ${e.message}`));
    return;
  }
  if (!view.alive) return;
  const items = found.items || [];
  holder.replaceChildren(...(items.length ? [h('div', { class: 'panel', testid: 'subscription-panel' },
    h('h2', null, 'Subscription'),
    items.map((s) => subscriptionCard(s, () => view.alive && subscriptionPanel(holder, key, view))))] : []));
}
