/*
 * The overview (#/overview?range=&sort=): how the tenant's journeys and executions went over the
 * last hour, day, 7 or 30 days, from the workflow API's stats (/api/v1/workflows/stats/..., scoped
 * to the token's tenant): the funnel from lead to active customer, executions per workflow over
 * time (a uPlot chart, charts.js) and in total, the steps that are slowest or fail most, the
 * executions waiting longest or past their deadline, the events received per topic.
 *
 * Each part reads its own answer and shows its own error or "nothing in this range", so that one
 * failing read leaves the others. Every part is a data-testid'd element whose data-state says
 * loading | loaded | empty | error, and data-range the range it shows.
 */

import { api, formatDuration, h, hashFor, navigate, Quiet, timeEl } from '../_pages/common.js';
import { bucketed, countChart } from './charts.js';
import { agoEl, executionHref, workflowHref } from './widgets.js';

export const RANGES = [['1h', 'Last hour'], ['24h', 'Last day'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days']];
const SORTS = [['slowest', 'Slowest'], ['failing', 'Most failing']];
const SERIES = [['started', 'Started'], ['completed', 'Completed'], ['failed', 'Failed']];
const WAITING_LIMIT = 10;

/* ------------------------------------------------------------------ formatting */

const dash = '\u2013';

function count(n) {
  return n === null || n === undefined ? dash : Number(n).toLocaleString();
}

function percent(ratio) {
  return ratio === null || ratio === undefined ? dash : `${Math.round(ratio * 1000) / 10} %`;
}

function duration(ms) {
  return ms === null || ms === undefined ? dash : formatDuration(ms);
}

/** "hour", "6 hours", "5 minutes", "day": the width of a chart's bucket. */
function bucketName(seconds) {
  const [n, unit] = seconds % 86400 === 0 ? [seconds / 86400, 'day'] : seconds % 3600 === 0 ? [seconds / 3600, 'hour']
    : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return n === 1 ? unit : `${n} ${unit}s`;
}

function table(testid, headings, rows, foot) {
  return h('table', { class: 'data', testid },
    h('thead', null, h('tr', null, headings.map(([text, num]) => h('th', { class: num ? 'num' : null }, text)))),
    h('tbody', null, rows),
    foot ? h('tfoot', null, foot) : null);
}

/* ------------------------------------------------------------------ parts */

/**
 * A part of the page that shows one answer: "Loading...", then its content, a note that the range
 * holds nothing, or its own error.
 */
function part(testid, attrs, what) {
  const el = h('div', { class: 'overview-part', testid, 'data-state': 'loading', ...attrs },
    h('div', { class: 'loading' }, `Loading ${what}...`));
  const show = (state, ...content) => {
    el.dataset.state = state;
    el.replaceChildren(...content);
  };
  return {
    el,
    loaded: (...content) => show('loaded', ...content),
    empty: (text) => show('empty', text ? h('div', { class: 'empty', testid: `${testid}-empty` }, text) : ''),
    failed: (error) => show('error', h('div', { class: 'part-error', role: 'alert', testid: `${testid}-error` },
      h('strong', null, `The ${what} could not be read`),
      error.status ? ` (${error.status}${error.problem?.title ? ` ${error.problem.title}` : ''})` : '',
      `: ${error.problem?.detail || error.message || error}`)),
  };
}

function panel(title, head, ...body) {
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', null, title), head), ...body);
}

/* ------------------------------------------------------------------ funnel */

// The journey's stages end at a live customer; the API's stages after it are a subscription's
// lifecycle (renewed, past_due, suspended, churned), counted but not converted one into the next.
const LAST_JOURNEY_STAGE = 'active';

function funnel(answer) {
  const all = answer.stages || [];
  const cut = all.findIndex((s) => s.stage === LAST_JOURNEY_STAGE) + 1 || all.length;
  const stages = all.slice(0, cut);
  const lifecycle = all.slice(cut);
  const most = Math.max(0, ...stages.map((s) => Number(s.reached) || 0));
  const bars = most === 0
    ? h('div', { class: 'empty funnel-bars', testid: 'overview-funnel-empty' }, 'No leads in this range.')
    : h('div', { class: 'funnel-bars', role: 'list', 'aria-label': 'Reached per stage' }, stages.map((s) => {
      const bar = h('div', { class: 'funnel-bar' });
      // CSSOM, not a style attribute: the pages' CSP allows no inline styles in markup.
      bar.style.width = `${((Number(s.reached) || 0) / most) * 100}%`;
      return h('div', { class: 'funnel-row', role: 'listitem', testid: `funnel-bar-${s.stage}`, 'data-reached': s.reached },
        h('span', { class: 'funnel-stage' }, s.stage),
        h('span', { class: 'funnel-track' }, bar),
        h('span', { class: 'funnel-value' }, count(s.reached),
          s.conversion === null || s.conversion === undefined ? '' : h('span', { class: 'muted' }, ` (${percent(s.conversion)})`)));
    }));
  return h('div', { class: 'funnel' }, bars,
    h('div', { class: 'table-wrap funnel-table' }, table('funnel-table',
      [['Stage'], ['Reached', true], ['From previous', true], ['Median time from previous', true]],
      stages.map((s) => h('tr', { testid: `funnel-stage-${s.stage}`, 'data-stage': s.stage, 'data-reached': s.reached },
        h('td', { class: 'funnel-stage' }, s.stage),
        h('td', { class: 'num', testid: 'funnel-reached' }, count(s.reached)),
        h('td', { class: 'num', testid: 'funnel-conversion' }, percent(s.conversion)),
        h('td', { class: 'num', testid: 'funnel-median' }, duration(s.median_ms_from_previous))))),
      lifecycle.length === 0 ? '' : h('dl', { class: 'lifecycle', testid: 'overview-lifecycle', 'aria-label': 'Subscriptions after going live' },
        lifecycle.flatMap((s) => [h('dt', null, s.stage.replace('_', ' ')),
          h('dd', { testid: `lifecycle-${s.stage}`, 'data-reached': s.reached }, count(s.reached))]))));
}

/* ------------------------------------------------------------------ executions per workflow */

function workflowTotals(workflows) {
  const sum = (field) => workflows.reduce((n, w) => n + (Number(w[field]) || 0), 0);
  const failedLink = (name, failed) => (failed > 0
    ? h('a', { href: hashFor('/executions', { workflow_name: name, status: 'failed' }), testid: 'workflow-failed-link' }, count(failed))
    : count(failed));
  const waitingLink = (name, waiting) => (waiting > 0
    ? h('a', { href: hashFor('/executions', { workflow_name: name, status: 'waiting' }), testid: 'workflow-waiting-link' }, count(waiting))
    : count(waiting));
  return table('workflow-stats-table',
    [['Workflow'], ['Started', true], ['Completed', true], ['Failed', true], ['Cancelled', true], ['Waiting now', true]],
    workflows.map((w) => h('tr', { testid: 'workflow-stats-row', 'data-workflow': w.workflow },
      h('td', null, h('a', { href: hashFor('/executions', { workflow_name: w.workflow }), testid: 'workflow-executions-link' }, w.workflow)),
      h('td', { class: 'num' }, count(w.started)),
      h('td', { class: 'num' }, count(w.completed)),
      h('td', { class: ['num', w.failed > 0 && 'num-bad'] }, failedLink(w.workflow, w.failed)),
      h('td', { class: 'num' }, count(w.cancelled)),
      h('td', { class: 'num' }, waitingLink(w.workflow, w.waiting)))),
    h('tr', { class: 'row-total', testid: 'workflow-stats-total' }, h('td', null, 'All workflows'),
      ['started', 'completed', 'failed', 'cancelled', 'waiting'].map((f) => h('td', { class: 'num' }, count(sum(f))))));
}

/* ------------------------------------------------------------------ steps, waiting, events */

function stepTable(steps) {
  return table('step-stats-table',
    [['Workflow'], ['Step'], ['Runs', true], ['Failed', true], ['Retries', true], ['p50', true], ['p95', true]],
    steps.map((s) => h('tr', { testid: 'step-stats-row', 'data-workflow': s.workflow, 'data-step': s.step },
      h('td', null, h('a', { href: workflowHref(s.workflow) }, s.workflow)),
      h('td', { class: 'step-name' }, s.step),
      h('td', { class: 'num' }, count(s.runs)),
      h('td', { class: ['num', s.failed > 0 && 'num-bad'] }, count(s.failed)),
      h('td', { class: 'num' }, count(s.retries)),
      h('td', { class: 'num' }, duration(s.p50_ms)),
      h('td', { class: 'num' }, duration(s.p95_ms)))));
}

function untilEl(iso) {
  const left = Date.parse(iso) - Date.now();
  return h('span', { class: 'muted nowrap' }, left >= 0 ? `in ${formatDuration(left)}` : `overdue by ${formatDuration(-left)}`);
}

function waitingTable(testid, rows) {
  return table(testid, [['Execution'], ['Step'], ['Waiting since'], ['Deadline']], rows.map((x) => {
    const href = executionHref(x.execution_id);
    const overdue = !!x.wait_until && Date.parse(x.wait_until) < Date.now();
    return h('tr', {
      class: ['clickable', overdue && 'row-overdue'], testid: 'waiting-row', 'data-execution-id': x.execution_id,
      'data-overdue': overdue ? 'true' : null,
      onclick: (event) => {
        if (event.target.closest('a, button') || window.getSelection().toString()) return;
        location.hash = href;
      },
    },
    h('td', null, h('a', { href, testid: 'waiting-link', title: x.execution_id }, x.workflow), ' ',
      h('span', { class: 'cell-id muted' }, String(x.execution_id).slice(0, 8))),
    h('td', { class: 'step-name' }, x.step || dash),
    h('td', { class: 'nowrap' }, x.waiting_since ? [agoEl(x.waiting_since, '', ''), h('div', null, timeEl(x.waiting_since))] : dash),
    h('td', { class: 'nowrap' }, x.wait_until ? [timeEl(x.wait_until), h('div', null, untilEl(x.wait_until))]
      : h('span', { class: 'muted' }, 'none')));
  }));
}

function eventTable(topics) {
  return table('event-stats-table',
    [['Topic'], ['Received', true], ['Dead-lettered', true], ['Deferred', true], ['Lag p50', true], ['Lag p95', true]],
    topics.map((t) => h('tr', { testid: 'event-stats-row', 'data-topic': t.topic, 'data-dead-lettered': t.dead_lettered ?? 0 },
      h('td', { class: 'mono' }, t.topic),
      h('td', { class: 'num' }, count(t.received)),
      h('td', { class: ['num', t.dead_lettered > 0 && 'num-bad'], title: 'Sent to the topic\'s dead-letter topic: not taken in' },
        count(t.dead_lettered ?? 0)),
      h('td', { class: ['num', t.deferred > 0 && 'num-warn'] }, count(t.deferred)),
      h('td', { class: 'num' }, duration(t.lag_p50_ms)),
      h('td', { class: 'num' }, duration(t.lag_p95_ms)))));
}

/* ------------------------------------------------------------------ the view */

export function overviewView(main, query) {
  const range = RANGES.some(([r]) => r === query.get('range')) ? query.get('range') : '24h';
  let sort = SORTS.some(([s]) => s === query.get('sort')) ? query.get('sort') : 'slowest';
  let chart = null;
  const view = {
    alive: true,
    dispose() {
      this.alive = false;
      if (chart) chart.destroy();
    },
  };
  const hashOf = (changes) => {
    const next = { range, sort, ...changes };
    return hashFor('/overview', { range: next.range === '24h' ? '' : next.range, sort: next.sort === 'slowest' ? '' : next.sort });
  };

  const rangeSelect = h('select', {
    id: 'overview-range', testid: 'overview-range', name: 'range',
    onchange: () => navigate(hashOf({ range: rangeSelect.value })),
  }, RANGES.map(([value, label]) => h('option', { value }, label)));
  rangeSelect.value = range;
  const period = h('span', { class: 'muted', testid: 'overview-period' });

  const parts = {
    funnel: part('overview-funnel', { 'data-range': range }, 'funnel'),
    chart: part('overview-chart', { 'data-range': range, class: 'overview-part chart' }, 'executions'),
    workflows: part('overview-workflows', { 'data-range': range, class: 'overview-part table-wrap' }, 'executions'),
    steps: part('overview-steps', { 'data-range': range, 'data-sort': sort, class: 'overview-part table-wrap' }, 'steps'),
    longest: part('overview-waiting-longest', { class: 'overview-part table-wrap' }, 'waiting executions'),
    overdue: part('overview-past-deadline', { class: 'overview-part table-wrap' }, 'waiting executions'),
    events: part('overview-events', { 'data-range': range, class: 'overview-part table-wrap' }, 'events'),
  };

  const chartWorkflow = h('select', { testid: 'overview-chart-workflow', 'aria-label': 'Workflow of the chart', disabled: true },
    h('option', { value: '' }, 'All workflows'));
  const chartNote = h('span', { class: 'muted' });
  const sortButtons = SORTS.map(([value, label]) => h('button', {
    type: 'button', class: 'btn btn-small', testid: `overview-steps-${value}`, 'data-sort': value,
    'aria-pressed': String(value === sort), onclick: () => sortSteps(value),
  }, label));
  const waitingCount = h('span', { class: 'muted', testid: 'overview-waiting-count' });

  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Overview'), h('div', { class: 'muted' }, 'Your tenant\'s journeys and executions. ', period)),
      h('div', { class: 'spacer' }),
      h('label', { class: 'range-label' }, 'Range ', rangeSelect),
      h('button', { type: 'button', class: 'btn', id: 'overview-refresh', testid: 'overview-refresh', onclick: () => load() }, 'Refresh')),
    panel('Funnel', h('span', { class: 'muted' }, 'lead \u2192 quote \u2192 accepted \u2192 paid \u2192 licensed \u2192 active'),
      parts.funnel.el),
    panel('Executions', [h('span', { class: 'spacer' }), chartNote, chartWorkflow], parts.chart.el, parts.workflows.el),
    panel('Steps', [h('span', { class: 'spacer' }), h('div', { class: 'segmented', role: 'group', 'aria-label': 'Sort the steps' }, sortButtons)],
      parts.steps.el),
    h('div', { class: 'overview-columns' },
      panel('Waiting longest', [h('span', { class: 'spacer' }), waitingCount], parts.longest.el),
      panel('Past their deadline', null, parts.overdue.el)),
    panel('Events', h('span', { class: 'muted' }, 'received per topic'), parts.events.el));

  /** Reads `path` and hands the answer to `show`; a failed read is shown by each of `targets`. */
  async function read(path, params, targets, show) {
    let answer;
    try {
      answer = await api('GET', path, { params });
    } catch (e) {
      if (!view.alive || e instanceof Quiet) return;
      targets.forEach((t) => t.failed(e));
      return;
    }
    if (view.alive) show(answer || {});
  }

  function showFunnel(answer) {
    if (answer.from && answer.to) period.replaceChildren('From ', timeEl(answer.from), ' to ', timeEl(answer.to), '.');
    parts.funnel.loaded(funnel(answer));
  }

  let executions = null;

  function showExecutions(answer) {
    executions = answer;
    const workflows = answer.workflows || [];
    const chosen = chartWorkflow.value;
    chartWorkflow.replaceChildren(h('option', { value: '' }, 'All workflows'),
      ...workflows.map((w) => h('option', { value: w.workflow }, w.workflow)));
    chartWorkflow.value = workflows.some((w) => w.workflow === chosen) ? chosen : '';
    chartWorkflow.disabled = workflows.length < 2;
    chartNote.textContent = answer.bucket_seconds ? `per ${bucketName(answer.bucket_seconds)}` : '';
    if (!workflows.some((w) => w.started || w.completed || w.failed || w.cancelled || w.waiting)) {
      // The chart says so.
      parts.workflows.empty(null);
    } else {
      parts.workflows.loaded(workflowTotals(workflows));
    }
    drawChart();
  }

  async function drawChart() {
    if (chart) chart.destroy();
    chart = null;
    const picked = (executions.workflows || []).filter((w) => !chartWorkflow.value || w.workflow === chartWorkflow.value);
    const points = picked.flatMap((w) => w.series || []);
    if (!points.some((p) => SERIES.some(([f]) => p[f]))) {
      parts.chart.empty(parts.workflows.el.dataset.state === 'loaded' && !chartWorkflow.value
        ? 'None started, completed or failed in this range.' : 'No executions in this range.');
      return;
    }
    const data = bucketed(executions.from, executions.to, executions.bucket_seconds, points, SERIES.map(([f]) => f));
    const holder = h('div', {
      class: 'chart-canvas', role: 'img',
      'aria-label': `${chartWorkflow.value || 'All workflows'}: ${SERIES.map(([f, label], i) => `${label.toLowerCase()} ${data[i + 1].reduce((a, b) => a + b, 0)}`).join(', ')}`
        + ' in this range; the table below has the totals per workflow.',
    });
    parts.chart.loaded(holder);
    try {
      const drawn = await countChart(holder, data, SERIES.map(([, label]) => label));
      if (!view.alive || !holder.isConnected) {
        drawn.destroy();
        return;
      }
      chart = drawn;
    } catch (e) {
      if (view.alive && holder.isConnected) parts.chart.failed(new Error(`the chart library did not load (${e.message})`));
    }
  }
  chartWorkflow.addEventListener('change', () => { if (executions) drawChart(); });

  function showSteps(answer) {
    // An answer for the other order, asked for before a click on the toggle, is not shown.
    if (answer.sort && answer.sort !== sort) return;
    const steps = answer.steps || [];
    if (!steps.length) parts.steps.empty('No steps ran in this range.');
    else parts.steps.loaded(stepTable(steps));
  }

  function sortSteps(value) {
    if (value === sort) return;
    sort = value;
    // The hash keeps the choice (a reload or a shared link shows it) without drawing the whole page again.
    history.replaceState(null, '', hashOf({}));
    sortButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.sort === sort)));
    parts.steps.el.dataset.sort = sort;
    parts.steps.el.dataset.state = 'loading';
    read('/stats/steps', { range, sort }, [parts.steps], showSteps);
  }

  function showWaiting(answer) {
    waitingCount.textContent = answer.waiting === undefined ? '' : `${count(answer.waiting)} waiting now`;
    const longest = answer.longest || [];
    const overdue = answer.past_deadline || [];
    if (!longest.length) parts.longest.empty('No executions are waiting.');
    else parts.longest.loaded(waitingTable('waiting-longest-table', longest));
    if (!overdue.length) parts.overdue.empty('No execution is past its deadline.');
    else parts.overdue.loaded(waitingTable('past-deadline-table', overdue));
  }

  function showEvents(answer) {
    const topics = answer.topics || [];
    if (!topics.length) parts.events.empty('No events in this range.');
    else parts.events.loaded(eventTable(topics));
  }

  function load() {
    read('/stats/funnel', { range }, [parts.funnel], showFunnel);
    read('/stats/executions', { range }, [parts.chart, parts.workflows], showExecutions);
    read('/stats/steps', { range, sort }, [parts.steps], showSteps);
    read('/stats/waiting', { limit: WAITING_LIMIT }, [parts.longest, parts.overdue], showWaiting);
    read('/stats/events', { range }, [parts.events], showEvents);
  }

  load();
  return view;
}
