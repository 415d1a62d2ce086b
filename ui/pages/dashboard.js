/**
 * The business dashboard: decision support on top of the integrated systems, computed by the
 * console from its tracking projection (never from the services' databases) — order-to-cash
 * cycle time and each stage's, orders and revenue per day, credit holds and rejections,
 * backorders, items below their reorder point, and orders stuck longer than N minutes.
 */
import { api } from '../api.js';
import { duration, html, money, useState, when } from '../lib.js';
import { ErrorNote, usePolling } from '../parts/common.js';
import { TimeChart } from '../parts/chart.js';

export function DashboardPage() {
  const [days, setDays] = useState('14');
  const [stuckMinutes, setStuckMinutes] = useState('10');
  const [data, error] = usePolling(() => api(`/api/dashboard?days=${days}&stuckMinutes=${stuckMinutes}`), 10_000, [days, stuckMinutes]);
  return html`
    <h1>Dashboard</h1>
    <p class="lead">Order to cash across the CRM, ERP and SCM, from the events themselves.</p>
    <form class="toolbar" onSubmit=${(event) => event.preventDefault()}>
      <label for="dash-days">Days</label>
      <select id="dash-days" value=${days} onChange=${(event) => setDays(event.currentTarget.value)}>${['1', '7', '14', '30', '90'].map((d) => html`<option value=${d}>${d}</option>`)}</select>
      <label for="dash-stuck">Stuck after (minutes)</label>
      <input id="dash-stuck" type="number" min="1" max="10080" value=${stuckMinutes} onChange=${(event) => { if (Number(event.currentTarget.value) >= 1) setStuckMinutes(String(Math.round(Number(event.currentTarget.value)))); }} />
    </form>
    <${ErrorNote} error=${error} />
    ${data ? html`<${Figures} data=${data} />` : html`<p>Loading…</p>`}`;
}

