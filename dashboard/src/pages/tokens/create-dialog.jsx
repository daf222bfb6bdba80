// "Create token": a scoped token for an app (POST /v1/tokens) — its name, the
// keys it may use (picked from the vault's keys) and its rotation cadence.
import { useEffect, useId, useState } from 'preact/hooks';
import { Dialog } from '../../components/dialog.jsx';
import { ActionError, Field } from '../../components/field.jsx';
import { FormActions } from '../../components/form-actions.jsx';
import { get, post } from '../../lib/api.js';
import { errorFor, useAction } from '../../lib/forms.js';

const FIELDS = ['name', 'allowed_keys', 'rotation_type'];

export const CADENCES = [
  ['static', 'Static: never expires (revoke it when done)'],
  ['hourly', 'Hourly: expires after 1 hour, refreshed with its refresh token'],
  ['daily', 'Daily: expires after 24 hours'],
  ['weekly', 'Weekly: expires after 7 days'],
  ['monthly', 'Monthly: expires after 30 days'],
];

/** @param {{open: boolean, onClose: () => void, onCreated: (t: object) => void}} props */
export function CreateTokenDialog({ open, onClose, onCreated }) {
  const [name, setName] = useState('');
  const [picked, setPicked] = useState([]);
  const [cadence, setCadence] = useState('static');
  const [keys, setKeys] = useState(null);
  const act = useAction();
  const load = useAction();
  const id = useId();

  useEffect(() => {
    if (open) load.run(async () => setKeys((await get('/v1/keys')).keys));
  }, [open]);

  const reset = () => {
    setName('');
    setPicked([]);
    setCadence('static');
    act.clear();
  };
  const close = () => {
    reset();
    onClose();
  };
  const toggle = (keyId) => setPicked((p) => (p.includes(keyId) ? p.filter((x) => x !== keyId) : [...p, keyId]));

  const submit = async (e) => {
    e.preventDefault();
    const created = await act.run(() => post('/v1/tokens', { name, allowed_keys: picked, rotation_type: cadence }));
    if (created) {
      reset();
      onCreated(created);
    }
  };

  const keysError = errorFor(act.error, FIELDS, 'allowed_keys');
  return (
    <Dialog title="Create a scoped token" open={open} onClose={close}>
      <form onSubmit={submit} noValidate class="stack">
        <p class="muted">A scoped token may read and proxy only the keys you allow, and never change anything.</p>
        <Field label="Name" hint="Which app or agent will use it, e.g. billing-worker." error={errorFor(act.error, FIELDS, 'name')}>
          <input type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
        </Field>
        <fieldset aria-describedby={keysError ? `${id}-keys-error` : undefined} aria-invalid={keysError ? 'true' : undefined}>
          <legend>Allowed keys</legend>
          {load.error && <ActionError error={`Your keys did not load: ${load.error.message}`} />}
          {keys && keys.length === 0 && <p class="muted">Your vault has no keys yet: store one first.</p>}
          <div class="checks">
            {(keys || []).map((k) => (
              <label class="check" key={k.id}>
                <input type="checkbox" checked={picked.includes(k.id)} onChange={() => toggle(k.id)} />
                <span class="mono">{k.name}</span>
              </label>
            ))}
          </div>
          {keysError && (
            <p class="error" id={`${id}-keys-error`}>
              {keysError}
            </p>
          )}
        </fieldset>
        <Field label="Rotation cadence" error={errorFor(act.error, FIELDS, 'rotation_type')}>
          <select value={cadence} onChange={(e) => setCadence(e.currentTarget.value)}>
            {CADENCES.map(([v, label]) => (
              <option value={v} key={v}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <FormActions
          action="Create token"
          busyLabel="Creating…"
          busy={act.busy}
          onCancel={close}
          error={errorFor(act.error, FIELDS, null)}
        />
      </form>
    </Dialog>
  );
}
