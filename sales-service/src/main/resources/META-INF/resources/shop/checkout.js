/*
 * #/checkout: the visitor's details, the order's summary and "Pay" (POST .../checkout), after which
 * the order page takes over (and sends the browser on to Stripe's payment page).
 */

import { ApiError, h, hideError } from '../_pages/common.js';
import { call, CART_GONE, cartPath, isGone } from './api.js';
import { CYCLE_ADVERB, CYCLE_PERIOD, jsonWithAmount, money, sentence } from './format.js';
import { orderHash, setRedirect, viewOrderLink } from './order.js';
import { slugField } from './slug.js';
import { forgetCart, go, hasOrder, isOpen, linesOf, loadCart, state } from './state.js';
import { detailOf, fieldError, formField, loadFailed, pageHead, showProblem } from './ui.js';

// What the visitor typed on the checkout form, kept while the page is open (in memory only), so that
// a trip to the cart and back (prices changed) does not lose it.
const draft = { name: '', email: '', company: '', slug: '', region: '' };

export function checkoutView(main, view) {
  const body = h('div', { id: 'checkout-body' }, h('div', { class: 'loading' }, 'Loading checkout...'));
  main.append(pageHead('Checkout', 'Your details, then payment on Stripe\'s secure page.'), body);
  let regions = [];

  async function load() {
    body.replaceChildren(h('div', { class: 'loading' }, 'Loading checkout...'));
    let answer;
    try {
      [, answer] = await Promise.all([loadCart(), call('GET', 'regions')]);
    } catch (e) {
      if (!view.alive) return;
      showProblem(e);
      body.replaceChildren(loadFailed('Checkout could not be loaded.', 'checkout-failed', load));
      return;
    }
    if (!view.alive) return;
    regions = Array.isArray(answer?.regions) ? answer.regions.map(String) : [];
    show(state.cart);
  }

  /** Shows what `cart` allows: the form, or why there is nothing to check out. */
  function show(cart) {
    if (hasOrder(cart)) {
      body.replaceChildren(h('section', { class: 'panel panel-note', testid: 'checkout-closed' }, h('div', { class: 'panel-body' },
        h('p', null, cart.status === 'failed' ? 'The order of this cart could not be completed.' : 'This cart has been checked out already.'),
        viewOrderLink(cart.id))));
    } else if (!linesOf(cart).length) {
      body.replaceChildren(h('section', { class: 'panel empty', testid: 'checkout-empty' },
        h('p', null, 'Your cart is empty: there is nothing to check out.'),
        h('a', { href: '#/', testid: 'checkout-catalog' }, 'Browse the catalog')));
    } else if (!isOpen(cart)) {
      body.replaceChildren(h('section', { class: 'panel panel-note', testid: 'checkout-closed' }, h('div', { class: 'panel-body' },
        h('p', null, 'This cart can no longer be checked out.'), h('a', { href: '#/cart', class: 'btn', testid: 'checkout-back' }, 'Back to your cart'))));
    } else if (cart.prices_changed) {
      go('#/cart', 'Prices have changed since you added these products. Accept the new prices, then check out.', true);
    } else {
      body.replaceChildren(checkoutForm(cart));
    }
  }

  function checkoutForm(cart) {
    const name = formField('checkout-name', 'Your name', h('input', {
      type: 'text', name: 'customer_name', autocomplete: 'name', required: true, maxlength: 200, value: draft.name,
    }));
    const email = formField('checkout-email', 'Email', h('input', {
      type: 'email', name: 'customer_email', autocomplete: 'email', required: true, maxlength: 254, value: draft.email, spellcheck: 'false',
    }), 'Your receipt and your organization\'s sign-in go here.');
    const company = formField('checkout-company', 'Company', h('input', {
      type: 'text', name: 'company_name', autocomplete: 'organization', required: true, maxlength: 200, value: draft.company,
    }));
    const slug = slugField(view, draft);
    const region = formField('checkout-region', 'Region', h('select', { name: 'region', required: true },
      h('option', { value: '' }, regions.length ? 'Choose a region' : 'No region is open at the moment'),
      regions.map((r) => h('option', { value: r, selected: r === draft.region }, r))), 'Where your organization runs and keeps its data.');
    for (const [field, key] of [[name, 'name'], [email, 'email'], [company, 'company'], [region, 'region']]) {
      field.input.addEventListener(field.input.tagName === 'SELECT' ? 'change' : 'input', () => {
        draft[key] = field.input.value;
        if (!field.error.hidden) fieldError(field.input, field.error, null);
      });
    }

    const period = CYCLE_PERIOD[cart.billing_cycle];
    const pay = h('button', {
      type: 'submit', class: 'btn btn-primary btn-big', testid: 'pay', disabled: !regions.length, 'aria-describedby': 'pay-hint',
    }, 'Pay');
    let sending = false;
    let sent = false;

    const form = h('form', {
      class: 'panel checkout-form', testid: 'checkout-form', novalidate: true, 'aria-labelledby': 'checkout-form-title',
      onsubmit: (event) => {
        event.preventDefault();
        submit();
      },
    }, h('div', { class: 'panel-body' },
      h('h2', { id: 'checkout-form-title' }, 'Your details'),
      name.el, email.el, company.el, slug.field.el, region.el,
      h('div', { class: 'pay-row' }, pay,
        h('p', { class: 'muted', id: 'pay-hint' }, 'Next you pay on Stripe\'s secure page; ',
          'your organization is set up as soon as the payment is received.'))));

    const summary = h('aside', { class: 'panel checkout-summary', testid: 'checkout-summary', 'aria-labelledby': 'checkout-summary-title' },
      h('div', { class: 'panel-body' },
        h('h2', { id: 'checkout-summary-title' }, 'Your order'),
        h('ul', { class: 'summary-lines' }, linesOf(cart).map((line) => h('li', {
          testid: `checkout-line-${line.product_code}`, 'data-product-code': line.product_code,
        },
        h('span', null, line.name || line.product_code, h('span', { class: 'muted' }, ` \u00d7 ${line.quantity}`)),
        money(line.line_total, cart.currency, `checkout-line-total-${line.product_code}`)))),
        h('p', { class: 'summary-cycle', testid: 'checkout-cycle' },
          `Billed ${CYCLE_ADVERB[cart.billing_cycle] || cart.billing_cycle}`),
        h('p', { class: 'summary-total' }, h('span', null, `Total${period ? ` per ${period}` : ''}`),
          money(cart.total, cart.currency, 'checkout-total')),
        h('a', { href: '#/cart', testid: 'checkout-back' }, 'Change your cart')));

    /** The form's values, or null (and the first wrong field focused) when one is missing or wrong. */
    function read() {
      const values = {
        customer_name: name.input.value.trim(),
        customer_email: email.input.value.trim(),
        company_name: company.input.value.trim(),
        organization_slug: slug.value(),
        region: region.input.value,
      };
      const checks = [
        [name, values.customer_name ? null : 'Enter your name.'],
        [email, !values.customer_email ? 'Enter your email address.'
          : email.input.validity.typeMismatch ? 'Enter an email address such as name@example.com.' : null],
        [company, values.company_name ? null : 'Enter your company\'s name.'],
        [slug.field, slug.problem()],
        [region, values.region ? null : 'Choose a region.'],
      ];
      checks.forEach(([field, message]) => fieldError(field.input, field.error, message));
      const wrong = checks.find(([, message]) => message);
      if (wrong) {
        wrong[0].input.focus();
        return null;
      }
      return values;
    }

    async function submit() {
      if (sending || sent) return;
      hideError();
      const values = read();
      if (!values) return;
      sending = true;
      pay.disabled = true;
      pay.setAttribute('aria-busy', 'true');
      try {
        // The total the visitor saw, as the API gave it: the API refuses the checkout if it has changed since.
        await call('POST', cartPath(cart.id, '/checkout'), jsonWithAmount(values, 'total', cart.total));
      } catch (e) {
        sending = false;
        pay.removeAttribute('aria-busy');
        pay.disabled = false;
        if (view.alive) await refused(e, values);
        return;
      }
      // Accepted (202): the button stays off; a second "Pay" would change nothing anyway.
      sent = true;
      pay.removeAttribute('aria-busy');
      if (!view.alive) return; // the visitor went elsewhere meanwhile: no trip to Stripe behind their back
      setRedirect(cart.id, true);
      location.hash = orderHash(cart.id);
    }

    async function refused(e, values) {
      if (isGone(e)) {
        forgetCart();
        showProblem(CART_GONE);
        show(null);
        return;
      }
      if (!(e instanceof ApiError) || e.status !== 409) {
        showProblem(e);
        if (document.activeElement === document.body) pay.focus();
        return;
      }
      // Refused for the cart's sake (its prices or total moved, it is empty or checked out) or for the slug's.
      let fresh = state.cart;
      try {
        fresh = await loadCart();
      } catch (ignored) {
        // said below as the API's refusal
      }
      if (!view.alive) return;
      if (isOpen(fresh) && linesOf(fresh).length && (fresh.prices_changed || fresh.total !== cart.total)) {
        go('#/cart', `${sentence(detailOf(e))} Review your cart, then check out again.`, true);
        return;
      }
      showProblem(e);
      if (!isOpen(fresh) || !linesOf(fresh).length) {
        show(fresh);
      } else {
        slug.recheck(values.organization_slug);
        if (document.activeElement === document.body) pay.focus();
      }
    }

    return h('div', { class: 'checkout-layout' }, form, summary);
  }

  load();
  return view;
}
