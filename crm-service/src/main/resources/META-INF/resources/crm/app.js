/*
 * The CRM pages of the crm-service, served at /crm/. A plain ES module: no build, no libraries, no
 * external assets; what they share with the operator console (sign-in, API calls, notices,
 * confirmation, routing, the look) comes from ../_pages/common.js.
 *
 * It holds no data of its own. Every view reads and writes through the CRM API (/api/v1/crm/...)
 * with the Bearer token the operator pasted at sign-in (kept in this tab's sessionStorage), so the
 * API's tenant scoping and roles decide what is shown and what may be done. Server data is put into
 * the page only as text (text nodes, textContent, setAttribute), never parsed as HTML.
 *
 * Amounts stay exact: they are read from the response text as strings (never as JavaScript
 * numbers) and shown as the API wrote them, only grouped in thousands by splitting the string.
 *
 * Every mutating request carries an Idempotency-Key, and its button is disabled while it is in
 * flight; an attempt that got no answer is retried with the same key, so it cannot happen twice.
 *
 * Routes (location.hash):
 *   #/leads[?status=&page=&new=1]
 *   #/leads/<id>
 *   #/quotes/<id>
 */

import {
  $, api, ApiError, confirmAction, fact, h, hashFor, hideError, navigate, newKey, newView, notify, Quiet, roleHint, showError,
  SignedOut, start, statusBadge, timeEl,
} from '../_pages/common.js';

const LEAD_STATUSES = ['new', 'qualified', 'disqualified', 'converted'];
const DEFAULT_REGIONS = ['eu-west', 'us-east', 'ap-southeast'];
const PAGE_SIZE = 20;
// The fields of the API's bodies that hold amounts: read as strings, so that none passes through a float.
const MONEY_KEYS = new Set(['unit_price', 'line_total', 'total_amount']);
// Relative to the page, so that the pages also work behind a proxy that mounts the service under a prefix.
const API_ROOT = new URL('../api/v1/crm', document.baseURI).href;
const CONFIG_URL = new URL('config.json', document.baseURI).href;

/* ------------------------------------------------------------------ amounts */

/**
 * An amount as the API wrote it ("1234.50"), its whole part grouped in thousands ("1,234.50"):
 * string work only, so nothing is rounded or lost. Anything else is shown as it is.
 */
function formatAmount(value) {
  const text = String(value ?? '');
  const parts = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!parts) return text;
  const whole = parts[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${parts[1]}${whole}${parts[3] !== undefined ? `.${parts[3]}` : ''}`;
}

/** An amount with its currency; data-amount keeps the API's exact text. */
function moneyEl(value, currency, testid) {
  return h('span', { class: 'money', testid, 'data-amount': String(value ?? ''), 'data-currency': currency || '' },
    `${currency ? `${currency} ` : ''}${formatAmount(value)}`);
}

/* ------------------------------------------------------------------ exact JSON */

const JSON_LEXEME = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/**
 * JSON.parse, except that the numbers of the amount fields become strings with the API's exact
 * text ("299.00" stays "299.00", where a JavaScript number would say 299). Strings are matched
 * whole, so a digit inside one is never taken for a number.
 */
function parseExact(text) {
  let key = null;
  const quoted = text.replace(JSON_LEXEME, (lexeme, string, colon, number) => {
    if (string !== undefined) {
      if (colon) key = JSON.parse(string);
      return lexeme;
    }
    return MONEY_KEYS.has(key) ? `"${number}"` : lexeme;
  });
  return JSON.parse(quoted);
}

/* ------------------------------------------------------------------ public settings */

let configPromise = null;

/** The pages' public settings from /crm/config.json (console URL, regions); defaults if it cannot be read. */
function config() {
  if (!configPromise) {
    configPromise = fetch(CONFIG_URL, { cache: 'no-store', credentials: 'omit' })
      .then((response) => (response.ok ? response.json() : {}))
      .catch(() => ({}))
      .then((read) => ({
        consoleUrl: typeof read.console_url === 'string' ? read.console_url : null,
        regions: Array.isArray(read.regions) && read.regions.length ? read.regions.map(String) : DEFAULT_REGIONS,
      }));
  }
  return configPromise;
}

/** The console's page of the executions of a quote, or null if no http(s) console URL is configured. */
function consoleHref(consoleUrl, quoteId) {
  if (!consoleUrl) return null;
  try {
    const url = new URL(consoleUrl, document.baseURI);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = `/executions?key=${encodeURIComponent(quoteId)}`;
    return url.href;
  } catch (e) {
    return null;
  }
}

/* ------------------------------------------------------------------ idempotent actions */

/** Thrown when an action is asked for again while it is in flight: nothing to do or to show. */
class Busy extends Quiet {
}

// The key of each action whose last attempt got no answer (or a 5xx): its retry sends the same key,
// so that if the first attempt did reach the server, the retry gets its answer instead of doing it again.
const unsettledKeys = new Map();

/**
 * Runs one mutating request for `button`: disabled (and marked busy) while in flight, with an
 * Idempotency-Key per action (`action` names it: the same action and body reuse an unsettled key).
 */
async function mutate(button, action, method, path, body) {
  if (button.dataset.busy === 'true') throw new Busy();
  const id = `${action} ${body === undefined ? '' : JSON.stringify(body)}`;
  const key = unsettledKeys.get(id) || newKey();
  unsettledKeys.set(id, key);
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.dataset.busy = 'true';
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await api(method, path, { body, headers: { 'Idempotency-Key': key } });
    unsettledKeys.delete(id);
    return result;
  } catch (e) {
    // A definite refusal (4xx) settles the action: trying again is a new request.
    if (!(e instanceof ApiError) || (e.status !== 0 && e.status < 500)) unsettledKeys.delete(id);
    throw e;
  } finally {
    delete button.dataset.busy;
    button.removeAttribute('aria-busy');
    button.disabled = wasDisabled;
  }
}

/* ------------------------------------------------------------------ routing */

function leadHref(id) {
  return `#/leads/${encodeURIComponent(id)}`;
}

