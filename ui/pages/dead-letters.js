/**
 * Dead-letter triage: every connector's dead letters grouped by error code (one code usually
 * means one cause), a group opened into its dead letters, one opened with its reason, headers
 * and decoded payload (personal data masked for viewers); replay one, the selected ones or a
 * whole group, discard one with a reason; and what each replay became, followed on the tracking
 * timeline (applied, parked again, dead-lettered again).
 */
import { api } from '../api.js';
import { eventName, html, useEffect, useState, when } from '../lib.js';
import { Badge, ErrorNote, OPERATOR_ONLY, canOperate, say, usePolling } from '../parts/common.js';
import { ReasonDialog } from '../parts/reason-dialog.js';

const STATUSES = ['open', 'replayed', 'discarded', 'all'];
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function DeadLettersPage({ session, connector, id }) {
  const [status, setStatus] = useState('open');
  const [groups, error, reload] = usePolling(() => api(`/api/dead-letters?status=${status}`), 5000, [status]);
  const [results, setResults] = useState([]);
  const allowed = canOperate(session);
  const byCode = new Map();
  for (const group of groups?.groups ?? []) byCode.set(group.code, [...(byCode.get(group.code) ?? []), group]);
  const replayed = (connectorName, answer, letters = []) => {
    setResults((previous) => [...answer.results.map((r) => ({ ...r, connector: connectorName, eventId: letters.find((l) => l.id === r.id)?.eventId ?? r.eventId })), ...previous].slice(0, 50));
    say(`${answer.replayed} replayed, ${answer['already-replayed']} already replayed before, ${answer.discarded} discarded`);
    reload();
  };

  return html`
    <h1>Dead letters</h1>
    <p class="lead">Events a connector gave up on, grouped by error code across connectors. Fix the cause, then replay: each dead letter is replayed at most once, through its connector only.</p>
    ${allowed ? null : html`<p class="hint" id="operator-only">${OPERATOR_ONLY}</p>`}
    <div class="toolbar">
      <label for="dlq-status">Show</label>
      <select id="dlq-status" value=${status} onChange=${(event) => setStatus(event.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s === 'all' ? 'all dead letters' : `${s} dead letters`}</option>`)}
      </select>
    </div>
    <${ErrorNote} error=${error} />
    ${connector && id ? html`<${LetterDetail} connector=${connector} id=${id} allowed=${allowed} onReplayed=${replayed} onChanged=${reload} />` : null}
    ${results.length > 0 ? html`<${ReplayOutcomes} results=${results} />` : null}
    ${groups && byCode.size === 0 ? html`<p class="empty">No ${status === 'all' ? '' : `${status} `}dead letters.</p>` : null}
    ${[...byCode.entries()].map(([code, list]) => html`
      <section class="code-group" aria-labelledby=${`code-${code}`}>
        <h2 id=${`code-${code}`}>${code} <span class="count">${plural(list.reduce((n, g) => n + g.count, 0), 'dead letter')}, ${list.reduce((n, g) => n + g.open, 0)} open</span></h2>
        ${list.map((group) => html`<${ConnectorGroup} key=${`${group.connector}/${code}/${status}`} group=${group} status=${status} allowed=${allowed} onReplayed=${replayed} />`)}
      </section>`)}`;
}

function ConnectorGroup({ group, status, allowed, onReplayed }) {
  const [open, setOpen] = useState(false);
  const [letters, setLetters] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [selected, setSelected] = useState(new Set());
  const [dialog, setDialog] = useState(undefined);
  const load = () => api(`/api/connectors/${group.connector}/dead-letters?code=${group.code}&status=${status}&limit=200`).then((answer) => setLetters(answer.letters), setError);
  useEffect(() => { if (open) load(); }, [open, status, group.count, group.open]);
  const toggle = (letterId) => setSelected((now) => { const next = new Set(now); if (next.has(letterId)) next.delete(letterId); else next.add(letterId); return next; });
  const listId = `letters-${group.connector}-${group.code}`;
  const replay = async (reason, ids) => {
    const body = ids ? { ids, ...(reason ? { reason } : {}) } : { code: group.code, ...(reason ? { reason } : {}) };
    const answer = await api(`/api/connectors/${group.connector}/dead-letters/replay`, { method: 'POST', body });
    setSelected(new Set());
    onReplayed(group.connector, answer, letters ?? []);
    if (open) load();
  };
  return html`
    <div class="connector-group">
      <div class="row">
        <strong><a href=${`#/connectors/${group.connector}`}>${group.connector}</a></strong>
        <span>${group.count} in all: ${group.open} open, ${group.replayed} replayed, ${group.discarded} discarded; last ${when(group.lastSeen)}</span>
        <button type="button" aria-expanded=${open} aria-controls=${listId} onClick=${() => setOpen(!open)}>${open ? 'Hide' : 'Show'} dead letters</button>
        <button type="button" disabled=${!allowed || group.open === 0} aria-describedby=${allowed ? undefined : 'operator-only'}
          onClick=${() => setDialog({ kind: 'group' })}>Replay all ${group.open} open</button>
      </div>
      ${open ? html`<div id=${listId}>
        <${ErrorNote} error=${error} />
        ${letters ? html`
          <table class="data">
            <caption class="visually-hidden">Dead letters of ${group.connector} with ${group.code}</caption>
            <thead><tr><th scope="col">Select</th><th scope="col">Id</th><th scope="col">Key</th><th scope="col">Failed</th><th scope="col">Status</th><th scope="col">Why</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
            <tbody>${letters.map((letter) => html`<tr>
              <td><input type="checkbox" id=${`pick-${group.connector}-${letter.id}`} aria-label=${`Select dead letter ${letter.id} (key ${letter.key})`} disabled=${letter.status !== 'open'}
                checked=${selected.has(letter.id)} onChange=${() => toggle(letter.id)} /></td>
              <td>${letter.id}</td><td>${letter.key ?? '–'}</td><td>${when(letter.failedAt)}</td><td><${Badge} status=${letter.status === 'open' ? 'dead-lettered' : letter.status} label=${letter.status} /></td>
              <td class="message">${letter.errorMessage}</td>
              <td><a class="button" href=${`#/dead-letters/${group.connector}/${letter.id}`}>Open</a></td>
            </tr>`)}</tbody>
          </table>
          <button type="button" disabled=${!allowed || selected.size === 0} aria-describedby=${allowed ? undefined : 'operator-only'} onClick=${() => setDialog({ kind: 'selected' })}>Replay ${selected.size} selected</button>` : html`<p>Loading…</p>`}
      </div>` : null}
      ${dialog ? html`<${ReasonDialog} required=${false}
          title=${dialog.kind === 'group' ? `Replay every open ${group.code} dead letter of ${group.connector}?` : `Replay ${selected.size} dead letters of ${group.connector}?`}
          description="Each is sent once more through this connector only, with its original event id, so effects already applied are not applied twice."
          confirmLabel="Replay" onConfirm=${(reason) => replay(reason, dialog.kind === 'selected' ? [...selected] : undefined)} onClose=${() => setDialog(undefined)} />` : null}
    </div>`;
}

function LetterDetail({ connector, id, allowed, onReplayed, onChanged }) {
  const [letter, setLetter] = useState(undefined);
  const [error, setError] = useState(undefined);
  const [dialog, setDialog] = useState(undefined);
  const load = () => api(`/api/connectors/${connector}/dead-letters/${id}`).then(setLetter, setError);
  useEffect(() => { setLetter(undefined); load(); }, [connector, id]);
  const replay = async (reason) => {
    const answer = await api(`/api/connectors/${connector}/dead-letters/${id}/replay`, { method: 'POST', body: reason ? { reason } : {} });
    onReplayed(connector, answer, [letter]);
    await load();
  };
  const discard = async (reason) => {
    await api(`/api/connectors/${connector}/dead-letters/${id}/discard`, { method: 'POST', body: { reason } });
    say(`dead letter ${id} discarded`);
    onChanged();
    await load();
  };
  return html`
    <section class="detail" aria-labelledby="letter-title">
      <h2 id="letter-title">Dead letter ${id} of ${connector} <a class="close" href="#/dead-letters" aria-label="Close the dead letter">×</a></h2>
      <${ErrorNote} error=${error} />
      ${letter ? html`
        <dl class="facts">
          <div><dt>Status</dt><dd><${Badge} status=${letter.status === 'open' ? 'dead-lettered' : letter.status} label=${letter.status} />${letter.mark ? ` by ${letter.mark.by ?? '?'} at ${when(letter.mark.at)}${letter.mark.reason ? `: ${letter.mark.reason}` : ''}` : ''}</dd></div>
          <div><dt>Error</dt><dd>${letter.errorCode}</dd></div>
          <div class="wide"><dt>Reason</dt><dd class="message">${letter.errorMessage}</dd></div>
          <div><dt>Attempts</dt><dd>${letter.attempts}</dd></div>
          <div><dt>Failed</dt><dd>${when(letter.failedAt)}</dd></div>
          <div><dt>From</dt><dd>${letter.originalTopic} partition ${letter.originalPartition} offset ${letter.originalOffset}</dd></div>
          <div><dt>Key</dt><dd>${letter.key ?? '–'}</dd></div>
          <div><dt>Event</dt><dd>${letter.eventId ? html`<a href=${`#/track/${letter.eventId}`}>${letter.eventId}</a>` : '–'}</dd></div>
        </dl>
        <div class="actions">
          <button type="button" class="primary" disabled=${!allowed || letter.status !== 'open'} aria-describedby=${allowed ? undefined : 'operator-only'} onClick=${() => setDialog('replay')}>Replay</button>
          <button type="button" disabled=${!allowed || letter.status !== 'open'} aria-describedby=${allowed ? undefined : 'operator-only'} onClick=${() => setDialog('discard')}>Discard</button>
          ${letter.key ? html`<a class="button" href=${`#/track/${letter.key}`}>Track ${letter.key}</a>` : null}
        </div>
        <h3>Event${letter.payload ? `: ${eventName(letter.payload.eventType)}` : ''}${letter.masked ? ' (personal data masked for viewers)' : ''}</h3>
        ${letter.payload ? html`<pre class="payload" tabIndex="0" aria-label="Decoded event payload">${JSON.stringify(letter.payload.value, null, 2)}</pre>`
          : html`<p class="error">${letter.decodeError}</p>${letter.raw ? html`<pre class="payload" tabIndex="0" aria-label="Raw bytes, base64">${letter.raw}</pre>` : null}`}
        <h3>Headers</h3>
        <table class="data compact"><caption class="visually-hidden">Headers of the event</caption>
          <tbody>${Object.entries(letter.headers).map(([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`)}</tbody></table>` : html`<p>Loading…</p>`}
      ${dialog === 'replay' ? html`<${ReasonDialog} required=${false} title=${`Replay dead letter ${id}?`} description=${`It goes once more through ${connector} only, with its original event id.`} confirmLabel="Replay" onConfirm=${replay} onClose=${() => setDialog(undefined)} />` : null}
      ${dialog === 'discard' ? html`<${ReasonDialog} title=${`Discard dead letter ${id}?`} description="It will not be applied. It stays on the dead-letter topic, marked discarded." confirmLabel="Discard" onConfirm=${discard} onClose=${() => setDialog(undefined)} />` : null}
    </section>`;
}

/** What each replay became: the API's answer, then the event's outcome in its connector from the tracking timeline. */
function ReplayOutcomes({ results }) {
  return html`
    <section class="detail" aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">Replays</h2>
      <table class="data">
        <caption class="visually-hidden">Outcome of each replay</caption>
        <thead><tr><th scope="col">Connector</th><th scope="col">Dead letter</th><th scope="col">Replay</th><th scope="col">Then</th></tr></thead>
        <tbody>${results.map((result) => html`<tr data-replay=${result.id}>
          <td>${result.connector}</td><td>${result.id}</td>
          <td>${result.outcome === 'replayed' ? 'replayed now' : result.outcome === 'already-replayed' ? 'already replayed before (skipped)' : 'discarded before (skipped)'}</td>
          <td>${result.outcome === 'replayed' && result.eventId ? html`<${TrackedOutcome} connector=${result.connector} eventId=${result.eventId} />` : '–'}</td></tr>`)}</tbody>
      </table>
    </section>`;
}

function TrackedOutcome({ connector, eventId }) {
  const [answer] = usePolling(() => api(`/api/track?q=${encodeURIComponent(eventId)}`), 2000, [eventId]);
  const steps = (answer?.steps ?? []).filter((step) => step.kind === 'outcome' && step.ceId === eventId && step.connector === connector);
  const last = steps.at(-1);
  if (!last || last.outcome === 'replayed') return html`<span class="replay-outcome">waiting for ${connector}…</span>`;
  return html`<span class="replay-outcome"><${Badge} status=${last.outcome} /> at ${when(last.at)} <a href=${`#/track/${eventId}`}>timeline</a></span>`;
}
