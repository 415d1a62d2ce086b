/** Small pieces the pages share: status badges, the live announcer, errors, the role gate. */
import { html, tone, useEffect, useState } from '../lib.js';

/** A status word with its colour; the word itself carries the meaning (not the colour alone). */
export function Badge({ status, label }) {
  return html`<span class=${`badge ${tone(status)}`}>${label ?? status}</span>`;
}

/** An error answer of the API, shown where the action was. */
export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert"><strong>${error.code ?? 'Error'}</strong>: ${error.message}</p>`;
}

/** Whether the signed-in role may use operator controls, and why not. */
export function canOperate(session) {
  return session?.role === 'operator' || session?.role === 'admin';
}
export const OPERATOR_ONLY = 'Needs the operator role: your token is a viewer\'s.';

let announce = () => {};
/** Says `text` to screen readers (a polite live region). */
export function say(text) {
  announce(text);
}

/** The live region `say` writes to; one per page. */
export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    announce = (next) => {
      setText('');
      setTimeout(() => setText(next), 50);
    };
    return () => { announce = () => {}; };
  }, []);
  return html`<div class="visually-hidden" role="status" aria-live="polite">${text}</div>`;
}

/** Calls `load` now and every `ms` while the page shows; returns [data, error, reload]. */
export function usePolling(load, ms, deps = []) {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let active = true;
    const run = () => load().then((value) => { if (active) { setData(value); setError(undefined); } }, (reason) => { if (active) setError(reason); });
    run();
    const timer = ms ? setInterval(run, ms) : undefined;
    return () => { active = false; if (timer) clearInterval(timer); };
  }, [...deps, tick]);
  return [data, error, () => setTick((n) => n + 1)];
}
