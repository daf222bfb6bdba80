// tools/bench/run helper: turns wrk's BENCH_JSON lines into a table.
//   node tools/bench/report.mjs <results-dir> <id>=<label>... [--compare=<idA>,<idB>]...
//   (one <id>.out per route)
// Prints a Markdown table (req/s, p50, p90, p99, errors, ratio to the first
// route, the no-I/O ceiling) and writes results.json beside the outputs. Each
// --compare=A,B adds a line below the table: route B against route A (req/s
// and latency ratios, B/A, and the latency B adds, B − A in ms), e.g. the same
// MCP call with an OAuth access token against a master token, or the proxy
// against the upstream called directly; those lines also go to
// comparisons.json. "bad answers" counts the 2xx answers whose body failed
// the route's check (wrk.lua BENCH_EXPECT / BENCH_REJECT; "—" when the route
// has none); like non-2xx and socket errors, any makes the run fail.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...args] = process.argv.slice(2);
const compares = args.filter((a) => a.startsWith('--compare=')).map((a) => a.slice('--compare='.length).split(','));
const routes = args.filter((a) => !a.startsWith('--'));
const rows = routes.map((arg) => {
  const [id, route] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  let text;
  try {
    text = readFileSync(join(dir, `${id}.out`), 'utf8');
  } catch {
    return { id, route, error: 'not measured' };
  }
  const line = text.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) return { id, route, error: 'no result (wrk failed?)' };
  const r = JSON.parse(line.slice('BENCH_JSON '.length));
  const seconds = r.duration_us / 1e6;
  const errors = r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
  // wrk's own status count covers >= 400 only; wrk.lua's check (when the
  // route has one) counts every answer outside 2xx.
  const non2xx = Math.max(r.errors.status, r.checks?.non2xx ?? 0);
  return {
    id,
    route,
    rps: r.requests / seconds,
    requests: r.requests,
    p50_ms: r.latency_us.p50 / 1000,
    p90_ms: r.latency_us.p90 / 1000,
    p99_ms: r.latency_us.p99 / 1000,
    max_ms: r.latency_us.max / 1000,
    non2xx,
    bad_answers: r.checks ? r.checks.bad : null,
    socket_errors: errors,
  };
});
const base = rows[0]?.rps;
const f = (n, d = 2) => (n === undefined ? '—' : n.toFixed(d));
// ratios: two decimals, more significant digits when small (0.0042×)
const fr = (n) => (Math.abs(n) >= 0.1 ? f(n) : n.toPrecision(2));
// milliseconds: three decimals below 1 ms (the upstream alone)
const fms = (n) => f(n, Math.abs(n) < 1 ? 3 : 2);
const sign = (n) => `${n >= 0 ? '+' : '−'}${f(Math.abs(n))}`;
const lines = [
  '| route | req/s | p50 ms | p90 ms | p99 ms | vs /healthz (req/s) | non-2xx | bad answers | socket errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of rows) {
  if (r.error) {
    lines.push(`| \`${r.route}\` | ${r.error} | | | | | | | |`);
    continue;
  }
  lines.push(`| \`${r.route}\` | ${f(r.rps, 0)} | ${f(r.p50_ms)} | ${f(r.p90_ms)} | ${f(r.p99_ms)} | ${base ? f(r.rps / base, 2) : '—'} | ${r.non2xx} | ${r.bad_answers ?? '—'} | ${r.socket_errors} |`);
}
console.log(lines.join('\n'));
writeFileSync(join(dir, 'results.json'), JSON.stringify(rows, null, 2));

const comparisons = [];
for (const [a, b] of compares) {
  const A = rows.find((r) => r.id === a);
  const B = rows.find((r) => r.id === b);
  if (!A || !B || A.error || B.error) {
    console.log(`\n${B?.route ?? b} vs ${A?.route ?? a}: not compared (${!A || !B ? 'unknown route' : 'not measured'})`);
    continue;
  }
  const c = {
    route: B.route,
    against: A.route,
    rps_ratio: B.rps / A.rps,
    p50_ratio: B.p50_ms / A.p50_ms,
    p90_ratio: B.p90_ms / A.p90_ms,
    p99_ratio: B.p99_ms / A.p99_ms,
    added_p50_ms: B.p50_ms - A.p50_ms,
    added_p90_ms: B.p90_ms - A.p90_ms,
    added_p99_ms: B.p99_ms - A.p99_ms,
    // Time per request at the measured throughput (1 / req/s): with every
    // connection busy, what one request costs the whole machine.
    cost_ms: 1000 / B.rps,
    against_cost_ms: 1000 / A.rps,
    added_cost_ms: 1000 / B.rps - 1000 / A.rps,
  };
  comparisons.push(c);
  console.log(`\n\`${B.route}\` vs \`${A.route}\`: ${fr(c.rps_ratio)}× the req/s (${f(B.rps, 0)} vs ${f(A.rps, 0)}); ` +
    `latency ${f(c.p50_ratio)}× at p50 (${f(B.p50_ms)} vs ${f(A.p50_ms)} ms), ${f(c.p90_ratio)}× at p90, ${f(c.p99_ratio)}× at p99; ` +
    `added latency ${sign(c.added_p50_ms)} ms at p50, ${sign(c.added_p90_ms)} at p90, ${sign(c.added_p99_ms)} at p99; ` +
    `time per request (1 / req/s) ${fms(c.cost_ms)} vs ${fms(c.against_cost_ms)} ms: ${sign(c.added_cost_ms)} ms`);
}
if (compares.length) writeFileSync(join(dir, 'comparisons.json'), JSON.stringify(comparisons, null, 2));
const bad = rows.filter((r) => r.error || r.non2xx > 0 || r.bad_answers > 0 || r.socket_errors > 0);
if (bad.length) {
  console.error(`\nWARNING: invalid measurements for ${bad.map((r) => r.route).join(', ')} (errors, non-2xx or bad answers, or not measured)`);
  process.exitCode = 1;
}
