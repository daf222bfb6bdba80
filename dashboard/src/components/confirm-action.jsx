// Confirm an action with one click in a dialog (revoke a device, sign out a
// session): what happens is said in words, the confirming button carries the
// action's name ("Revoke"), Cancel and Escape leave everything as it was. The
// server's refusal is shown under the buttons and the dialog stays open, so a
// failed action changes nothing. For actions that need the name typed, use
// ConfirmByTyping (confirm.jsx), which is this dialog with a field added.
import { Dialog } from './dialog.jsx';
import { FormActions } from './form-actions.jsx';
import { useAction } from '../lib/forms.js';

/**
 * @param {{open: boolean, title: string, what: any, action: string, danger?: boolean,
 *   onConfirm: () => Promise<void>, onClose: () => void, busyLabel?: string,
 *   ready?: boolean, children?: any}} props
 *   action: the confirming button's name; onConfirm: runs the API call (throws
 *   ApiError on failure) and applies its result; the dialog closes after it
 *   succeeds. children: fields shown under `what`; ready: false keeps the
 *   button disabled (and the form from submitting) until they are filled in
 */
export function ConfirmAction({ open, title, what, action, danger = true, onConfirm, onClose, busyLabel, ready = true, children }) {
  const act = useAction();
  const close = () => {
    act.clear();
    onClose();
  };
  const submit = async (e) => {
    e.preventDefault();
    if (!ready) return;
    const done = await act.run(async () => {
      await onConfirm();
      return true;
    });
    if (done) onClose();
  };
  return (
    <Dialog title={title} open={open} onClose={close}>
      <form onSubmit={submit} class="stack">
        <div class="prose">{what}</div>
        {children}
        <FormActions
          action={action}
          busyLabel={busyLabel}
          busy={act.busy}
          disabled={!ready}
          danger={danger}
          onCancel={close}
          error={act.error?.message}
        />
      </form>
    </Dialog>
  );
}
