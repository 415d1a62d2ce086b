/** The audit trail: who did what, when, to what, and why — every operator action and every refused attempt, newest first. */
import { api } from '../api.js';
import { html, useEffect, useState, when } from '../lib.js';
import { Badge, ErrorNote } from '../parts/common.js';

function target(entry) {
  const t = entry.target ?? {};
  return [t.connector, t.deadLetters?.join(', '), t.code, t.token ? `token ${t.token}` : null].filter(Boolean).join(' ');
}

export function AuditPage() {
  const [entries, setEntries] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(undefined);
  const load = (before) => api(`/api/audit?limit=50${before ? `&before=${before}` : ''}`).then((page) => {
    setEntries((now) => (before ? [...now, ...page.entries] : page.entries));
    setNext(page.next);
  }, setError);
  useEffect(() => { load(); }, []);
  return html`
    <h1>Audit trail</h1>
    <p class="lead">Every operator action through the console, the CLI or the API, with the reason given; refused attempts too.</p>
    <div class="toolbar"><button type="button" onClick=${() => load()}>Refresh</button></div>
    <${ErrorNote} error=${error} />
    <table class="data">
      <caption class="visually-hidden">Audit entries, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Role</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Why</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${entries.length === 0 ? html`<tr><td colspan="7">No operator action yet.</td></tr>` : entries.map((entry) => html`<tr>
        <td>${when(entry.at)}</td><td>${entry.actor}</td><td>${entry.role}</td><td>${entry.action}</td><td>${target(entry)}</td><td>${entry.reason ?? '–'}</td>
        <td><${Badge} status=${entry.outcome === 'ok' ? 'OK' : 'ERR'} label=${entry.outcome === 'ok' ? 'ok' : `failed ${entry.code ?? ''}`} />${entry.detail?.replayed !== undefined ? ` ${entry.detail.replayed} replayed` : ''}</td></tr>`)}</tbody>
    </table>
    ${next ? html`<button type="button" onClick=${() => load(next)}>Older entries</button>` : null}`;
}
