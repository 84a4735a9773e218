/*
 * The page of one execution (#/executions/<id>): reads it and its definition, refreshes while it
 * runs (not in a hidden tab), and asks the API to retry, compensate or cancel it. What it shows is
 * decided in state.js and drawn by render.js.
 */

import {
  api, confirmAction, h, hideError, notify, roleHint, showError, SignedOut,
} from '../../_pages/common.js';
import { refreshRelative } from '../widgets.js';
import { heading, panels } from './render.js';
import * as State from './state.js';

export function executionView(main, id) {
  let state = State.initialState();
  const openKeys = new Set();
  const definitions = new Map();
  const view = {
    alive: true,
    timer: null,
    dispose() {
      this.alive = false;
      clearTimeout(this.timer);
    },
  };

  const button = (kind, label, danger) => h('button', {
    type: 'button', class: danger ? 'btn btn-danger' : 'btn', id: `execution-${kind}`, testid: `execution-${kind}`,
    disabled: true, onclick: () => act(kind),
  }, label);
  const buttons = { retry: button('retry', 'Retry'), compensate: button('compensate', 'Compensate'), cancel: button('cancel', 'Cancel', true) };
  const title = h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / ', h('span', { class: 'mono' }, id)),
    h('h1', { id: 'execution-title' }, 'Execution'));
  const statusHolder = h('span', null);
  const refreshNote = h('span', { class: 'refresh-note', id: 'auto-refresh', testid: 'auto-refresh', 'data-active': 'false' }, h('span', { class: 'dot' }), h('span', null, ''));
  const pause = h('button', {
    type: 'button', class: 'btn btn-small', id: 'auto-refresh-toggle', testid: 'auto-refresh-toggle', hidden: true,
    onclick: () => {
      state = State.togglePause(state);
      if (state.paused) {
        clearTimeout(view.timer);
      } else {
        load();
      }
      showRefresh();
    },
  }, 'Pause');
  const content = h('div', { id: 'execution-content' }, h('div', { class: 'loading' }, 'Loading the execution...'));
  main.append(h('div', { class: 'page-head' }, title, statusHolder, h('div', { class: 'spacer' }),
    h('div', { class: 'exec-actions' }, refreshNote, pause, buttons.retry, buttons.compensate, buttons.cancel)), content);

  function showRefresh() {
    const note = State.refreshNote(state);
    refreshNote.dataset.active = String(note.active);
    refreshNote.lastChild.textContent = note.text;
    pause.hidden = note.pauseHidden;
    pause.textContent = note.pauseLabel;
  }

  function schedule() {
    clearTimeout(view.timer);
    if (view.alive && State.polls(state)) view.timer = setTimeout(load, State.REFRESH_MS);
    showRefresh();
  }

  function definitionOf(summary) {
    const key = `${summary.workflow_name}@${summary.workflow_version}`;
    if (!definitions.has(key)) {
      definitions.set(key, api('GET', `/${encodeURIComponent(summary.workflow_name)}`, { params: { version: summary.workflow_version } })
        .then((w) => w.definition).catch(() => null));
    }
    return definitions.get(key);
  }

  async function load() {
    clearTimeout(view.timer);
    if (document.hidden && state.lastJson) {
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
      const failed = State.loadFailed(state, e.status);
      state = failed.state;
      if (failed.gone) {
        content.replaceChildren(h('div', { class: 'empty', testid: 'execution-missing' },
          failed.gone === 'missing' ? 'There is no such execution in your tenant.' : 'Your token may not read executions.'));
        showRefresh();
        return;
      }
      schedule();
      return;
    }
    if (!view.alive) return;
    if (state.refreshFailed) {
      hideError();
      state = { ...state, refreshFailed: false };
    }
    const definition = await definitionOf(detail);
    if (!view.alive) return;
    const next = State.loaded(state, detail);
    state = next.state;
    if (next.changed || !content.querySelector('#execution-steps')) {
      draw(detail, definition);
    } else {
      refreshRelative(main);
    }
    schedule();
  }

  function draw(detail, definition) {
    const head = heading(detail);
    main.querySelector('#execution-title').replaceChildren(...head.title);
    statusHolder.replaceChildren(...head.status);
    const actions = State.actions(detail, definition, roleHint('operator'));
    for (const [kind, { disabled, title: why }] of Object.entries(actions)) {
      buttons[kind].disabled = disabled;
      buttons[kind].title = why;
    }
    content.replaceChildren(...panels(detail, definition, openKeys));
  }

  async function act(kind) {
    if (!state.detail) return;
    const x = state.detail;
    const { ok } = await confirmAction(State.confirmation(kind, x));
    if (!ok || !view.alive) return;
    for (const b of Object.values(buttons)) b.disabled = true;
    try {
      const answer = await api('POST', `/executions/${encodeURIComponent(id)}/${kind}`);
      notify(State.notice(kind, x, answer));
    } catch (e) {
      if (!view.alive) return;
      showError(e);
    }
    state = State.afterAction(state);
    if (view.alive) load();
  }

  load();
  return view;
}
