/*
 * #/: the catalog. Each product's card shows its price at the chosen billing cycle, what the cart
 * holds of it, and "Add to cart" (which starts a cart if there is none).
 */

import { h, hideError, notify } from '../_pages/common.js';
import { call } from './api.js';
import { CYCLE_LABEL, CYCLE_PERIOD, CYCLES, money } from './format.js';
import { addToCart, isOpen, lineOf, loadCart, state } from './state.js';
import { cycleToggle, fieldError, loadFailed, pageHead, readQuantity, showProblem, withBusy } from './ui.js';

function unitPrice(product, cycle) {
  const price = product.unit_prices ? product.unit_prices[cycle] : undefined;
  return price === undefined || price === null ? null : price;
}

export function catalogView(main, view) {
  const toggleSlot = h('div', { class: 'toggle-slot' });
  const body = h('div', { id: 'catalog-body' }, h('div', { class: 'loading' }, 'Loading the catalog...'));
  main.append(pageHead('Catalog', 'Choose the billing cycle, then add products to your cart. Prices are per unit.', toggleSlot), body);
  let cards = [];

  async function load() {
    body.replaceChildren(h('div', { class: 'loading' }, 'Loading the catalog...'));
    let catalog;
    try {
      [catalog] = await Promise.all([
        call('GET', 'catalog'),
        // The catalog is worth showing without the cart; the cart's failure is said in the banner.
        loadCart().catch((e) => {
          if (view.alive) showProblem(e);
        }),
      ]);
    } catch (e) {
      if (!view.alive) return;
      showProblem(e);
      body.replaceChildren(loadFailed('The catalog could not be read.', 'catalog-failed', load));
      return;
    }
    if (!view.alive) return;
    const products = Array.isArray(catalog?.products) ? catalog.products : [];
    toggleSlot.replaceChildren(cycleToggle(view, syncAll));
    if (!products.length) {
      body.replaceChildren(h('div', { class: 'panel empty', testid: 'catalog-empty' }, 'Nothing is on sale at the moment.'));
      return;
    }
    cards = products.map((product) => productCard(product, view, syncAll));
    body.replaceChildren(h('div', { class: 'products', testid: 'catalog' }, cards.map((card) => card.el)));
    syncAll();
  }

  function syncAll() {
    cards.forEach((card) => card.sync());
  }

  load();
  return view;
}

/** A product's card: `sync()` shows it at the chosen cycle and against the cart's contents. */
function productCard(product, view, changed) {
  const code = String(product.code);
  const nameId = `name-${code}`;
  const qtyId = `qty-${code}`;
  const price = h('p', { class: 'price', testid: `price-${code}` });
  const availability = h('p', { class: 'availability', testid: `unavailable-${code}`, hidden: true });
  const inCart = h('p', { class: 'in-cart', testid: `in-cart-${code}`, hidden: true });
  const quantity = h('input', {
    type: 'number', id: qtyId, testid: qtyId, name: 'quantity', class: 'qty-input', min: 1, step: 1, value: '1',
    inputmode: 'numeric', required: true, 'aria-describedby': `${qtyId}-error`,
  });
  const error = h('span', { class: 'field-error', id: `${qtyId}-error`, testid: `qty-error-${code}`, hidden: true });
  const add = h('button', { type: 'submit', class: 'btn btn-primary', testid: `add-${code}`, 'aria-describedby': nameId }, 'Add to cart');
  const el = h('article', { class: 'panel product-card', testid: `product-${code}`, 'data-product-code': code, 'aria-labelledby': nameId },
    h('h2', { id: nameId, class: 'product-name' }, product.name || code),
    product.description ? h('p', { class: 'product-description', testid: `description-${code}` }, product.description) : null,
    price,
    availability,
    inCart,
    h('form', {
      class: 'add-form', novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        addProduct();
      },
    },
    h('div', { class: 'field' }, h('label', { for: qtyId }, 'Quantity'), quantity),
    add,
    error));

  let wasFull = false;

  /** How many more the cart takes of this product: max_quantity less what it has (unbounded before a cart). */
  function room() {
    const max = Number(state.cart?.max_quantity);
    if (!isOpen(state.cart) || !max) return null;
    return max - (lineOf(state.cart, code)?.quantity || 0);
  }

  function sync() {
    const cycle = state.cycle;
    const amount = unitPrice(product, cycle);
    const available = amount !== null;
    el.classList.toggle('unavailable', !available);
    el.dataset.available = String(available);
    price.replaceChildren(...(available
      ? [money(amount, product.currency, `price-amount-${code}`), h('span', { class: 'per' }, ` per ${CYCLE_PERIOD[cycle]}`)]
      : [h('span', { class: 'price-none' }, `Not available with ${cycle} billing`)]));
    const others = CYCLES.filter((c) => c !== cycle && unitPrice(product, c) !== null);
    availability.replaceChildren(...(available ? [] : others.length
      ? [`${CYCLE_LABEL[others[0]]} billing only: `, money(unitPrice(product, others[0]), product.currency),
        ` per ${CYCLE_PERIOD[others[0]]}. Choose ${others[0]} billing to add it.`]
      : ['Not on sale at the moment.']));
    availability.hidden = available;

    const held = isOpen(state.cart) ? lineOf(state.cart, code)?.quantity || 0 : 0;
    inCart.textContent = held ? `In your cart: ${held}` : '';
    inCart.hidden = !held;
    const left = room();
    const full = left !== null && left <= 0;
    if (left !== null && left > 0) {
      quantity.max = String(left);
    } else {
      quantity.removeAttribute('max');
    }
    quantity.disabled = !available || full;
    add.disabled = !available || full;
    add.title = full ? `Your cart holds the most allowed (${state.cart.max_quantity}).` : '';
    if (full) {
      fieldError(quantity, error, `Your cart holds the most allowed of this product (${state.cart.max_quantity}).`);
    } else if (wasFull) {
      fieldError(quantity, error, null);
    }
    wasFull = full;
  }

  async function addProduct() {
    hideError();
    const left = room();
    const read = readQuantity(quantity.value, left,
      left !== null ? `You can add at most ${left} more (the limit is ${state.cart.max_quantity} per product).` : null);
    fieldError(quantity, error, read.error);
    if (read.error) {
      quantity.focus();
      return;
    }
    try {
      await withBusy([add, quantity], () => addToCart(code, read.value));
    } catch (e) {
      if (view.alive) showProblem(e);
      return;
    }
    if (!view.alive) return;
    quantity.value = '1';
    notify(`Added ${read.value} \u00d7 ${product.name || code} to your cart.`);
    changed();
  }

  return { el, sync };
}
