// Forms of a key value that a provider (or a hostile upstream trying to get
// the key past the proxy's scrubber) could echo it in, beyond the everyday ones:
// shared by the loopback upstream (upstream-server.mjs /_reflect?extra=1),
// which places them, and the tests, which assert none reaches the caller.

/**
 * The further forms of `v` echoed with ?extra=1, [label, text] each.
 * @param {string} v
 * @returns {Array<[string, string]>}
 */
export function extraForms(v) {
  const units = [...Buffer.from(v, 'utf16le')];
  const u16 = [];
  for (let i = 0; i < units.length; i += 2) u16.push(units[i] | (units[i + 1] << 8));
  const uEsc = u16.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('');
  const cps = [...v].map((c) => c.codePointAt(0));
  const half = Math.floor(v.length / 2);
  return [
    ['hex', Buffer.from(v).toString('hex')],
    ['HEX', Buffer.from(v).toString('hex').toUpperCase()],
    ['upper', v.toUpperCase()],
    ['lower', v.toLowerCase()],
    ['json-u', uEsc],
    ['JSON-U', uEsc.toUpperCase().replaceAll('\\U', '\\u')],
    ['html-dec', cps.map((c) => `&#${c};`).join('')],
    ['html-hex', cps.map((c) => `&#x${c.toString(16)};`).join('')],
    ['html-named', v.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')],
    ['utf16le', Buffer.from(v, 'utf16le').toString('latin1')],
    ['utf16be', Buffer.from(v, 'utf16le').swap16().toString('latin1')],
    ['mixed', encodeURIComponent(v.slice(0, half)) + JSON.stringify(v.slice(half)).slice(1, -1).replace(/[a-z]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)],
  ];
}

