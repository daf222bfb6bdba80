// Calls per day over the last 30 days (GET /v1/activity/stats), drawn with
// uPlot — this module is imported only by the Activity page, so uPlot is in
// that page's chunk and nowhere else. Grouped by key or by app; the measure is
// all calls, reveals, proxy calls, denials (or MCP tool calls for apps). The
// busiest six groups are drawn, the rest summed as "others". The same numbers
// are available as a table for screen readers and keyboard users.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { Table } from '../../components/table.jsx';
import { LoadError, Loading } from '../../components/empty.jsx';
import { useResource } from '../../lib/resource.js';

const MAX_SERIES = 6;
const MEASURES = {
  all: 'All calls',
  reveals: 'Reveals',
  proxy: 'Proxy calls',
  denials: 'Denials',
  tool_calls: 'MCP tool calls',
};

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const zeros = (n) => new Array(n).fill(0);

/** One row of numbers per group for the chosen measure. */
function valuesOf(item, measure, n) {
  if (measure === 'all') {
    const out = zeros(n);
    for (const m of ['reveals', 'proxy', 'tool_calls']) (item[m] || []).forEach((v, i) => (out[i] += v));
    return out;
  }
  return item[measure] || zeros(n);
}

/** {labels, rows} for the chart: top groups by total plus "others". */
function seriesOf(stats, by, measure) {
  const n = stats.days.length;
  const items = (by === 'key' ? stats.by_key : stats.by_app) || [];
  const named = items.map((it) => ({
    label: by === 'key' ? it.key_name || it.key_id || '(deleted key)' : it.client || it.client_id || '(unknown app)',
    values: valuesOf(it, measure, n),
  }));
  named.sort((a, b) => sum(b.values) - sum(a.values));
  const top = named.slice(0, MAX_SERIES).filter((s) => sum(s.values) > 0);
  const rest = named.slice(MAX_SERIES);
  if (rest.length && rest.some((s) => sum(s.values) > 0)) {
    const others = zeros(n);
    for (const s of rest) s.values.forEach((v, i) => (others[i] += v));
    top.push({ label: `${rest.length} others`, values: others });
  }
  return top;
}

function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    series: [v('--series-1'), v('--series-2'), v('--series-3'), v('--series-4'), v('--muted'), v('--text'), v('--border')],
    axis: v('--muted'),
    grid: v('--border-soft'),
  };
}

function Plot({ days, series, label }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const colors = palette();
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const axis = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
    const opts = {
      width: Math.max(280, el.clientWidth),
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
      axes: [axis, { ...axis, size: 44 }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colors.series[i % colors.series.length],
          width: 2,
          points: { size: 4 },
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [days, series]);
  return <div ref={box} class="chart" role="img" aria-label={label} />;
}

export function ActivityChart() {
  const { data, error, reload } = useResource('/v1/activity/stats?days=30');
  const [by, setBy] = useState('key');
  const [measure, setMeasure] = useState('all');
  const series = useMemo(() => (data ? seriesOf(data, by, measure) : []), [data, by, measure]);
  const colors = useMemo(() => (data ? palette().series : []), [data]);

  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Loading what="Loading the chart" />;
  const label = `${MEASURES[measure]} per day by ${by === 'key' ? 'key' : 'app'}, last 30 days (UTC)`;
  const measures = Object.entries(MEASURES).filter(([m]) => by === 'app' || m !== 'tool_calls');
  return (
    <div class="stack">
      <div class="row">
        <div class="field">
          <label for="chart-by">Group by</label>
          <select id="chart-by" value={by} onChange={(e) => setBy(e.currentTarget.value)}>
            <option value="key">Key</option>
            <option value="app">App</option>
          </select>
        </div>
        <div class="field">
          <label for="chart-measure">Measure</label>
          <select id="chart-measure" value={measure} onChange={(e) => setMeasure(e.currentTarget.value)}>
            {measures.map(([m, l]) => (
              <option value={m} key={m}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Plot days={data.days} series={series} label={`Calls per day: ${label}`} />
      {series.length === 0 ? (
        <p class="muted">No {MEASURES[measure].toLowerCase()} in the last 30 days.</p>
      ) : (
        <ul class="legend" aria-label="Chart legend">
          {series.map((s, i) => (
            <li key={s.label}>
              <span class="swatch" style={{ background: colors[i % colors.length] }} aria-hidden="true" />
              {s.label}: {sum(s.values)}
            </li>
          ))}
        </ul>
      )}
      {series.length > 0 && (
        <details>
          <summary>The chart's numbers as a table</summary>
          <Table caption={label} columns={['Day (UTC)', ...series.map((s) => s.label)]}>
            {data.days.map((d, i) => (
              <tr key={d}>
                <td class="nowrap">{d}</td>
                {series.map((s) => (
                  <td key={s.label}>{s.values[i]}</td>
                ))}
              </tr>
            ))}
          </Table>
        </details>
      )}
    </div>
  );
}
