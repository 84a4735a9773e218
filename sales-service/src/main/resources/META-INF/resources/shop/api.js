/*
 * The shop API (../api/v1/shop/...), where all the shop's data is. The server knows each cart by an
 * HttpOnly cookie of its own, on that cart's path, which the browser sends on these same-origin calls:
 * a browser can hold several carts, and an order stays visible after a new cart is started. The page
 * only remembers the id of its current cart (localStorage `shop.cart`) so it can find it again. A 404
 * for it means the cart is gone (expired, or another browser's): the next "Add to cart" starts a new one.
 */

import { ApiError } from '../_pages/common.js';

// Relative to the page, so that the shop also works behind a proxy that mounts the service under a prefix.
const API_ROOT = new URL('../api/v1/shop/', document.baseURI).href;
const CART_KEY = 'shop.cart';

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or null if it says neither. */
function retryAfterSeconds(header) {
  if (!header) return null;
  if (/^\s*\d+\s*$/.test(header)) return Number.parseInt(header, 10);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Calls the shop API (path relative to API_ROOT) with the cart's cookie; `body` is sent as JSON (a
 * string as it is: JSON made already). Resolves to the parsed body; rejects with ApiError (status 0:
 * no answer) whose problem is the API's problem+json (after a 429 with retry_after, in seconds).
 */
export async function call(method, path, body) {
  let response;
  try {
    response = await fetch(new URL(path, API_ROOT), {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'No answer', detail: 'The shop did not answer. Check your connection and try again.' });
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parsed = text;
    }
  }
  if (response.ok) return parsed;
  const problem = parsed && typeof parsed === 'object' ? { ...parsed }
    // Not problem+json (a proxy's page, say): a short excerpt, shown as text.
    : { detail: typeof parsed === 'string' ? parsed.slice(0, 300) : '' };
  if (response.status === 429) {
    const wait = retryAfterSeconds(response.headers.get('Retry-After'));
    problem.title = 'Too many requests';
    problem.detail = wait === null ? 'Too many requests, try again in a moment.' : `Too many requests, try again in ${wait} s.`;
    problem.retry_after = wait;
  }
  throw new ApiError(response.status, { ...problem, title: problem.title || response.statusText || 'Error' });
}

export function isGone(e) {
  return e instanceof ApiError && e.status === 404;
}

export const CART_GONE = new ApiError(404, {
  title: 'No such cart', detail: 'Your cart has expired or is no longer available here. Add products to start a new one.',
});

export function cartPath(id, rest = '') {
  return `carts/${encodeURIComponent(id)}${rest}`;
}

export function linePath(cart, code) {
  return cartPath(cart.id, `/lines/${encodeURIComponent(code)}`);
}

let storedIdFallback = null; // where localStorage is refused (some private modes)

export function storedCartId() {
  try {
    return localStorage.getItem(CART_KEY);
  } catch (e) {
    return storedIdFallback;
  }
}

export function storeCartId(id) {
  storedIdFallback = id;
  try {
    if (id) {
      localStorage.setItem(CART_KEY, id);
    } else {
      localStorage.removeItem(CART_KEY);
    }
  } catch (e) {
    // kept in this page only
  }
}

let changes = Promise.resolve(); // the cart's changes, one after the other (see serially)

/**
 * Runs a change of the cart after the ones before it have answered: each starts from the cart the
 * last one returned (a quantity added to what is there, one cart made for two quick adds), and the
 * last answer shown is the last change's.
 */
export function serially(change) {
  const run = changes.then(change, change);
  changes = run.catch(() => {});
  return run;
}
