/*
 * Operator console of the workflow-service, served at /console/. A plain ES module: no build, no
 * libraries, no external assets; what it shares with the other services' pages (sign-in, API
 * calls, notices, confirmation, routing) comes from ../_pages/common.js.
 *
 * It holds no data of its own. Every view reads the workflow API (/api/v1/workflows/...) with the
 * Bearer token the operator pasted at sign-in (kept in this tab's sessionStorage), so the API's
 * tenant scoping and roles decide what is shown and what may be done. Server data is put into the
 * page only as text (text nodes, textContent, setAttribute), never parsed as HTML.
 *
 * Routes (location.hash):
 *   #/executions[?status=&workflow_name=&key=&trigger_type=&from=&to=&limit=&cursor=]
 *   #/executions/<id>
 *   #/workflows[?all_versions=true]
 *   #/workflows/<name>[?version=]
 */

import {
  $, api, confirmAction, fact, formatDuration, formatTime, h, hashFor, hideError, navigate, newView,
  notify, pad, roleHint, roles, showError, SignedOut, start, statusBadge, timeEl,
} from '../_pages/common.js';

const REFRESH_MS = 2000;
// Spelt as the API spells them (the product's original guide): lowercase.
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];
const TRIGGER_TYPES = ['manual', 'event', 'scheduled'];
const PAGE_SIZES = ['25', '50', '100', '200'];
// Relative to the page, so that the console also works behind a proxy that mounts the service under a prefix.
const API_ROOT = new URL('../api/v1/workflows', document.baseURI).href;

/* ------------------------------------------------------------------ formatting */

function since(iso) {
  return Date.now() - Date.parse(iso);
}

function agoEl(iso, prefix = '', suffix = ' ago') {
  return h('span', { class: 'muted nowrap', 'data-since': iso, 'data-prefix': prefix, 'data-suffix': suffix },
    prefix + formatDuration(since(iso)) + suffix);
}

function refreshRelative(root) {
  for (const el of root.querySelectorAll('[data-since]')) {
    el.textContent = el.dataset.prefix + formatDuration(since(el.dataset.since)) + el.dataset.suffix;
  }
}

function isOverdue(summary) {
  return summary.status === 'waiting' && !!summary.wait_until && Date.parse(summary.wait_until) < Date.now();
}

/** datetime-local value (browser time) from an ISO instant, and back. */
function toLocalInput(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/* ------------------------------------------------------------------ JSON blocks */

const JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Pretty JSON, coloured with spans whose text is set as text: nothing in it is parsed as markup. */
function jsonPre(value) {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  const pre = h('pre', { class: 'json-body' });
  let last = 0;
  for (const match of text.matchAll(JSON_TOKEN)) {
    if (match.index > last) pre.append(text.slice(last, match.index));
    if (match[1] !== undefined) {
      pre.append(h('span', { class: match[2] ? 'j-key' : 'j-string' }, match[1]));
      if (match[2]) pre.append(match[2]);
    } else if (match[3] !== undefined) {
      pre.append(h('span', { class: 'j-literal' }, match[3]));
    } else {
      pre.append(h('span', { class: 'j-number' }, match[4]));
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) pre.append(text.slice(last));
  return pre;
}

function describeJson(value) {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const n = Object.keys(value).length;
    return `${n} key${n === 1 ? '' : 's'}`;
  }
  return typeof value;
}

/**
 * A collapsible JSON block. `openKeys` (a Set) remembers which blocks the operator opened, so that
 * an automatic refresh of the page keeps them open.
 */
function jsonBlock(label, value, { testid, openKey, openKeys, open } = {}) {
  const details = h('details', { class: 'json', testid, 'data-open-key': openKey });
  const copy = h('button', {
    type: 'button', class: 'btn btn-link', title: 'Copy as JSON',
    onclick: (event) => {
      event.preventDefault();
      copyText(JSON.stringify(value, null, 2));
    },
  }, 'copy');
  details.append(h('summary', null, h('span', { class: 'json-label' }, label),
    h('span', null, describeJson(value)), copy));
  details.append(jsonPre(value));
  details.open = openKeys && openKey ? openKeys.has(openKey) || (open && !openKeys.has(`closed:${openKey}`)) : !!open;
  if (openKeys && openKey) {
    details.addEventListener('toggle', () => {
      if (details.open) {
        openKeys.add(openKey);
        openKeys.delete(`closed:${openKey}`);
      } else {
        openKeys.delete(openKey);
        openKeys.add(`closed:${openKey}`);
      }
    });
  }
  return details;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    notify('Copied to the clipboard.');
  } catch (e) {
    notify('The browser did not allow copying here.');
  }
}

/* ------------------------------------------------------------------ routing */

function executionHref(id) {
  return `#/executions/${encodeURIComponent(id)}`;
}

function workflowHref(name, version) {
  return hashFor(`/workflows/${encodeURIComponent(name)}`, { version });
}

function view(parts, query, main) {
  for (const link of document.querySelectorAll('.nav a')) {
    link.classList.toggle('active', link.id === `nav-${parts[0]}`);
  }
  if (parts[0] === 'executions' && parts.length === 1) return executionsView(main, query);
  if (parts[0] === 'executions' && parts.length === 2) return executionView(main, parts[1]);
  if (parts[0] === 'workflows' && parts.length === 1) return workflowsView(main, query);
  if (parts[0] === 'workflows' && parts.length === 2) return workflowView(main, parts[1], query);
  return null;
}

/* ------------------------------------------------------------------ executions list */

// The cursors of the pages before the current one, so that "Newer" goes back; per filter.
const pageTrail = { filter: null, cursors: [] };

