/**
 * The flow map: the three systems and the databases captured by `switchboard cdc`, the topics
 * each publishes, and the connectors that carry the events into the other systems, drawn from
 * the catalogue and the connector registry (a connector that produces events is drawn into the
 * system whose topics they go to).
 * Every connector's edge shows its live rate, lag, Burrow status (by colour and by word) and
 * dead letters, updated each second from the console's event stream. A connector is a link to
 * its page; the table under the map says the same for keyboards and screen readers.
 */
import { api, stream } from '../api.js';
import { html, rate, tone, useEffect, useMemo, useState, when } from '../lib.js';
import { Badge, ErrorNote } from '../parts/common.js';

const WIDTH = 1180;
const ROW = 46;
const TOP = 40;
const COLUMNS = { topic: { x: 20, w: 300 }, connector: { x: 450, w: 290 }, target: { x: 930, w: 230 } };
const SYSTEM_COLOURS = { crm: '#2f6fb0', erp: '#7a4fb5', scm: '#1d8a6b', topics: '#7a7a7a' };
/** A captured database (CDC) has no colour of its own. */
const colourOf = (name) => SYSTEM_COLOURS[name] ?? '#9a5b2e';

/** Where everything goes: topics grouped by their system on the left, connectors in the middle, target systems on the right. */
/** Connectors in the order of their first source topic (grouped by system), then by target: few crossing edges. */
function ordered(graph) {
  const topicOrder = graph.systems.flatMap((system) => graph.topics.filter((topic) => topic.system === system.name).map((topic) => topic.name));
  return [...graph.connectors].sort((a, b) => topicOrder.indexOf(a.sources[0]) - topicOrder.indexOf(b.sources[0]) || a.target.localeCompare(b.target));
}

function layout(graph) {
  const connectors = ordered(graph);
  const height = TOP + connectors.length * ROW + 20;
  const rows = graph.systems.reduce((n, system) => n + 1 + graph.topics.filter((topic) => topic.system === system.name).length, 0);
  const topicRow = (height - TOP - 20) / rows;
  const topics = new Map();
  const headers = [];
  let row = 0;
  for (const system of graph.systems) {
    headers.push({ system, y: TOP + row * topicRow });
    row++;
    for (const topic of graph.topics.filter((t) => t.system === system.name)) {
      topics.set(topic.name, { topic, y: TOP + row * topicRow + topicRow / 2 });
      row++;
    }
  }
  const placed = connectors.map((connector, i) => ({ connector, y: TOP + i * ROW + ROW / 2 }));
  // Written to: the systems (a captured database only publishes), and `topics` for connectors whose events go to several.
  const targetNames = [...graph.systems.filter((s) => s.kind === 'system').map((s) => s.name), ...(graph.connectors.some((c) => c.target === 'topics') ? ['topics'] : [])];
  const slot = (height - TOP - 20) / targetNames.length;
  const targets = new Map(targetNames.map((name, i) => [name, { name, title: graph.systems.find((s) => s.name === name)?.title ?? 'Topics', y: TOP + i * slot + 8, h: slot - 16 }]));
  return { height, topics, headers, placed, targets, topicRow };
}

/**
 * A topic's name shortened to fit its box: leading dot-separated parts give way to "…" (a
 * captured database's topic `cdc.legacy-warehouse.public.stock_levels` sits under its database's
 * heading and shows as `…public.stock_levels`). The whole name stays in the node's tooltip, its
 * accessible label and the table under the map. 13 px sans-serif stays under 8 px a character.
 */
const TOPIC_LABEL_CHARS = Math.floor((COLUMNS.topic.w - 20 - 40) / 8);
function fitted(name, chars = TOPIC_LABEL_CHARS) {
  if (name.length <= chars) return name;
  const parts = name.split('.');
  while (parts.length > 1 && parts.join('.').length > chars - 1) parts.shift();
  const tail = parts.join('.');
  return `…${tail.length > chars - 1 ? tail.slice(tail.length - (chars - 1)) : tail}`;
}

