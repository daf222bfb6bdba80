// Running an action against the API and showing its failure where it belongs.
//
// useAction(): one action's state — busy while in flight (forms disable their
// submit), the ApiError of the last failure (null after a success). The action
// is a function that calls the API and, only when that succeeded, changes page
// state: a failure changes nothing but the error shown.
//
// fieldOf(error, fields): which form field a server 4xx is about, read from
// the server's message ("field 'name' …", "name must …", "base_url …") or its
// code, so <Field> shows it beside that field; null means the form's own error
// line (next to the submit button).
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

/**
 * @returns {{busy: boolean, error: ApiError | null, run: (fn: () => Promise<any>) => Promise<any>, clear: () => void}}
 *   run resolves to fn's value, or to undefined when it failed (the error is kept)
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const inFlight = useRef(false);
  const run = useCallback(async (fn) => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', e?.message || 'Something went wrong in the page.'));
      return undefined;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}

/** Codes whose field is known whatever the message says. */
const CODE_FIELDS = {
  name_taken: 'name',
  duplicate_name: 'name',
  unknown_provider: 'provider',
  invalid_base_url: 'base_url',
};

/**
 * The field of `fields` a server error concerns, or null.
 * @param {ApiError | null} error
 * @param {string[]} fields the form's field names (API names, e.g. `base_url`)
 * @returns {string | null}
 */
export function fieldOf(error, fields) {
  if (!error || error.status < 400 || error.status >= 500) return null;
  const byCode = CODE_FIELDS[error.code];
  if (byCode && fields.includes(byCode)) return byCode;
  const msg = error.message;
  const quoted = msg.match(/\b(?:field|parameter) '([a-z_]+)'/i);
  if (quoted && fields.includes(quoted[1])) return quoted[1];
  // "name must …", "allowed_keys is required …", "base_url …" at the start.
  const lead = msg.match(/^'?([a-z_]+)'?\b/);
  if (lead && fields.includes(lead[1])) return lead[1];
  return null;
}

/**
 * The error message for one field (or for the form when `field` is null and
 * no field claims it).
 * @param {ApiError | null} error
 * @param {string[]} fields
 * @param {string | null} field
 * @returns {string | null}
 */
export function errorFor(error, fields, field) {
  if (!error) return null;
  return fieldOf(error, fields) === field ? error.message : null;
}
