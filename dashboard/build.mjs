// Builds the dashboard into dashboard/dist/, the directory wrangler.toml's
// [assets] serves: one ESM entry (src/main.jsx) bundled and minified by
// esbuild with code splitting, so every page (src/pages/*.jsx, imported lazily
// by src/routes.js) is its own chunk and a page's libraries (uPlot on Activity)
// load only with it. Every file under dist/assets/ has a content hash in its
// name; index.html (written here, no inline script or style) names the hashed
// entry JS and CSS; _headers carries the security headers and cache rules.
//
// Then it measures each page's first load: the gzip size of the entry JS, the
// CSS and every chunk the page's own chunk imports statically (what the browser
// must fetch before the page can render), and fails when any page exceeds the
// budget (100 KB gzipped, issue 11).
//
// Usage: node dashboard/build.mjs            (from any directory)
// Exit status: 0 built and within budget; 1 build error or over budget.
import { build } from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'dist');
const ASSETS = join(OUT, 'assets');
/** First-load budget per page: JS + CSS, gzipped, in bytes. */
const BUDGET = 100 * 1024;

/**
 * The page's security headers (docs/dashboard.md "CSP"). Nothing inline is
 * allowed: Preact's `style` props go through CSSOM, which style-src permits.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

// Workers Static Assets `_headers`: every rule whose path matches applies, so
// the long cache of /assets/* first detaches the no-cache given to every path.
const HEADERS = `/*
  Content-Security-Policy: ${CSP}
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Cache-Control: no-cache

/assets/*
  ! Cache-Control
  Cache-Control: public, max-age=31536000, immutable
`;

function indexHtml(js, css) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>vaultedge</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The vaultedge dashboard needs JavaScript. The CLI (apilocker) and the REST API at /v1 work without it.</noscript>
</body>
</html>
`;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Every page path of src/routes.js must be one of wrangler.toml's negative
 * run_worker_first rules (served by the assets), or the Worker would answer
 * its JSON 404 for it. Route parameters (`:id`) are tried as a sample value.
 * @throws {Error} naming the paths no rule serves
 */
async function checkServedPaths() {
  const toml = await readFile(join(HERE, '..', 'wrangler.toml'), 'utf8');
  const list = toml.match(/^run_worker_first\s*=\s*\[([^\]]*)\]/m);
  if (!list) throw new Error('wrangler.toml [assets] has no run_worker_first list');
  const negatives = [...list[1].matchAll(/"!([^"]+)"/g)].map((m) => m[1]);
  const served = (path) =>
    negatives.some((rule) => (rule.endsWith('/*') ? path.startsWith(rule.slice(0, -1)) : path === rule));
  const routes = await readFile(join(HERE, 'src', 'routes.js'), 'utf8');
  const paths = [...routes.matchAll(/\bpath:\s*'([^']+)'/g)].map((m) => m[1].replace(/:[a-z]+/gi, 'sample'));
  const missing = paths.filter((p) => !served(p));
  if (missing.length) {
    throw new Error(`wrangler.toml run_worker_first needs a negative rule ("!/page") for: ${missing.join(', ')}`);
  }
}

async function main() {
  await checkServedPaths();
  // The directory itself stays (a running `wrangler dev` watches it); files
  // of earlier builds are removed once the new ones are written.
  await mkdir(ASSETS, { recursive: true });

  const result = await build({
    absWorkingDir: HERE,
    entryPoints: { main: 'src/main.jsx' },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: ['es2022', 'chrome111', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });

  const outputs = result.metafile.outputs;
  const rel = (p) => relative(ASSETS, join(HERE, p));
  let entryJs = null;
  let entryCss = null;
  for (const [file, info] of Object.entries(outputs)) {
    if (info.entryPoint === 'src/main.jsx' && file.endsWith('.js')) entryJs = file;
    if (file.endsWith('.css')) {
      if (entryCss) throw new Error(`more than one stylesheet: ${entryCss}, ${file} (import CSS from src/styles/main.css only)`);
      entryCss = file;
    }
  }
  if (!entryJs || !entryCss) throw new Error('esbuild produced no entry JS or no CSS');

  await writeFile(join(OUT, 'index.html'), indexHtml(rel(entryJs), rel(entryCss)));
  await writeFile(join(OUT, '_headers'), HEADERS);
  const fresh = new Set(Object.keys(outputs).map(rel));
  for (const f of await readdir(ASSETS)) {
    if (!fresh.has(f)) await rm(join(ASSETS, f), { recursive: true, force: true });
  }

  // Sizes: gzip each output once.
  const gz = new Map();
  for (const file of Object.keys(outputs)) {
    gz.set(file, gzipSync(await readFile(join(HERE, file)), { level: 9 }).length);
  }
  /** Every file loaded before `file` runs: itself and its static imports, transitively. */
  const closure = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const imp of outputs[file].imports) {
      if (imp.kind === 'import-statement' && outputs[imp.path]) closure(imp.path, seen);
    }
    return seen;
  };
  const shell = closure(entryJs);
  shell.add(entryCss);

  const rows = [];
  for (const [file, info] of Object.entries(outputs)) {
    const page = info.entryPoint?.match(/^src\/pages\/([\w-]+)\.jsx$/)?.[1];
    if (!page || !file.endsWith('.js')) continue;
    const files = closure(file, new Set(shell));
    let total = 0;
    for (const f of files) total += gz.get(f);
    rows.push({ page, total, files: files.size });
  }
  rows.sort((a, b) => a.page.localeCompare(b.page));

  let shellTotal = 0;
  for (const f of shell) shellTotal += gz.get(f);
  console.log(`dashboard: first load per page, JS + CSS gzipped (budget ${kb(BUDGET)})`);
  console.log(`  ${'(shell)'.padEnd(12)} ${kb(shellTotal).padStart(9)}  entry ${basename(entryJs)} + ${basename(entryCss)}`);
  let over = false;
  for (const r of rows) {
    const flag = r.total > BUDGET ? '  OVER BUDGET' : '';
    over ||= r.total > BUDGET;
    console.log(`  ${r.page.padEnd(12)} ${kb(r.total).padStart(9)}  ${r.files} files${flag}`);
  }
  if (rows.length === 0) throw new Error('no page chunks found (src/routes.js must import src/pages/*.jsx lazily)');
  if (over) {
    console.error(`dashboard: a page's first load exceeds ${kb(BUDGET)} gzipped`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`dashboard build failed: ${e.message}`);
  process.exit(1);
});
