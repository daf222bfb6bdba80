// A labelled form control with its hint and its error. The error (a server
// 4xx about this field, in the server's words) is tied to the control with
// aria-describedby and aria-invalid, so a screen reader reads it with the field.
import { cloneElement } from 'preact';
import { useId } from 'preact/hooks';

/**
 * @param {{label: string, hint?: any, error?: string | null, children: import('preact').VNode, class?: string}} props
 *   children: one control (<input>, <select>, <textarea>); it gets id,
 *   aria-describedby and aria-invalid
 */
export function Field({ label, hint, error, children, class: cls }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-error` : null;
  const described = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id,
    'aria-describedby': described,
    'aria-invalid': error ? 'true' : undefined,
  });
  return (
    <div class={`field${error ? ' field-invalid' : ''}${cls ? ` ${cls}` : ''}`}>
      <label for={id}>{label}</label>
      {control}
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={errId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * An action's own error line (a failure that concerns no single field), next
 * to the button that ran it.
 * @param {{error?: string | null, testid?: string}} props
 */
export function ActionError({ error, testid }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testid}>
      {error}
    </p>
  );
}
