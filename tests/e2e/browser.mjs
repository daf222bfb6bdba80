#!/usr/bin/env node
// The e2e suite's headless "browser". `apilocker register` runs
// `xdg-open <verification_uri_complete>` on Linux; tests/e2e/bin/xdg-open
// runs this script instead, which does what a person does in a browser: open
// the page, sign in through the development form (one `email` field), and
// press Approve (or Deny). It keeps cookies, follows redirects, and submits
// the pages' own HTML forms with all their fields (hidden CSRF fields
// included) — the pages need no JavaScript, so neither does this.
//
// As xdg-open (stdout/stderr are discarded by the CLI), configured by env:
//   E2E_BROWSER_EMAIL   the address typed into the sign-in form
//   E2E_BROWSER_ACTION  approve (default) | deny
//   E2E_BROWSER_OUT     file that receives a JSON report of the visit
//   E2E_BROWSER_LOOPBACK_ONLY=1  request loopback hosts only (127.0.0.1,
//                       localhost, [::1]); bin/browser-approve sets it
//   E2E_BROWSER_OPENER=1  exit 0 whatever the outcome, like a browser that
//                       opened the page (the report says what happened): as
//                       $BROWSER, a non-zero exit makes xdg-open run it again
//                       and mcp-remote try other browsers; bin/browser-approve
//                       sets it
// As a module: `visit(url, {email, action, allowedHosts, stopAt})` returns the
// same report. tests/e2e/bin/browser-approve uses it as mcp-remote's BROWSER
// (the OAuth consent flow: sign in, approve, then the redirect to the client's
// loopback callback is followed like any other).

import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { extractForms, extractLinks, formEntries, submitters, textOf } from './lib/html-forms.mjs';

const APPROVE = /\b(approve|allow|authori[sz]e|confirm|yes)\b/i;
const DENY = /\b(deny|reject|decline|cancel|no)\b/i;
const DONE_APPROVED = /\b(approved|authori[sz]ed|device (is )?(now )?(registered|connected)|return to (your )?terminal|close this (window|tab))\b/i;
const DONE_DENIED = /\b(denied|rejected|declined)\b/i;
const MAX_STEPS = 12;
const MAX_REDIRECTS = 10;
/** Host names of the loopback interface, as `URL.hostname` spells them. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A minimal cookie jar: name → {value, path, expires} per origin. A cookie is
 * sent back only to the origin (scheme, host and port) that set it — stricter
 * than a real browser, which ignores the port, so a session cookie of the
 * server never reaches another local listener (e.g. an OAuth client's loopback
 * callback).
 */
export class CookieJar {
  constructor() {
    this.jars = new Map(); // origin → Map(name → cookie)
    this.seen = new Map(); // every value ever set, by name, for leak checks
  }
  /** The cookies of `url`'s origin (name → {value, path, expires}). */
  jar(url) {
    const origin = new URL(url).origin;
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    return this.jars.get(origin);
  }
  /** Records the Set-Cookie headers of `res`, the answer from `url`. */
  store(res, url) {
    const jar = this.jar(url);
    const lines = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    for (const line of lines) {
      const [pair, ...attrParts] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const attrs = Object.fromEntries(
        attrParts.map((a) => {
          const i = a.indexOf('=');
          return i < 0 ? [a.trim().toLowerCase(), ''] : [a.slice(0, i).trim().toLowerCase(), a.slice(i + 1).trim()];
        }),
      );
      let path = attrs.path && attrs.path.startsWith('/') ? attrs.path : new URL(url).pathname.replace(/\/[^/]*$/, '') || '/';
      let expires = Infinity;
      if ('max-age' in attrs) expires = Date.now() + Number(attrs['max-age']) * 1000;
      else if (attrs.expires) expires = Date.parse(attrs.expires) || Infinity;
      if (expires <= Date.now()) {
        jar.delete(name);
      } else {
        jar.set(name, { value, path, expires });
        if (!this.seen.has(name)) this.seen.set(name, new Set());
        this.seen.get(name).add(value);
      }
    }
  }
  /** The Cookie header for a request to `url` ('' when none). */
  header(url) {
    const path = new URL(url).pathname;
    const now = Date.now();
    const parts = [];
    for (const [name, c] of this.jar(url)) {
      if (c.expires <= now) continue;
      if (!(path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : c.path + '/'))) continue;
      parts.push(`${name}=${c.value}`);
    }
    return parts.join('; ');
  }
}

