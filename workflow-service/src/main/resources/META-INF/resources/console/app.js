/*
 * Operator console of the workflow-service, served at /console/: plain ES modules, no build, no
 * external assets; its one library, uPlot (the overview's charts), comes from this service's own
 * WebJar (charts.js). This one routes and draws the lists of executions and workflows; widgets.js
 * holds what views draw alike, execution/ the page of one execution, overview.js the tenant's
 * stats. What the console shares with the other services' pages (sign-in, API calls, notices,
 * confirmation, routing) comes from ../_pages/common.js.
 *
 * It holds no data of its own. Every view reads the workflow API (/api/v1/workflows/...) with the
 * Bearer token the operator pasted at sign-in (kept in this tab's sessionStorage), so the API's
 * tenant scoping and roles decide what is shown and what may be done. Server data is put into the
 * page only as text (text nodes, textContent, setAttribute), never parsed as HTML.
 *
 * Routes (location.hash):
 *   #/overview[?range=1h|24h|7d|30d&sort=slowest|failing]
 *   #/executions[?status=&workflow_name=&key=&trigger_type=&from=&to=&limit=&cursor=] (with key=<quote id>: its subscription too)
 *   #/executions/<id>
 *   #/workflows[?all_versions=true]
 *   #/workflows/<name>[?version=]
 */

import {
  $, api, confirmAction, formatDuration, formatTime, h, hashFor, navigate, newView, notify, pad, roleHint, roles,
  showError, start, statusBadge, timeEl,
} from '../_pages/common.js';
import { isOverdue, took } from './execution/state.js';
import { executionView } from './execution/view.js';
import { overviewView } from './overview.js';
import { subscriptionPanel } from './subscription.js';
import { agoEl, executionHref, jsonBlock, keyChips, workflowHref } from './widgets.js';

const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];
const TRIGGER_TYPES = ['manual', 'event', 'scheduled'];
const PAGE_SIZES = ['25', '50', '100', '200'];
// Relative to the page, so that the console also works behind a proxy that mounts the service under a prefix.
const API_ROOT = new URL('../api/v1/workflows', document.baseURI).href;

/* ------------------------------------------------------------------ filters */

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

/* ------------------------------------------------------------------ routing */

function view(parts, query, main) {
  for (const link of document.querySelectorAll('.nav a')) {
    link.classList.toggle('active', link.id === `nav-${parts[0]}`);
  }
  if (parts[0] === 'overview' && parts.length === 1) return overviewView(main, query);
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

  // A quote's key: its subscription, if it started one, above its journeys.
  const subscription = h('div', { id: 'subscription-holder' });

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Executions'), h('div', { class: 'muted' }, 'Newest first, in your tenant. Failed rows are red; waiting ones say for how long.')),
      h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', id: 'executions-refresh', testid: 'executions-refresh', onclick: () => load() }, 'Refresh')),
    h('div', { class: 'panel' }, form),
    subscription,
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
  if (filter.key) subscriptionPanel(subscription, filter.key, view);
  // The names for the workflow filter: every version the tenant sees, once per name.
  api('GET', '', { params: { all_versions: 'true' } }).then((versions) => {
    if (!view.alive) return;
    for (const name of [...new Set((versions || []).map((v) => v.name))]) names.append(h('option', { value: name }));
  }).catch(() => { /* the filter still takes any name typed */ });
  return view;
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
  const duration = took(x);
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
  h('td', { class: 'num nowrap' }, duration === null ? '' : formatDuration(duration)),
  h('td', null, x.trigger_type),
  h('td', { class: 'cell-id' }, h('a', { href, testid: 'execution-link', title: x.id }, x.id.slice(0, 8))));
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
