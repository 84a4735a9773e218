/*
 * What the execution page knows and decides, without the page: no DOM, no network, no clock but
 * the one passed in. view.js loads and acts, render.js draws; both ask this module what to show
 * and which actions are open. Unit-tested with Node's test runner (src/test/js).
 */

export const REFRESH_MS = 2000;
// Spelt as the API spells them (the product's original guide): lowercase.
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function isOverdue(summary, now = Date.now()) {
  return summary.status === 'waiting' && !!summary.wait_until && Date.parse(summary.wait_until) < now;
}

/** Milliseconds from start to finish, or to `now` while it runs; null before it started. */
export function took(x, now = Date.now()) {
  if (!x.started_at) return null;
  return (x.completed_at ? Date.parse(x.completed_at) : now) - Date.parse(x.started_at);
}

export function initialState() {
  return { status: null, detail: null, lastJson: null, paused: false, refreshFailed: false };
}

/** The state after a read of the execution; `changed` says whether the page must be drawn again. */
export function loaded(state, detail) {
  const json = JSON.stringify(detail);
  return { state: { ...state, status: detail.status, detail, lastJson: json, refreshFailed: false }, changed: json !== state.lastJson };
}

/**
 * The state after a failed read: a 404 or 403 ends the page (`gone` says why); anything else is
 * tried again at the next refresh.
 */
export function loadFailed(state, httpStatus) {
  if (httpStatus === 404 || httpStatus === 403) {
    return { state: { ...state, status: null }, gone: httpStatus === 404 ? 'missing' : 'forbidden' };
  }
  return { state: { ...state, refreshFailed: true }, gone: null };
}

/** After an action the page reads the execution again at once and refreshes until it is done. */
export function afterAction(state) {
  return { ...state, lastJson: null, paused: false };
}

export function togglePause(state) {
  return { ...state, paused: !state.paused };
}

/** Whether the page reads the execution again in REFRESH_MS. */
export function polls(state) {
  return !!state.status && !TERMINAL.has(state.status) && !state.paused;
}

/** The auto-refresh note and its pause button. */
export function refreshNote(state) {
  const running = !!state.status && !TERMINAL.has(state.status);
  return {
    active: running && !state.paused,
    text: !state.status ? '' : !running ? 'Finished: not refreshing'
      : state.paused ? 'Refresh paused' : `Refreshing every ${REFRESH_MS / 1000} s`,
    pauseHidden: !running,
    pauseLabel: state.paused ? 'Resume' : 'Pause',
  };
}

function definitionSteps(definition) {
  return Array.isArray(definition?.steps) ? definition.steps : [];
}

/** Whether a completed step of the execution has a compensate in its definition. */
export function undoable(detail, definition) {
  return definitionSteps(definition).some((s, i) => s.compensate
    && (detail.steps || []).some((r) => r.sequence_number === i && r.status === 'completed'));
}

/**
 * Which of retry, compensate and cancel are open, and why not: `operatorHint` is the page's
 * reason a reader's token cannot act (empty for an operator).
 */
export function actions(detail, definition, operatorHint) {
  const x = detail;
  const canUndo = undoable(detail, definition);
  // What a compensated execution did is undone: it cannot be resumed, nor stopped while undoing.
  return {
    retry: {
      disabled: x.status !== 'failed' || !!x.compensated || !!operatorHint,
      title: operatorHint || (x.status !== 'failed' ? 'Only a failed execution can be retried'
        : x.compensated ? 'What it did was undone: start a new execution' : 'Resume from the failed step as a new run'),
    },
    compensate: {
      disabled: x.status !== 'failed' || !canUndo || !!operatorHint,
      title: operatorHint || (x.status !== 'failed' ? 'Only a failed execution can be compensated'
        : canUndo ? 'Undo its completed steps, latest first, as a new run' : 'None of its completed steps has a compensate'),
    },
    cancel: {
      disabled: TERMINAL.has(x.status) || !!x.compensated || !!operatorHint,
      title: operatorHint || (TERMINAL.has(x.status) ? 'The execution has finished'
        : x.compensated ? 'It is undoing what it did: that is not stopped half-way' : 'Stop it before its next step'),
    },
  };
}

/** The step records by run, oldest run first, and the current run's steps the definition still has to come. */
export function stepTable(detail, definition) {
  const steps = detail.steps || [];
  const runs = [...new Set(steps.map((s) => s.run_number))].sort((a, b) => a - b)
    .map((run) => ({ run, current: run === detail.run_number, steps: steps.filter((s) => s.run_number === run) }));
  const reached = steps.filter((s) => s.run_number === detail.run_number).map((s) => s.sequence_number);
  const last = reached.length ? Math.max(...reached) : -1;
  const planned = definitionSteps(definition).map((def, index) => ({ index, def })).filter(({ index }) => index > last);
  return { runs, planned };
}

/** The step a waiting execution waits in: its record of the current run and its definition. */
export function waitingStep(detail, definition) {
  return {
    record: (detail.steps || []).find((s) => s.run_number === detail.run_number && s.sequence_number === detail.current_step),
    def: definitionSteps(definition)[detail.current_step] || {},
  };
}

/** What a step does, in a word: its service call, its condition, or its type. */
export function stepKind(def) {
  if (!def) return null;
  return def.type === 'service_call' && def.service ? `${def.service}.${def.method}`
    : def.type === 'condition' && def.condition ? def.condition : def.type;
}

/** What the operator is asked before retry, compensate or cancel. */
export function confirmation(kind, detail) {
  const x = detail;
  const name = `${x.workflow_name} ${x.workflow_version} (${x.id})`;
  if (kind === 'retry') {
    const failedStep = (x.steps || []).filter((s) => s.run_number === x.run_number && s.status === 'failed').pop();
    return {
      title: 'Retry this execution?',
      message: `${name} resumes from its failed step${failedStep ? ` '${failedStep.step_name}'` : ''} as run `
        + `${x.run_number + 1}. The steps that completed are not run again; the earlier run stays recorded.`,
      ok: 'Retry',
      danger: true,
    };
  }
  if (kind === 'compensate') {
    return {
      title: 'Undo what this execution did?',
      message: `${name} undoes, as run ${x.run_number + 1}, each step it completed that has a compensate, latest first `
        + '(an order cancelled, licenses revoked, a payment refunded...). It cannot be retried afterwards.',
      ok: 'Compensate',
      danger: true,
    };
  }
  return {
    title: 'Cancel this execution?',
    message: `${name} stops before its next step (a waiting one at once). A cancelled execution cannot be resumed or retried.`,
    ok: 'Cancel execution',
    danger: true,
  };
}

/** What the page says once the API took the action. */
export function notice(kind, detail, answer) {
  if (kind === 'retry') return `Retry started: run ${detail.run_number + 1} of the execution.`;
  if (kind === 'compensate') return `Compensation started: run ${detail.run_number + 1} undoes the completed steps.`;
  return answer?.status === 'cancelled' ? 'The execution is cancelled.' : 'Cancel requested: it stops before its next step.';
}
