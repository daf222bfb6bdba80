// A loopback HTTP upstream for the proxy tests, run as its own process by
// tests/worker/upstream.mjs (child_process.fork). It listens on three ports of
// 127.0.0.1, all chosen by the OS:
//   main    the upstream a key's base_url points at
//   other   "another host": where /_redirect points; a proxy that followed the
//           redirect would show up here
//   control the test's side channel (never proxied): GET /requests, POST /reset
// and prints one JSON line `{"main": p, "other": p, "control": p}` on stdout.
//
// main and other record every request (method, raw path, raw query, every
// header as received, body as base64) and answer according to the special
// path segment they contain (anywhere in the path, so tests can use any base
// path):
//   /_reflect?from=SRC   echo the received credential in many forms (below)
//   /_echo               JSON of the request as received (headers included)
//   /_sleep?ms=N         answer after N ms (at most 120 s; the timer stops
//                        when the client goes away)
//   /_big?bytes=N&declare=0|1  an N-byte body, with or without Content-Length
//   /_redirect?code=302&from=SRC  a redirect to the `other` listener whose
//                        Location carries the credential percent-encoded
//   /_cookie             Set-Cookie headers
//   /_hop                hop-by-hop and spoofed X-Locker-* response headers
//   /_status?code=N      that status, small JSON body
//   anything else        200 JSON {method, path, query, body_length}
// SRC names where the credential arrived: bearer (Authorization: Bearer v),
// basic (Authorization: Basic base64(v) or base64(user:v): v is what follows
// the first ':' when there is one), auth (the raw Authorization value),
// header:<name>, query:<name>.
//
// /_reflect answers a text body with one form of the credential per line and
// headers x-echo-raw, x-echo-b64, x-echo-b64url, x-echo-pct, x-echo-auth; the
// reply header x-reflect-placements says how many occurrences it placed (each
// line and each x-echo-* header holds exactly one). With ?gzip=1 the body is
// sent gzip-compressed (Content-Encoding: gzip); with ?deflate=1 deflate-
// compressed (Content-Encoding: deflate, which the Workers runtime does not
// decode). With ?extra=1 it adds one line per further form a provider or a
// hostile upstream could use (extraForms: hex, letter case, \u escapes, HTML
// references, UTF-16, a mix of escapes), counted in x-reflect-placements too.
//
//   /_page               an HTML page with a script, and the headers that would
//                        act on the origin serving it (Service-Worker-Allowed,
//                        Clear-Site-Data, Refresh, Link, Access-Control-*, a
//                        permissive CSP)

import http from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';

import { extraForms } from './echo-forms.mjs';

const MAX_RECORDED_BODY = 2 * 1024 * 1024;
const MAX_SLEEP_MS = 120_000;
const MAX_BIG_BYTES = 64 * 1024 * 1024;

/** @type {Array<object>} */
const records = [];
let seq = 0;
const ports = { main: 0, other: 0, control: 0 };

function lowerHeaderPairs(raw) {
  const out = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i].toLowerCase(), raw[i + 1]]);
  return out;
}

