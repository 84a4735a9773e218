/*
 * #/order/<cart id>: the order of a checked-out cart, its progress polled every second until it is
 * live or has failed. Paying happens on Stripe's hosted page: after "Pay" the order page follows the
 * checkout's checkout_url as soon as the API has it (once: the flag sessionStorage
 * `shop.redirect.<cart id>` says so), and Stripe's success page sends the browser to #/paid (paid.js),
 * which leads back here.
 */

import { ApiError, fact, h, hideError } from '../_pages/common.js';
import { call, cartPath, isGone, linePath, serially, storedCartId } from './api.js';
import { CYCLE_LABEL, CYCLE_PERIOD, CYCLES, money, sentence } from './format.js';
import { forgetCart, go, lineOf, linesOf, loadCart, setCart } from './state.js';
import { detailOf, onDispose, pageHead, showProblem, withBusy } from './ui.js';

export function orderHash(cartId) {
  return `#/order/${encodeURIComponent(cartId)}`;
}

export function viewOrderLink(cartId) {
  return h('a', { href: orderHash(cartId), class: 'btn btn-primary btn-big', testid: 'view-order' }, 'View your order');
}

// "Take me to Stripe's page as soon as there is one": set by "Pay", taken by the order page (once).
const redirectKey = (cartId) => `shop.redirect.${cartId}`;
const redirectFallback = new Set(); // where sessionStorage is refused

export function setRedirect(cartId, on) {
  if (on) {
    redirectFallback.add(cartId);
  } else {
    redirectFallback.delete(cartId);
  }
  try {
    if (on) {
      sessionStorage.setItem(redirectKey(cartId), '1');
    } else {
      sessionStorage.removeItem(redirectKey(cartId));
    }
  } catch (e) {
    // kept in this page only
  }
}

function wantsRedirect(cartId) {
  try {
    return sessionStorage.getItem(redirectKey(cartId)) === '1';
  } catch (e) {
    return redirectFallback.has(cartId);
  }
}

