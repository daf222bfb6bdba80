// Reads what `conformance server -o <dir>` wrote and summarises it the way the
// CLI judges a baseline: a scenario fails when any of its checks is FAILURE or
// WARNING (conformance 0.1.16, expected-failures evaluation).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} ScenarioResult
 * @property {string} scenario e.g. `tools-call-image`
 * @property {boolean} passed no FAILURE and no WARNING check
 * @property {boolean} expected listed in the baseline
 * @property {string[]} problems `STATUS name: message` of each failing check
 */

/**
 * @param {string} resultsDir the CLI's `-o` directory (`server-<scenario>-<timestamp>/checks.json`)
 * @param {string[]} baseline scenario names expected to fail
 * @returns {ScenarioResult[]} one per scenario that wrote results, by name
 */
export function readResults(resultsDir, baseline) {
  if (!existsSync(resultsDir)) return [];
  const expected = new Set(baseline);
  const out = [];
  for (const dir of readdirSync(resultsDir).sort()) {
    const file = join(resultsDir, dir, 'checks.json');
    if (!existsSync(file)) continue;
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    const checks = JSON.parse(readFileSync(file, 'utf8'));
    const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
    out.push({
      scenario,
      passed: bad.length === 0,
      expected: expected.has(scenario),
      problems: bad.map((c) => `${c.status} ${c.name}: ${c.errorMessage ?? c.description}`),
    });
  }
  return out;
}

/**
 * Scenario names under `server:` in a baseline file (a YAML list of plain
 * scalars, one `  - name  # reason` per line; the CLI parses it fully).
 * @param {string} file
 * @returns {string[]}
 */
export function baselineScenarios(file) {
  const names = [];
  let inServer = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\S/.test(line)) inServer = /^server:/.test(line);
    const m = inServer && line.match(/^\s+-\s+([\w/-]+)/);
    if (m) names.push(m[1]);
  }
  return names;
}
