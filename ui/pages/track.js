/**
 * "Where is X?": one search box takes any id of any system and shows the business flow it
 * belongs to as a timeline across the CRM, ERP and SCM — every event and every connector
 * outcome, each with its latency from the step before — where the flow waits and why (parked
 * for a missing customer, dead-lettered, waiting on a target), with the dead letter to replay,
 * and the trace ids (linked when a trace UI is configured). It refreshes while the flow moves.
 */
import { api } from '../api.js';
import { duration, eventName, html, tone, useEffect, useRef, useState, when } from '../lib.js';
import { Badge, ErrorNote, OPERATOR_ONLY, canOperate, say, usePolling } from '../parts/common.js';
import { ReasonDialog } from '../parts/reason-dialog.js';

const LANES = ['crm', 'erp', 'scm'];
const OUTCOME_WORDS = { applied: 'applied', parked: 'parked', 'dead-lettered': 'dead-lettered', replayed: 'replayed', discarded: 'discarded' };

export function TrackPage({ session, query }) {
  const [text, setText] = useState(query ?? '');
  const field = useRef(null);
  useEffect(() => { setText(query ?? ''); if (!query) field.current?.focus(); }, [query]);
  const submit = (event) => {
    event.preventDefault();
    if (text.trim()) location.hash = `#/track/${encodeURIComponent(text.trim())}`;
  };
  return html`
    <h1>Track</h1>
    <form class="search" role="search" onSubmit=${submit}>
      <label for="track-q">Any id of any system</label>
      <input id="track-q" ref=${field} type="search" value=${text} onInput=${(event) => setText(event.currentTarget.value)} aria-describedby="track-hint" autocomplete="off" spellcheck="false" />
      <button type="submit" class="primary">Find</button>
      <p id="track-hint" class="hint">A CRM order or customer id, an ERP sales order, invoice, payment, account or purchase order number, an SCM shipment id, a carrier tracking number, a SKU, or an event id.</p>
    </form>
    ${query ? html`<${Flow} key=${query} query=${query} session=${session} />` : null}`;
}

function Flow({ query, session }) {
  const [pick, setPick] = useState(undefined);
  const [done, setDone] = useState(false);
  const url = `/api/track?q=${encodeURIComponent(query)}${pick ? `&kind=${pick.kind}&id=${encodeURIComponent(pick.subject)}` : ''}`;
  const [answer, error, reload] = usePolling(() => api(url), done ? 0 : 2000, [url, done]);
  useEffect(() => { if (answer) setDone(answer.status === 'complete'); }, [answer?.status]);
  const announced = useRef(undefined);
  useEffect(() => {
    if (answer && announced.current !== answer.status) {
      announced.current = answer.status;
      say(`${answer.subject ? `${answer.subject.kind} ${answer.subject.id}` : query}: ${answer.status}${answer.order ? `, ${answer.order.stage}` : ''}`);
    }
  }, [answer?.status]);
  if (error) return html`<${ErrorNote} error=${error} />`;
  if (!answer) return html`<p>Looking for ${query}…</p>`;
  const subject = answer.subject;
  return html`
    <section aria-labelledby="flow-title">
      <h2 id="flow-title">${subject ? `${subject.kind === 'order' ? 'Order' : subject.kind} ${subject.id}` : `Events naming ${query}`}
        <${Badge} status=${answer.status} /> ${answer.order ? html`<${Badge} status="info" label=${answer.order.stage} />` : null}</h2>
      ${answer.matches.length > 1 ? html`<p>${query} also names: ${answer.matches.filter((m) => m.kind !== subject?.kind || m.subject !== subject?.id).map((m) => html` <button type="button" class="link" onClick=${() => setPick(m)}>${m.kind} ${m.subject} (${m.label})</button>`)}</p>` : null}
      ${answer.order?.next ? html`<p class="next"><strong>Next:</strong> ${answer.order.next}</p>` : null}
      ${answer.ids.length > 1 ? html`<dl class="facts ids">${answer.ids.map((entry) => html`<div><dt>${entry.label}</dt><dd>${entry.id}</dd></div>`)}</dl>` : null}
      <${Waiting} waiting=${answer.waiting} session=${session} onReplayed=${reload} />
      <${Timeline} steps=${answer.steps} traceLinks=${answer.traceLinks} />
      ${answer.truncated ? html`<p class="hint">Only the newest 300 events are shown.</p>` : null}
      ${answer.traceIds.length > 0 ? html`<p class="traces">Trace${answer.traceIds.length > 1 ? 's' : ''}: ${answer.traceIds.map((id) => answer.traceLinks[id] ? html` <a href=${answer.traceLinks[id]} target="_blank" rel="noreferrer">${id}</a>` : html` <code>${id}</code>`)}</p>` : null}
    </section>`;
}