const curve = (x1, y1, x2, y2) => `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;

function describe(name, figures) {
  if (!figures) return `${name}: no figures yet`;
  const parts = [`status ${figures.status}`, figures.desiredState !== 'running' ? figures.desiredState : null, `${rate(figures.appliedPerSecond)} applied`, `lag ${figures.lag}`,
    figures.openDeadLetters ? `${figures.openDeadLetters} open dead letters` : null, figures.workers === 0 ? 'no worker running' : null];
  return `${name}: ${parts.filter(Boolean).join(', ')}`;
}

export function FlowMap({ graph, live }) {
  const map = useMemo(() => layout(graph), [graph]);
  const { topic: T, connector: C, target: G } = COLUMNS;
  return html`
    <svg class="flow-map" viewBox=${`0 0 ${WIDTH} ${map.height}`} role="group" aria-labelledby="flow-map-title">
      <title id="flow-map-title">Flow map: topics of each system, the connectors reading them, and the systems they write to</title>
      <text class="column-title" x=${T.x} y="22">Published by</text>
      <text class="column-title" x=${C.x} y="22">Connectors</text>
      <text class="column-title" x=${G.x} y="22">Written to</text>
      ${map.placed.map(({ connector, y }) => {
        const figures = live?.connectors?.[connector.name];
        const status = figures?.desiredState === 'paused' ? 'paused' : figures?.status ?? 'unknown';
        const moving = (figures?.appliedPerSecond ?? 0) > 0;
        const width = 2 + Math.min(6, Math.log2(1 + (figures?.appliedPerSecond ?? 0)) * 1.5);
        const target = map.targets.get(connector.target);
        return html`<g class=${`edge ${tone(status)}${moving ? ' moving' : ''}`} data-connector=${connector.name} aria-hidden="true">
          ${connector.sources.map((source) => {
            const from = map.topics.get(source);
            return from ? html`<path data-from=${source} d=${curve(T.x + T.w, from.y, C.x, y)} stroke-width=${width} />` : null;
          })}
          ${target ? html`<path data-to=${target.name} d=${curve(C.x + C.w, y, G.x, target.y + target.h / 2)} stroke-width=${width} />` : null}
        </g>`;
      })}
      ${map.headers.map(({ system, y }) => html`<text class="system-title" x=${T.x} y=${y + map.topicRow * 0.7} fill=${colourOf(system.name)}>${system.title}</text>`)}
      ${[...map.topics.values()].map(({ topic, y }) => {
        // The projection counts the domain topics; a captured database's topic has no rate ('–').
        const perSecond = live?.topics?.[topic.name]?.perSecond;
        const figure = perSecond === undefined ? '–' : rate(perSecond);
        const owner = graph.systems.find((system) => system.name === topic.system)?.title ?? topic.system;
        return html`<g class="node topic" aria-label=${`topic ${topic.name} of the ${owner}: ${figure}`} role="img">
          <title>${topic.name}</title>
          <rect x=${T.x} y=${y - 15} width=${T.w} height="30" rx="6" stroke=${colourOf(topic.system)} />
          <text x=${T.x + 10} y=${y + 5} data-topic=${topic.name}>${fitted(topic.name)}</text>
          <text class="figure" x=${T.x + T.w - 10} y=${y + 5} text-anchor="end">${figure}</text>
        </g>`;
      })}
      ${map.placed.map(({ connector, y }) => {
        const figures = live?.connectors?.[connector.name];
        const status = figures?.desiredState === 'paused' ? 'paused' : figures?.status ?? 'unknown';
        return html`<a href=${`#/connectors/${connector.name}`} class=${`node connector ${tone(status)}`} aria-label=${describe(connector.name, figures)}>
          <rect x=${C.x} y=${y - 19} width=${C.w} height="38" rx="6" />
          <text x=${C.x + 10} y=${y - 3}>${connector.name}</text>
          <text class="figure" x=${C.x + 10} y=${y + 13}>${figures ? `${status} · ${rate(figures.appliedPerSecond)} · lag ${figures.lag}${figures.openDeadLetters ? ` · ${figures.openDeadLetters} DLQ` : ''}` : '…'}</text>
        </a>`;
      })}
      ${[...map.targets.values()].map((target) => html`<g class="node target" data-system=${target.name} role="img" aria-label=${`${target.title}, written to by ${graph.connectors.filter((c) => c.target === target.name).length} connectors`}>
        <rect x=${G.x} y=${target.y} width=${G.w} height=${target.h} rx="10" stroke=${colourOf(target.name)} />
        <text class="system-title" x=${G.x + G.w / 2} y=${target.y + target.h / 2 + 6} text-anchor="middle" fill=${colourOf(target.name)}>${target.title}</text>
      </g>`)}
    </svg>`;
}

export function FlowMapPage() {
  const [graph, setGraph] = useState(undefined);
  const [live, setLive] = useState(undefined);
  const [state, setState] = useState('connecting');
  const [error, setError] = useState(undefined);
  useEffect(() => {
    api('/api/flow').then(setGraph, setError);
    return stream('/api/flow/stream', (name, data) => { if (name === 'flow') setLive(data); }, setState);
  }, []);
  return html`
    <h1>Flow map</h1>
    <p class="lead">Events published by the CRM, ERP and SCM and by the databases captured with change-data capture, and the connectors carrying them into the systems.
      Each connector shows what it applies per second, its lag and its status; follow one for its page.
      <span class=${`live ${state}`}>${state === 'live' ? `Live, updated ${when(live?.at)}` : state === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span></p>
    <${ErrorNote} error=${error} />
    <p class="legend" aria-hidden="true"><${Badge} status="OK" /> running and keeping up <${Badge} status="WARN" /> falling behind <${Badge} status="ERR" /> stopped, stalled or rewound <${Badge} status="paused" /> paused by an operator</p>
    ${graph ? html`<div class="map-frame"><${FlowMap} graph=${graph} live=${live} /></div>` : html`<p>Loading the map…</p>`}
    ${graph ? html`<${ConnectorTable} graph=${graph} live=${live} />` : null}`;
}

function ConnectorTable({ graph, live }) {
  return html`
    <table class="data">
      <caption>Connectors, live</caption>
      <thead><tr><th scope="col">Connector</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Applied</th><th scope="col">Lag</th><th scope="col">Open dead letters</th><th scope="col">Workers</th><th scope="col">Last error</th></tr></thead>
      <tbody>${ordered(graph).map((connector) => {
        const f = live?.connectors?.[connector.name];
        return html`<tr data-connector=${connector.name}>
          <th scope="row"><a href=${`#/connectors/${connector.name}`}>${connector.name}</a></th>
          <td>${connector.sources.join(', ')}</td>
          <td>${connector.target.toUpperCase()}</td>
          <td>${f ? html`<${Badge} status=${f.desiredState === 'paused' ? 'paused' : f.status} label=${f.desiredState === 'paused' ? `${f.status}, paused` : f.status} />` : '…'}</td>
          <td class="num">${f ? rate(f.appliedPerSecond) : '…'}</td>
          <td class="num">${f ? f.lag : '…'}</td>
          <td class="num">${f ? (f.openDeadLetters ? html`<a href="#/dead-letters">${f.openDeadLetters}</a>` : 0) : '…'}</td>
          <td class="num">${f ? f.workers : '…'}</td>
          <td>${f?.lastError ? html`<span title=${f.lastError.message}>${f.lastError.code}</span>` : '–'}</td>
        </tr>`;
      })}</tbody>
    </table>`;
}
