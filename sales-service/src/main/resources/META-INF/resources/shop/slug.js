import { ApiError, h } from '../_pages/common.js';
import { call } from './api.js';
import { fieldError, formField, onDispose } from './ui.js';

/**
 * The organization's slug, checked at the API as the visitor types (300 ms after the last key):
 * `slug-status` says "available" or the API's reason. Letters become lowercase as they are typed;
 * what is typed is kept in `draft.slug` (the checkout form's draft).
 */
export function slugField(view, draft) {
  const input = h('input', {
    type: 'text', name: 'organization_slug', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    required: true, maxlength: 100, value: draft.slug,
  });
  const field = formField('checkout-slug', 'Organization name', input,
    'Your organization\'s short name, used in its web address: lowercase letters a-z, digits and hyphens.');
  const status = h('p', { class: 'slug-status', id: 'slug-status', testid: 'slug-status', 'aria-live': 'polite', hidden: true });
  input.after(status);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} slug-status`);

  let timer = null;
  let asked = 0; // the latest question; older answers are dropped
  let answer = null; // { slug, available, reason }: the API's answer for the value as it is

  const value = () => input.value.trim();

  function lowercase() {
    const lower = input.value.toLowerCase();
    if (lower === input.value) return;
    const { selectionStart: from, selectionEnd: to } = input;
    input.value = lower;
    try {
      input.setSelectionRange(Math.min(from, lower.length), Math.min(to, lower.length));
    } catch (e) {
      // not a text field's selection
    }
  }

  function say(kind, text) {
    status.dataset.state = kind;
    status.textContent = text;
    status.hidden = !text;
    if (kind === 'unavailable') {
      input.setAttribute('aria-invalid', 'true');
    } else if (field.error.hidden) {
      input.removeAttribute('aria-invalid');
    }
  }

  // Only a-z, 0-9 and '-' go into the path (anything else is no slug, and '.' or '/' would change the URL's path).
  const badCharacters = (slug) => !/^[a-z0-9-]+$/.test(slug);

  /** Asks about the value as it is, after `delay` ms. */
  function ask(delay) {
    clearTimeout(timer);
    const slug = value();
    const question = ++asked;
    answer = null;
    if (!slug) {
      say('', '');
      return;
    }
    if (badCharacters(slug)) {
      say('unavailable', 'not a valid organization name: use only a-z, 0-9 and hyphens');
      return;
    }
    say('checking', 'checking...');
    timer = setTimeout(async () => {
      let said;
      try {
        said = await call('GET', `slugs/${encodeURIComponent(slug)}`);
      } catch (e) {
        if (!view.alive || question !== asked) return;
        // Not known now: the API checks it again when the visitor pays.
        say('unknown', e instanceof ApiError && e.status === 429 ? 'not checked: too many requests, try again in a moment'
          : 'not checked just now; it is checked when you pay');
        return;
      }
      if (!view.alive || question !== asked) return;
      answer = { slug, available: said?.available === true, reason: said?.reason ? String(said.reason) : null };
      say(answer.available ? 'available' : 'unavailable', answer.available ? 'available' : answer.reason || 'not available');
    }, delay);
  }

  input.addEventListener('input', () => {
    lowercase();
    draft.slug = input.value;
    if (!field.error.hidden) fieldError(input, field.error, null);
    ask(300);
  });
  onDispose(view, () => clearTimeout(timer));
  if (value()) ask(0);

  return {
    field,
    value,
    /** Why the value cannot be sent, or null (the API has the last word). */
    problem() {
      const slug = value();
      if (!slug) return 'Choose a name for your organization.';
      if (badCharacters(slug)) return 'Use only lowercase letters a-z, digits and hyphens.';
      if (answer && answer.slug === slug && !answer.available) return `This name cannot be used: ${answer.reason || 'not available'}.`;
      return null;
    },
    /** Asks again now (the checkout was refused, maybe for this slug). */
    recheck(slug) {
      if (slug === value()) ask(0);
    },
  };
}
