/**
 * A time-series chart (uPlot): `series` are [{label, values, color}] over the `at` times (epoch
 * ms). The figures behind it are also in a visually hidden table for screen readers.
 */
import uPlot from '/vendor/uplot.mjs';
import { html, useEffect, useRef } from '../lib.js';

export function TimeChart({ title, at, series, unit = '', height = 180, padSeconds = 0, points = false }) {
  const box = useRef(null);
  const plot = useRef(null);
  // Padded charts (one point per day) get their time axis around the points: a single day still reads as a day.
  const fit = () => {
    if (!padSeconds || !plot.current || at.length === 0) return;
    plot.current.setScale('x', { min: at[0] / 1000 - padSeconds, max: at[at.length - 1] / 1000 + padSeconds });
  };
  useEffect(() => {
    if (!box.current) return undefined;
    const width = () => Math.max(240, (box.current?.clientWidth || 600) - 4);
    plot.current = new uPlot({
      width: width(), height,
      series: [{}, ...series.map((s) => ({
        label: s.label, stroke: s.color, width: 2, fill: points ? undefined : `${s.color}22`,
        points: points ? { show: true, size: 8, fill: s.color } : undefined,
        value: (_u, v) => (v === null || v === undefined ? '–' : `${v}${unit}`),
      }))],
      axes: [{}, { values: (_u, ticks) => ticks.map((v) => `${v}${unit}`), size: 60 }],
      scales: { x: { time: true, auto: !padSeconds } },
      legend: { live: true },
    }, [at.map((t) => t / 1000), ...series.map((s) => s.values)], box.current);
    fit();
    // The chart follows its box (the grid settles after the first paint, and the window may change).
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: width(), height }));
    observer.observe(box.current);
    return () => { observer.disconnect(); plot.current?.destroy(); plot.current = null; };
  }, [series.length]);
  useEffect(() => {
    plot.current?.setData([at.map((t) => t / 1000), ...series.map((s) => s.values)]);
    fit();
  }, [at, series]);
  const last = at.length - 1;
  return html`
    <figure class="chart">
      <figcaption>${title}</figcaption>
      <div ref=${box} aria-hidden="true"></div>
      <table class="visually-hidden">
        <caption>${title}: the latest value</caption>
        <tbody>${series.map((s) => html`<tr><th scope="row">${s.label}</th><td>${last >= 0 ? `${s.values[last]}${unit}` : 'no data yet'}</td></tr>`)}</tbody>
      </table>
    </figure>`;
}
