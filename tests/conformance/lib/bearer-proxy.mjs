// A transparent HTTP proxy on 127.0.0.1 that adds `Authorization: Bearer <token>`
// to every request, for clients that cannot send headers (the
// @modelcontextprotocol/conformance CLI). Everything else passes through
// unchanged in both directions — method, path, headers including Host and
// Origin (so the server judges the client's Host/Origin, which keeps the
// dns-rebinding-protection scenario meaningful), body, status and response
// headers — and response bodies are streamed as they arrive, so SSE events
// reach the client one by one.

import http from 'node:http';

// RFC 9110 §7.6.1: connection-specific fields are not forwarded; Node frames
// each leg itself (Content-Length is kept, Transfer-Encoding is recomputed).
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {Record<string, string | string[]>} `headers` without hop-by-hop fields
 */
function endToEnd(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * @typedef {object} BearerProxy
 * @property {string} url base URL, `http://127.0.0.1:<port>` (no trailing slash)
 * @property {() => Promise<void>} close stops listening and drops open connections
 */

/**
 * Starts the proxy on a free port of 127.0.0.1.
 * @param {object} opts
 * @param {string} opts.target base URL of the server, `http://127.0.0.1:<port>`
 * @param {string} opts.token bearer credential added to every request; never logged
 * @returns {Promise<BearerProxy>}
 * @throws {Error} if the port cannot be bound
 */
export async function startBearerProxy({ target, token }) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const headers = { ...endToEnd(req.headers), authorization: `Bearer ${token}` };
    const out = http.request({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
    });
    out.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, endToEnd(up.headers));
      res.flushHeaders(); // an SSE client sees the stream open before the first event
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    out.on('error', (e) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bearer proxy: upstream unreachable (${e.code ?? e.message})\n`);
    });
    // The client went away (e.g. it cancelled an SSE stream): stop the upstream leg.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
