// Confirm a destructive action by typing a word (a key's name, an account's
// email). The button stays disabled until the typed text matches exactly;
// the server's refusal is shown under it and the dialog stays open.
import { useState } from 'preact/hooks';
import { Dialog } from './dialog.jsx';
import { Field } from './field.jsx';
import { FormActions } from './form-actions.jsx';
import { useAction } from '../lib/forms.js';

/**
 * @param {{open: boolean, title: string, word: string, what: any, action: string,
 *   onConfirm: () => Promise<void>, onClose: () => void, label?: string}} props
 *   word: what must be typed; action: the button's name ("Delete");
 *   onConfirm: runs the API call (throws ApiError on failure)
 */
export function ConfirmByTyping({ open, title, word, what, action, onConfirm, onClose, label }) {
  const [typed, setTyped] = useState('');
  const act = useAction();
  const close = () => {
    setTyped('');
    act.clear();
    onClose();
  };
  const submit = async (e) => {
    e.preventDefault();
    if (typed !== word) return;
    await act.run(async () => {
      await onConfirm();
      setTyped('');
    });
  };
  return (
    <Dialog title={title} open={open} onClose={close}>
      <form onSubmit={submit} class="stack">
        <div class="prose">{what}</div>
        <Field label={label || `Type ${word} to confirm`}>
          <input
            type="text"
            value={typed}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </Field>
        <FormActions
          action={action}
          busyLabel={`${action}…`}
          busy={act.busy}
          disabled={typed !== word}
          danger
          onCancel={close}
          error={act.error?.message}
        />
      </form>
    </Dialog>
  );
}