function quoteHref(id) {
  return `#/quotes/${encodeURIComponent(id)}`;
}

function view(parts, query, main) {
  const newLead = parts[0] === 'leads' && parts.length === 1 && query.get('new') === '1';
  $('nav-leads').classList.toggle('active', parts[0] === 'leads' && !newLead);
  $('nav-new-lead').classList.toggle('active', newLead);
  if (parts[0] === 'leads' && parts.length === 1) return leadsView(main, query);
  if (parts[0] === 'leads' && parts.length === 2) return leadView(main, parts[1]);
  if (parts[0] === 'quotes' && parts.length === 2) return quoteView(main, parts[1]);
  return null;
}

/* ------------------------------------------------------------------ leads list */

function productSummary(products) {
  return (Array.isArray(products) ? products : []).map((p) => `${p.product_code} \u00d7 ${p.quantity}`).join(', ');
}

function leadsView(main, query) {
  const view = newView();
  const status = LEAD_STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const page = Math.max(0, Number.parseInt(query.get('page') || '1', 10) - 1 || 0);
  const formOpen = query.get('new') === '1';
  const go = (changes) => navigate(hashFor('/leads', { status, page: page ? String(page + 1) : '', new: formOpen ? '1' : '', ...changes }));

  const statusSelect = h('select', {
    name: 'status', id: 'leads-filter-status', testid: 'leads-filter-status',
    onchange: () => go({ status: statusSelect.value, page: '' }),
  }, h('option', { value: '' }, 'Any status'), LEAD_STATUSES.map((s) => h('option', { value: s }, s)));
  statusSelect.value = status;

  const count = h('span', { class: 'muted', id: 'leads-count', testid: 'leads-count' });
  const body = h('div', { class: 'table-wrap', id: 'leads-body' }, h('div', { class: 'loading' }, 'Loading leads...'));
  const prev = h('button', {
    type: 'button', class: 'btn btn-small', id: 'page-prev', testid: 'page-prev', disabled: page === 0,
    onclick: () => go({ page: page > 1 ? String(page) : '' }),
  }, '\u2039 Newer');
  const next = h('button', {
    type: 'button', class: 'btn btn-small', id: 'page-next', testid: 'page-next', disabled: true,
    onclick: () => go({ page: String(page + 2) }),
  }, 'Older \u203a');
  const pageInfo = h('span', { class: 'muted', testid: 'page-info' });

  const formPanel = h('div', { class: 'panel', id: 'lead-form-panel', testid: 'lead-form-panel', hidden: !formOpen });
  // A reader sees the actions, off and saying why; the API refuses them anyway.
  const writeHint = roleHint('operator');
  const toggle = h('button', {
    type: 'button', class: 'btn btn-primary', id: 'lead-new', testid: 'lead-new', disabled: !!writeHint && !formOpen,
    title: writeHint || '', onclick: () => go({ new: formOpen ? '' : '1' }),
  }, formOpen ? 'Close the form' : 'New lead');

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Leads'), h('div', { class: 'muted' }, 'Newest first, in your tenant.')),
      h('div', { class: 'spacer' }), toggle),
    formPanel,
    h('div', { class: 'panel' },
      h('div', { class: 'filters' }, h('label', null, 'Status', statusSelect), h('span', { class: 'spacer' }), count),
      body,
      h('div', { class: 'pager' }, prev, pageInfo, h('span', { class: 'spacer' }), next)));

  if (formOpen) {
    formPanel.append(leadForm(view, () => go({ new: '' })));
  }

  api('GET', '/leads', { params: { status, page: String(page), size: String(PAGE_SIZE) } }).then((found) => {
    if (!view.alive) return;
    const items = Array.isArray(found.items) ? found.items : [];
    const total = Number(found.total) || 0;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    count.textContent = `${total} lead${total === 1 ? '' : 's'}${status ? ` ${status}` : ''}`;
    pageInfo.textContent = `page ${page + 1} of ${pages}`;
    next.disabled = page + 1 >= pages;
    if (!items.length) {
      body.replaceChildren(h('div', { class: 'empty', testid: 'leads-empty' },
        total ? 'No leads on this page.' : status ? `No ${status} leads.` : 'No leads yet: create one with "New lead".'));
      return;
    }
    body.replaceChildren(h('table', { class: 'data', id: 'leads-table', testid: 'leads-table' },
      h('thead', null, h('tr', null, ['Created', 'Customer', 'Company', 'Organization', 'Region', 'Products', 'Status', 'Owner']
        .map((t) => h('th', null, t)))),
      h('tbody', null, items.map((lead) => h('tr', {
        class: 'clickable', testid: 'lead-row', 'data-lead-id': lead.id, 'data-status': lead.status,
        onclick: (event) => {
          if (event.target.closest('a, button')) return;
          location.hash = leadHref(lead.id);
        },
      },
      h('td', { class: 'nowrap' }, timeEl(lead.created_at)),
      h('td', null, h('a', { href: leadHref(lead.id), testid: 'lead-link' }, lead.customer_name),
        h('div', { class: 'muted' }, lead.customer_email)),
      h('td', null, lead.company_name),
      h('td', { class: 'mono' }, lead.organization_slug),
      h('td', null, lead.region),
      h('td', null, productSummary(lead.products)),
      h('td', null, statusBadge(lead.status, 'lead-status')),
      h('td', null, lead.owner || ''))))));
  }).catch((e) => {
    if (!view.alive) return;
    showError(e);
    body.replaceChildren(h('div', { class: 'empty' }, 'The leads could not be read.'));
  });
  return view;
}

