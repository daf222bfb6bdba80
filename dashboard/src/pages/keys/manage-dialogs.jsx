// The key detail page's dialogs: rotate to a new value, rename. Each sends one
// request; on success the page reloads the key, on failure the server's
// message stays beside the field and nothing changes.
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/dialog.jsx';
import { Field } from '../../components/field.jsx';
import { FormActions } from '../../components/form-actions.jsx';
import { post } from '../../lib/api.js';
import { errorFor, useAction } from '../../lib/forms.js';

const ROTATE_FIELDS = ['key', 'client_secret', 'refresh_token'];
// Bad input names the field new_name; a taken name comes back as code
// name_taken, which fieldOf (lib/forms.js) maps to name.
const RENAME_FIELDS = ['new_name', 'name'];

/** @param {{keyRecord: object, open: boolean, onClose: () => void, onDone: (r: object) => void}} props */
export function RotateDialog({ keyRecord, open, onClose, onDone }) {
  const oauth = keyRecord.credential_type === 'oauth2';
  const [v, setV] = useState({ key: '', client_secret: '', refresh_token: '' });
  const act = useAction();
  const close = () => {
    setV({ key: '', client_secret: '', refresh_token: '' });
    act.clear();
    onClose();
  };
  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    if (oauth) {
      if (v.client_secret) body.client_secret = v.client_secret;
      if (v.refresh_token) body.refresh_token = v.refresh_token;
    } else {
      body.key = v.key;
    }
    const r = await act.run(() => post(`/v1/keys/${encodeURIComponent(keyRecord.id)}/rotate`, body));
    if (r) {
      setV({ key: '', client_secret: '', refresh_token: '' });
      onDone(r);
    }
  };
  const set = (f) => (e) => setV((o) => ({ ...o, [f]: e.currentTarget.value }));
  const err = (f) => errorFor(act.error, ROTATE_FIELDS, f);
  return (
    <Dialog title={`Rotate ${keyRecord.name}`} open={open} onClose={close}>
      <form onSubmit={submit} noValidate class="stack">
        <p class="muted">
          The new value becomes current at once; the previous version is kept, so you can still see which version was in use when.
        </p>
        {oauth ? (
          <>
            <Field label="New client secret" hint="Leave empty to keep the current one." error={err('client_secret')}>
              <input type="password" value={v.client_secret} onInput={set('client_secret')} autocomplete="off" />
            </Field>
            <Field label="New refresh token" hint="Leave empty to keep the current one." error={err('refresh_token')}>
              <input type="password" value={v.refresh_token} onInput={set('refresh_token')} autocomplete="off" />
            </Field>
          </>
        ) : (
          <Field label="New value" error={err('key')}>
            <input type="password" value={v.key} onInput={set('key')} autocomplete="off" spellcheck={false} />
          </Field>
        )}
        <FormActions
          action="Rotate"
          busyLabel="Rotating…"
          busy={act.busy}
          onCancel={close}
          error={errorFor(act.error, ROTATE_FIELDS, null)}
        />
      </form>
    </Dialog>
  );
}

/** @param {{keyRecord: object, open: boolean, onClose: () => void, onDone: (r: object) => void}} props */
export function RenameDialog({ keyRecord, open, onClose, onDone }) {
  const [name, setName] = useState(keyRecord.name);
  const act = useAction();
  const close = () => {
    setName(keyRecord.name);
    act.clear();
    onClose();
  };
  const submit = async (e) => {
    e.preventDefault();
    const r = await act.run(() => post(`/v1/keys/${encodeURIComponent(keyRecord.id)}/rename`, { new_name: name }));
    if (r) onDone(r);
  };
  return (
    <Dialog title={`Rename ${keyRecord.name}`} open={open} onClose={close}>
      <form onSubmit={submit} noValidate class="stack">
        <p>
          The old name keeps resolving: apps, scripts and tokens that ask for <code>{keyRecord.name}</code> still get this key.
        </p>
        <Field label="New name" error={errorFor(act.error, RENAME_FIELDS, 'new_name') || errorFor(act.error, RENAME_FIELDS, 'name')}>
          <input type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
        </Field>
        <FormActions
          action="Rename"
          busyLabel="Renaming…"
          busy={act.busy}
          onCancel={close}
          error={errorFor(act.error, RENAME_FIELDS, null)}
        />
      </form>
    </Dialog>
  );
}
