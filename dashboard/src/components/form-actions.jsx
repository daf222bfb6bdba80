// The footer every dialog form ends with: the submit button named after the
// action, Cancel, and the action's own error line under them (a failure that
// concerns no single field; field errors stay beside their <Field>). One
// component so the dialogs keep the same order, classes and busy behaviour.
import { ActionError } from './field.jsx';

/**
 * @param {{action: string, busyLabel?: string, busy: boolean, disabled?: boolean,
 *   danger?: boolean, onCancel: () => void, error?: string | null}} props
 *   action: the submit button's name ("Rotate"); busyLabel: its name while the
 *   request is in flight (defaults to `action`); the button is disabled while
 *   busy or when `disabled`; danger: red button for destructive actions
 */
export function FormActions({ action, busyLabel, busy, disabled, danger, onCancel, error }) {
  return (
    <>
      <div class="actions">
        <button type="submit" class={danger ? 'button-danger' : 'button-primary'} disabled={busy || disabled}>
          {busy ? busyLabel || action : action}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ActionError error={error} />
    </>
  );
}