/* ------------------------------------------------------------------ new lead form */

// Form fields by the API's name, in the order of the form.
const LEAD_FIELDS = ['customer_name', 'customer_email', 'company_name', 'organization_slug', 'region', 'products', 'source', 'notes'];

/** A suggested organization slug from a company name: lower case, letters, digits and hyphens. */
function slugOf(text) {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 40);
  return slug.replace(/-+$/, '');
}

/**
 * The problem's detail split into field errors ("products[0].quantity: must not be null; ..."),
 * by the form field they belong to; what names no field of the form is left in `rest`.
 */
function fieldErrors(detail) {
  const byField = {};
  const rest = [];
  for (const part of String(detail || '').split('; ')) {
    const match = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?: (.+)$/.exec(part);
    if (match && LEAD_FIELDS.includes(match[1])) {
      const text = match[2] !== undefined ? `line ${Number(match[2]) + 1}${match[3] ? ` ${match[3]}` : ''}: ${match[4]}` : match[4];
      (byField[match[1]] ||= []).push(text);
    } else if (part) {
      rest.push(part);
    }
  }
  return { byField, rest };
}

function leadForm(view, close) {
  const errors = {};
  const errorEl = (field) => {
    errors[field] = h('span', { class: 'field-error', testid: `field-error-${field}`, 'data-field': field, hidden: true });
    return errors[field];
  };
  const field = (label, name, control, hint) => h('div', { class: 'field', 'data-field': name },
    h('label', { for: control.id }, label), control, hint ? h('span', { class: 'hint' }, hint) : null, errorEl(name));

  const input = (name, attrs) => h('input', {
    name, id: `lead-form-${name.replace(/_/g, '-')}`, testid: `lead-form-${name.replace(/_/g, '-')}`, autocomplete: 'off', ...attrs,
  });
  const customerName = input('customer_name', { maxlength: 200 });
  const customerEmail = input('customer_email', { type: 'email', maxlength: 254 });
  const companyName = input('company_name', { maxlength: 200 });
  const slug = input('organization_slug', { maxlength: 100, class: 'mono', spellcheck: 'false' });
  const region = h('select', { name: 'region', id: 'lead-form-region', testid: 'lead-form-region' });
  const source = input('source', { maxlength: 100, placeholder: 'website, referral, event... (api when empty)' });
  const notes = h('textarea', { name: 'notes', id: 'lead-form-notes', testid: 'lead-form-notes', rows: 3, maxlength: 10000 });

  // The slug follows the company name until it is edited by hand.
  let slugEdited = false;
  companyName.addEventListener('input', () => {
    if (!slugEdited) slug.value = slugOf(companyName.value);
  });
  slug.addEventListener('input', () => {
    slugEdited = slug.value !== '';
  });

  config().then(({ regions }) => {
    region.replaceChildren(...regions.map((r) => h('option', { value: r }, r)));
  });

  // Product lines: a product of the catalog and a quantity each.
  let catalog = null;
  const lines = h('div', { class: 'lines', id: 'lead-form-lines', testid: 'lead-form-lines' });
  const addLine = h('button', {
    type: 'button', class: 'btn btn-small', id: 'lead-form-line-add', testid: 'lead-form-line-add', disabled: true,
    onclick: () => addProductLine(),
  }, '+ Add a product');

  function priceOf(code) {
    const product = (catalog || []).find((p) => p.code === code);
    return product ? [moneyEl(product.unit_price, product.currency), ` / ${product.billing_cycle}`] : '';
  }

  function addProductLine(code) {
    const select = h('select', { name: 'product_code', class: 'line-product', testid: 'lead-form-product', 'aria-label': 'Product' },
      h('option', { value: '' }, 'Choose a product'),
      (catalog || []).map((p) => h('option', { value: p.code }, `${p.name} (${p.code})`)));
    select.value = code || '';
    const price = h('span', { class: 'line-price muted', testid: 'lead-form-line-price' }, priceOf(select.value));
    select.addEventListener('change', () => price.replaceChildren(...[priceOf(select.value)].flat()));
    const quantity = h('input', {
      name: 'quantity', class: 'line-quantity', testid: 'lead-form-quantity', type: 'number', min: 1, max: 10000, step: 1,
      value: '1', inputmode: 'numeric', 'aria-label': 'Quantity',
    });
    const line = h('div', { class: 'line', testid: 'lead-form-line' }, select, h('span', { class: 'muted' }, '\u00d7'), quantity, price,
      h('button', {
        type: 'button', class: 'btn btn-small btn-link', testid: 'lead-form-line-remove', title: 'Remove this line',
        onclick: () => line.remove(),
      }, 'Remove'));
    lines.append(line);
    select.focus();
  }

  api('GET', '/products', { params: { size: '100' } }).then((found) => {
    if (!view.alive) return;
    catalog = Array.isArray(found.items) ? found.items : [];
    addLine.disabled = false;
    addProductLine();
    customerName.focus();
  }).catch((e) => {
    if (!view.alive) return;
    showError(e);
    lines.replaceChildren(h('span', { class: 'field-error' }, 'The product catalog could not be read.'));
  });

  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'lead-form-submit', testid: 'lead-form-submit' }, 'Create lead');
  const form = h('form', {
    id: 'lead-form', testid: 'lead-form', class: 'lead-form', autocomplete: 'off', novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      create();
    },
  },
  h('div', { class: 'form-grid' },
    field('Customer name', 'customer_name', customerName),
    field('Customer email', 'customer_email', customerEmail),
    field('Company', 'company_name', companyName),
    field('Organization slug', 'organization_slug', slug, 'The future tenant subdomain: 3 to 40 of a-z, 0-9 and -, starting with a letter'),
    field('Region', 'region', region),
    field('Source', 'source', source)),
  h('div', { class: 'field', 'data-field': 'products' }, h('label', null, 'Products'), lines, h('div', null, addLine), errorEl('products')),
  h('div', { class: 'field', 'data-field': 'notes' }, h('label', { for: notes.id }, 'Notes'), notes, errorEl('notes')),
  h('div', { class: 'form-actions' }, submit,
    h('button', { type: 'button', class: 'btn', id: 'lead-form-cancel', testid: 'lead-form-cancel', onclick: close }, 'Cancel')));

  function showFieldErrors(byField) {
    for (const [name, el] of Object.entries(errors)) {
      const messages = byField[name] || [];
      el.textContent = messages.join('; ');
      el.hidden = !messages.length;
      el.closest('.field')?.classList.toggle('invalid', messages.length > 0);
    }
  }

  async function create() {
    // What the form can tell by itself; everything else is the API's to say.
    const local = {};
    const products = [];
    lines.querySelectorAll('.line').forEach((line, i) => {
      const code = line.querySelector('.line-product').value;
      const quantity = line.querySelector('.line-quantity').value.trim();
      if (!code) (local.products ||= []).push(`line ${i + 1}: choose a product`);
      if (!/^\d{1,9}$/.test(quantity)) (local.products ||= []).push(`line ${i + 1}: the quantity must be a whole number`);
      products.push({ product_code: code, quantity: /^\d{1,9}$/.test(quantity) ? Number.parseInt(quantity, 10) : quantity });
    });
    if (!products.length) (local.products ||= []).push('add at least one product');
    showFieldErrors(local);
    if (Object.keys(local).length) return;
    hideError();
    const body = {
      customer_name: customerName.value.trim(),
      customer_email: customerEmail.value.trim(),
      company_name: companyName.value.trim(),
      organization_slug: slug.value.trim(),
      region: region.value,
      products,
    };
    if (source.value.trim()) body.source = source.value.trim();
    if (notes.value.trim()) body.notes = notes.value.trim();
    let lead;
    try {
      lead = await mutate(submit, 'create-lead', 'POST', '/leads', body);
    } catch (e) {
      if (!view.alive || e instanceof SignedOut || e instanceof Busy) return;
      if (e instanceof ApiError && e.status === 400) {
        const { byField, rest } = fieldErrors(e.problem.detail);
        showFieldErrors(byField);
        if (rest.length || !Object.keys(byField).length) showError(e);
      } else {
        showError(e);
      }
      return;
    }
    navigate(leadHref(lead.id), `Lead created for ${lead.company_name}. Qualify it next.`);
  }

  return h('div', null, h('div', { class: 'panel-head' }, h('h2', null, 'New lead')), h('div', { class: 'panel-body' }, form));
}