function headerOf(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The credential as the request carried it, per `from` (see the header comment). */
function credentialOf(req, url, from) {
  const auth = headerOf(req, 'authorization') ?? '';
  if (from === 'bearer') return auth.startsWith('Bearer ') ? auth.slice(7) : null;
  if (from === 'auth') return auth || null;
  if (from === 'basic') {
    if (!auth.startsWith('Basic ')) return null;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  if (from?.startsWith('header:')) return headerOf(req, from.slice(7).toLowerCase()) ?? null;
  if (from?.startsWith('query:')) return url.searchParams.get(from.slice(6));
  return null;
}

function pctLower(s) {
  return encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

function reflect(req, res, url) {
  const from = url.searchParams.get('from') ?? '';
  const v = credentialOf(req, url, from);
  if (!v) {
    res.writeHead(422, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `no credential found at ${from}` }));
    return;
  }
  const b64 = Buffer.from(v).toString('base64');
  const json = JSON.stringify(v).slice(1, -1);
  const lines = [
    `raw: ${v}`,
    `json: "${json}"`,
    `json-slash: "${json.replaceAll('/', '\\/')}"`,
    `b64: ${b64}`,
    `b64-nopad: ${b64.replace(/=+$/, '')}`,
    `b64url: ${Buffer.from(v).toString('base64url')}`,
    `pct: ${encodeURIComponent(v)}`,
    `pct-lower: ${pctLower(v)}`,
    `in-json: ${JSON.stringify({ nested: { key: v } })}`,
  ];
  const headers = {
    'content-type': 'text/plain; charset=utf-8',
    'x-echo-b64': b64,
    'x-echo-b64url': Buffer.from(v).toString('base64url'),
    'x-echo-pct': encodeURIComponent(v),
    'x-echo-auth': headerOf(req, 'authorization') ?? `query ${v}`,
  };
  if (url.searchParams.get('extra') === '1') {
    for (const [label, text] of extraForms(v)) lines.push(`${label}: ${text}`);
  }
  let placements = lines.length + 4;
  // A raw header value must be a valid field value (no CR/LF/NUL).
  if (/^[\x20-\x7e]*$/.test(v)) {
    headers['x-echo-raw'] = v;
    placements += 1;
  }
  headers['x-reflect-placements'] = String(placements);
  let body = Buffer.from(`${lines.join('\n')}\n`);
  if (url.searchParams.get('gzip') === '1') {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  } else if (url.searchParams.get('deflate') === '1') {
    body = deflateSync(body);
    headers['content-encoding'] = 'deflate';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}

function big(res, url) {
  const bytes = Math.min(Number(url.searchParams.get('bytes') ?? 0) || 0, MAX_BIG_BYTES);
  const headers = { 'content-type': 'application/octet-stream' };
  if (url.searchParams.get('declare') !== '0') headers['content-length'] = String(bytes);
  res.writeHead(200, headers);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => { left = 0; });
  pump();
}

function handle(listener) {
  return (req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_RECORDED_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const body = Buffer.concat(chunks);
      records.push({
        seq: ++seq,
        listener,
        method: req.method,
        url: rawUrl,
        path: q >= 0 ? rawUrl.slice(0, q) : rawUrl,
        query: q >= 0 ? rawUrl.slice(q + 1) : null,
        headers: lowerHeaderPairs(req.rawHeaders),
        httpVersion: req.httpVersion,
        body: body.toString('base64'),
        bodyLength: size,
        at: Date.now(),
      });
      const url = new URL(rawUrl, `http://127.0.0.1:${ports[listener]}`);
      const segs = url.pathname.split('/');
      const has = (s) => segs.includes(s);
      if (has('_reflect')) return reflect(req, res, url);
      if (has('_echo')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(records.at(-1)));
        return;
      }
      if (has('_sleep')) {
        const ms = Math.min(Number(url.searchParams.get('ms') ?? 0) || 0, MAX_SLEEP_MS);
        const timer = setTimeout(() => {
          if (!res.destroyed) {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"slept":true}');
          }
        }, ms);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      if (has('_big')) return big(res, url);
      if (has('_redirect')) {
        const v = credentialOf(req, url, url.searchParams.get('from') ?? '') ?? 'none';
        const code = Number(url.searchParams.get('code') ?? 302) || 302;
        res.writeHead(code, {
          location: `http://127.0.0.1:${ports.other}/landing?k=${encodeURIComponent(v)}`,
          'content-type': 'text/plain',
        });
        res.end('moved');
        return;
      }
      if (has('_cookie')) {
        res.setHeader('set-cookie', ['upstream_session=s3cr3t-cookie; Path=/; HttpOnly', 'tracking=1; Path=/']);
        res.setHeader('content-type', 'application/json');
        res.end('{"cookies":"set"}');
        return;
      }
      if (has('_hop')) {
        res.writeHead(200, {
          connection: 'x-hop-custom',
          'x-hop-custom': 'must-not-pass',
          'keep-alive': 'timeout=7',
          trailer: 'x-some-trailer',
          'x-locker-redacted': '99',
          'x-locker-spoof': 'yes',
          'x-upstream-ok': 'yes',
          'content-type': 'application/json',
        });
        res.end('{"hop":true}');
        return;
      }
      if (has('_page')) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "script-src 'unsafe-inline'",
          'x-content-type-options': 'sniff-away',
          'content-disposition': 'inline',
          'service-worker-allowed': '/',
          'clear-site-data': '"cookies", "storage"',
          refresh: '0; url=https://attacker.example/',
          link: '<https://attacker.example/sw.js>; rel=serviceworker',
          'access-control-allow-origin': 'https://attacker.example',
          'access-control-allow-credentials': 'true',
          'x-upstream-page': 'yes',
        });
        res.end('<!doctype html><script>fetch("/v1/keys/reveal",{method:"POST"})</script>');
        return;
      }
      if (has('_status')) {
        const code = Number(url.searchParams.get('code') ?? 200) || 200;
        res.writeHead(code, { 'content-type': 'application/json', 'x-upstream-status': String(code) });
        res.end(JSON.stringify({ status: code }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'vaultedge-test' });
      res.end(JSON.stringify({
        method: req.method, path: url.pathname, query: q >= 0 ? rawUrl.slice(q + 1) : null, body_length: size,
      }));
    });
  };
}

function control(req, res) {
  const send = (status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  req.resume();
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/requests') return send(200, { requests: records });
    if (req.method === 'POST' && req.url === '/reset') {
      records.length = 0;
      return send(200, { reset: true });
    }
    if (req.method === 'GET' && req.url === '/health') return send(200, { ok: true });
    return send(404, { error: 'unknown control route' });
  });
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

const mainServer = http.createServer(handle('main'));
const otherServer = http.createServer(handle('other'));
const controlServer = http.createServer(control);
for (const s of [mainServer, otherServer]) {
  s.headersTimeout = 20_000;
  s.requestTimeout = 0; // /_sleep outlives the default
  // Never close an idle keep-alive connection: workerd pools them, and a close
  // that crosses its next request on the wire fails that request with
  // "Network connection lost" (cloudflare/workers-sdk#14850). The process
  // exits with its parent, which ends the connections.
  s.keepAliveTimeout = 0;
}
ports.main = await listen(mainServer);
ports.other = await listen(otherServer);
ports.control = await listen(controlServer);
process.stdout.write(`${JSON.stringify(ports)}\n`);

// Exit with the parent: on IPC disconnect (fork) or stdin EOF.
const bye = () => process.exit(0);
process.on('disconnect', bye);
process.on('SIGTERM', bye);
