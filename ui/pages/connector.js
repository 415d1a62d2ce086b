/**
 * One connector: its status (Burrow evaluation, desired state, lag, last error), the last hour
 * of rate, lag and errors as charts (kept by the console, sampled every few seconds), its
 * workers and partitions, and the operator's controls — pause, resume, restart, reset — each
 * confirmed with a reason that goes to the audit trail. Viewers see the controls disabled.
 */
import { api } from '../api.js';
import { html, rate, useMemo, useState, when } from '../lib.js';
import { Badge, ErrorNote, OPERATOR_ONLY, canOperate, say, usePolling } from '../parts/common.js';
import { TimeChart } from '../parts/chart.js';
import { ReasonDialog } from '../parts/reason-dialog.js';

const ACTIONS = {
  pause: { label: 'Pause', description: 'Every worker stops fetching; batches in progress finish. Events wait on the topic.' },
  resume: { label: 'Resume', description: 'Workers start fetching again.' },
  restart: { label: 'Restart', description: 'Every worker stops its consumers gracefully and joins the group again.' },
  reset: { label: 'Reset to a time', description: 'Moves the connector\'s committed offsets to the first event at or after the time. Events after it are delivered again; idempotency keys keep them from being applied twice.' },
};

export function ConnectorPage({ name, session }) {
  const [status, error, reload] = usePolling(() => api(`/api/connectors/${encodeURIComponent(name)}`), 5000, [name]);
  const [series] = usePolling(() => api(`/api/connectors/${encodeURIComponent(name)}/series`), 5000, [name]);
  const [action, setAction] = useState(undefined);
  const allowed = canOperate(session);

  const run = async (verb, reason, toTime) => {
    const body = verb === 'reset' ? { reason, toTime: new Date(toTime).toISOString() } : { reason };
    await api(`/api/connectors/${encodeURIComponent(name)}/${verb}`, { method: 'POST', body });
    say(`${ACTIONS[verb].label}: done for ${name}`);
    reload();
  };
  const charts = useMemo(() => series ? [
    { title: 'Events per second', unit: '/s', series: [{ label: 'consumed', values: series.consumedPerSecond, color: '#2f6fb0' }, { label: 'applied', values: series.appliedPerSecond, color: '#1d8a6b' }] },
    { title: 'Lag (events not yet settled)', unit: '', series: [{ label: 'lag', values: series.lag, color: '#b5651d' }] },
    { title: 'Errors per second (retries, parkings, dead letters)', unit: '/s', series: [{ label: 'errors', values: series.errorsPerSecond, color: '#c0392b' }] },
  ] : [], [series]);

  if (error) return html`<h1>${name}</h1><${ErrorNote} error=${error} /><p><a href="#/flow">Back to the flow map</a></p>`;
  if (!status) return html`<h1>${name}</h1><p>Loading…</p>`;
  const paused = status.desiredState === 'paused';
  return html`
    <p class="crumbs"><a href="#/flow">Flow map</a> › ${name}</p>
    <h1>${name} <${Badge} status=${status.status} /> ${paused ? html`<${Badge} status="paused" />` : null}</h1>
    <p class="lead">${status.description}. Reads ${status.sources.join(', ')}; writes to ${status.target.toUpperCase()}.</p>
    <dl class="facts">
      <div><dt>Desired state</dt><dd>${status.desiredState}</dd></div>
      <div><dt>Lag</dt><dd>${status.lag}</dd></div>
      <div><dt>Consumed</dt><dd>${rate(status.rates.consumedPerSecond)}</dd></div>
      <div><dt>Applied</dt><dd>${rate(status.rates.appliedPerSecond)}</dd></div>
      <div><dt>Group members</dt><dd>${status.groupMembers}</dd></div>
      <div><dt>Last error</dt><dd>${status.lastError ? html`<span>${status.lastError.code} at ${when(status.lastError.at)}</span><br/><span class="hint">${status.lastError.message}</span>` : 'none'}</dd></div>
    </dl>
    <section aria-labelledby="controls-title">
      <h2 id="controls-title">Control</h2>
      ${allowed ? null : html`<p class="hint" id="operator-only">${OPERATOR_ONLY}</p>`}
      <div class="actions">
        ${['pause', 'resume', 'restart', 'reset'].map((verb) => html`
          <button type="button" disabled=${!allowed || (verb === 'pause' && paused) || (verb === 'resume' && !paused)}
            aria-describedby=${allowed ? undefined : 'operator-only'} onClick=${() => setAction(verb)}>${ACTIONS[verb].label}</button>`)}
        <a class="button" href=${'#/dead-letters'}>Dead letters</a>
      </div>
    </section>
    ${action ? html`<${ReasonDialog} title=${`${ACTIONS[action].label} ${name}?`} description=${ACTIONS[action].description} confirmLabel=${ACTIONS[action].label}
        extra=${action === 'reset' ? { label: 'Reset to (local time)', type: 'datetime-local', initial: new Date(Date.now() - 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) } : undefined}
        onConfirm=${(reason, extra) => run(action, reason, extra)} onClose=${() => setAction(undefined)} />` : null}
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">The last hour</h2>
      ${series && series.at.length === 0 ? html`<p class="hint">No samples yet: the console samples every ${Math.round(series.intervalMs / 1000)} s.</p>` : null}
      <div class="charts">${series ? charts.map((chart) => html`<${TimeChart} title=${chart.title} at=${series.at} series=${chart.series} unit=${chart.unit} />`) : html`<p>Loading the charts…</p>`}</div>
    </section>
    <section aria-labelledby="workers-title">
      <h2 id="workers-title">Workers</h2>
      <table class="data">
        <caption class="visually-hidden">Workers of ${name}</caption>
        <thead><tr><th scope="col">Worker</th><th scope="col">State</th><th scope="col">Partitions</th><th scope="col">Consumed</th><th scope="col">Applied</th><th scope="col">Parked</th><th scope="col">Dead-lettered</th><th scope="col">Since</th></tr></thead>
        <tbody>${status.workers.length === 0 ? html`<tr><td colspan="8">No worker runs this connector.</td></tr>` : status.workers.map((w) => html`<tr>
          <th scope="row">${w.workerId}</th><td>${w.state}</td>
          <td>${Object.entries(w.assignment).map(([topic, parts]) => `${topic}: ${parts.join(', ')}`).join('; ') || '–'}</td>
          <td class="num">${w.stats.consumed}</td><td class="num">${w.stats.delivered}</td><td class="num">${w.stats.parked}</td><td class="num">${w.stats.deadLettered}</td><td>${when(w.startedAt)}</td></tr>`)}</tbody>
      </table>
    </section>
    <section aria-labelledby="partitions-title">
      <h2 id="partitions-title">Partitions</h2>
      <table class="data">
        <caption class="visually-hidden">Source partitions of ${name}</caption>
        <thead><tr><th scope="col">Topic</th><th scope="col">Partition</th><th scope="col">Committed</th><th scope="col">End</th><th scope="col">Lag</th><th scope="col">Status</th><th scope="col">Worker</th></tr></thead>
        <tbody>${status.partitions.map((p) => html`<tr><td>${p.topic}</td><td class="num">${p.partition}</td><td class="num">${p.committed}</td><td class="num">${p.end}</td><td class="num">${p.lag}</td><td><${Badge} status=${p.status} /></td><td>${p.worker ?? '–'}</td></tr>`)}</tbody>
      </table>
    </section>`;
}
