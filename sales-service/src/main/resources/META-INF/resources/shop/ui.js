/*
 * What the views draw alike: the error banner, a view's heading and failed load, busy controls and
 * the focus, form fields with their errors, and the monthly/annual toggle.
 */

import { $, ApiError, h, hideError, notify } from '../_pages/common.js';
import { call, CART_GONE, cartPath, isGone } from './api.js';
import { CYCLE_ADVERB, CYCLE_LABEL, CYCLES } from './format.js';
import { changeCart, forgetCart, isOpen, state } from './state.js';

/* ------------------------------------------------------------------ notices */

/** Shows what went wrong in the error banner: the problem's detail, in words for a visitor (no status code). */
export function showProblem(error) {
  const banner = $('error-banner');
  const detail = error instanceof ApiError ? error.problem.detail || error.problem.title || error.message
    : String(error?.message || error);
  if (!(error instanceof ApiError)) console.error(error);
  banner.replaceChildren(
    h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Dismiss', testid: 'error-dismiss', onclick: hideError }, '\u00d7'),
    h('span', { testid: 'error-detail' }, detail));
  if (error instanceof ApiError) {
    banner.dataset.status = String(error.status);
  } else {
    delete banner.dataset.status;
  }
  banner.hidden = false;
}

/** The detail of a failed call, for a sentence of the page's own. */
export function detailOf(error) {
  return error instanceof ApiError ? error.problem.detail || error.problem.title || error.message : String(error?.message || error);
}

/* ------------------------------------------------------------------ views */

/** A view's first heading, focusable, so that a route change can move the focus to it. */
export function pageHead(title, subtitle, ...aside) {
  return h('div', { class: 'page-head' },
    h('div', null, h('h1', { tabindex: '-1', testid: 'page-title' }, title), subtitle ? h('p', { class: 'muted subtitle' }, subtitle) : null),
    h('div', { class: 'spacer' }), aside);
}

/** A failed load, with a button that tries again. */
export function loadFailed(text, testid, again) {
  return h('div', { class: 'panel empty', testid }, h('p', null, text),
    h('button', { type: 'button', class: 'btn', testid: `${testid}-retry`, onclick: again }, 'Try again'));
}

/** Adds `cleanup` (a timer, a listener) to what disposing the view does. */
export function onDispose(view, cleanup) {
  const dispose = view.dispose;
  view.dispose = function disposeAll() {
    dispose.call(this);
    cleanup();
  };
}

/* ------------------------------------------------------------------ controls */

export function focusedTestid() {
  return document.activeElement?.getAttribute?.('data-testid') || null;
}

/** Focuses the element with that data-testid (after its view was drawn again), else `fallback`. */
export function refocus(testid, fallback) {
  const target = testid ? document.querySelector(`[data-testid="${CSS.escape(testid)}"]`) : null;
  if (target && !target.disabled) {
    target.focus();
  } else if (fallback && testid) {
    fallback.focus();
  }
}

/** Runs `work` with the controls off (and marked busy); focus comes back to a control that had it. */
export async function withBusy(controls, work) {
  const list = [controls].flat();
  const before = list.map((control) => control.disabled);
  const focused = list.find((control) => control === document.activeElement);
  list.forEach((control) => {
    control.disabled = true;
    control.setAttribute('aria-busy', 'true');
  });
  try {
    return await work();
  } finally {
    list.forEach((control, i) => {
      control.disabled = before[i];
      control.removeAttribute('aria-busy');
    });
    if (focused && focused.isConnected && (!document.activeElement || document.activeElement === document.body)) focused.focus();
  }
}

/** A quantity typed by the visitor: { value } when a whole number in 1..max, else { error }. */
export function readQuantity(text, max, tooMany) {
  const typed = String(text ?? '').trim();
  if (!/^\d{1,9}$/.test(typed) || Number(typed) < 1) return { error: 'Enter a whole number, at least 1.' };
  const value = Number(typed);
  if (max && value > max) return { error: tooMany || `At most ${max}.` };
  return { value };
}

export function fieldError(input, errorEl, message) {
  errorEl.textContent = message || '';
  errorEl.hidden = !message;
  if (message) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}

/** A labelled form field (input or select) with its hint and its error, described by both. */
export function formField(id, label, control, hint) {
  const error = h('span', { class: 'field-error', id: `${id}-error`, testid: `${id}-error`, hidden: true });
  control.id = id;
  control.setAttribute('data-testid', id);
  control.setAttribute('aria-describedby', [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '));
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('span', { class: 'field-hint muted', id: `${id}-hint` }, hint) : null, error);
  return { el, input: control, error };
}

/**
 * The monthly/annual choice. With an open cart it re-prices the cart (PUT billing-cycle); before
 * there is one it is the visitor's choice for the catalog and the cart to come. `changed(focused)`
 * redraws what depends on it.
 */
export function cycleToggle(view, changed) {
  const radios = CYCLES.map((cycle) => h('input', {
    type: 'radio', name: 'billing-cycle', value: cycle, id: `cycle-${cycle}`, testid: `cycle-${cycle}`,
    checked: state.cycle === cycle,
    onchange: () => choose(cycle),
  }));
  const reflect = () => radios.forEach((radio) => {
    radio.checked = radio.value === state.cycle;
  });

  async function choose(cycle) {
    const focused = focusedTestid();
    hideError();
    if (!isOpen(state.cart)) {
      state.cycle = cycle;
      changed(focused);
      return;
    }
    try {
      await withBusy(radios, () => changeCart((cart) => call('PUT', cartPath(cart.id, '/billing-cycle'), { billing_cycle: cycle })));
    } catch (e) {
      if (isGone(e)) {
        forgetCart();
        state.cycle = cycle;
      }
      if (!view.alive) return;
      showProblem(isGone(e) ? CART_GONE : e);
      reflect();
      changed(focused);
      return;
    }
    if (!view.alive) return;
    reflect();
    notify(`Your cart is now billed ${CYCLE_ADVERB[state.cycle]}, at the ${state.cycle} prices.`);
    changed(focused);
  }

  return h('fieldset', { class: 'cycle-toggle', testid: 'cycle-toggle' },
    h('legend', null, 'Billing cycle'),
    CYCLES.map((cycle, i) => h('label', { class: 'cycle-option', for: `cycle-${cycle}` }, radios[i], ` ${CYCLE_LABEL[cycle]}`)));
}