function executionsView(main, query) {
  const view = newView();
  const filter = {
    // Lowercase as the API spells it; a link from before (status=FAILED) still selects its status.
    status: (query.get('status') || '').toLowerCase(),
    workflow_name: query.get('workflow_name') || '',
    key: query.get('key') || '',
    trigger_type: query.get('trigger_type') || '',
    from: query.get('from') || '',
    to: query.get('to') || '',
    limit: query.get('limit') || '50',
  };
  const cursor = query.get('cursor') || '';
  const filterId = JSON.stringify(filter);
  if (pageTrail.filter !== filterId || !cursor) {
    pageTrail.filter = filterId;
    pageTrail.cursors = [];
  }
  const go = (changes, nextCursor) => {
    const next = { ...filter, ...changes, cursor: nextCursor || '' };
    if (next.limit === '50') next.limit = '';
    navigate(hashFor('/executions', next));
  };

  const statusSelect = h('select', { name: 'status', id: 'filter-status', testid: 'filter-status' },
    h('option', { value: '' }, 'Any status'), STATUSES.map((s) => h('option', { value: s }, s)));
  statusSelect.value = filter.status;
  const workflowInput = h('input', {
    name: 'workflow_name', id: 'filter-workflow', testid: 'filter-workflow', list: 'workflow-names',
    placeholder: 'any workflow', autocomplete: 'off', value: filter.workflow_name,
  });
  const names = h('datalist', { id: 'workflow-names' });
  const keyInput = h('input', {
    name: 'key', id: 'filter-key', testid: 'filter-key', type: 'search', autocomplete: 'off', value: filter.key,
    placeholder: 'quote / lead / order id, customer email', title: 'A business key: matched without case against the '
      + 'execution\'s inputs and the ids, numbers and emails of the results in its context',
  });
  const triggerSelect = h('select', { name: 'trigger_type', id: 'filter-trigger', testid: 'filter-trigger' },
    h('option', { value: '' }, 'Any trigger'), TRIGGER_TYPES.map((t) => h('option', { value: t }, t)));
  triggerSelect.value = filter.trigger_type;
  const fromInput = h('input', { name: 'from', id: 'filter-from', testid: 'filter-from', type: 'datetime-local', value: toLocalInput(filter.from) });
  const toInput = h('input', { name: 'to', id: 'filter-to', testid: 'filter-to', type: 'datetime-local', value: toLocalInput(filter.to) });
  const limitSelect = h('select', { name: 'limit', id: 'filter-limit', testid: 'filter-limit' }, PAGE_SIZES.map((n) => h('option', { value: n }, n)));
  limitSelect.value = PAGE_SIZES.includes(filter.limit) ? filter.limit : '50';

  const field = (label, control) => h('label', null, label, control);
  const form = h('form', {
    class: 'filters', id: 'executions-filters', testid: 'executions-filters', autocomplete: 'off',
    onsubmit: (event) => {
      event.preventDefault();
      go({
        status: statusSelect.value, workflow_name: workflowInput.value.trim(), key: keyInput.value.trim(),
        trigger_type: triggerSelect.value, from: fromInput.value ? fromLocalInput(fromInput.value) : '',
        to: toInput.value ? fromLocalInput(toInput.value) : '', limit: limitSelect.value,
      });
    },
  },
  field('Status', statusSelect), field('Workflow', workflowInput), names, field('Business key', keyInput),
  field('Trigger', triggerSelect), field('Created from', fromInput), field('Created before', toInput),
  field('Per page', limitSelect),
  h('div', { class: 'filter-actions' },
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'filter-apply', testid: 'filter-apply' }, 'Apply'),
    h('button', {
      type: 'button', class: 'btn', id: 'filter-reset', testid: 'filter-reset',
      onclick: () => navigate('#/executions'),
    }, 'Reset')));

  const count = h('span', { class: 'muted', id: 'executions-count', testid: 'executions-count' });
  const body = h('div', { class: 'table-wrap', id: 'executions-body' }, h('div', { class: 'loading' }, 'Loading executions...'));
  const newer = h('button', {
    type: 'button', class: 'btn btn-small', id: 'page-prev', testid: 'page-prev', disabled: !cursor,
    onclick: () => {
      const previous = pageTrail.cursors.pop();
      go({}, previous || undefined);
    },
  }, '\u2039 Newer');
  const older = h('button', { type: 'button', class: 'btn btn-small', id: 'page-next', testid: 'page-next', disabled: true }, 'Older \u203a');
  const newest = h('button', {
    type: 'button', class: 'btn btn-small', id: 'page-first', testid: 'page-first', disabled: !cursor,
    onclick: () => go({}),
  }, 'Newest');

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Executions'), h('div', { class: 'muted' }, 'Newest first, in your tenant. Failed rows are red; waiting ones say for how long.')),
      h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', id: 'executions-refresh', testid: 'executions-refresh', onclick: () => load() }, 'Refresh')),
    h('div', { class: 'panel' }, form),
    h('div', { class: 'panel' },
      h('div', { class: 'panel-head' }, count, h('span', { class: 'spacer' })),
      body,
      h('div', { class: 'pager' }, newest, newer, h('span', { class: 'spacer' }), older)));

  const chipFilter = (value) => go({ key: String(value) });

  async function load() {
    let page;
    try {
      page = await api('GET', '/executions', { params: { ...filter, cursor } });
    } catch (e) {
      if (!view.alive) return;
      showError(e);
      body.replaceChildren(h('div', { class: 'empty', testid: 'executions-error' }, 'The executions could not be read.'));
      return;
    }
    if (!view.alive) return;
    const items = page.items || [];
    count.textContent = items.length
      ? `${items.length} execution${items.length === 1 ? '' : 's'}${cursor ? ' (older page)' : ''}${page.next_cursor ? ', more below' : ''}`
      : '';
    older.disabled = !page.next_cursor;
    older.onclick = page.next_cursor ? () => {
      pageTrail.cursors.push(cursor);
      go({}, page.next_cursor);
    } : null;
    if (!items.length) {
      body.replaceChildren(h('div', { class: 'empty', id: 'executions-empty', testid: 'executions-empty' },
        cursor ? 'No older executions.' : 'No executions match these filters.'));
      return;
    }
    body.replaceChildren(h('table', { class: 'data', id: 'executions-table', testid: 'executions-table' },
      h('thead', null, h('tr', null, ['Status', 'Workflow', 'Business keys', 'Where it is', 'Created', 'Took', 'Trigger', 'Id']
        .map((t) => h('th', null, t)))),
      h('tbody', null, items.map((x) => executionRow(x, chipFilter)))));
  }

  load();
  // The names for the workflow filter: every version the tenant sees, once per name.
  api('GET', '', { params: { all_versions: 'true' } }).then((versions) => {
    if (!view.alive) return;
    for (const name of [...new Set((versions || []).map((v) => v.name))]) names.append(h('option', { value: name }));
  }).catch(() => { /* the filter still takes any name typed */ });
  return view;
}

