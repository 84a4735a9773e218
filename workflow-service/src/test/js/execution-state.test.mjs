// The execution page's decisions (console/execution/state.js), without a browser: node --test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as State from '../../main/resources/META-INF/resources/console/execution/state.js';

const definition = {
  steps: [
    { name: 'create_order', type: 'service_call', service: 'sales', method: 'create_order', compensate: { service: 'sales', method: 'cancel_order' } },
    { name: 'wait_for_payment', type: 'condition', condition: 'payment.status == "succeeded"' },
    { name: 'issue_licenses', type: 'service_call', service: 'licensing', method: 'issue' },
  ],
};

function execution(fields) {
  return { id: 'e1', workflow_name: 'onboarding', workflow_version: '1.0.0', run_number: 1, current_step: 0, steps: [], ...fields };
}

const step = (sequence, status, run = 1, name = definition.steps[sequence].name) => ({
  run_number: run, sequence_number: sequence, status, step_name: name,
});

test('a failed execution may be retried, and compensated once a step with a compensate completed', () => {
  const failed = execution({ status: 'failed', steps: [step(0, 'completed'), step(1, 'failed')] });
  const open = State.actions(failed, definition, '');
  assert.equal(open.retry.disabled, false);
  assert.equal(open.compensate.disabled, false);
  assert.equal(open.cancel.disabled, true);
  assert.equal(open.cancel.title, 'The execution has finished');

  const nothingToUndo = execution({ status: 'failed', steps: [step(0, 'failed')] });
  const closed = State.actions(nothingToUndo, definition, '');
  assert.equal(closed.compensate.disabled, true);
  assert.equal(closed.compensate.title, 'None of its completed steps has a compensate');
});

test('a compensated execution can be neither retried nor cancelled half-way', () => {
  const undoing = execution({ status: 'running', compensated: true, steps: [step(0, 'completed')] });
  const actions = State.actions(undoing, definition, '');
  assert.equal(actions.retry.disabled, true);
  assert.equal(actions.cancel.disabled, true);
  assert.match(actions.cancel.title, /not stopped half-way/);
});

test('a reader is told why every action is closed', () => {
  const failed = execution({ status: 'failed', steps: [step(0, 'completed')] });
  const actions = State.actions(failed, definition, 'Needs the operator role');
  for (const kind of ['retry', 'compensate', 'cancel']) {
    assert.equal(actions[kind].disabled, true, kind);
    assert.equal(actions[kind].title, 'Needs the operator role', kind);
  }
});

test('the page refreshes while the execution runs and not once it finished or is paused', () => {
  let state = State.loaded(State.initialState(), execution({ status: 'waiting' })).state;
  assert.equal(State.polls(state), true);
  assert.deepEqual(State.refreshNote(state), { active: true, text: 'Refreshing every 2 s', pauseHidden: false, pauseLabel: 'Pause' });
  state = State.togglePause(state);
  assert.equal(State.polls(state), false);
  assert.equal(State.refreshNote(state).pauseLabel, 'Resume');
  state = State.afterAction(state);
  assert.equal(State.polls(state), true, 'an action resumes the refresh');
  state = State.loaded(state, execution({ status: 'completed' })).state;
  assert.equal(State.polls(state), false);
  assert.deepEqual(State.refreshNote(state), { active: false, text: 'Finished: not refreshing', pauseHidden: true, pauseLabel: 'Pause' });
});

test('an unchanged execution is not drawn again; an action forces the next draw', () => {
  const detail = execution({ status: 'running' });
  const first = State.loaded(State.initialState(), detail);
  assert.equal(first.changed, true);
  const same = State.loaded(first.state, structuredClone(detail));
  assert.equal(same.changed, false);
  assert.equal(State.loaded(State.afterAction(same.state), detail).changed, true);
});

test('a 404 or 403 ends the page; other failures are retried at the next refresh', () => {
  const running = State.loaded(State.initialState(), execution({ status: 'running' })).state;
  assert.equal(State.loadFailed(running, 404).gone, 'missing');
  assert.equal(State.loadFailed(running, 403).gone, 'forbidden');
  assert.equal(State.polls(State.loadFailed(running, 404).state), false);
  const flaky = State.loadFailed(running, 503);
  assert.equal(flaky.gone, null);
  assert.equal(flaky.state.refreshFailed, true);
  assert.equal(State.polls(flaky.state), true);
  assert.equal(State.loaded(flaky.state, execution({ status: 'running' })).state.refreshFailed, false);
});

test('steps are grouped by run, and the current run shows the steps still to come', () => {
  const retried = execution({
    status: 'running', run_number: 2, current_step: 1,
    steps: [step(0, 'completed', 1), step(1, 'failed', 1), step(1, 'running', 2)],
  });
  const { runs, planned } = State.stepTable(retried, definition);
  assert.deepEqual(runs.map((r) => [r.run, r.current, r.steps.length]), [[1, false, 2], [2, true, 1]]);
  assert.deepEqual(planned.map((p) => p.index), [2]);
  assert.deepEqual(State.stepTable(execution({ status: 'pending' }), definition).planned.map((p) => p.index), [0, 1, 2]);
});

test('a waiting execution names the step it waits in and whether it is past its deadline', () => {
  const waiting = execution({ status: 'waiting', current_step: 1, wait_until: '2026-01-01T00:00:00Z', steps: [step(0, 'completed'), step(1, 'waiting')] });
  assert.equal(State.waitingStep(waiting, definition).record.step_name, 'wait_for_payment');
  assert.equal(State.waitingStep(waiting, definition).def.condition, 'payment.status == "succeeded"');
  assert.equal(State.isOverdue(waiting, Date.parse('2026-01-01T00:00:01Z')), true);
  assert.equal(State.isOverdue(waiting, Date.parse('2025-12-31T23:59:59Z')), false);
  assert.equal(State.isOverdue({ ...waiting, status: 'running' }, Date.parse('2026-02-01T00:00:00Z')), false);
});

test('what a step does is its call, its condition or its type', () => {
  assert.equal(State.stepKind(definition.steps[0]), 'sales.create_order');
  assert.equal(State.stepKind(definition.steps[1]), 'payment.status == "succeeded"');
  assert.equal(State.stepKind({ type: 'transform' }), 'transform');
  assert.equal(State.stepKind(undefined), null);
});

test('the confirmation names the failed step and the run the action starts', () => {
  const failed = execution({ status: 'failed', run_number: 2, steps: [step(0, 'failed', 1), step(1, 'failed', 2)] });
  const retry = State.confirmation('retry', failed);
  assert.match(retry.message, /resumes from its failed step 'wait_for_payment' as run 3\./);
  assert.equal(State.confirmation('compensate', failed).ok, 'Compensate');
  assert.equal(State.confirmation('cancel', failed).ok, 'Cancel execution');
  assert.equal(State.notice('cancel', failed, { status: 'cancelled' }), 'The execution is cancelled.');
  assert.equal(State.notice('cancel', failed, { status: 'running' }), 'Cancel requested: it stops before its next step.');
  assert.equal(State.notice('retry', failed), 'Retry started: run 3 of the execution.');
});

test('how long it took: to its end, or to now while it runs', () => {
  const started = { started_at: '2026-01-01T00:00:00Z' };
  assert.equal(State.took({ ...started, completed_at: '2026-01-01T00:00:02.500Z' }), 2500);
  assert.equal(State.took(started, Date.parse('2026-01-01T00:01:00Z')), 60000);
  assert.equal(State.took({}), null);
});
