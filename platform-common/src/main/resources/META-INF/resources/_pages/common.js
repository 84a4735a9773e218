/*
 * What the browser pages of the services share (the workflow-service's operator console, the
 * crm-service's CRM pages): sign-in (at the identity provider, or with a pasted Bearer token), the API call with its problem+json
 * errors, the error banner and notices, the confirmation dialog, hash routing and the formatting
 * of times. Served by every service from platform-common at /_pages/common.js, with the pages'
 * headers; a page's app.js imports it as ../_pages/common.js and calls start() once.
 *
 * Server data is put into the page only as text (text nodes, textContent, setAttribute), never
 * parsed as HTML.
 */

/** The page's settings, given to start(). */
let page = null;

export const $ = (id) => document.getElementById(id);

/* ------------------------------------------------------------------ DOM */

/**
 * Creates an element. Attributes go through setAttribute (values are never parsed as markup),
 * `on<event>` functions become listeners, `testid` becomes data-testid; children are nodes or
 * text (strings become text nodes), nested arrays are flattened, null/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'testid') {
      el.setAttribute('data-testid', value);
    } else if (name === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/* ------------------------------------------------------------------ formatting */

export function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** A timestamp in the browser's time zone, to the second. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  ms = Math.max(0, Math.round(ms));
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours}h ${m % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function timeEl(iso, testid) {
  if (!iso) return h('span', { class: 'muted', testid }, '-');
  return h('time', { datetime: iso, title: iso, testid }, formatTime(iso));
}

/** A status as a badge; its class (status-<status>) is the page's to colour. */
export function statusBadge(status, testid, big) {
  return h('span', { class: ['badge', `status-${status}`, big && 'badge-big'], testid, 'data-status': status },
    String(status).replaceAll('_', ' '));
}

/** A labelled value of a facts grid; an absent value shows as '-'. */
export function fact(label, value, testid) {
  return h('div', { class: 'fact' }, h('span', { class: 'label' }, label),
    h('span', { class: 'value', testid }, value === null || value === undefined || value === '' ? '-' : value));
}

/** The state of one view; dispose() marks it dead, so that answers arriving later change nothing. */
export function newView() {
  return { alive: true, dispose() { this.alive = false; } };
}

/* ------------------------------------------------------------------ session */

export function token() {
  try {
    return sessionStorage.getItem(page.tokenKey);
  } catch (e) {
    return null;
  }
}

/** The token's claims, read for display only: the server verifies the token on every call. */
export function claims(jwt = token()) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const parsed = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch (e) {
    return null;
  }
}

const ROLE_RANK = { reader: 1, operator: 2, admin: 3 };

/** The token's roles (its groups), or null when it names none; for display only. */
export function roles() {
  const groups = claims()?.groups;
  return Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : null;
}

/** Whether the token's roles include `role` (admin includes operator includes reader); the API decides in the end. */
export function hasRole(role) {
  const held = roles();
  if (!held) return true;
  return held.some((r) => (ROLE_RANK[r] || 0) >= ROLE_RANK[role]);
}

/** Why a control that needs `role` is off for this token, or null when it is not. */
export function roleHint(role) {
  return hasRole(role) ? null : `Needs the ${role} role; your token has ${(roles() || []).join(', ') || 'none'}`;
}

/** A random UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/* ------------------------------------------------------------------ API */

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** An error that the page has dealt with already: showError shows nothing for it. */
export class Quiet extends Error {
}

/** Thrown after a 401: the page has gone back to sign-in; the caller just stops. */
export class SignedOut extends Quiet {
}

/**
 * Calls the page's API (path relative to its apiRoot). `params` become the query (empty ones left
 * out), `body` is sent as JSON when given, `headers` are added. Resolves to the body as the page's
 * `parse` reads it; rejects with ApiError (status 0: no answer) or SignedOut.
 */