function keyChips(keys, onPick, linkMode) {
  const entries = Object.entries(keys || {});
  if (!entries.length) return h('span', { class: 'muted' }, '-');
  return entries.map(([name, value]) => {
    const content = [h('span', { class: 'chip-key' }, `${name}:`), String(value)];
    const title = `${name}: ${value} - show the executions with this key`;
    if (linkMode) {
      return h('a', { class: 'chip', testid: 'key-chip', 'data-key': name, 'data-value': String(value), title,
        href: hashFor('/executions', { key: String(value) }) }, content);
    }
    return h('button', {
      type: 'button', class: 'chip', testid: 'key-chip', 'data-key': name, 'data-value': String(value), title,
      onclick: (event) => {
        event.stopPropagation();
        onPick(value);
      },
    }, content);
  });
}

function whereItIs(x) {
  if (x.status === 'failed') {
    return h('div', { class: 'cell-error', title: x.error_message || '', testid: 'execution-row-error' }, x.error_message || 'failed');
  }
  if (x.status === 'waiting') {
    const overdue = isOverdue(x);
    return h('div', { class: 'waiting-note', testid: 'waiting-for' },
      x.waiting_since ? agoEl(x.waiting_since, 'waiting ', '') : 'waiting',
      x.wait_event ? ` for ${x.wait_event}` : '',
      overdue ? h('span', { class: 'badge badge-overdue', testid: 'overdue', title: `deadline ${formatTime(x.wait_until)}` }, 'overdue')
        : x.wait_until ? h('span', { class: 'muted' }, ` until ${formatTime(x.wait_until)}`) : '');
  }
  if (x.status === 'running' || x.status === 'pending') {
    return h('span', null, `at step ${x.current_step + 1}${x.run_number > 1 ? `, run ${x.run_number}` : ''}`);
  }
  if (x.status === 'cancelled') return h('span', { class: 'muted' }, x.error_message || 'cancelled');
  return h('span', { class: 'muted' }, x.run_number > 1 ? `done on run ${x.run_number}` : 'done');
}

function executionRow(x, onChip) {
  const overdue = isOverdue(x);
  const href = executionHref(x.id);
  const took = x.started_at ? (x.completed_at ? Date.parse(x.completed_at) : Date.now()) - Date.parse(x.started_at) : null;
  return h('tr', {
    class: ['clickable', `row-${x.status}`, overdue && 'row-overdue'],
    testid: 'execution-row', 'data-execution-id': x.id, 'data-status': x.status, 'data-overdue': overdue ? 'true' : null,
    onclick: (event) => {
      if (event.target.closest('a, button') || window.getSelection().toString()) return;
      location.hash = href;
    },
  },
  h('td', null, statusBadge(x.status, 'execution-row-status')),
  h('td', null, h('a', { href: workflowHref(x.workflow_name), title: 'The workflow' }, x.workflow_name), ' ',
    h('span', { class: 'muted' }, x.workflow_version)),
  h('td', null, keyChips(x.business_keys, onChip)),
  h('td', null, whereItIs(x)),
  h('td', { class: 'nowrap' }, timeEl(x.created_at), h('div', null, agoEl(x.created_at))),
  h('td', { class: 'num nowrap' }, took === null ? '' : formatDuration(took)),
  h('td', null, x.trigger_type),
  h('td', { class: 'cell-id' }, h('a', { href, testid: 'execution-link', title: x.id }, x.id.slice(0, 8))));
}

/* ------------------------------------------------------------------ one execution */

