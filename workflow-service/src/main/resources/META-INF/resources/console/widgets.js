/*
 * What the console's views draw alike: times relative to now, JSON blocks that keep their open
 * state across refreshes, business-key chips, links to executions and workflows.
 */

import { formatDuration, h, hashFor, notify } from '../_pages/common.js';

export function since(iso) {
  return Date.now() - Date.parse(iso);
}

export function agoEl(iso, prefix = '', suffix = ' ago') {
  return h('span', { class: 'muted nowrap', 'data-since': iso, 'data-prefix': prefix, 'data-suffix': suffix },
    prefix + formatDuration(since(iso)) + suffix);
}

export function refreshRelative(root) {
  for (const el of root.querySelectorAll('[data-since]')) {
    el.textContent = el.dataset.prefix + formatDuration(since(el.dataset.since)) + el.dataset.suffix;
  }
}

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
export function jsonBlock(label, value, { testid, openKey, openKeys, open } = {}) {
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

export function executionHref(id) {
  return `#/executions/${encodeURIComponent(id)}`;
}

export function workflowHref(name, version) {
  return hashFor(`/workflows/${encodeURIComponent(name)}`, { version });
}

export function keyChips(keys, onPick, linkMode) {
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