/* ------------------------------------------------------------------ one lead */

function leadView(main, id) {
  const view = newView();
  const title = h('h1', { id: 'lead-title', testid: 'lead-title' }, 'Lead');
  const actions = h('div', { class: 'actions' });
  const content = h('div', { id: 'lead-content' }, h('div', { class: 'loading' }, 'Loading the lead...'));
  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/leads' }, 'Leads'), ' / ', h('span', { class: 'mono' }, id)), title),
      h('div', { class: 'spacer' }), actions),
    content);

  async function load() {
    let lead;
    let quotes;
    try {
      [lead, quotes] = await Promise.all([
        api('GET', `/leads/${encodeURIComponent(id)}`),
        api('GET', `/leads/${encodeURIComponent(id)}/quotes`, { params: { size: '100' } }),
      ]);
    } catch (e) {
      if (!view.alive) return;
      showError(e);
      content.replaceChildren(h('div', { class: 'panel empty', testid: 'lead-missing' },
        e.status === 404 ? 'Your tenant has no such lead.' : 'The lead could not be read.'));
      return;
    }
    if (view.alive) render(lead, Array.isArray(quotes.items) ? quotes.items : []);
  }

  function render(lead, quotes) {
    title.replaceChildren(lead.company_name, ' ', statusBadge(lead.status, 'lead-status', true));
    const canQualify = lead.status === 'new' || lead.status === 'disqualified';
    const writeHint = roleHint('operator');
    const qualify = h('button', {
      type: 'button', class: ['btn', lead.status === 'new' && 'btn-primary'], id: 'lead-qualify', testid: 'lead-qualify',
      disabled: !canQualify || !!writeHint,
      title: writeHint || (canQualify ? 'Check the lead against the vendor\'s rules' : `The lead is ${lead.status}`),
      onclick: () => qualifyLead(qualify),
    }, lead.status === 'disqualified' ? 'Qualify again' : 'Qualify');
    const generate = h('button', {
      type: 'button', class: ['btn', lead.status === 'qualified' && 'btn-primary'], id: 'lead-generate-quote', testid: 'lead-generate-quote',
      disabled: lead.status !== 'qualified' || !!writeHint,
      title: writeHint || (lead.status === 'qualified' ? 'Price the lead\'s products into a draft quote' : 'Only a qualified lead can be quoted'),
      onclick: () => generateQuote(generate),
    }, 'Generate quote');
    actions.replaceChildren(qualify, generate);

    content.replaceChildren(
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', null, 'Lead')),
        h('div', { class: 'grid-facts' },
          fact('Customer', lead.customer_name, 'lead-customer-name'),
          fact('Email', lead.customer_email, 'lead-customer-email'),
          fact('Company', lead.company_name, 'lead-company-name'),
          fact('Organization slug', lead.organization_slug, 'lead-organization-slug'),
          fact('Region', lead.region, 'lead-region'),
          fact('Source', lead.source, 'lead-source'),
          fact('Owner', lead.owner, 'lead-owner'),
          fact('Created', timeEl(lead.created_at), 'lead-created-at'),
          fact('Updated', timeEl(lead.updated_at))),
        lead.notes ? h('div', { class: 'panel-body' }, h('span', { class: 'label-inline' }, 'Notes'),
          h('p', { class: 'notes', testid: 'lead-notes' }, lead.notes)) : null),
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', null, 'Products')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'lead-products' },
          h('thead', null, h('tr', null, h('th', null, 'Product code'), h('th', { class: 'num' }, 'Quantity'))),
          h('tbody', null, (lead.products || []).map((p) => h('tr', { testid: 'lead-product-row', 'data-product-code': p.product_code },
            h('td', { class: 'mono' }, p.product_code), h('td', { class: 'num' }, String(p.quantity)))))))),
      qualificationPanel(lead),
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', null, 'Quotes'), h('span', { class: 'muted' }, `${quotes.length}`)),
        quotes.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'lead-quotes' },
          h('thead', null, h('tr', null, ['Number', 'Status', 'Total', 'Valid until', 'Created'].map((t) => h('th', null, t)))),
          h('tbody', null, quotes.map((q) => h('tr', { testid: 'quote-row', 'data-quote-id': q.id, 'data-status': q.status },
            h('td', null, h('a', { href: quoteHref(q.id), testid: 'quote-link', class: 'mono' }, q.quote_number)),
            h('td', null, statusBadge(q.status, 'quote-row-status')),
            h('td', { class: 'num' }, moneyEl(q.total_amount, q.currency, 'quote-row-total')),
            h('td', { class: 'nowrap' }, q.valid_until || '-'),
            h('td', { class: 'nowrap' }, timeEl(q.created_at)))))))
          : h('div', { class: 'empty', testid: 'lead-quotes-empty' },
            lead.status === 'qualified' ? 'No quotes yet: generate one.' : 'No quotes. A lead is quoted once it is qualified.')));
  }

  function qualificationPanel(lead) {
    const reasons = Array.isArray(lead.qualification_reasons) ? lead.qualification_reasons : [];
    let body;
    if (lead.status === 'new') {
      body = h('p', { class: 'muted' }, 'Not qualified yet. Qualify checks the contact, the slug, the region and the products against the vendor\'s rules.');
    } else if (lead.status === 'disqualified') {
      // A disqualified lead has no qualified_at; it was last checked when it was last updated.
      body = [h('p', null, 'Disqualified (checked ', timeEl(lead.updated_at), ') because:'),
        h('ul', { class: 'reasons', testid: 'lead-reasons' }, reasons.map((r) => h('li', { testid: 'lead-reason' }, r)))];
    } else {
      body = h('p', null, `${lead.status === 'converted' ? 'Qualified, and converted by an accepted quote.' : 'Qualified'} `,
        lead.qualified_at ? ['(', timeEl(lead.qualified_at), ')'] : '');
    }
    return h('div', { class: ['panel', lead.status === 'disqualified' && 'panel-warn'], testid: 'lead-qualification', 'data-status': lead.status },
      h('div', { class: 'panel-head' }, h('h2', null, 'Qualification')), h('div', { class: 'panel-body' }, body));
  }

  async function qualifyLead(button) {
    hideError();
    let lead;
    try {
      lead = await mutate(button, `qualify ${id}`, 'POST', `/leads/${encodeURIComponent(id)}/qualify`);
    } catch (e) {
      if (view.alive) showError(e);
      return;
    }
    if (!view.alive) return;
    const reasons = lead.qualification_reasons || [];
    navigate(leadHref(id), lead.status === 'qualified' ? 'The lead is qualified. Generate a quote next.'
      : `The lead is ${lead.status}${reasons.length ? `: ${reasons.length} reason${reasons.length === 1 ? '' : 's'} below` : ''}.`);
  }

  async function generateQuote(button) {
    hideError();
    let quote;
    try {
      quote = await mutate(button, `generate-quote ${id}`, 'POST', `/leads/${encodeURIComponent(id)}/quotes`);
    } catch (e) {
      if (view.alive) showError(e);
      return;
    }
    if (!view.alive) return;
    navigate(quoteHref(quote.id), `Quote ${quote.quote_number} generated as a draft. Send it to the customer next.`);
  }

  load();
  return view;
}