function executionView(main, id) {
  const view = {
    alive: true,
    timer: null,
    paused: false,
    status: null,
    detail: null,
    lastJson: null,
    openKeys: new Set(),
    definitions: new Map(),
    refreshFailed: false,
    dispose() {
      this.alive = false;
      clearTimeout(this.timer);
    },
  };

  const title = h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / ', h('span', { class: 'mono' }, id)),
    h('h1', { id: 'execution-title' }, 'Execution'));
  const statusHolder = h('span', null);
  const retry = h('button', { type: 'button', class: 'btn', id: 'execution-retry', testid: 'execution-retry', disabled: true, onclick: () => act('retry') }, 'Retry');
  const compensate = h('button', { type: 'button', class: 'btn', id: 'execution-compensate', testid: 'execution-compensate', disabled: true, onclick: () => act('compensate') }, 'Compensate');
  const cancel = h('button', { type: 'button', class: 'btn btn-danger', id: 'execution-cancel', testid: 'execution-cancel', disabled: true, onclick: () => act('cancel') }, 'Cancel');
  const refreshNote = h('span', { class: 'refresh-note', id: 'auto-refresh', testid: 'auto-refresh', 'data-active': 'false' }, h('span', { class: 'dot' }), h('span', null, ''));
  const pause = h('button', {
    type: 'button', class: 'btn btn-small', id: 'auto-refresh-toggle', testid: 'auto-refresh-toggle', hidden: true,
    onclick: () => {
      view.paused = !view.paused;
      if (view.paused) {
        clearTimeout(view.timer);
      } else {
        load();
      }
      updateRefreshNote();
    },
  }, 'Pause');
  const content = h('div', { id: 'execution-content' }, h('div', { class: 'loading' }, 'Loading the execution...'));
  main.append(h('div', { class: 'page-head' }, title, statusHolder, h('div', { class: 'spacer' }),
    h('div', { class: 'exec-actions' }, refreshNote, pause, retry, compensate, cancel)), content);

  function updateRefreshNote() {
    const running = view.status && !TERMINAL.has(view.status);
    const active = running && !view.paused;
    refreshNote.dataset.active = String(!!active);
    refreshNote.lastChild.textContent = !view.status ? '' : !running ? 'Finished: not refreshing'
      : view.paused ? 'Refresh paused' : `Refreshing every ${REFRESH_MS / 1000} s`;
    pause.hidden = !running;
    pause.textContent = view.paused ? 'Resume' : 'Pause';
  }

  function schedule() {
    clearTimeout(view.timer);
    if (view.alive && view.status && !TERMINAL.has(view.status) && !view.paused) {
      view.timer = setTimeout(load, REFRESH_MS);
    }
    updateRefreshNote();
  }

  async function definitionOf(summary) {
    const key = `${summary.workflow_name}@${summary.workflow_version}`;
    if (!view.definitions.has(key)) {
      view.definitions.set(key, api('GET', `/${encodeURIComponent(summary.workflow_name)}`, { params: { version: summary.workflow_version } })
        .then((w) => w.definition).catch(() => null));
    }
    return view.definitions.get(key);
  }

  async function load() {
    clearTimeout(view.timer);
    if (document.hidden && view.lastJson) {
      // Nobody looks: check again later instead of polling a hidden tab.
      schedule();
      return;
    }
    let detail;
    try {
      detail = await api('GET', `/executions/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!view.alive || e instanceof SignedOut) return;
      showError(e);
      if (e.status === 404 || e.status === 403) {
        content.replaceChildren(h('div', { class: 'empty', testid: 'execution-missing' },
          e.status === 404 ? 'There is no such execution in your tenant.' : 'Your token may not read executions.'));
        view.status = null;
        updateRefreshNote();
        return;
      }
      view.refreshFailed = true;
      schedule();
      return;
    }
    if (!view.alive) return;
    if (view.refreshFailed) {
      hideError();
      view.refreshFailed = false;
    }
    const definition = await definitionOf(detail);
    if (!view.alive) return;
    view.status = detail.status;
    view.detail = detail;
    const json = JSON.stringify(detail);
    if (json !== view.lastJson || !content.querySelector('#execution-steps')) {
      view.lastJson = json;
      render(detail, definition);
    } else {
      refreshRelative(main);
    }
    schedule();
  }

  function render(detail, definition) {
    // The execution's own fields are at the top level of the detail, beside context, result and steps.
    const x = detail;
    const title = main.querySelector('#execution-title');
    title.replaceChildren(h('a', { href: workflowHref(x.workflow_name, x.workflow_version) }, x.workflow_name), ' ',
      h('span', { class: 'muted' }, x.workflow_version));
    statusHolder.replaceChildren(statusBadge(x.status, 'execution-status', true),
      isOverdue(x) ? h('span', { class: 'badge badge-overdue', testid: 'overdue' }, 'overdue') : '');
    const operatorHint = roleHint('operator');
    // What a compensated execution did is undone: it cannot be resumed, nor stopped while undoing.
    retry.disabled = x.status !== 'failed' || x.compensated || !!operatorHint;
    retry.title = operatorHint || (x.status !== 'failed' ? 'Only a failed execution can be retried'
      : x.compensated ? 'What it did was undone: start a new execution' : 'Resume from the failed step as a new run');
    const undoable = (Array.isArray(definition?.steps) ? definition.steps : []).some((s, i) => s.compensate
      && (detail.steps || []).some((r) => r.sequence_number === i && r.status === 'completed'));
    compensate.disabled = x.status !== 'failed' || !undoable || !!operatorHint;
    compensate.title = operatorHint || (x.status !== 'failed' ? 'Only a failed execution can be compensated'
      : undoable ? 'Undo its completed steps, latest first, as a new run' : 'None of its completed steps has a compensate');
    cancel.disabled = TERMINAL.has(x.status) || x.compensated || !!operatorHint;
    cancel.title = operatorHint || (TERMINAL.has(x.status) ? 'The execution has finished'
      : x.compensated ? 'It is undoing what it did: that is not stopped half-way' : 'Stop it before its next step');

    const took = x.started_at ? (x.completed_at ? Date.parse(x.completed_at) : Date.now()) - Date.parse(x.started_at) : null;
    const facts = h('div', { class: 'panel' }, h('div', { class: 'grid-facts' },
      fact('Execution', h('span', { class: 'mono' }, x.id), 'execution-id'),
      fact('Workflow', [h('a', { href: workflowHref(x.workflow_name, x.workflow_version) }, x.workflow_name), ` ${x.workflow_version}`], 'execution-workflow'),
      fact('Trigger', [x.trigger_type, x.trigger_source ? h('span', { class: 'muted' }, ` (${x.trigger_source})`) : ''], 'execution-trigger'),
      fact('Run', String(x.run_number), 'execution-run'),
      fact('Created', timeEl(x.created_at), 'execution-created'),
      fact('Started', timeEl(x.started_at), 'execution-started'),
      fact('Finished', timeEl(x.completed_at), 'execution-completed'),
      fact(x.completed_at ? 'Took' : 'Running for', took === null ? '-' : x.completed_at ? formatDuration(took)
        : agoEl(x.started_at, '', ''), 'execution-duration'),
      x.next_wake_at && !TERMINAL.has(x.status) ? fact('Next check', timeEl(x.next_wake_at), 'execution-next-check') : null,
      fact('Business keys', keyChips(x.business_keys, null, true), 'execution-keys')));

    const parts = [facts];
    if (x.error_message && x.status !== 'completed') {
      parts.push(h('div', { class: 'panel', id: 'execution-error-panel' },
        h('div', { class: 'panel-head' }, h('h2', null, x.status === 'cancelled' ? 'Why it stopped' : 'Error')),
        h('pre', { class: 'error-box', id: 'execution-error', testid: 'execution-error' }, x.error_message)));
    }
    const steps = detail.steps || [];
    const defSteps = Array.isArray(definition?.steps) ? definition.steps : [];
    if (x.status === 'waiting') parts.push(waitingPanel(x, steps, defSteps));
    parts.push(stepsPanel(x, steps, defSteps));
    parts.push(h('div', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, 'Data')),
      h('div', { class: 'panel-body step-extra' },
        jsonBlock('Context', detail.context, { testid: 'execution-context', openKey: 'context', openKeys: view.openKeys }),
        detail.result !== null && detail.result !== undefined
          ? jsonBlock('Result', detail.result, { testid: 'execution-result', openKey: 'result', openKeys: view.openKeys }) : null,
        definition ? jsonBlock(`Definition ${x.workflow_version}`, definition, { testid: 'execution-definition', openKey: 'definition', openKeys: view.openKeys }) : null)));
    content.replaceChildren(...parts);
  }

  function waitingPanel(x, steps, defSteps) {
    const current = steps.filter((s) => s.run_number === x.run_number && s.sequence_number === x.current_step)[0];
    const def = defSteps[x.current_step] || {};
    const overdue = isOverdue(x);
    const row = (label, value, testid) => [h('dt', null, label), h('dd', { testid }, value)];
    return h('div', { class: 'panel', id: 'execution-waiting', testid: 'execution-waiting' },
      h('div', { class: 'panel-head' }, h('h2', null, 'Waiting'), overdue ? h('span', { class: 'badge badge-overdue' }, 'overdue') : null),
      h('div', { class: 'waiting-box' }, h('dl', null,
        row('Step', current?.step_name || def.name || `#${x.current_step + 1}`, 'waiting-step'),
        def.condition ? row('Until', h('code', null, def.condition), 'waiting-condition') : null,
        row('Woken by', x.wait_event ? [h('code', null, x.wait_event), ' with key ', h('code', null, x.wait_key ?? '')]
          : 'its periodic check only', 'waiting-event'),
        def.refresh?.service ? row('Rechecks with', h('code', null, `${def.refresh.service}.${def.refresh.method}`), 'waiting-refresh') : null,
        row('Since', x.waiting_since ? [timeEl(x.waiting_since), ' ', agoEl(x.waiting_since, '(', ')')] : '-', 'waiting-since'),
        row('Deadline', x.wait_until ? [timeEl(x.wait_until), ' ',
          h('span', { class: overdue ? 'badge badge-overdue' : 'muted' }, overdue
            ? `overdue by ${formatDuration(since(x.wait_until))}` : `in ${formatDuration(-since(x.wait_until))}`)]
          : 'none', 'waiting-deadline'),
        row('Next check', timeEl(x.next_wake_at), 'waiting-next-check'))));
  }

  function stepsPanel(x, steps, defSteps) {
    const runs = [...new Set(steps.map((s) => s.run_number))].sort((a, b) => a - b);
    const rows = [];
    for (const run of runs) {
      if (runs.length > 1) {
        rows.push(h('tr', { class: 'run-head', testid: 'run-head', 'data-run': run },
          h('td', { colspan: 8 }, `Run ${run}${run === x.run_number ? ' (current)' : ''}`)));
      }
      for (const step of steps.filter((s) => s.run_number === run)) {
        rows.push(...stepRows(x, step, defSteps[step.sequence_number]));
      }
    }
    // The steps the current run has not reached, from the definition: what is still to come (or never came).
    const reached = steps.filter((s) => s.run_number === x.run_number).map((s) => s.sequence_number);
    const last = reached.length ? Math.max(...reached) : -1;
    defSteps.forEach((def, index) => {
      if (index <= last) return;
      rows.push(h('tr', { class: 'step-planned', testid: 'step-planned', 'data-step-name': def.name },
        h('td', { class: 'num' }, String(index + 1)),
        h('td', null, h('span', { class: 'step-name' }, def.name), ' ', stepKind(def)),
        h('td', null, statusBadge('not_started')),
        h('td', { colspan: 5, class: 'muted' }, TERMINAL.has(x.status) ? 'not run' : 'not started yet')));
    });
    return h('div', { class: 'panel', id: 'execution-steps', testid: 'execution-steps' },
      h('div', { class: 'panel-head' }, h('h2', null, 'Steps'), h('span', { class: 'muted' }, `${steps.length} recorded`)),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['#', 'Step', 'Status', 'Retries', 'Started', 'Finished', 'Took', ''].map((t) => h('th', null, t)))),
        h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 8, class: 'empty' }, 'No step has started yet.'))))));
  }

  function stepKind(def) {
    if (!def) return null;
    const what = def.type === 'service_call' && def.service ? `${def.service}.${def.method}`
      : def.type === 'condition' && def.condition ? def.condition : def.type;
    return h('span', { class: 'step-type', title: def.type }, what);
  }

  function stepRows(x, step, def) {
    const key = `${step.run_number}:${step.sequence_number}`;
    const stepOverdue = step.status === 'waiting' && step.wait_until && Date.parse(step.wait_until) < Date.now();
    const row = h('tr', {
      class: ['step-row', step.status === 'failed' && 'row-failed', step.status === 'waiting' && 'row-waiting', stepOverdue && 'row-overdue'],
      testid: 'step-row', 'data-step-name': step.step_name, 'data-status': step.status, 'data-run': step.run_number,
      'data-sequence': step.sequence_number,
    },
    h('td', { class: 'num' }, String(step.sequence_number + 1)),
    h('td', null, h('span', { class: 'step-name' }, step.step_name), ' ', stepKind(def) || h('span', { class: 'step-type' }, step.step_type)),
    h('td', null, statusBadge(step.status, 'step-status')),
    h('td', { class: 'num', testid: 'step-retries', title: 'Attempts after the first' }, String(step.retry_count ?? 0)),
    h('td', { class: 'nowrap' }, timeEl(step.started_at)),
    h('td', { class: 'nowrap' }, timeEl(step.completed_at)),
    h('td', { class: 'num nowrap', testid: 'step-duration' }, step.duration_ms !== null && step.duration_ms !== undefined
      ? formatDuration(step.duration_ms)
      : step.started_at && !step.completed_at ? agoEl(step.started_at, '', '') : ''),
    h('td', null, def && def.critical === false ? h('span', { class: 'badge', title: 'A failure does not stop the execution' }, 'non-critical') : ''));
    const extra = [];
    if (step.error_message) {
      extra.push(h('pre', { class: 'step-error', testid: 'step-error' },
        step.status === 'failed' ? step.error_message : `last attempt failed: ${step.error_message}`));
    }
    if (step.status === 'waiting') {
      extra.push(h('div', { class: 'step-waiting', testid: 'step-waiting' },
        'waiting', def?.condition ? [' until ', h('code', null, def.condition)] : '',
        x.wait_event ? [' (woken by ', h('code', null, x.wait_event), ` ${x.wait_key ?? ''})`] : '',
        step.wait_until ? [', deadline ', timeEl(step.wait_until), stepOverdue ? h('span', { class: 'badge badge-overdue' }, 'overdue') : ''] : ''));
    }
    if (step.input_data !== null && step.input_data !== undefined) {
      extra.push(jsonBlock('Input', step.input_data, { testid: 'step-input', openKey: `${key}:input`, openKeys: view.openKeys }));
    }
    if (step.output_data !== null && step.output_data !== undefined) {
      extra.push(jsonBlock('Output', step.output_data, { testid: 'step-output', openKey: `${key}:output`, openKeys: view.openKeys }));
    }
    if (!extra.length) return [row];
    return [row, h('tr', { class: 'step-detail', 'data-step-name': step.step_name, 'data-run': step.run_number },
      h('td', null), h('td', { colspan: 7 }, h('div', { class: 'step-extra' }, extra)))];
  }

  async function act(kind) {
    if (!view.detail) return;
    const x = view.detail;
    const failedStep = (view.detail.steps || []).filter((s) => s.run_number === x.run_number && s.status === 'failed').pop();
    const { ok } = await confirmAction(kind === 'retry' ? {
      title: 'Retry this execution?',
      message: `${x.workflow_name} ${x.workflow_version} (${x.id}) resumes from its failed step`
        + `${failedStep ? ` '${failedStep.step_name}'` : ''} as run ${x.run_number + 1}. The steps that completed are not run again; `
        + 'the earlier run stays recorded.',
      ok: 'Retry',
      danger: true,
    } : kind === 'compensate' ? {
      title: 'Undo what this execution did?',
      message: `${x.workflow_name} ${x.workflow_version} (${x.id}) undoes, as run ${x.run_number + 1}, each step it completed `
        + 'that has a compensate, latest first (an order cancelled, licenses revoked, a payment refunded...). '
        + 'It cannot be retried afterwards.',
      ok: 'Compensate',
      danger: true,
    } : {
      title: 'Cancel this execution?',
      message: `${x.workflow_name} ${x.workflow_version} (${x.id}) stops before its next step (a waiting one at once). `
        + 'A cancelled execution cannot be resumed or retried.',
      ok: 'Cancel execution',
      danger: true,
    });
    if (!ok || !view.alive) return;
    retry.disabled = true;
    compensate.disabled = true;
    cancel.disabled = true;
    try {
      const answer = await api('POST', `/executions/${encodeURIComponent(id)}/${kind}`);
      notify(kind === 'retry' ? `Retry started: run ${x.run_number + 1} of the execution.`
        : kind === 'compensate' ? `Compensation started: run ${x.run_number + 1} undoes the completed steps.`
        : answer?.status === 'cancelled' ? 'The execution is cancelled.' : 'Cancel requested: it stops before its next step.');
    } catch (e) {
      if (!view.alive) return;
      showError(e);
    }
    view.lastJson = null;
    view.paused = false;
    if (view.alive) load();
  }

  load();
  return view;
}

