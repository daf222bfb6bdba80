// Baseline for tools/bench/run: the emptiest possible Worker, served by the
// same `wrangler dev`, answering what /healthz answers. Its req/s is what the
// local runtime (workerd behind wrangler's dev proxy) can do at all; the gap
// to vaultedge's /healthz is the cost of our shim + wasm core per request.
const BODY = JSON.stringify({ status: 'ok', service: 'baseline' });

export default {
  fetch() {
    return new Response(BODY, { headers: { 'content-type': 'application/json' } });
  },
};
