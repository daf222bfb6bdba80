// A button that copies text and says so ("Copied") for two seconds. `label`
// gives its accessible name when several Copy buttons share a page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard.js';

/** @param {{text: string | (() => string), label?: string, children?: any, class?: string}} props */
export function CopyButton({ text, label, children = 'Copy', class: cls }) {
  const [state, setState] = useState('idle');
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    const ok = await copyText(typeof text === 'function' ? text() : text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };
  return (
    <span class="copy">
      <button type="button" class={cls} aria-label={label} onClick={copy}>
        {children}
      </button>
      <span class="copy-state" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}
