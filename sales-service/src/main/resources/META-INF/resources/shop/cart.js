/*
 * #/cart: the cart's lines, their quantities and prices, a change of prices to accept, and the way on
 * to checkout (or, once checked out, to the cart's order).
 */

import { ApiError, formatTime, h, hideError, notify } from '../_pages/common.js';
import { call, CART_GONE, cartPath, isGone, linePath } from './api.js';
import { CYCLE_PERIOD, money } from './format.js';
import { viewOrderLink } from './order.js';
import { changeCart, forgetCart, hasOrder, isOpen, linesOf, loadCart, state } from './state.js';
import {
  cycleToggle, fieldError, focusedTestid, loadFailed, pageHead, readQuantity, refocus, showProblem, withBusy,
} from './ui.js';

export function cartView(main, view) {
  const toggleSlot = h('div', { class: 'toggle-slot' });
  const expires = h('p', { class: 'muted subtitle', testid: 'cart-expires', hidden: true });
  const body = h('div', { id: 'cart-body' }, h('div', { class: 'loading' }, 'Loading your cart...'));
  const head = pageHead('Your cart', null, toggleSlot);
  head.firstChild.append(expires);
  main.append(head, body);

  async function load() {
    body.replaceChildren(h('div', { class: 'loading' }, 'Loading your cart...'));
    try {
      await loadCart();
    } catch (e) {
      if (!view.alive) return;
      showProblem(e);
      body.replaceChildren(loadFailed('Your cart could not be read.', 'cart-failed', load));
      return;
    }
    if (view.alive) render();
  }

  /** Draws the cart as it is in `state`; the control that had the focus (by data-testid) gets it back. */
  function render(focused) {
    const cart = state.cart;
    const lines = linesOf(cart);
    const open = !cart || isOpen(cart);
    // A checked-out cart keeps its cycle; the catalog's toggle chooses the next cart's.
    toggleSlot.replaceChildren(...(open ? [cycleToggle(view, render)] : []));
    if (cart?.expires_at && open) {
      expires.replaceChildren('Kept for you until ', h('time', { datetime: cart.expires_at }, formatTime(cart.expires_at)), '.');
      expires.hidden = false;
    } else {
      expires.hidden = true;
    }

    // A checked-out cart (or one whose checkout failed) has an order page to follow instead.
    const checkedOut = hasOrder(cart);
    const blocked = checkedOut ? null
      : !lines.length ? 'Add a product to your cart to check out.'
        : !open ? 'This cart can no longer be checked out.'
          : cart.prices_changed ? 'Accept the new prices (or remove the changed products) to check out.' : null;
    const next = checkedOut ? viewOrderLink(cart.id) : h('button', {
      type: 'button', class: 'btn btn-primary btn-big', testid: 'checkout', disabled: !!blocked,
      'aria-describedby': blocked ? 'checkout-hint' : null,
      onclick: () => {
        location.hash = '#/checkout';
      },
    }, 'Checkout');
    const actions = h('div', { class: 'cart-actions' },
      h('a', { href: '#/', class: 'btn', testid: 'continue-shopping' }, 'Continue shopping'),
      h('span', { class: 'spacer' }),
      blocked ? h('span', { class: 'muted', id: 'checkout-hint', testid: 'checkout-hint' }, blocked) : null,
      next);

    if (!lines.length) {
      body.replaceChildren(
        h('div', { class: 'panel empty', testid: 'cart-empty' },
          h('p', null, 'Your cart is empty.'), h('a', { href: '#/', testid: 'cart-empty-catalog' }, 'Browse the catalog')),
        actions);
    } else {
      body.replaceChildren(...[
        open ? null : h('div', { class: 'panel panel-note', testid: 'cart-closed' }, h('div', { class: 'panel-body' },
          cart.status === 'failed' ? 'The order of this cart could not be completed: its page says why and lets you start again.'
            : checkedOut ? 'This cart has been checked out and can no longer be changed. Follow your order from its page.'
              : 'This cart can no longer be changed or checked out.',
          ' Products added in the catalog start a new cart.')),
        open && cart.prices_changed ? priceChangePanel(cart) : null,
        linesTable(cart, open),
        actions,
      ].filter(Boolean));
    }
    refocus(focused, main.querySelector('h1'));
  }

  function priceChangePanel(cart) {
    const accept = h('button', { type: 'button', class: 'btn btn-primary', testid: 'accept-prices', onclick: () => acceptPrices(accept) },
      'Accept new prices');
    const period = CYCLE_PERIOD[cart.billing_cycle];
    return h('section', { class: 'panel panel-warn', testid: 'price-change', 'aria-labelledby': 'price-change-title' },
      h('div', { class: 'panel-body' },
        h('h2', { id: 'price-change-title' }, 'Prices have changed since you added these products'),
        h('ul', { class: 'price-changes' }, linesOf(cart).filter((line) => line.price_changed).map((line) => h('li', {
          testid: `price-change-${line.product_code}`, 'data-product-code': line.product_code,
        },
        h('strong', null, line.name || line.product_code), ': ',
        h('span', { class: 'price-was' }, 'was ', money(line.unit_price, cart.currency, `price-change-old-${line.product_code}`)),
        ' \u2192 ',
        line.catalog_unit_price === null || line.catalog_unit_price === undefined
          ? h('span', { class: 'price-gone', testid: `price-change-new-${line.product_code}` }, 'no longer sold')
          : h('span', { class: 'price-now' }, 'now ', money(line.catalog_unit_price, cart.currency, `price-change-new-${line.product_code}`),
            period ? ` per ${period}` : '')))),
        h('p', null, 'Nothing changes in your cart until you accept. ', accept)));
  }

  function linesTable(cart, open) {
    const period = CYCLE_PERIOD[cart.billing_cycle];
    return h('div', { class: 'panel' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data cart-table', testid: 'cart-table' },
      h('caption', { class: 'visually-hidden' }, 'Products in your cart'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'num' }, 'Quantity'),
        h('th', { scope: 'col', class: 'num' }, period ? `Unit price per ${period}` : 'Unit price'),
        h('th', { scope: 'col', class: 'num' }, 'Line total'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', null, linesOf(cart).map((line) => lineRow(cart, line, open))),
      h('tfoot', null, h('tr', null,
        h('th', { scope: 'row', colspan: 3 }, `Total${period ? ` per ${period}` : ''}`),
        h('td', { class: 'num' }, money(cart.total, cart.currency, 'cart-total')),
        h('td', null))))));
  }

  function lineRow(cart, line, open) {
    const code = String(line.product_code);
    const name = line.name || code;
    const qtyId = `line-qty-${code}`;
    const input = h('input', {
      type: 'number', id: qtyId, testid: qtyId, name: 'quantity', class: 'qty-input', min: 1, step: 1,
      max: cart.max_quantity || null, value: String(line.quantity), inputmode: 'numeric', required: true,
      disabled: !open, 'aria-describedby': `${qtyId}-error`,
      onchange: () => changeQuantity(line, input, error),
    });
    const error = h('span', { class: 'field-error', id: `${qtyId}-error`, testid: `line-qty-error-${code}`, hidden: true });
    const remove = h('button', {
      type: 'button', class: 'btn btn-small', testid: `remove-${code}`, disabled: !open, 'aria-describedby': `line-name-${code}`,
      onclick: () => removeLine(line, remove),
    }, 'Remove');
    const catalogPrice = line.catalog_unit_price;
    return h('tr', { testid: `line-${code}`, 'data-product-code': code, 'data-price-changed': String(!!line.price_changed) },
      h('td', null, h('span', { id: `line-name-${code}`, class: 'line-name', testid: `line-name-${code}` }, name)),
      h('td', { class: 'num' }, h('label', { for: qtyId, class: 'visually-hidden' }, `Quantity of ${name}`), input, error),
      h('td', { class: 'num' }, money(line.unit_price, cart.currency, `line-price-${code}`),
        line.price_changed ? h('div', { class: 'price-note', testid: `line-price-note-${code}` },
          catalogPrice === null || catalogPrice === undefined ? 'no longer sold' : ['now ', money(catalogPrice, cart.currency)]) : null),
      h('td', { class: 'num' }, money(line.line_total, cart.currency, `line-total-${code}`)),
      h('td', { class: 'line-actions' }, remove));
  }

  /** What a failed change of the cart says; a cart that has gone is forgotten, and one that moved on is read again. */
  async function changeFailed(e, focused) {
    if (!view.alive) return;
    if (isGone(e)) {
      forgetCart();
      showProblem(CART_GONE);
      render(focused);
      return;
    }
    showProblem(e);
    if (e instanceof ApiError && (e.status === 409 || e.status === 422)) {
      try {
        await loadCart();
      } catch (ignored) {
        // the banner says what went wrong already
      }
    }
    if (view.alive) render(focused);
  }

  async function changeQuantity(line, input, error) {
    const focused = focusedTestid();
    hideError();
    const max = Number(state.cart?.max_quantity) || null;
    const read = readQuantity(input.value, max, max ? `At most ${max} per product.` : null);
    fieldError(input, error, read.error);
    if (read.error || read.value === line.quantity) return;
    try {
      await withBusy(input, () => changeCart((cart) => call('PUT', linePath(cart, line.product_code), { quantity: read.value })));
    } catch (e) {
      await changeFailed(e, focused);
      return;
    }
    if (!view.alive) return;
    notify(`${line.name || line.product_code}: quantity ${read.value}.`);
    render(focused);
  }

  async function removeLine(line, button) {
    const focused = focusedTestid();
    hideError();
    try {
      await withBusy(button, () => changeCart((cart) => call('DELETE', linePath(cart, line.product_code))));
    } catch (e) {
      await changeFailed(e, focused);
      return;
    }
    if (!view.alive) return;
    notify(`Removed ${line.name || line.product_code} from your cart.`);
    render(focused);
  }

  async function acceptPrices(button) {
    const focused = focusedTestid();
    hideError();
    try {
      await withBusy(button, () => changeCart((cart) => call('POST', cartPath(cart.id, '/accept-prices'))));
    } catch (e) {
      await changeFailed(e, focused);
      return;
    }
    if (!view.alive) return;
    notify('Your cart now has today\'s prices.');
    // The button has gone with the warning: the focus goes to the checkout button.
    render('checkout');
  }

  load();
  return view;
}