export async function api(method, path, { params, body, headers } = {}) {
  const jwt = token();
  if (!jwt) {
    signOut('Sign in to continue.');
    throw new SignedOut();
  }
  const url = new URL(page.apiRoot + path);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const sent = { Authorization: `Bearer ${jwt}`, Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, { title: 'No answer', detail: `The ${page.service} did not answer (${e.message}).` });
  }
  if (response.status === 401) {
    refused = jwt;
    // A session at the identity provider outlives its access tokens: take its current one and start
    // the view again (a call is never repeated behind the user's back).
    if (viaSession() && await adoptSession() === 'signed-in') {
      route();
      throw new SignedOut();
    }
    signOut(`The ${page.service} refused the token (401): it has expired or is not valid here. Sign in again.`);
    throw new SignedOut();
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = page.parse(text);
    } catch (e) {
      parsed = text;
    }
  }
  if (!response.ok) {
    const problem = parsed && typeof parsed === 'object' ? parsed : { detail: parsed ? String(parsed) : response.statusText };
    throw new ApiError(response.status, { title: problem.title || response.statusText, ...problem });
  }
  return parsed;
}

/* ------------------------------------------------------------------ notices */

export function showError(error) {
  if (error instanceof Quiet) return;
  const banner = $('error-banner');
  banner.replaceChildren();
  banner.append(h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Dismiss', onclick: hideError }, '\u00d7'));
  if (error instanceof ApiError) {
    banner.dataset.status = String(error.status);
    const title = error.status ? `${error.status} ${error.problem.title || ''}`.trim() : error.problem.title || 'Error';
    banner.append(h('span', { class: 'banner-title', testid: 'error-title' }, `${title}:`), ' ',
      h('span', { testid: 'error-detail' }, error.problem.detail || ''));
    if (Array.isArray(error.problem.errors) && error.problem.errors.length) {
      banner.append(h('ul', { testid: 'error-list' }, error.problem.errors.map((e) => h('li', null, String(e)))));
    }
  } else {
    delete banner.dataset.status;
    banner.append(h('span', { class: 'banner-title', testid: 'error-title' }, 'Error:'), ' ',
      h('span', { testid: 'error-detail' }, String(error?.message || error)));
    console.error(error);
  }
  banner.hidden = false;
}

export function hideError() {
  $('error-banner').hidden = true;
  $('error-banner').replaceChildren();
}

let noticeTimer = null;

export function notify(text) {
  const notice = $('notice');
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.hidden = true;
  }, 8000);
}

/* ------------------------------------------------------------------ confirmation */

/**
 * Asks in the modal dialog. Resolves { ok } (ok only for the confirm button); `danger` colours the
 * confirm button red. With `reason` (on a page whose dialog has the reason field), the dialog also
 * asks for a reason, which must not be blank, and resolves { ok, reason }.
 */
export function confirmAction({ title, message, ok, danger, reason }) {
  const dialog = $('confirm-dialog');
  const okButton = $('confirm-ok');
  const cancelButton = $('confirm-cancel');
  const reasonField = $('confirm-reason-field');
  const reasonInput = $('confirm-reason');
  $('confirm-title').textContent = title;
  $('confirm-message').textContent = message;
  okButton.textContent = ok;
  okButton.className = `btn ${danger ? 'btn-danger' : 'btn-primary'}`;
  if (reasonField) {
    reasonField.hidden = !reason;
    reasonInput.value = '';
    $('confirm-reason-error').hidden = true;
  }
  return new Promise((resolve) => {
    const onOk = (event) => {
      event.preventDefault();
      if (reason && !reasonInput.value.trim()) {
        $('confirm-reason-error').hidden = false;
        reasonInput.focus();
        return;
      }
      dialog.close('ok');
    };
    const onCancel = (event) => {
      event.preventDefault();
      dialog.close('cancel');
    };
    const onClose = () => {
      okButton.removeEventListener('click', onOk);
      cancelButton.removeEventListener('click', onCancel);
      resolve({ ok: dialog.returnValue === 'ok', reason: reason ? reasonInput.value.trim() : undefined });
    };
    okButton.addEventListener('click', onOk);
    cancelButton.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (reason ? reasonInput : cancelButton).focus();
  });
}