/**
 * fetch, but a refused connection to a loopback listener is retried (every
 * 250 ms, at most 20 times, never past `deadline`), like a person who sees
 * "unable to connect" and reloads: an OAuth client may open the browser a
 * moment before its loopback callback listener is up (mcp-remote does when
 * the first 401 comes from its POST rather than its GET probe), and a person
 * is never fast enough to notice.
 * @param {string} url
 * @param {RequestInit} init
 * @param {number} deadline ms since the epoch
 * @param {() => void} [onRetry] called before each retry
 * @returns {Promise<Response>}
 */
async function fetchPatiently(url, init, deadline, onRetry) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    } catch (e) {
      const refused = e?.cause?.code === 'ECONNREFUSED' && LOOPBACK_HOSTS.includes(new URL(url).hostname);
      if (!refused || attempt >= 20 || Date.now() + 250 >= deadline) throw e;
      onRetry?.();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Opens `url` and signs in / approves or denies like a person would.
 * @param {string} url the verification_uri_complete the CLI printed, or an
 *   OAuth authorization URL
 * @param {object} [opts]
 * @param {string} [opts.email]          typed into the sign-in form
 * @param {'approve'|'deny'} [opts.action]
 * @param {number} [opts.timeoutMs]      the whole visit (default 30 s)
 * @param {string[]} [opts.allowedHosts] when set, refuse (error) to request any
 *   other host name (e.g. loopback only)
 * @param {(url: string) => boolean} [opts.stopAt] when it returns true for the
 *   next URL to request (a redirect target), do not request it: the visit ends
 *   there, `stoppedAt` holds that URL, and after a decision that counts as
 *   done (e.g. an OAuth redirect to a client callback nobody listens on)
 * @returns {Promise<{ok: boolean, action: string, decided: boolean, error?: string,
 *   steps: Array<{method: string, url: string, status: number}>, finalUrl?: string,
 *   finalText?: string, stoppedAt?: string, refusedRetries: number,
 *   cookies: Array<{name: string, value: string}>}>}
 */
export async function visit(url, opts = {}) {
  const email = opts.email ?? 'e2e@example.test';
  const action = opts.action ?? 'approve';
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const jar = new CookieJar();
  const steps = [];
  const report = { ok: false, action, email, decided: false, signedIn: false, refusedRetries: 0, steps, cookies: [] };
  const userCode = new URL(url).searchParams.get('user_code') ?? new URL(url).searchParams.get('code') ?? '';

  async function go(method, target, body, referer) {
    let cur = new URL(target, referer ?? url).href;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (Date.now() > deadline) throw new Error('browser timed out');
      if (opts.allowedHosts && !opts.allowedHosts.includes(new URL(cur).hostname)) {
        throw new Error(`refusing to leave the allowed hosts: ${new URL(cur).origin}`);
      }
      if (opts.stopAt?.(cur)) return { status: 0, url: cur, html: '', type: '', stopped: true };
      const headers = {
        'User-Agent': 'vaultedge-e2e-browser/1 (headless)',
        Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'document',
        'Sec-Fetch-Site': referer ? (new URL(referer).origin === new URL(cur).origin ? 'same-origin' : 'cross-site') : 'none',
      };
      const cookie = jar.header(cur);
      if (cookie) headers.Cookie = cookie;
      if (referer) headers.Referer = referer;
      if (method === 'POST') {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers.Origin = new URL(referer ?? cur).origin;
      }
      const res = await fetchPatiently(cur, {
        method, headers, body: method === 'POST' ? body : undefined, redirect: 'manual',
      }, deadline, () => { report.refusedRetries += 1; });
      jar.store(res, cur);
      steps.push({ method, url: cur, status: res.status });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer().catch(() => undefined);
        referer = cur;
        cur = new URL(location, cur).href;
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { status: res.status, url: cur, html: await res.text(), type: res.headers.get('content-type') ?? '' };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${target}`);
  }

  async function submit(page, form, submitter, fill) {
    const target = new URL(form.action || page.url, page.url).href;
    const entries = formEntries(form, submitter, fill);
    if (form.enctype.startsWith('multipart/')) throw new Error(`form ${target} is multipart; this browser sends urlencoded only`);
    const params = new URLSearchParams(entries).toString();
    if (form.method === 'GET') {
      const u = new URL(target);
      u.search = params;
      return go('GET', u.href, undefined, page.url);
    }
    return go('POST', target, params, page.url);
  }

  try {
    let page = await go('GET', url);
    for (let step = 0; ; step++) {
      if (step >= MAX_STEPS) throw new Error(`no decision after ${MAX_STEPS} pages`);
      if (page.stopped) {
        report.stoppedAt = page.url;
        if (!report.decided) throw new Error(`stopped before a decision at ${new URL(page.url).origin}${new URL(page.url).pathname}`);
        report.ok = true;
        break;
      }
      if (page.status >= 400) {
        throw new Error(`HTTP ${page.status} at ${page.url}: ${textOf(page.html).slice(0, 300)}`);
      }
      const text = textOf(page.html);
      if (report.decided) {
        report.finalUrl = page.url;
        report.finalText = text.slice(0, 500);
        const expect = action === 'deny' ? DONE_DENIED : DONE_APPROVED;
        if (!expect.test(text)) {
          throw new Error(`after pressing ${action}, the page does not say so: ${text.slice(0, 300)}`);
        }
        report.ok = true;
        break;
      }
      const forms = extractForms(page.html);

      // 1. The development sign-in form: one `email` field.
      const signIn = forms.find((f) => f.controls.some((c) => c.tag === 'input' && c.name === 'email' && ['email', 'text'].includes(c.type)));
      if (signIn) {
        if (report.signedIn) throw new Error(`the sign-in form came back after signing in (cookie refused?) at ${page.url}`);
        report.signedIn = true;
        page = await submit(page, signIn, submitters(signIn)[0] ?? null, { email });
        continue;
      }

      // 2. The decision: the Approve or Deny button.
      const want = action === 'deny' ? DENY : APPROVE;
      const other = action === 'deny' ? APPROVE : DENY;
      let chosen = null;
      for (const f of forms) {
        for (const s of submitters(f)) {
          const byLabel = want.test(s.label) && !other.test(s.label);
          const byValue = !APPROVE.test(s.label) && !DENY.test(s.label) &&
            (want.test(s.value) || want.test(s.name) || want.test(f.action));
          if (byLabel || byValue) { chosen = { f, s }; break; }
        }
        if (chosen) break;
      }
      if (chosen) {
        report.decided = true;
        report.decisionPageText = text.slice(0, 500);
        page = await submit(page, chosen.f, chosen.s, {});
        continue;
      }

      // 3. A code-entry form (only when the URL did not carry the code).
      const codeForm = forms.find((f) => f.controls.some((c) => c.tag === 'input' && /^(user_code|code)$/.test(c.name) && c.type !== 'hidden'));
      if (codeForm) {
        const c = codeForm.controls.find((x) => /^(user_code|code)$/.test(x.name));
        page = await submit(page, codeForm, submitters(codeForm)[0] ?? null, { [c.name]: c.value || userCode });
        continue;
      }

      // 4. A "Sign in" link (prefer the development sign-in).
      const links = extractLinks(page.html);
      const link = !report.signedIn &&
        (links.find((l) => l.href.includes('/auth/dev')) ?? links.find((l) => /\b(sign|log) ?in\b/i.test(l.text)));
      if (link) {
        page = await go('GET', new URL(link.href, page.url).href, undefined, page.url);
        continue;
      }
      throw new Error(`nothing to do at ${page.url} (status ${page.status}, ${forms.length} forms): ${text.slice(0, 300)}`);
    }
  } catch (e) {
    report.error = e?.message ?? String(e);
  }
  for (const [name, values] of jar.seen) for (const value of values) report.cookies.push({ name, value });
  return report;
}

async function main() {
  const url = process.argv[2];
  const out = process.env.E2E_BROWSER_OUT;
  let report;
  if (!url) {
    report = { ok: false, error: 'usage: browser.mjs <url>' };
  } else {
    report = await visit(url, {
      email: process.env.E2E_BROWSER_EMAIL,
      action: process.env.E2E_BROWSER_ACTION === 'deny' ? 'deny' : 'approve',
      allowedHosts: process.env.E2E_BROWSER_LOOPBACK_ONLY === '1' ? LOOPBACK_HOSTS : undefined,
    });
  }
  report.url = url;
  if (out) writeFileSync(out, JSON.stringify(report, null, 2), { mode: 0o600 });
  else process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  process.exitCode = report.ok || process.env.E2E_BROWSER_OPENER === '1' ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await main();
}
