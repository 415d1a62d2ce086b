/**
 * What every page of the console shares: the libraries (served from node_modules by the
 * console, no CDN), the html tag (htm bound to Preact), and small formatting helpers.
 */
import { h, render } from '/vendor/preact.mjs';
import htm from '/vendor/htm.mjs';

export { h, render };
export { useState, useEffect, useRef, useCallback, useMemo } from '/vendor/preact-hooks.mjs';
export const html = htm.bind(h);

/** "1.2 s", "340 ms", "3 min 4 s", "2 h 5 min" for a duration in milliseconds. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
  return `${Math.floor(ms / 86_400_000)} d ${Math.round((ms % 86_400_000) / 3_600_000)} h`;
}

/** A time as the operator reads it: local time with seconds, and the date when it is not today. */
export function when(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : `${date.toLocaleDateString()} ${time}`;
}

/** A rate such as 2.35 events/s, shortened. */
export function rate(perSecond) {
  if (!perSecond) return '0/s';
  return `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}

/** Cents as an amount: 53790 EUR → "537.90 EUR". */
export function money(cents, currency) {
  return `${(cents / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

/** The short name of an event type: switchboard.crm.OrderPlaced → OrderPlaced. */
export function eventName(type) {
  return String(type ?? '').split('.').pop();
}

/** CSS class of a Burrow status or a delivery state. */
export function tone(status) {
  return { OK: 'ok', WARN: 'warn', ERR: 'err', applied: 'ok', complete: 'ok', 'in-progress': 'info', stuck: 'err', parked: 'warn', 'dead-lettered': 'err', replayed: 'info', discarded: 'muted', pending: 'info', paused: 'muted', info: 'info' }[status] ?? 'muted';
}