function Waiting({ waiting, session, onReplayed }) {
  const [replaying, setReplaying] = useState(undefined);
  if (waiting.length === 0) return null;
  const allowed = canOperate(session);
  const replay = async (reason) => {
    const answer = await api(`/api/connectors/${replaying.connector}/dead-letters/${replaying.deadLetterId}/replay`, { method: 'POST', body: reason ? { reason } : {} });
    say(`dead letter ${replaying.deadLetterId}: ${answer.results[0]?.outcome ?? 'done'}`);
    onReplayed();
  };
  return html`
    <section class=${`waiting ${waiting.some((w) => w.state === 'dead-lettered' || w.state === 'parked') ? 'stuck' : ''}`} aria-labelledby="waiting-title">
      <h3 id="waiting-title">Waiting</h3>
      ${allowed ? null : html`<p class="hint" id="operator-only">${OPERATOR_ONLY}</p>`}
      <ul>${waiting.map((w) => html`<li>
        <${Badge} status=${w.state} /> <strong>${eventName(w.eventType)}</strong> in <a href=${`#/connectors/${w.connector}`}>${w.connector}</a> for ${duration(w.waitingMs)}: ${w.reason}
        ${w.deadLetterId ? html` <span class="actions inline">
          <a class="button" href=${`#/dead-letters/${w.connector}/${w.deadLetterId}`}>Open dead letter ${w.deadLetterId}</a>
          <button type="button" class="primary" disabled=${!allowed} aria-describedby=${allowed ? undefined : 'operator-only'} onClick=${() => setReplaying(w)}>Replay</button></span>` : null}
      </li>`)}</ul>
      ${replaying ? html`<${ReasonDialog} required=${false} title=${`Replay dead letter ${replaying.deadLetterId} of ${replaying.connector}?`}
          description=${`The ${eventName(replaying.eventType)} event goes once more through ${replaying.connector}, with its original event id. Fix the cause first: ${replaying.reason}`}
          confirmLabel="Replay" onConfirm=${replay} onClose=${() => setReplaying(undefined)} />` : null}
    </section>`;
}

function Timeline({ steps, traceLinks }) {
  if (steps.length === 0) return html`<p class="empty">No events yet.</p>`;
  return html`
    <table class="data timeline">
      <caption>Timeline: every event and connector outcome, oldest first</caption>
      <thead><tr><th scope="col">Time</th><th scope="col">After</th>${LANES.map((lane) => html`<th scope="col" class="lane">${lane.toUpperCase()}</th>`)}<th scope="col">What</th><th scope="col">Trace</th></tr></thead>
      <tbody>${steps.map((step) => {
        const lane = step.kind === 'event' ? step.system : step.target;
        const label = step.kind === 'event'
          ? html`<strong>${eventName(step.eventType)}</strong> <span class="hint">${step.system.toUpperCase()}</span><br/>${step.summary}`
          : html`<${Badge} status=${step.outcome} label=${OUTCOME_WORDS[step.outcome]} /> by <a href=${`#/connectors/${step.connector}`}>${step.connector}</a> → ${step.target.toUpperCase()}
              ${step.code ? html`<br/><span class="hint">${step.code}${step.message ? `: ${step.message}` : ''}</span>` : null}
              ${step.by ? html`<br/><span class="hint">by ${step.by.actor}${step.by.reason ? `: ${step.by.reason}` : ''}</span>` : null}`;
        return html`<tr class=${`step ${step.kind} ${step.kind === 'outcome' ? tone(step.outcome) : ''}`} data-step=${step.kind === 'event' ? eventName(step.eventType) : step.outcome}>
          <td>${when(step.at)}</td>
          <td class="num">${step.sincePreviousMs === null ? '–' : `+${duration(step.sincePreviousMs)}`}</td>
          ${LANES.map((l) => html`<td class="lane">${l === lane ? html`<span class=${`dot ${l}`} aria-label=${l.toUpperCase()}></span>` : null}</td>`)}
          <td>${label}</td>
          <td>${step.kind === 'event' && step.traceId ? (traceLinks[step.traceId] ? html`<a href=${traceLinks[step.traceId]} target="_blank" rel="noreferrer" title=${step.traceId}>${step.traceId.slice(0, 8)}…</a>` : html`<code title=${step.traceId}>${step.traceId.slice(0, 8)}…</code>`) : ''}</td>
        </tr>`;
      })}</tbody>
    </table>`;
}
