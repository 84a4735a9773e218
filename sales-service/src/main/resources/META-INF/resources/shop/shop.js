/*
 * The self-serve shop of the sales-service, served at /shop/ to anonymous visitors. Plain ES modules:
 * no build, no libraries, no external assets. The look, the DOM helper and the notices come from
 * ../_pages/common.js, but not its sign-in or api(): the shop has no token. It holds no data of its
 * own: everything comes from the shop API (api.js). Server data is put into the page only as text
 * (text nodes, textContent, setAttribute), never parsed as HTML.
 *
 * This entry module routes location.hash to one view each (ROUTES), each in a module of its own:
 *   #/                the catalog (catalog.js)
 *   #/cart            the cart (cart.js)
 *   #/checkout        the visitor's details and "Pay" (checkout.js)
 *   #/order/<cart id> the order's progress, until it is live or has failed (order.js)
 *   #/paid            back from paying at Stripe: on to the order, or a thank-you (paid.js)
 * The views share state.js (the cart, the billing cycle, go()), ui.js (banner, fields, controls)
 * and format.js (amounts, cycles).
 */

import { $, hideError, newView, notify } from '../_pages/common.js';
import { cartView } from './cart.js';
import { catalogView } from './catalog.js';
import { checkoutView } from './checkout.js';
import { orderView } from './order.js';
import { paidView } from './paid.js';
import { connect, itemCount, state, takeNotice } from './state.js';

// A route with `param` takes one more part of the path (#/order/<cart id>), given to its render function.
const ROUTES = {
  '': { title: 'Catalog', nav: 'nav-catalog', render: catalogView },
  cart: { title: 'Cart', nav: 'nav-cart', render: cartView },
  checkout: { title: 'Checkout', nav: 'nav-cart', render: checkoutView },
  order: { title: 'Your order', nav: null, render: orderView, param: true },
  paid: { title: 'Payment received', nav: null, render: paidView },
};

let currentView = null;

/** The route and its parameter of the hash (whatever follows '?' aside), or null for a hash that names none. */
function routeOf(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].replace(/\/+$/, '').split('/');
  const entry = Object.hasOwn(ROUTES, parts[0]) ? ROUTES[parts[0]] : null;
  if (!entry || parts.length !== (entry.param ? 2 : 1)) return null;
  if (!entry.param) return { entry };
  try {
    const param = decodeURIComponent(parts[1]);
    return param ? { entry, param } : null;
  } catch (e) {
    return null;
  }
}

function route(event) {
  currentView?.dispose();
  currentView = null;
  hideError();
  $('notice').hidden = true;
  const notice = takeNotice();
  if (notice) notify(notice);
  const found = routeOf(location.hash);
  if (!found) {
    location.replace('#/');
    return;
  }
  const { entry, param } = found;
  for (const id of ['nav-catalog', 'nav-cart']) {
    $(id).classList.toggle('active', id === entry.nav);
    if (id === entry.nav) {
      $(id).setAttribute('aria-current', 'page');
    } else {
      $(id).removeAttribute('aria-current');
    }
  }
  document.title = `${entry.title} - Control Plane Shop`;
  const main = $('main');
  main.replaceChildren();
  currentView = entry.render(main, newView(), param);
  // After a link inside the page, the focus goes to the new view's heading (not on the first load).
  if (event) main.querySelector('h1')?.focus();
}

function showCartCount() {
  $('nav-cart').textContent = `Cart (${itemCount(state.cart)})`;
}

connect({ route, cartChanged: showCartCount });
showCartCount();
window.addEventListener('hashchange', route);
route();
