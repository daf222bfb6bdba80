// The provider catalog (GET /v1/providers), loaded once per page life, and
// how each provider's key is injected, in words.
import { get } from './api.js';

let catalog = null;

/**
 * @returns {Promise<Array<{id: string, name: string, category: string, base_url: string|null,
 *   auth: {type: string, header?: string, prefix?: string, param?: string, username?: string|null},
 *   credential_type: string, authorize_url?: string, token_url?: string}>>}
 */
export function providers() {
  if (!catalog) {
    catalog = get('/v1/providers').then((d) => d.providers);
    catalog.catch(() => {
      catalog = null;
    });
  }
  return catalog;
}

/** The injection styles a `custom` key may use (auth_header_type), in words. */
export const INJECTION_STYLES = [
  ['bearer', 'Authorization: Bearer <key>'],
  ['x-api-key', 'x-api-key: <key> header'],
  ['basic', 'HTTP Basic authentication'],
  ['query', 'Query parameter api_key=<key>'],
  ['custom', 'Authorization: <key> (the value carries its own scheme)'],
];

/**
 * How a catalog provider sends the key, e.g. "Authorization: Bearer <key>".
 * @param {{auth: object}} p
 */
export function injection(p) {
  const a = p.auth || {};
  switch (a.type) {
    case 'bearer':
      return 'Authorization: Bearer <key>';
    case 'header':
      return `${a.header}: ${a.prefix || ''}<key>`;
    case 'basic':
      return a.username ? `HTTP Basic authentication (user ${a.username}, the key as password)` : 'HTTP Basic authentication';
    case 'query':
      return `Query parameter ${a.param}=<key> (in the URL)`;
    default:
      return 'as the provider expects';
  }
}

/** A key's injection (its auth_header_type) in words. */
export function injectionOfType(type) {
  const hit = INJECTION_STYLES.find(([t]) => t === type);
  return hit ? hit[1] : type || '—';
}

export const CATEGORY_LABELS = { llm: 'LLM', service: 'Service', oauth: 'OAuth' };
