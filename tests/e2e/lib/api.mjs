// Direct HTTP helpers for the e2e suite and the benchmark: JSON requests with
// a bearer token, and the device-registration flow (what `apilocker register`
// does) driven without the CLI.

import { visit } from '../browser.mjs';

/**
 * @returns {Promise<{status: number, json: any, text: string, headers: Headers}>}
 */
export async function api(base, method, path, { token, body, headers = {} } = {}) {
  const h = { 'Content-Type': 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(base + path, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/**
 * Registers a device like `apilocker register` does: start, approve in the
 * headless browser, poll until authorized.
 * @returns {Promise<{master_token: string, email: string, device_id: string, user_id: string, browser: object}>}
 */
export async function registerDevice(base, { email, name = 'vaultedge-bench', timeoutMs = 60_000 } = {}) {
  const start = await api(base, 'POST', '/v1/cli-auth/start', {
    body: {
      client_metadata: { hostname: 'bench-host', platform: 'linux', platform_version: 'bench', cli_version: '1.1.0' },
      name,
    },
  });
  if (start.status !== 200 && start.status !== 201) {
    throw new Error(`POST /v1/cli-auth/start → ${start.status} ${start.text.slice(0, 200)}`);
  }
  const s = start.json;
  const browser = await visit(s.verification_uri_complete, { email, action: 'approve' });
  if (!browser.ok) throw new Error(`browser: ${browser.error}`);
  const deadline = Date.now() + timeoutMs;
  let interval = Math.max(1, Number(s.interval) || 1);
  while (Date.now() < deadline) {
    const poll = await api(base, 'POST', '/v1/cli-auth/poll', { body: { device_code: s.device_code } });
    const status = poll.json?.status;
    if (poll.status === 200 && status === 'authorized') return { ...poll.json, browser };
    if (poll.status === 429 || status === 'slow_down') interval += 1;
    else if (poll.status !== 200 || status !== 'pending') {
      throw new Error(`POST /v1/cli-auth/poll → ${poll.status} ${poll.text.slice(0, 200)}`);
    }
    await new Promise((r) => setTimeout(r, interval * 1000));
  }
  throw new Error('device registration: not authorized in time');
}
