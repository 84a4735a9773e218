/*
 * Draws one execution: its facts, error, wait, steps and data, from the detail the API answered
 * and the definition it ran. Only builds nodes; what to show comes from state.js.
 */

import { fact, formatDuration, h, statusBadge, timeEl } from '../../_pages/common.js';
import { agoEl, jsonBlock, keyChips, since, workflowHref } from '../widgets.js';
import { isOverdue, stepKind, stepTable, TERMINAL, took, waitingStep } from './state.js';

/** The title's workflow link and the status badges beside it. */
export function heading(x) {
  return {
    title: [h('a', { href: workflowHref(x.workflow_name, x.workflow_version) }, x.workflow_name), ' ',
      h('span', { class: 'muted' }, x.workflow_version)],
    status: [statusBadge(x.status, 'execution-status', true),
      isOverdue(x) ? h('span', { class: 'badge badge-overdue', testid: 'overdue' }, 'overdue') : ''],
  };
}

/** The page's panels; `openKeys` keeps the JSON blocks the operator opened open across refreshes. */
export function panels(detail, definition, openKeys) {
  // The execution's own fields are at the top level of the detail, beside context, result and steps.
  const x = detail;
  const parts = [facts(x)];
  if (x.error_message && x.status !== 'completed') {
    parts.push(h('div', { class: 'panel', id: 'execution-error-panel' },
      h('div', { class: 'panel-head' }, h('h2', null, x.status === 'cancelled' ? 'Why it stopped' : 'Error')),
      h('pre', { class: 'error-box', id: 'execution-error', testid: 'execution-error' }, x.error_message)));
  }
  if (x.status === 'waiting') parts.push(waitingPanel(x, definition));
  parts.push(stepsPanel(x, definition, openKeys));
  parts.push(h('div', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, 'Data')),
    h('div', { class: 'panel-body step-extra' },
      jsonBlock('Context', detail.context, { testid: 'execution-context', openKey: 'context', openKeys }),
      detail.result !== null && detail.result !== undefined
        ? jsonBlock('Result', detail.result, { testid: 'execution-result', openKey: 'result', openKeys }) : null,
      definition ? jsonBlock(`Definition ${x.workflow_version}`, definition, { testid: 'execution-definition', openKey: 'definition', openKeys }) : null)));
  return parts;
}

function facts(x) {
  const duration = took(x);
  return h('div', { class: 'panel' }, h('div', { class: 'grid-facts' },
    fact('Execution', h('span', { class: 'mono' }, x.id), 'execution-id'),
    fact('Workflow', [h('a', { href: workflowHref(x.workflow_name, x.workflow_version) }, x.workflow_name), ` ${x.workflow_version}`], 'execution-workflow'),
    fact('Trigger', [x.trigger_type, x.trigger_source ? h('span', { class: 'muted' }, ` (${x.trigger_source})`) : ''], 'execution-trigger'),
    fact('Run', String(x.run_number), 'execution-run'),
    fact('Created', timeEl(x.created_at), 'execution-created'),
    fact('Started', timeEl(x.started_at), 'execution-started'),
    fact('Finished', timeEl(x.completed_at), 'execution-completed'),
    fact(x.completed_at ? 'Took' : 'Running for', duration === null ? '-' : x.completed_at ? formatDuration(duration)
      : agoEl(x.started_at, '', ''), 'execution-duration'),
    x.next_wake_at && !TERMINAL.has(x.status) ? fact('Next check', timeEl(x.next_wake_at), 'execution-next-check') : null,
    fact('Business keys', keyChips(x.business_keys, null, true), 'execution-keys')));
}