/* ------------------------------------------------------------------ one quote */

function quoteView(main, id) {
  const view = newView();
  const title = h('h1', { id: 'quote-title' }, 'Quote');
  const crumbs = h('div', { class: 'crumbs' }, h('a', { href: '#/leads' }, 'Leads'), ' / quote');
  const actions = h('div', { class: 'actions' });
  const content = h('div', { id: 'quote-content' }, h('div', { class: 'loading' }, 'Loading the quote...'));
  main.append(h('div', { class: 'page-head' }, h('div', null, crumbs, title), h('div', { class: 'spacer' }), actions), content);

  async function load() {
    let quote;
    try {
      quote = await api('GET', `/quotes/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!view.alive) return;
      showError(e);
      content.replaceChildren(h('div', { class: 'panel empty', testid: 'quote-missing' },
        e.status === 404 ? 'Your tenant has no such quote.' : 'The quote could not be read.'));
      return;
    }
    if (view.alive) render(quote);
  }

  function render(quote) {
    crumbs.replaceChildren(h('a', { href: '#/leads' }, 'Leads'), ' / ',
      h('a', { href: leadHref(quote.lead_id), testid: 'quote-lead-link' }, quote.company_name || 'lead'), ' / quote');
    title.replaceChildren(h('span', { class: 'mono', testid: 'quote-number' }, quote.quote_number), ' ',
      statusBadge(quote.status, 'quote-status', true));

    const writeHint = roleHint('operator');
    const send = h('button', {
      type: 'button', class: ['btn', quote.status === 'draft' && 'btn-primary'], id: 'quote-send', testid: 'quote-send',
      disabled: quote.status !== 'draft' || !!writeHint,
      title: writeHint || (quote.status === 'draft' ? 'Mark the quote as sent to the customer' : 'Only a draft can be sent'),
      onclick: () => transition(send, quote, 'send'),
    }, 'Send');
    const accept = h('button', {
      type: 'button', class: ['btn', quote.status === 'sent' && 'btn-primary'], id: 'quote-accept', testid: 'quote-accept',
      disabled: quote.status !== 'sent' || !!writeHint,
      title: writeHint || (quote.status === 'sent' ? 'The customer accepted the quote' : 'Only a sent quote can be accepted'),
      onclick: () => transition(accept, quote, 'accept'),
    }, 'Accept');
    const reject = h('button', {
      type: 'button', class: 'btn', id: 'quote-reject', testid: 'quote-reject',
      disabled: quote.status !== 'sent' || !!writeHint,
      title: writeHint || (quote.status === 'sent' ? 'The customer declined the quote' : 'Only a sent quote can be rejected'),
      onclick: () => transition(reject, quote, 'reject'),
    }, 'Reject');
    actions.replaceChildren(send, accept, reject);

    const items = Array.isArray(quote.items) ? quote.items : [];
    content.replaceChildren(...[
      outcomePanel(quote),
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', null, 'Lines')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'quote-lines', testid: 'quote-lines' },
          h('thead', null, h('tr', null, h('th', null, 'Product'), h('th', { class: 'num' }, 'Quantity'),
            h('th', { class: 'num' }, 'Unit price'), h('th', { class: 'num' }, 'Line total'))),
          h('tbody', null, items.map((item) => h('tr', { testid: 'quote-line', 'data-product-code': item.product_code },
            h('td', { testid: 'quote-line-product' }, item.product_name || item.product_code, ' ',
              h('span', { class: 'muted mono' }, item.product_code)),
            h('td', { class: 'num', testid: 'quote-line-quantity' }, String(item.quantity)),
            h('td', { class: 'num' }, moneyEl(item.unit_price, quote.currency, 'quote-line-unit-price')),
            h('td', { class: 'num' }, moneyEl(item.line_total, quote.currency, 'quote-line-total'))))),
          h('tfoot', null, h('tr', { class: 'total-row' }, h('td', { colspan: 3 }, `Total (${quote.billing_cycle || ''})`),
            h('td', { class: 'num' }, moneyEl(quote.total_amount, quote.currency, 'quote-total'))))))),
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', null, 'Quote')),
        h('div', { class: 'grid-facts' },
          fact('Customer', quote.customer_name, 'quote-customer-name'),
          fact('Email', quote.customer_email, 'quote-customer-email'),
          fact('Company', quote.company_name, 'quote-company-name'),
          fact('Organization slug', quote.organization_slug, 'quote-organization-slug'),
          fact('Region', quote.region, 'quote-region'),
          fact('Currency', quote.currency, 'quote-currency'),
          fact('Billing cycle', quote.billing_cycle, 'quote-billing-cycle'),
          fact('Valid until', quote.valid_until, 'quote-valid-until'),
          fact('Created', timeEl(quote.created_at)),
          fact('Sent', quote.sent_at ? timeEl(quote.sent_at) : null, 'quote-sent-at')))].filter(Boolean));
  }

  function outcomePanel(quote) {
    if (quote.status === 'accepted') {
      const hint = h('div', { class: 'panel panel-ok', id: 'quote-accepted-hint', testid: 'quote-accepted-hint' },
        h('div', { class: 'panel-body' },
          h('p', null, 'Accepted by ', h('strong', { testid: 'quote-accepted-by' }, quote.accepted_by || '-'), ' ', timeEl(quote.accepted_at), '.'),
          h('p', { testid: 'console-hint' }, 'The workflow is now running (payment, license, provisioning): see the operator console.')));
      config().then(({ consoleUrl }) => {
        const href = consoleHref(consoleUrl, quote.id);
        if (!href || !view.alive) return;
        hint.querySelector('[data-testid="console-hint"]').append(' ', h('a', {
          href, target: '_blank', rel: 'noopener noreferrer', id: 'console-link', testid: 'console-link',
          title: 'The executions of this quote in the operator console (sign in there with your token)',
        }, 'Open the operator console \u2197'));
      });
      return hint;
    }
    if (quote.status === 'rejected') {
      return h('div', { class: 'panel panel-warn', testid: 'quote-rejected' }, h('div', { class: 'panel-body' },
        h('p', null, 'Rejected ', timeEl(quote.rejected_at), ':'),
        h('p', { class: 'notes', testid: 'quote-rejection-reason' }, quote.rejection_reason || '')));
    }
    if (quote.status === 'expired') {
      return h('div', { class: 'panel panel-warn', testid: 'quote-expired' }, h('div', { class: 'panel-body' },
        `Expired: it was valid until ${quote.valid_until}. Generate a new quote from the lead.`));
    }
    return null;
  }

  async function transition(button, quote, action) {
    const amount = `${quote.currency} ${formatAmount(quote.total_amount)}`;
    const asked = await confirmAction({
      send: {
        title: `Send quote ${quote.quote_number}?`,
        message: `The quote (${amount}) is marked as sent to ${quote.customer_email}; it can then be accepted or rejected until ${quote.valid_until}.`,
        ok: 'Send',
      },
      accept: {
        title: `Accept quote ${quote.quote_number}?`,
        message: `${quote.company_name} accepts ${amount} (${quote.billing_cycle}). The lead is converted and the workflow that takes `
          + 'payment, issues the license and provisions the tenant starts. This cannot be undone.',
        ok: 'Accept quote',
      },
      reject: {
        title: `Reject quote ${quote.quote_number}?`,
        message: `Record that ${quote.company_name} declined ${amount}. This cannot be undone.`,
        ok: 'Reject quote',
        danger: true,
        reason: true,
      },
    }[action]);
    if (!asked.ok || !view.alive) return;
    hideError();
    const body = action === 'accept' ? {} : action === 'reject' ? { reason: asked.reason } : undefined;
    let changed;
    try {
      changed = await mutate(button, `${action} ${quote.id}`, 'POST', `/quotes/${encodeURIComponent(quote.id)}/${action}`, body);
    } catch (e) {
      if (!view.alive) return;
      showError(e);
      // The quote may have moved on (expired, accepted elsewhere): show it as it is now.
      if (e instanceof ApiError && e.status === 409) load();
      return;
    }
    if (!view.alive) return;
    notify({
      send: `Quote ${changed.quote_number} is sent.`,
      accept: `Quote ${changed.quote_number} is accepted. The workflow is now running: see the operator console.`,
      reject: `Quote ${changed.quote_number} is rejected.`,
    }[action]);
    render(changed);
  }

  load();
  return view;
}

/* ------------------------------------------------------------------ start */

config();
start({
  tokenKey: 'controlplane.crm.token',
  apiRoot: API_ROOT,
  service: 'crm-service',
  home: '#/leads',
  // A call every role may make, and that needs the tenant.
  probe: () => api('GET', '/leads', { params: { size: 1 } }),
  view,
  parse: parseExact,
});
