// Revealing a stored value (POST /v1/keys/reveal) on a deliberate click. The
// value is kept in this component's state only — never in a URL, storage, the
// console or the DOM while masked — and is dropped (state set to null) after
// 30 seconds, on "Hide now", or when the component goes away. While it is
// held, it shows masked until the user presses Show.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { useAction } from '../lib/forms.js';
import { copyText } from '../lib/clipboard.js';
import { ActionError } from './field.jsx';

/** How long a revealed value stays in the page, in ms. */
export const REVEAL_MS = 30_000;
const MASK = '••••••••••••••••';

function CopySecret({ get, label }) {
  const [state, setState] = useState('');
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    const ok = await copyText(get());
    setState(ok ? 'Copied' : 'Copy failed: press Show, then select and copy the text');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState(''), 2000);
  };
  return (
    <span class="copy">
      <button type="button" aria-label={label} onClick={copy}>
        Copy
      </button>
      <span class="copy-state" role="status">
        {state}
      </span>
    </span>
  );
}

/**
 * @param {{keyId: string, name: string, onRevealed?: () => void}} props
 *   onRevealed: called after a reveal (the key's last use and activity changed)
 */
export function Secret({ keyId, name, onRevealed }) {
  const [held, setHeld] = useState(null); // {value} | {fields} | null
  const [shown, setShown] = useState(false);
  const [left, setLeft] = useState(0);
  const act = useAction();
  const timers = useRef({});

  const drop = () => {
    clearTimeout(timers.current.hide);
    clearInterval(timers.current.tick);
    setHeld(null);
    setShown(false);
    setLeft(0);
  };
  useEffect(() => drop, []);
  // A different key: forget the old one's value.
  useEffect(drop, [keyId]);

  const reveal = () =>
    act.run(async () => {
      const r = await post('/v1/keys/reveal', { keys: [keyId] });
      const item = r.keys && r.keys[0];
      if (!item) throw new Error(`${name} could not be revealed: it is no longer in your vault.`);
      setHeld(item.fields ? { fields: item.fields } : { value: item.value });
      setShown(false);
      const until = Date.now() + REVEAL_MS;
      setLeft(Math.ceil(REVEAL_MS / 1000));
      timers.current.hide = setTimeout(drop, REVEAL_MS);
      timers.current.tick = setInterval(() => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000))), 1000);
      onRevealed?.();
    });

  if (!held) {
    return (
      <div class="secret">
        <span class="secret-value muted" aria-label="Value hidden">
          {MASK}
        </span>
        <button type="button" onClick={reveal} disabled={act.busy}>
          {act.busy ? 'Revealing…' : 'Reveal'}
        </button>
        <ActionError error={act.error?.message} />
      </div>
    );
  }

  const text = (v) => (shown ? v : MASK);
  return (
    <div class="stack">
      <div data-testid="secret-value" class="secret-value" aria-live="off">
        {held.fields ? (
          <dl class="facts">
            {Object.entries(held.fields).map(([field, v]) => (
              <Fragment key={field}>
                <dt>{field}</dt>
                <dd>{text(v)}</dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          text(held.value)
        )}
      </div>
      <div class="actions">
        <button type="button" aria-pressed={shown ? 'true' : 'false'} onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </button>
        {held.fields ? (
          Object.keys(held.fields).map((field) => (
            <CopySecret key={field} label={`Copy ${field}`} get={() => held.fields[field]} />
          ))
        ) : (
          <CopySecret get={() => held.value} />
        )}
        <button type="button" class="button-quiet" onClick={drop}>
          Forget now
        </button>
      </div>
      <p class="muted">Removed from this page in {left} s.</p>
    </div>
  );
}
