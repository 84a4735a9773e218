/*
 * What the views share: the visitor's cart as the API last returned it and the chosen billing cycle,
 * the reads and changes of the cart that keep both up to date, and go() to another view with a
 * notice. The entry module (shop.js) imports the views, so they reach its router and the header's
 * count through the hooks it gives connect(), not through an import.
 */

import { call, CART_GONE, cartPath, isGone, linePath, serially, storeCartId, storedCartId } from './api.js';
import { CYCLES } from './format.js';

export const state = {
  cart: null, // the visitor's cart as the API last returned it, or null
  cycle: 'monthly', // the chosen billing cycle: the open cart's, or the visitor's choice before there is one
};

let hooks = null; // { route(), cartChanged() }: given by shop.js before the first view
let pendingNotice = null; // shown by the next view (a route change clears the notices of the one before)

export function connect(entry) {
  hooks = entry;
}

/* ------------------------------------------------------------------ the cart */

export function isOpen(cart) {
  return !!cart && cart.status === 'open';
}

/** Whether the cart was checked out, so that it has an order page (its checkout may have failed since). */
export function hasOrder(cart) {
  return !!cart && (cart.status === 'checked_out' || cart.status === 'failed');
}

export function linesOf(cart) {
  return cart && Array.isArray(cart.lines) ? cart.lines : [];
}

export function lineOf(cart, code) {
  return linesOf(cart).find((line) => line.product_code === code) || null;
}

export function itemCount(cart) {
  return linesOf(cart).reduce((sum, line) => sum + (Number(line.quantity) || 0), 0);
}

export function setCart(cart) {
  state.cart = cart;
  storeCartId(cart.id);
  if (isOpen(cart) && CYCLES.includes(cart.billing_cycle)) state.cycle = cart.billing_cycle;
  hooks.cartChanged();
  return cart;
}

export function forgetCart() {
  state.cart = null;
  storeCartId(null);
  hooks.cartChanged();
}

/** Reads the remembered cart; null (and forgotten) when there is none or the API no longer knows it. */
export async function loadCart() {
  const id = storedCartId();
  if (!id) {
    forgetCart();
    return null;
  }
  try {
    return setCart(await call('GET', cartPath(id)));
  } catch (e) {
    if (!isGone(e)) throw e;
    forgetCart();
    return null;
  }
}

/** The open cart to change: the current one, or a new one at the chosen cycle. */
async function openCart() {
  return isOpen(state.cart) ? state.cart : setCart(await call('POST', 'carts', { billing_cycle: state.cycle }));
}

/** Adds `quantity` of a product to the cart (made if needed; made again once if it expired meanwhile). */
export function addToCart(code, quantity) {
  const put = (cart) => call('PUT', linePath(cart, code), { quantity: (lineOf(cart, code)?.quantity || 0) + quantity });
  return serially(async () => {
    const cart = await openCart();
    try {
      return setCart(await put(cart));
    } catch (e) {
      if (!isGone(e)) throw e;
      forgetCart();
      return setCart(await put(await openCart()));
    }
  });
}

/** Changes the current cart: `request(cart)` makes the call, whose answer becomes the cart. */
export function changeCart(request) {
  return serially(async () => {
    if (!state.cart) throw CART_GONE;
    return setCart(await request(state.cart));
  });
}

/* ------------------------------------------------------------------ views */

/** Goes to `hash` (replacing this history entry with `replace`), then shows `notice` there. */
export function go(hash, notice, replace) {
  pendingNotice = notice || null;
  if (location.hash === hash) {
    hooks.route();
  } else if (replace) {
    location.replace(hash);
  } else {
    location.hash = hash;
  }
}

/** The notice go() left for the view being drawn, once. */
export function takeNotice() {
  const notice = pendingNotice;
  pendingNotice = null;
  return notice;
}