function Figures({ data }) {
  const currencies = [...new Set(data.perDay.flatMap((d) => [...Object.keys(d.revenue), ...Object.keys(d.invoiced)]))];
  const at = data.perDay.map((d) => Date.parse(`${d.day}T12:00:00Z`));
  return html`
    <section aria-labelledby="cycle-title" class="cards">
      <h2 id="cycle-title" class="visually-hidden">Cycle time</h2>
      <div class="card" data-figure="cycle-p50"><h3>Order to cash, median</h3><p class="big">${duration(data.cycleTime.p50Ms)}</p><p class="hint">p50 of ${data.cycleTime.count} paid orders</p></div>
      <div class="card" data-figure="cycle-p90"><h3>Order to cash, p90</h3><p class="big">${duration(data.cycleTime.p90Ms)}</p><p class="hint">placed → invoice settled</p></div>
      <div class="card"><h3>Stuck orders</h3><p class=${`big ${data.stuck.count > 0 ? 'bad' : ''}`}>${data.stuck.count}</p><p class="hint">waiting over ${data.stuck.afterMinutes} min</p></div>
      <div class="card"><h3>Backorders</h3><p class="big">${data.backorders.count}</p><p class="hint">short of stock, not dispatched</p></div>
      <div class="card"><h3>Credit holds</h3><p class="big">${data.credit.holds.length}</p><p class="hint">accounts on HOLD or BLOCKED</p></div>
    </section>
    <section aria-labelledby="stages-title">
      <h2 id="stages-title">Stages of order to cash</h2>
      <table class="data">
        <caption class="visually-hidden">Time spent in each stage, over the orders that passed it</caption>
        <thead><tr><th scope="col">Stage</th><th scope="col">From → to</th><th scope="col">Median</th><th scope="col">p90</th><th scope="col">Orders</th></tr></thead>
        <tbody>${data.stages.map((s) => html`<tr><th scope="row">${s.stage}</th><td>${s.from} → ${s.to}</td><td class="num">${duration(s.p50Ms)}</td><td class="num">${duration(s.p90Ms)}</td><td class="num">${s.count}</td></tr>`)}</tbody>
      </table>
    </section>
    <section aria-labelledby="days-title">
      <h2 id="days-title">Per day</h2>
      ${at.length > 0 ? html`<div class="charts">
        <${TimeChart} title="Orders per day" at=${at} padSeconds=${43_200} points=${true} series=${[
          { label: 'placed', values: data.perDay.map((d) => d.placed), color: '#2f6fb0' },
          { label: 'confirmed', values: data.perDay.map((d) => d.confirmed), color: '#1d8a6b' },
          { label: 'rejected', values: data.perDay.map((d) => d.rejected), color: '#c0392b' }]} />
        ${currencies.map((currency) => html`<${TimeChart} title=${`Revenue per day (${currency})`} at=${at} padSeconds=${43_200} points=${true} series=${[
          { label: 'confirmed', values: data.perDay.map((d) => (d.revenue[currency] ?? 0) / 100), color: '#7a4fb5' },
          { label: 'invoiced', values: data.perDay.map((d) => (d.invoiced[currency] ?? 0) / 100), color: '#b5651d' }]} />`)}
      </div>` : html`<p class="empty">No orders in the window.</p>`}
      <table class="data">
        <caption>Orders and revenue per day (UTC)</caption>
        <thead><tr><th scope="col">Day</th><th scope="col">Placed</th><th scope="col">Confirmed</th><th scope="col">Rejected</th><th scope="col">Confirmed revenue</th><th scope="col">Invoiced</th></tr></thead>
        <tbody>${[...data.perDay].reverse().map((d) => html`<tr><th scope="row">${d.day}</th><td class="num">${d.placed}</td><td class="num">${d.confirmed}</td><td class="num">${d.rejected}</td>
          <td class="num">${Object.entries(d.revenue).map(([c, cents]) => money(cents, c)).join(', ') || '–'}</td><td class="num">${Object.entries(d.invoiced).map(([c, cents]) => money(cents, c)).join(', ') || '–'}</td></tr>`)}</tbody>
      </table>
    </section>
    <div class="two">
      <section aria-labelledby="holds-title">
        <h2 id="holds-title">Credit holds</h2>
        ${data.credit.holds.length === 0 ? html`<p class="empty">No account on hold.</p>` : html`<ul>${data.credit.holds.map((h) => html`<li><a href=${`#/track/${h.customerId}`}>${h.customerId}</a> (${h.accountNumber}): ${h.status} since ${when(h.since)}${h.reason ? ` — ${h.reason}` : ''}</li>`)}</ul>`}
        <h3>Rejections by reason</h3>
        ${data.credit.rejections.length === 0 ? html`<p class="empty">No rejections.</p>` : html`<ul>${data.credit.rejections.map((r) => html`<li>${r.reason}: ${r.count}</li>`)}</ul>`}
      </section>
      <section aria-labelledby="stock-title">
        <h2 id="stock-title">Stock</h2>
        <h3>Below the reorder point</h3>
        ${data.belowReorderPoint.length === 0 ? html`<p class="empty">Nothing below its reorder point.</p>` : html`<ul>${data.belowReorderPoint.map((s) => html`<li><a href=${`#/track/${s.sku}`}>${s.sku}</a> in ${s.warehouse}: ${s.available} available, point ${s.reorderPoint}</li>`)}</ul>`}
        <h3>Backordered orders</h3>
        ${data.backorders.orders.length === 0 ? html`<p class="empty">No backorders.</p>` : html`<ul>${data.backorders.orders.map((o) => html`<li><a href=${`#/track/${o.orderId}`}>${o.orderId}</a> since ${when(o.since)}</li>`)}</ul>`}
      </section>
    </div>
    <section aria-labelledby="stuck-title">
      <h2 id="stuck-title">Stuck orders (waiting over ${data.stuck.afterMinutes} min)</h2>
      ${data.stuck.orders.length === 0 ? html`<p class="empty">No order is stuck.</p>` : html`<table class="data">
        <caption class="visually-hidden">Stuck orders, longest waiting first</caption>
        <thead><tr><th scope="col">Order</th><th scope="col">Waiting since</th><th scope="col">In</th><th scope="col">State</th></tr></thead>
        <tbody>${data.stuck.orders.map((o) => html`<tr><th scope="row"><a href=${`#/track/${o.orderId}`}>${o.orderId}</a></th><td>${when(o.since)}</td><td>${o.connector}</td><td>${o.state}</td></tr>`)}</tbody></table>`}
    </section>
    <p class="hint">Figures as of ${when(data.generatedAt)}; percentiles are nearest-rank.</p>`;
}
