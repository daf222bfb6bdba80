// Confirm an action with one click in a dialog (revoke a device, sign out a
// session): what happens is said in words, the confirming button carries the
// action's name ("Revoke"), Cancel and Escape leave everything as it was. The
// server's refusal is shown under the buttons and the dialog stays open, so a
// failed action changes nothing. For actions that need the name typed, use
// ConfirmByTyping (confirm.jsx).
import { Dialog } from './dialog.jsx';
import { FormActions } from './form-actions.jsx';
import { useAction } from '../lib/forms.js';

/**
 * @param {{open: boolean, title: string, what: any, action: string, danger?: boolean,
 *   onConfirm: () => Promise<void>, onClose: () => void}} props
 *   action: the confirming button's name; onConfirm: runs the API call (throws
 *   ApiError on failure) and applies its result; the dialog closes after it succeeds
 */
export function ConfirmAction({ open, title, what, action, danger = true, onConfirm, onClose }) {
  const act = useAction();
  const close = () => {
    act.clear();
    onClose();
  };
  const submit = async (e) => {
    e.preventDefault();
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
        <FormActions action={action} busy={act.busy} danger={danger} onCancel={close} error={act.error?.message} />
      </form>
    </Dialog>
  );
}