function waitingPanel(x, definition) {
  const { record, def } = waitingStep(x, definition);
  const overdue = isOverdue(x);
  const row = (label, value, testid) => [h('dt', null, label), h('dd', { testid }, value)];
  return h('div', { class: 'panel', id: 'execution-waiting', testid: 'execution-waiting' },
    h('div', { class: 'panel-head' }, h('h2', null, 'Waiting'), overdue ? h('span', { class: 'badge badge-overdue' }, 'overdue') : null),
    h('div', { class: 'waiting-box' }, h('dl', null,
      row('Step', record?.step_name || def.name || `#${x.current_step + 1}`, 'waiting-step'),
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

function stepsPanel(x, definition, openKeys) {
  const { runs, planned } = stepTable(x, definition);
  const defSteps = Array.isArray(definition?.steps) ? definition.steps : [];
  const rows = [];
  for (const { run, current, steps } of runs) {
    if (runs.length > 1) {
      rows.push(h('tr', { class: 'run-head', testid: 'run-head', 'data-run': run },
        h('td', { colspan: 8 }, `Run ${run}${current ? ' (current)' : ''}`)));
    }
    for (const step of steps) rows.push(...stepRows(x, step, defSteps[step.sequence_number], openKeys));
  }
  // The steps the current run has not reached, from the definition: what is still to come (or never came).
  for (const { index, def } of planned) {
    rows.push(h('tr', { class: 'step-planned', testid: 'step-planned', 'data-step-name': def.name },
      h('td', { class: 'num' }, String(index + 1)),
      h('td', null, h('span', { class: 'step-name' }, def.name), ' ', kindEl(def)),
      h('td', null, statusBadge('not_started')),
      h('td', { colspan: 5, class: 'muted' }, TERMINAL.has(x.status) ? 'not run' : 'not started yet')));
  }
  const recorded = (x.steps || []).length;
  return h('div', { class: 'panel', id: 'execution-steps', testid: 'execution-steps' },
    h('div', { class: 'panel-head' }, h('h2', null, 'Steps'), h('span', { class: 'muted' }, `${recorded} recorded`)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', null, h('tr', null, ['#', 'Step', 'Status', 'Retries', 'Started', 'Finished', 'Took', ''].map((t) => h('th', null, t)))),
      h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 8, class: 'empty' }, 'No step has started yet.'))))));
}

function kindEl(def) {
  const what = stepKind(def);
  return what === null ? null : h('span', { class: 'step-type', title: def.type }, what);
}

/** The step's trace: a link to the trace viewer the service names, else its id to copy. */
function traceEl(step) {
  if (!step.trace_id) return '';
  if (step.trace_url && /^https?:\/\//.test(step.trace_url)) {
    return h('a', { href: step.trace_url, target: '_blank', rel: 'noopener noreferrer', class: 'trace-link', testid: 'step-trace',
      title: `Trace ${step.trace_id}` }, 'trace');
  }
  return h('span', { class: 'muted trace-id', testid: 'step-trace', title: `Trace ${step.trace_id}` }, step.trace_id.slice(0, 8));
}

function stepRows(x, step, def, openKeys) {
  const key = `${step.run_number}:${step.sequence_number}`;
  const stepOverdue = isOverdue(step);
  const row = h('tr', {
    class: ['step-row', step.status === 'failed' && 'row-failed', step.status === 'waiting' && 'row-waiting', stepOverdue && 'row-overdue'],
    testid: 'step-row', 'data-step-name': step.step_name, 'data-status': step.status, 'data-run': step.run_number,
    'data-sequence': step.sequence_number,
  },
  h('td', { class: 'num' }, String(step.sequence_number + 1)),
  h('td', null, h('span', { class: 'step-name' }, step.step_name), ' ', kindEl(def) || h('span', { class: 'step-type' }, step.step_type)),
  h('td', null, statusBadge(step.status, 'step-status')),
  h('td', { class: 'num', testid: 'step-retries', title: 'Attempts after the first' }, String(step.retry_count ?? 0)),
  h('td', { class: 'nowrap' }, timeEl(step.started_at)),
  h('td', { class: 'nowrap' }, timeEl(step.completed_at)),
  h('td', { class: 'num nowrap', testid: 'step-duration' }, step.duration_ms !== null && step.duration_ms !== undefined
    ? formatDuration(step.duration_ms)
    : step.started_at && !step.completed_at ? agoEl(step.started_at, '', '') : ''),
  h('td', { class: 'nowrap' }, def && def.critical === false ? h('span', { class: 'badge', title: 'A failure does not stop the execution' }, 'non-critical') : '',
    ' ', traceEl(step)));
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
    extra.push(jsonBlock('Input', step.input_data, { testid: 'step-input', openKey: `${key}:input`, openKeys }));
  }
  if (step.output_data !== null && step.output_data !== undefined) {
    extra.push(jsonBlock('Output', step.output_data, { testid: 'step-output', openKey: `${key}:output`, openKeys }));
  }
  if (!extra.length) return [row];
  return [row, h('tr', { class: 'step-detail', 'data-step-name': step.step_name, 'data-run': step.run_number },
    h('td', null), h('td', { colspan: 7 }, h('div', { class: 'step-extra' }, extra)))];
}