/* ------------------------------------------------------------------ workflows */

function workflowsView(main, query) {
  const view = newView();
  const allVersions = query.get('all_versions') === 'true';
  const toggle = h('input', {
    type: 'checkbox', id: 'workflows-all-versions', testid: 'workflows-all-versions', checked: allVersions,
    onchange: () => { location.hash = hashFor('/workflows', { all_versions: toggle.checked ? 'true' : '' }); },
  });
  const body = h('div', { class: 'table-wrap' }, h('div', { class: 'loading' }, 'Loading workflows...'));
  main.append(h('div', { class: 'page-head' },
    h('div', null, h('h1', null, 'Workflows'), h('div', { class: 'muted' },
      allVersions ? 'Every version your tenant sees: its own and the built-ins.'
        : 'The version that runs for each name: your tenant\'s own, else the built-in.')),
    h('div', { class: 'spacer' }),
    h('label', { class: 'nowrap' }, toggle, ' Show every version')),
  h('div', { class: 'panel' }, body));

  api('GET', '', { params: { all_versions: allVersions ? 'true' : '' } }).then((workflows) => {
    if (!view.alive) return;
    if (!workflows.length) {
      body.replaceChildren(h('div', { class: 'empty', testid: 'workflows-empty' }, 'No workflows.'));
      return;
    }
    body.replaceChildren(h('table', { class: 'data', id: 'workflows-table', testid: 'workflows-table' },
      h('thead', null, h('tr', null, ['Name', 'Version', 'State', 'Kind', 'Description', 'Tags', 'Stored', ''].map((t) => h('th', null, t)))),
      h('tbody', null, workflows.map((w) => h('tr', {
        class: 'clickable', testid: 'workflow-row', 'data-workflow-name': w.name, 'data-version': w.version,
        'data-active': String(w.is_active), 'data-builtin': String(w.builtin),
        onclick: (event) => {
          if (event.target.closest('a, button')) return;
          location.hash = workflowHref(w.name, allVersions ? w.version : undefined);
        },
      },
      h('td', null, h('a', { href: workflowHref(w.name, allVersions ? w.version : undefined), testid: 'workflow-link' }, w.name)),
      h('td', { class: 'mono' }, w.version),
      h('td', null, activeBadge(w.is_active)),
      h('td', null, kindBadge(w.builtin)),
      h('td', null, w.description || ''),
      h('td', null, (Array.isArray(w.tags) ? w.tags : []).map((t) => h('span', { class: 'badge' }, String(t))).flatMap((b) => [b, ' '])),
      h('td', { class: 'nowrap' }, timeEl(w.created_at)),
      h('td', null, h('a', { href: hashFor('/executions', { workflow_name: w.name }), testid: 'workflow-executions-link' }, 'executions')))))));
  }).catch((e) => {
    if (!view.alive) return;
    showError(e);
    body.replaceChildren(h('div', { class: 'empty' }, 'The workflows could not be read.'));
  });
  return view;
}

