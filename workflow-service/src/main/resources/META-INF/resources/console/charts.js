/*
 * The console's time charts, drawn with uPlot (MIT, github.com/leeoniya/uPlot): served by this
 * service from its WebJar (org.webjars.npm:uplot in the pom) under ../webjars/, so the pages' CSP
 * "script-src 'self'" holds and nothing comes from another origin; index.html links its stylesheet.
 * uPlot is imported on first use, so that the console works without it (only without charts).
 * Series differ by dash pattern and their legend label, not by colour alone.
 *
 * bucketed() is pure (no DOM) and unit-tested with Node's test runner (src/test/js).
 */

export const UPLOT_VERSION = '1.6.30'; // the WebJar's version in the pom
const UPLOT_URL = new URL(`../webjars/uplot/${UPLOT_VERSION}/dist/uPlot.esm.js`, import.meta.url).href;
const MAX_BUCKETS = 2000;

/**
 * Sparse buckets ({time, <field>: count}, as the stats API answers them) as uPlot's data: the
 * bucket starts in seconds from the first bucket that holds `from` to the last that starts before
 * `to` (empty buckets as 0), then one array per field, summing points of the same bucket (several
 * workflows' series at once). The grid runs through the API's own bucket starts, however it
 * aligned them.
 */
export function bucketed(from, to, bucketSeconds, points, fields) {
  const step = bucketSeconds > 0 ? bucketSeconds : 3600;
  const start = Date.parse(from) / 1000;
  const end = Date.parse(to) / 1000;
  const times = points.map((p) => Date.parse(p.time) / 1000).filter(Number.isFinite);
  const anchor = times.length ? Math.min(...times) : start;
  if (!Number.isFinite(anchor)) return [[], ...fields.map(() => [])];
  const first = Number.isFinite(start) ? anchor - Math.ceil((anchor - start) / step) * step : anchor;
  const lastPoint = times.length ? Math.max(...times) : -Infinity;
  const xs = [];
  for (let x = first; (x < end || x <= lastPoint) && xs.length < MAX_BUCKETS; x += step) xs.push(x);
  if (!xs.length) xs.push(first);
  const ys = fields.map(() => xs.map(() => 0));
  points.forEach((p) => {
    const at = Math.round((Date.parse(p.time) / 1000 - first) / step);
    if (!(at >= 0 && at < xs.length)) return;
    fields.forEach((field, i) => { ys[i][at] += Number(p[field]) || 0; });
  });
  return [xs, ...ys];
}

// Told apart without colour: the line's dash, the legend marker's border style, the label.
const STYLES = [
  { colour: '--run', dash: [], marker: 'solid' },
  { colour: '--ok', dash: [10, 5], marker: 'dashed' },
  { colour: '--fail', dash: [2, 4], marker: 'dotted' },
  { colour: '--idle', dash: [12, 4, 2, 4], marker: 'double' },
];
// Whole counts only on the y axis.
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7];

let loading = null;

function loadUPlot() {
  if (!loading) {
    loading = import(UPLOT_URL).then((module) => module.default).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

function cssColour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || 'currentColor';
}

/**
 * Draws a line chart of counts over time into `holder` (emptied first): `data` as bucketed()
 * returns it, `labels` one per series. Resolves to { destroy() }; rejects when uPlot cannot be
 * loaded.
 */
export async function countChart(holder, data, labels, { height = 220 } = {}) {
  const UPlot = await loadUPlot();
  const grid = { stroke: cssColour('--border'), width: 1 };
  const axis = { stroke: cssColour('--muted'), grid, ticks: grid };
  const width = () => Math.max(300, holder.clientWidth || 600);
  holder.replaceChildren();
  const plot = new UPlot({
    width: width(),
    height,
    scales: { y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
    axes: [axis, { ...axis, incrs: COUNT_STEPS, values: (u, ticks) => ticks.map((v) => String(v)) }],
    series: [{}, ...labels.map((label, i) => {
      const style = STYLES[i % STYLES.length];
      return {
        label,
        stroke: cssColour(style.colour),
        width: 2,
        dash: style.dash,
        points: { show: true, size: 5 },
        value: (u, v) => (v === null || v === undefined ? '-' : String(v)),
      };
    })],
    legend: { markers: { width: 3, dash: (u, i) => STYLES[(i - 1) % STYLES.length].marker } },
    cursor: { drag: { x: false, y: false } },
  }, data, holder);
  // Follows the width of its panel.
  const resized = new ResizeObserver(() => {
    if (plot.width !== width()) plot.setSize({ width: width(), height });
  });
  resized.observe(holder);
  return {
    destroy() {
      resized.disconnect();
      plot.destroy();
    },
  };
}
