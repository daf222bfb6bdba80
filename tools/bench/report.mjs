// tools/bench/run helper: turns wrk's BENCH_JSON lines into a table.
//   node tools/bench/report.mjs <results-dir> <id>=<label>... [--compare=<idA>,<idB>]...
//   (one <id>.out per route)
// Prints a Markdown table (req/s, p50, p90, p99, errors, ratio to the first
// route, the no-I/O ceiling) and writes results.json beside the outputs. Each
// --compare=A,B adds a line below the table: route B against route A (req/s
// and latency ratios, B/A), e.g. the same MCP call with an OAuth access token
// against a master token; those lines also go to comparisons.json.
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
  return {
    id,
    route,
    rps: r.requests / seconds,
    requests: r.requests,
    p50_ms: r.latency_us.p50 / 1000,
    p90_ms: r.latency_us.p90 / 1000,
    p99_ms: r.latency_us.p99 / 1000,
    max_ms: r.latency_us.max / 1000,
    non2xx: r.errors.status,
    socket_errors: errors,
  };
});
const base = rows[0]?.rps;
const f = (n, d = 2) => (n === undefined ? '—' : n.toFixed(d));
const lines = [
  '| route | req/s | p50 ms | p90 ms | p99 ms | vs /healthz (req/s) | non-2xx | socket errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of rows) {
  if (r.error) {
    lines.push(`| \`${r.route}\` | ${r.error} | | | | | | |`);
    continue;
  }
  lines.push(`| \`${r.route}\` | ${f(r.rps, 0)} | ${f(r.p50_ms)} | ${f(r.p90_ms)} | ${f(r.p99_ms)} | ${base ? f(r.rps / base, 2) : '—'} | ${r.non2xx} | ${r.socket_errors} |`);
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
  };
  comparisons.push(c);
  console.log(`\n\`${B.route}\` vs \`${A.route}\`: ${f(c.rps_ratio)}× the req/s (${f(B.rps, 0)} vs ${f(A.rps, 0)}); ` +
    `latency ${f(c.p50_ratio)}× at p50 (${f(B.p50_ms)} vs ${f(A.p50_ms)} ms), ${f(c.p90_ratio)}× at p90, ${f(c.p99_ratio)}× at p99`);
}
if (compares.length) writeFileSync(join(dir, 'comparisons.json'), JSON.stringify(comparisons, null, 2));
const bad = rows.filter((r) => r.error || r.non2xx > 0 || r.socket_errors > 0);
if (bad.length) {
  console.error(`\nWARNING: invalid measurements for ${bad.map((r) => r.route).join(', ')} (errors or non-2xx answers)`);
  process.exitCode = 1;
}