/** The URL if it is a web one (http or https), else null: what the API gives is linked or followed only then. */
function webUrl(text) {
  if (typeof text !== 'string' || !text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch (e) {
    return null;
  }
}

const ORDER_STEPS = [
  ['paid', 'Payment received'],
  ['licensed', 'Licenses issued'],
  ['provisioned', 'Organization set up'],
  ['live', 'Ready to use'],
];
// How many of ORDER_STEPS a status has reached: paid implies licensed (licensing comes before the order exists).
const STEPS_REACHED = { preparing: 0, awaiting_payment: 0, paid: 2, live: 4 };
const ORDER_SENTENCE = {
  preparing: 'We are preparing your order and its payment page.',
  awaiting_payment: 'Your order is waiting for your payment.',
  paid: 'Payment received. We are setting up your organization.',
  live: 'Your organization is ready.',
  failed: 'Your order could not be completed.',
};
const FINAL = new Set(['live', 'failed']);
const POLL_MS = 1000;
const POLL_HIDDEN_MS = 5000; // while the tab is in the background

export function orderView(main, view, cartId) {
  const body = h('div', { id: 'order-body' }, h('div', { class: 'loading', testid: 'order-loading' }, 'Loading your order...'));
  main.append(pageHead('Your order'), body);

  const status = h('p', { class: 'order-status', testid: 'order-status', role: 'status' });
  const detail = h('p', { class: 'order-detail muted', testid: 'order-detail', hidden: true });
  const next = h('div', { class: 'order-next' });
  const trouble = h('p', { class: 'order-trouble', testid: 'order-retry', role: 'status', hidden: true });
  const steps = ORDER_STEPS.map(([step, label]) => {
    const said = h('span', { class: 'step-state' }, 'pending');
    const el = h('li', { class: 'step', testid: `order-step-${step}`, 'data-step': step },
      h('span', { class: 'step-label' }, label), h('span', { class: 'visually-hidden' }, ': '), said);
    return { el, said };
  });
  const facts = h('div', { class: 'grid-facts' });
  let drawn = false;
  let reached = 0; // the furthest step seen on this page (a failure after payment keeps what was done)
  let timer = null;
  let failures = 0;
  let last = null; // the checkout as last read
  let redirected = false;

  function draw() {
    drawn = true;
    body.replaceChildren(
      h('section', { class: 'panel order-panel', testid: 'order' }, h('div', { class: 'panel-body' },
        status, detail, next, trouble,
        h('h2', { class: 'visually-hidden', id: 'order-steps-title' }, 'Progress'),
        h('ol', { class: 'steps', 'aria-labelledby': 'order-steps-title' }, steps.map((s) => s.el)))),
      h('section', { class: 'panel', 'aria-label': 'Order details' }, facts));
  }

  function render(checkout) {
    last = checkout;
    if (!drawn) draw();
    const s = String(checkout.status || '');
    reached = Math.max(reached, STEPS_REACHED[s] || 0);
    const sentenceNow = ORDER_SENTENCE[s] || `Your order is ${s.replaceAll('_', ' ')}.`;
    if (status.textContent !== sentenceNow) status.textContent = sentenceNow;
    status.dataset.status = s;
    body.firstChild.dataset.status = s;
    const said = s === 'failed' ? '' : String(checkout.detail || '');
    if (detail.textContent !== said) detail.textContent = said;
    detail.hidden = !said;

    steps.forEach((step, i) => {
      const done = i < reached;
      step.el.classList.toggle('done', done);
      step.el.classList.toggle('current', !done && i === reached && !FINAL.has(s));
      if (!done && i === reached && !FINAL.has(s)) {
        step.el.setAttribute('aria-current', 'step');
      } else {
        step.el.removeAttribute('aria-current');
      }
      step.said.textContent = done ? 'done' : 'pending';
    });

    facts.replaceChildren(
      fact('Organization', checkout.organization_slug, 'order-slug'),
      fact('Email', checkout.customer_email, 'order-email'),
      fact(`Total${CYCLE_PERIOD[checkout.billing_cycle] ? ` per ${CYCLE_PERIOD[checkout.billing_cycle]}` : ''}`,
        money(checkout.total, checkout.currency, 'order-total')),
      fact('Billing', CYCLE_LABEL[checkout.billing_cycle] || checkout.billing_cycle, 'order-cycle'));

    if (!['preparing', 'awaiting_payment'].includes(s)) setRedirect(cartId, false);
    showNext(checkout, s);

    if (s === 'live' && storedCartId() === cartId) forgetCart(); // bought: the next visit starts a new cart
  }

  /** What the visitor can do now: pay, open the organization, or start again. Drawn again only when that changes. */
  function showNext(checkout, s) {
    const payUrl = s === 'awaiting_payment' ? webUrl(checkout.checkout_url) : null;
    const tenantUrl = s === 'live' ? webUrl(checkout.tenant_url) : null;
    const key = `${s}|${payUrl}|${tenantUrl}|${s === 'failed' ? checkout.detail : ''}`;
    if (next.dataset.key === key) return;
    next.dataset.key = key;
    if (payUrl) {
      const leaving = !redirected && wantsRedirect(cartId);
      next.replaceChildren(
        h('p', null, leaving ? 'Taking you to Stripe\'s secure payment page...' : 'Pay on Stripe\'s secure page to continue.'),
        h('p', null, h('a', { href: payUrl, class: 'btn btn-primary btn-big', testid: 'pay-link' }, 'Pay now')),
        leaving ? null : h('p', { class: 'muted' }, 'Paid already? This page moves on by itself once the payment is confirmed.'));
      if (leaving) {
        // Once: back from Stripe (paid or not), the page stays here.
        redirected = true;
        setRedirect(cartId, false);
        location.assign(payUrl);
      }
    } else if (s === 'live') {
      next.replaceChildren(tenantUrl
        ? h('p', { class: 'tenant' }, 'Your organization\'s address: ', h('a', { href: tenantUrl, testid: 'tenant-url' }, checkout.tenant_url))
        : h('p', null, 'Its address is on its way to your email.'));
    } else if (s === 'failed') {
      const again = h('button', { type: 'button', class: 'btn btn-primary', testid: 'start-again', onclick: () => startAgain(again) },
        'Start again');
      next.replaceChildren(h('div', { class: 'panel panel-fail', testid: 'order-failed', role: 'alert' }, h('div', { class: 'panel-body' },
        h('p', { testid: 'order-failed-detail' }, sentence(checkout.detail) || 'The order stopped.'),
        h('p', null, 'Start again to put the same products in a new cart, at today\'s prices. ', again))));
    } else {
      next.replaceChildren();
    }
  }

  function notFound() {
    setRedirect(cartId, false);
    body.replaceChildren(h('section', { class: 'panel empty', testid: 'order-not-found' },
      h('p', null, 'This order is not found in this browser.'),
      h('p', null, 'An order can be followed only in the browser it was placed from.'),
      h('a', { href: '#/', testid: 'order-catalog' }, 'Browse the catalog')));
  }

  function schedule(ms) {
    timer = setTimeout(poll, document.hidden ? Math.max(ms, POLL_HIDDEN_MS) : ms);
  }

  async function poll() {
    timer = null;
    let checkout;
    try {
      checkout = await call('GET', cartPath(cartId, '/checkout'));
    } catch (e) {
      if (!view.alive) return;
      if (isGone(e)) {
        notFound();
        return;
      }
      failures += 1;
      const wait = e instanceof ApiError && e.problem.retry_after ? e.problem.retry_after * 1000
        : Math.min(30000, POLL_MS * 2 ** Math.min(failures - 1, 5));
      trouble.textContent = `${e instanceof ApiError && e.status === 429 ? 'Too many requests just now.' : sentence(detailOf(e))} `
        + `Trying again in ${Math.round(wait / 1000)} s.`;
      trouble.hidden = false;
      if (!drawn) body.replaceChildren(h('div', { class: 'loading', testid: 'order-loading' }, 'Loading your order...'), trouble);
      schedule(wait);
      return;
    }
    if (!view.alive) return;
    failures = 0;
    trouble.hidden = true;
    if (!checkout || typeof checkout !== 'object') {
      schedule(POLL_MS);
      return;
    }
    render(checkout);
    if (!FINAL.has(checkout.status)) schedule(POLL_MS);
  }

  // Back in the foreground: ask now rather than at the background pace (not while backing off from errors).
  const onVisible = () => {
    if (!document.hidden && timer !== null && failures === 0) {
      clearTimeout(timer);
      poll();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  onDispose(view, () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
    // Left before Stripe's page was there: a later visit does not jump to it (a reload keeps the flag).
    setRedirect(cartId, false);
  });

  // Start again: the old cart's lines in a new cart. What was made survives a failure half way, so that
  // "Start again" once more goes on from there.
  let oldCart = null;
  let newCart = null;

  async function startAgain(button) {
    hideError();
    let skipped;
    try {
      skipped = await withBusy(button, () => serially(async () => {
        if (!oldCart) {
          try {
            oldCart = await call('GET', cartPath(cartId));
          } catch (e) {
            if (isGone(e)) return null;
            throw e;
          }
        }
        const cycle = CYCLES.includes(last?.billing_cycle) ? last.billing_cycle : oldCart.billing_cycle;
        if (!newCart) newCart = setCart(await call('POST', 'carts', cycle ? { billing_cycle: cycle } : {}));
        const left = [];
        for (const line of linesOf(oldCart)) {
          if (lineOf(newCart, line.product_code)?.quantity === line.quantity) continue;
          try {
            newCart = setCart(await call('PUT', linePath(newCart, line.product_code), { quantity: line.quantity }));
          } catch (e) {
            // No longer sold (at this cycle), or past today's limits: the rest still goes in.
            if (!(e instanceof ApiError) || ![400, 409, 422].includes(e.status)) throw e;
            left.push(line.name || line.product_code);
          }
        }
        return left;
      }));
    } catch (e) {
      if (!view.alive) return;
      showProblem(e);
      return;
    }
    if (!view.alive) return;
    if (skipped === null) {
      go('#/', 'Your previous cart is no longer available. Add the products again to start a new order.');
    } else {
      go('#/cart', skipped.length
        ? `A new cart has your products at today's prices, except ${skipped.join(', ')}, which could not be added.`
        : 'A new cart has the same products, at today\'s prices.');
    }
  }

  // The header's item count first (before a live order forgets the cart), then the order.
  (storedCartId() ? loadCart().catch(() => null) : Promise.resolve()).then(() => {
    if (view.alive) poll();
  });
  return view;
}
