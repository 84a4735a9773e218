/*
 * #/paid: where Stripe's success page sends the browser after any payment (with ?session_id=...,
 * which the router ignores). It does not say which order was paid, so the page shows the order of the
 * cart this browser remembers, if that cart has one; otherwise (paid in another browser, say) it only
 * thanks the visitor.
 */

import { h } from '../_pages/common.js';
import { call, cartPath, storedCartId } from './api.js';
import { orderHash } from './order.js';
import { loadCart } from './state.js';
import { pageHead } from './ui.js';

export function paidView(main, view) {
  const body = h('div', { id: 'paid-body' }, h('div', { class: 'loading' }, 'Loading your order...'));
  main.append(pageHead('Payment received'), body);
  const cartId = storedCartId();

  async function show() {
    if (cartId) {
      try {
        await call('GET', cartPath(cartId, '/checkout'));
        // Replaced, so that "Back" from the order does not come here again.
        if (view.alive) location.replace(orderHash(cartId));
        return;
      } catch (e) {
        // No order for it (or no answer now): thanked all the same.
        if (view.alive) loadCart().catch(() => null); // the header's count
      }
    }
    if (!view.alive) return;
    body.replaceChildren(h('section', { class: 'panel empty', testid: 'paid-thanks' },
      h('p', null, 'Thank you: your payment was received. We email you as soon as your platform is live.'),
      h('a', { href: '#/', testid: 'paid-catalog' }, 'Browse the catalog')));
  }

  show();
  return view;
}
