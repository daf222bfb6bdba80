// tools/bench/run's loopback upstream for the proxy rows: the smallest HTTP
// server that answers every request with a small JSON body, so that
// `upstream_direct` (wrk straight at it) and the proxy rows (wrk at vaultedge,
// which forwards here) measure the same upstream work and the difference is
// what the proxy adds.
//   node tools/bench/upstream.mjs <parent-pid>
// Listens on 127.0.0.1 only, on a port the OS chooses, and prints one JSON line
// `{"port": p}` on stdout. Every request (any method, any path; the bench uses
// POST /v1/echo) is read to its end and answered 200 with
//   {"ok":true,"service":"vaultedge-bench-upstream","method":…,"path":…,"body_length":n}
// (≈ 100 bytes; the bench's body check looks for "vaultedge-bench-upstream").
// Nothing is recorded (unlike tests/worker/upstream-server.mjs, which keeps
// every request for the proxy tests: unbounded memory under load).
// Exits on SIGTERM/SIGINT, when <parent-pid> is gone (checked every second),
// and after at most 2 hours whatever happens.
import http from 'node:http';

const parent = Number(process.argv[2] ?? 0);
const MAX_LIFETIME_MS = 2 * 60 * 60 * 1000;

const server = http.createServer((req, res) => {
  let size = 0;
  req.on('data', (c) => { size += c.length; });
  req.on('end', () => {
    const q = (req.url ?? '/').indexOf('?');
    const path = q >= 0 ? req.url.slice(0, q) : req.url;
    const body = JSON.stringify({
      ok: true, service: 'vaultedge-bench-upstream', method: req.method, path, body_length: size,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
// wrk and workerd keep their connections open; an idle close would race
// workerd's reuse of a pooled connection ("Network connection lost").
server.keepAliveTimeout = 0;
server.headersTimeout = 35_000;

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

const bye = () => process.exit(0);
process.on('SIGTERM', bye);
process.on('SIGINT', bye);
setTimeout(bye, MAX_LIFETIME_MS).unref();
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      bye();
    }
  }, 1000).unref();
}