function activeBadge(active) {
  return h('span', { class: ['badge', active ? 'status-completed' : 'status-cancelled'], testid: 'version-state' }, active ? 'active' : 'inactive');
}

function kindBadge(builtin) {
  return builtin ? h('span', { class: 'badge badge-builtin', title: 'Shared by every tenant and read-only' }, 'built-in')
    : h('span', { class: 'badge' }, 'own');
}

function workflowView(main, name, query) {
  const view = newView();
  const chosen = query.get('version') || '';
  const versionsBody = h('div', { class: 'table-wrap' }, h('div', { class: 'loading' }, 'Loading versions...'));
  const definitionBody = h('div', { id: 'workflow-definition', testid: 'workflow-definition' }, h('div', { class: 'loading' }, 'Loading the definition...'));
  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/workflows' }, 'Workflows'), ' / ', name),
        h('h1', { id: 'workflow-title', testid: 'workflow-title' }, name)),
      h('div', { class: 'spacer' }),
      h('a', { class: 'btn', href: hashFor('/executions', { workflow_name: name }), id: 'workflow-executions', testid: 'workflow-executions-link' },
        'Executions of this workflow')),
    h('div', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', null, 'Versions')), versionsBody),
    h('div', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', { id: 'workflow-definition-title' }, 'Definition')),
      h('div', { class: 'panel-body' }, definitionBody)));

  async function load() {
    let versions;
    let selected;
    try {
      [versions, selected] = await Promise.all([
        api('GET', `/${encodeURIComponent(name)}/versions`),
        api('GET', `/${encodeURIComponent(name)}`, { params: { version: chosen } }),
      ]);
    } catch (e) {
      if (!view.alive) return;
      showError(e);
      versionsBody.replaceChildren(h('div', { class: 'empty', testid: 'workflow-missing' },
        e.status === 404 ? 'Your tenant has no such workflow (or version).' : 'The workflow could not be read.'));
      definitionBody.replaceChildren();
      return;
    }
    if (!view.alive) return;
    renderVersions(versions, selected);
    renderDefinition(selected);
  }

  function renderVersions(versions, selected) {
    const adminHint = roleHint('admin');
    // The version that runs: the tenant's own newest active one, else the built-in (the list's order).
    const running = versions.find((v) => v.is_active);
    const ownActive = versions.filter((v) => !v.builtin && v.is_active).length;
    versionsBody.replaceChildren(h('table', { class: 'data version-list', id: 'versions-table', testid: 'versions-table' },
      h('thead', null, h('tr', null, ['Version', 'State', 'Kind', 'Stored', 'Description', ''].map((t) => h('th', null, t)))),
      h('tbody', null, versions.map((v) => {
        const isSelected = v.version === selected.version && v.builtin === selected.builtin;
        const runs = v === running;
        // Activating an active version still helps when others are active too: it becomes the only one.
        const activateUseless = runs && ownActive <= 1;
        const readOnly = v.builtin ? 'Built in: shared by every tenant and read-only; store a version of your own to change what runs' : null;
        return h('tr', {
          class: [isSelected && 'selected'], testid: 'version-row', 'data-version': v.version,
          'data-active': String(v.is_active), 'data-builtin': String(v.builtin), 'data-selected': String(isSelected),
          'data-running': String(runs),
        },
        h('td', { class: 'mono' }, h('a', { href: workflowHref(name, v.version), testid: 'version-view' }, v.version)),
        h('td', { class: 'nowrap' }, activeBadge(v.is_active), runs ? [' ', h('span', {
          class: 'badge status-running', testid: 'version-runs', title: 'New executions of this workflow run this version',
        }, 'runs')] : ''),
        h('td', null, kindBadge(v.builtin)),
        h('td', { class: 'nowrap' }, timeEl(v.created_at)),
        h('td', null, v.description || ''),
        h('td', { class: 'nowrap' },
          h('button', {
            type: 'button', class: 'btn btn-small', testid: 'version-activate', 'data-version': v.version,
            disabled: v.builtin || activateUseless || !!adminHint,
            title: readOnly || adminHint || (activateUseless ? 'This version already runs' : 'Make this the only active version: the one that runs'),
            onclick: () => setActive(v, true),
          }, 'Activate'),
          h('button', {
            type: 'button', class: 'btn btn-small', testid: 'version-deactivate', 'data-version': v.version,
            disabled: v.builtin || !v.is_active || !!adminHint, title: readOnly || adminHint || (v.is_active ? 'Stop new executions of this version' : 'Not active'),
            onclick: () => setActive(v, false),
          }, 'Deactivate')));
      }))));
  }

  function renderDefinition(selected) {
    $('workflow-definition-title').textContent = `Definition ${selected.version}${selected.builtin ? ' (built-in)' : ''}`;
    const def = selected.definition || {};
    const steps = Array.isArray(def.steps) ? def.steps : [];
    definitionBody.replaceChildren(
      h('div', { class: 'grid-facts' },
        h('div', { class: 'fact' }, h('span', { class: 'label' }, 'Version'), h('span', { class: 'value mono', testid: 'definition-version' }, selected.version)),
        h('div', { class: 'fact' }, h('span', { class: 'label' }, 'State'), h('span', { class: 'value' }, activeBadge(selected.is_active))),
        h('div', { class: 'fact' }, h('span', { class: 'label' }, 'Inputs'), h('span', { class: 'value mono' }, Array.isArray(def.inputs) ? def.inputs.join(', ') : '-')),
        h('div', { class: 'fact' }, h('span', { class: 'label' }, 'Triggers'), h('span', { class: 'value mono' },
          Array.isArray(def.triggers) && def.triggers.length ? def.triggers.map((t) => t.event).join(', ') : '-')),
        def.schedule ? h('div', { class: 'fact' }, h('span', { class: 'label' }, 'Schedule'), h('span', { class: 'value mono' }, String(def.schedule.cron || ''))) : null),
      selected.description ? h('p', null, selected.description) : null,
      h('h3', null, 'Steps'),
      h('ol', { class: 'steps-outline', testid: 'definition-steps' }, steps.map((s) => h('li', null,
        h('span', { class: 'step-name' }, String(s.name)), ' ',
        h('span', { class: 'step-type' }, s.type === 'service_call' ? `${s.service}.${s.method}` : s.type === 'condition' ? `condition ${s.condition}` : String(s.type)),
        s.timeout_seconds ? h('span', { class: 'muted' }, ` (timeout ${formatDuration(s.timeout_seconds * 1000)})`) : '',
        s.critical === false ? h('span', { class: 'muted' }, ' non-critical') : ''))),
      h('div', { class: 'step-extra' },
        jsonBlock('JSON', def, { testid: 'workflow-json', open: true })));
  }

  async function setActive(v, active) {
    const { ok } = await confirmAction(active ? {
      title: `Activate ${name} ${v.version}?`,
      message: `New executions of ${name} in your tenant will run version ${v.version}; your other versions of it stop being started. `
        + 'Running executions keep the version they started with.',
      ok: 'Activate',
      danger: true,
    } : {
      title: `Deactivate ${name} ${v.version}?`,
      message: `New executions will not start version ${v.version} of ${name} (the built-in runs instead, if there is one). `
        + 'Running executions go on.',
      ok: 'Deactivate',
      danger: true,
    });
    if (!ok || !view.alive) return;
    try {
      await api('POST', `/${encodeURIComponent(name)}/${active ? 'activate' : 'deactivate'}`, { params: { version: v.version } });
      notify(`${name} ${v.version} is ${active ? 'active' : 'inactive'}.`);
    } catch (e) {
      if (!view.alive) return;
      showError(e);
    }
    if (view.alive) load();
  }

  load();
  return view;
}

/* ------------------------------------------------------------------ start */

start({
  tokenKey: 'controlplane.console.token',
  apiRoot: API_ROOT,
  service: 'workflow-service',
  home: '#/executions',
  // One call that every role may make.
  probe: () => api('GET', ''),
  view,
  session: () => {
    const held = roles();
    $('session-roles').textContent = held ? `roles: ${held.join(', ') || 'none'}` : '';
  },
});
