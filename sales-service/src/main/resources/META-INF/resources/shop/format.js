/*
 * Amounts, billing cycles and the API's sentences, as the page shows them. Amounts are JSON numbers
 * with two decimals. The page does no arithmetic on them (line totals and the total are the API's)
 * and shows each with exactly two decimals, which gives back the API's digits for any amount below
 * 10^13.
 */

import { h } from '../_pages/common.js';

export const CYCLES = ['monthly', 'annual'];
export const CYCLE_LABEL = { monthly: 'Monthly', annual: 'Annual' };
export const CYCLE_PERIOD = { monthly: 'month', annual: 'year' };
export const CYCLE_ADVERB = { monthly: 'monthly', annual: 'annually' };

const formats = new Map();

function currencyFormat(currency) {
  if (!formats.has(currency)) {
    let format = null;
    try {
      format = new Intl.NumberFormat(undefined, {
        style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2,
      });
    } catch (e) {
      // Not a currency code Intl knows: shown as "XYZ 12.00" instead.
    }
    formats.set(currency, format);
  }
  return formats.get(currency);
}

function formatMoney(value, currency) {
  const amount = Number(value);
  if (value === null || value === undefined || !Number.isFinite(amount)) return '-';
  const format = currency ? currencyFormat(currency) : null;
  return format ? format.format(amount) : `${currency ? `${currency} ` : ''}${amount.toFixed(2)}`;
}

/** An amount with its currency; data-amount holds it with two decimals as the API wrote it. */
export function money(value, currency, testid) {
  const amount = Number(value);
  return h('span', {
    class: 'money', testid, 'data-currency': currency || '',
    'data-amount': value === null || value === undefined || !Number.isFinite(amount) ? '' : amount.toFixed(2),
  }, formatMoney(value, currency));
}

/**
 * JSON of `fields` with the amount `name` last, written with two decimals as the API wrote it (598.00
 * stays 598.00, which JSON.stringify would make 598): the API compares it with the cart's total.
 */
export function jsonWithAmount(fields, name, amount) {
  const text = JSON.stringify(fields);
  return `${text.slice(0, -1)}${text === '{}' ? '' : ','}${JSON.stringify(name)}:${Number(amount).toFixed(2)}}`;
}

/** The API's detail as a sentence of its own: a capital first, a full stop last. */
export function sentence(text) {
  const said = String(text || '').trim();
  if (!said) return '';
  return `${said[0].toUpperCase()}${said.slice(1)}${/[.!?]$/.test(said) ? '' : '.'}`;
}