/* ------------------------------------------------------------------ sign-in */

// The service's sign-in at the identity provider (platform-common's PageSession), beside the page.
const SESSION = '../_session';
// The last token the API refused, never taken from the session again (or a page and a service that
// disagree about it would sign in and out forever).
let refused = null;

function viaSession() {
  try {
    return sessionStorage.getItem(`${page.tokenKey}.via`) === 'session';
  } catch (e) {
    return false;
  }
}

/**
 * Takes the access token of this browser's session at the identity provider, if it has one.
 * Resolves to 'signed-in', 'signed-out' (the provider is there: the sign-in link is shown) or
 * 'unavailable' (no provider: only a pasted token signs in).
 */
async function adoptSession() {
  let response;
  try {
    response = await fetch(`${SESSION}/token`, {
      headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' },
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'manual',
    });
  } catch (e) {
    return 'unavailable';
  }
  if (response.status === 499) return 'signed-out';
  if (!response.ok) return 'unavailable';
  try {
    const { access_token: jwt } = await response.json();
    if (typeof jwt !== 'string' || !jwt) return 'unavailable';
    if (jwt === refused) return 'signed-out';
    sessionStorage.setItem(page.tokenKey, jwt);
    sessionStorage.setItem(`${page.tokenKey}.via`, 'session');
    return 'signed-in';
  } catch (e) {
    return 'unavailable';
  }
}

let currentView = null;

function disposeView() {
  if (currentView) currentView.dispose();
  currentView = null;
}

function forget() {
  try {
    sessionStorage.removeItem(page.tokenKey);
    sessionStorage.removeItem(`${page.tokenKey}.via`);
  } catch (e) {
    // nothing kept
  }
}

function signOut(message) {
  forget();
  disposeView();
  const dialog = $('confirm-dialog');
  if (dialog.open) dialog.close('cancel');
  showSignIn(message);
}

// After "Sign out", the session at the identity provider is not taken again by itself (it may
// outlive the sign-out by a moment) until "Sign in with your account" is chosen.
function signedOutByHand() {
  try {
    return sessionStorage.getItem(`${page.tokenKey}.signed-out`) === 'yes';
  } catch (e) {
    return false;
  }
}

function showSignIn(message) {
  hideError();
  $('notice').hidden = true;
  $('topbar').hidden = true;
  $('main').replaceChildren();
  $('signin').hidden = false;
  const note = $('signin-message');
  note.textContent = message || '';
  note.hidden = !message;
  const field = $('signin-token');
  field.value = '';
  field.focus();
  const link = $('signin-idp');
  link.setAttribute('href', `${SESSION}/signin`);
  (signedOutByHand() ? Promise.resolve('signed-out') : adoptSession()).then((state) => {
    if (state === 'signed-in') {
      comeBack();
    } else {
      link.hidden = state !== 'signed-out';
      if (!link.hidden) link.focus();
    }
  });
}

// The sign-in at the identity provider comes back to the page's first view; the view it left from is
// kept in this tab meanwhile.
function leaveToSignIn() {
  try {
    sessionStorage.removeItem(`${page.tokenKey}.signed-out`);
    sessionStorage.setItem(`${page.tokenKey}.return`, location.hash);
  } catch (e) {
    // it comes back to the first view
  }
}

function comeBack() {
  let hash = null;
  try {
    hash = sessionStorage.getItem(`${page.tokenKey}.return`);
    sessionStorage.removeItem(`${page.tokenKey}.return`);
  } catch (e) {
    // the first view
  }
  if (hash && hash.startsWith('#') && hash !== location.hash) {
    location.hash = hash; // hashchange routes
  } else {
    route();
  }
}

/** Signs out here and, for a session at the identity provider, there too (which comes back to the page). */
function signOutEverywhere() {
  const session = viaSession();
  try {
    sessionStorage.setItem(`${page.tokenKey}.signed-out`, 'yes');
  } catch (e) {
    // the page may take the session again
  }
  if (session) {
    forget();
    location.assign(`${SESSION}/signout`);
  } else {
    signOut('Signed out.');
  }
}

