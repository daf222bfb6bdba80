// Confirm a destructive action by typing a word (a key's name, an account's
// email): a ConfirmAction whose button stays disabled until the typed text
// matches exactly; the server's refusal is shown under it and the dialog stays
// open.
import { useState } from 'preact/hooks';
import { ConfirmAction } from './confirm-action.jsx';
import { Field } from './field.jsx';

/**
 * @param {{open: boolean, title: string, word: string, what: any, action: string,
 *   onConfirm: () => Promise<void>, onClose: () => void, label?: string}} props
 *   word: what must be typed; action: the button's name ("Delete");
 *   onConfirm: runs the API call (throws ApiError on failure)
 */
export function ConfirmByTyping({ open, title, word, what, action, onConfirm, onClose, label }) {
  const [typed, setTyped] = useState('');
  return (
    <ConfirmAction
      open={open}
      title={title}
      what={what}
      action={action}
      busyLabel={`${action}…`}
      ready={typed === word}
      onConfirm={async () => {
        await onConfirm();
        setTyped('');
      }}
      onClose={() => {
        setTyped('');
        onClose();
      }}
    >
      <Field label={label || `Type ${word} to confirm`}>
        <input type="text" value={typed} autocomplete="off" spellcheck={false} onInput={(e) => setTyped(e.currentTarget.value)} />
      </Field>
    </ConfirmAction>
  );
}