async function signIn(event) {
  event.preventDefault();
  const note = $('signin-message');
  const fail = (text) => {
    note.textContent = text;
    note.hidden = false;
  };
  const jwt = $('signin-token').value.trim().replace(/^Bearer\s+/i, '');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(jwt)) {
    fail('That is not a JWT: a token is three base64url parts separated by dots.');
    return;
  }
  const read = claims(jwt);
  if (read && typeof read.exp === 'number' && read.exp * 1000 < Date.now()) {
    fail(`This token expired at ${formatTime(new Date(read.exp * 1000).toISOString())}. Get a new one.`);
    return;
  }
  forget();
  sessionStorage.setItem(page.tokenKey, jwt);
  const button = $('signin-submit');
  button.disabled = true;
  try {
    // A token the API refuses never gets past sign-in.
    await page.probe();
  } catch (e) {
    if (e instanceof SignedOut) return;
    forget();
    fail(e instanceof ApiError ? `The ${page.service} refused this token (${e.status || 'no answer'}): ${e.problem.detail || e.message}`
      : String(e.message || e));
    return;
  } finally {
    button.disabled = false;
  }
  $('signin').hidden = true;
  route();
}

function renderSession() {
  const read = claims() || {};
  $('session-tenant').textContent = read.tenant_id ? String(read.tenant_id) : '(none)';
  $('session-user').textContent = String(read.upn || read.preferred_username || read.sub || '');
  const expiry = $('session-expiry');
  if (typeof read.exp === 'number') {
    const left = read.exp * 1000 - Date.now();
    expiry.textContent = left > 0 ? `expires in ${formatDuration(left)}` : 'expired';
    expiry.title = formatTime(new Date(read.exp * 1000).toISOString());
  } else {
    expiry.textContent = '';
  }
  if (page.session) page.session(read);
}

/* ------------------------------------------------------------------ routing */

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const [path, query = ''] = raw.split('?');
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    parts = [];
  }
  return { parts, query: new URLSearchParams(query) };
}

/** `#<path>?<params>`, the empty params left out. */
export function hashFor(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

// A notice to show on the next view, which clears the notices of the one before.
let pendingNotice = null;

/** Goes to `hash` (the same hash again reloads the view: hashchange would not fire), then shows `notice` there. */
export function navigate(hash, notice) {
  pendingNotice = notice || null;
  if (hash === location.hash) {
    route();
  } else {
    location.hash = hash;
  }
}

function route() {
  disposeView();
  hideError();
  $('notice').hidden = true;
  if (!token()) {
    showSignIn(null);
    return;
  }
  $('signin').hidden = true;
  $('topbar').hidden = false;
  renderSession();
  if (pendingNotice) notify(pendingNotice);
  pendingNotice = null;
  const { parts, query } = parseHash();
  const main = $('main');
  main.replaceChildren();
  currentView = page.view(parts, query, main);
  if (!currentView) location.replace(page.home);
}

/* ------------------------------------------------------------------ start */

/**
 * Starts the page. `settings`:
 *   tokenKey   the sessionStorage key of the token (one per page)
 *   apiRoot    the absolute URL that api() paths are relative to
 *   service    the service's name, for messages ("the crm-service did not answer")
 *   home       the hash of the first view, e.g. '#/leads'
 *   probe()    an API call that every role may make, run at sign-in to check the token
 *   view(parts, query, main)   renders the view of the hash's path parts into main and returns
 *              its state (with dispose()), or null for an unknown path (which leads home)
 *   parse      optional: reads a response body (JSON.parse by default)
 *   session(claims)   optional: shows more of the token in the top bar
 */
export function start(settings) {
  page = { parse: JSON.parse, ...settings };
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOutEverywhere);
  $('signin-idp').addEventListener('click', leaveToSignIn);
  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && token()) renderSession();
  });
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', page.home);
  }
  route();
}
