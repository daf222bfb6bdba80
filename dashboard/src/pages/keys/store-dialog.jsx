// "Store key": a new API key or OAuth credential (POST /v1/keys). The provider
// comes from the catalog, which shows where the proxy sends the key and how it
// injects it; `custom` asks for both. Secrets live in this form's state only
// until the dialog closes; the fields are password inputs.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Dialog } from '../../components/dialog.jsx';
import { ActionError, Field } from '../../components/field.jsx';
import { FormActions } from '../../components/form-actions.jsx';
import { post } from '../../lib/api.js';
import { errorFor, useAction } from '../../lib/forms.js';
import { CATEGORY_LABELS, INJECTION_STYLES, injection, providers } from '../../lib/providers.js';

const FIELDS = [
  'name',
  'provider',
  'key',
  'tags',
  'base_url',
  'auth_header_type',
  'client_id',
  'client_secret',
  'refresh_token',
  'scopes',
  'authorize_url',
  'token_url',
  'redirect_uri',
];

const EMPTY = {
  type: 'api_key',
  name: '',
  provider: '',
  key: '',
  tags: '',
  base_url: '',
  auth_header_type: 'bearer',
  client_id: '',
  client_secret: '',
  refresh_token: '',
  scopes: '',
  authorize_url: '',
  token_url: '',
  redirect_uri: '',
};

/** The request body for the form's values (empty optional fields left out). */
function body(v) {
  const b = { name: v.name, provider: v.provider, credential_type: v.type };
  const tags = v.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length) b.tags = tags;
  const custom = v.provider === 'custom';
  if (custom) {
    if (v.base_url) b.base_url = v.base_url;
    b.auth_header_type = v.auth_header_type;
  }
  if (v.type === 'api_key') {
    b.key = v.key;
  } else {
    for (const f of ['client_id', 'client_secret', 'refresh_token', 'scopes', 'redirect_uri']) {
      if (v[f]) b[f] = v[f];
    }
    if (custom) {
      if (v.authorize_url) b.authorize_url = v.authorize_url;
      if (v.token_url) b.token_url = v.token_url;
    }
  }
  return b;
}

/**
 * @param {{open: boolean, onClose: () => void, onStored: (created: object) => void}} props
 */
export function StoreKeyDialog({ open, onClose, onStored }) {
  const [v, setV] = useState(EMPTY);
  const [catalog, setCatalog] = useState(null);
  const [localError, setLocalError] = useState(null);
  const act = useAction();
  const catalogLoad = useAction();

  useEffect(() => {
    if (open && !catalog) catalogLoad.run(async () => setCatalog(await providers()));
  }, [open]);

  const set = (field) => (e) => {
    const { value } = e.currentTarget;
    setV((old) => ({ ...old, [field]: value }));
  };

  const choices = useMemo(() => {
    if (!catalog) return [];
    const wanted = v.type === 'oauth2' ? (p) => p.category === 'oauth' : (p) => p.category !== 'oauth';
    return catalog.filter((p) => p.id !== 'custom' && wanted(p));
  }, [catalog, v.type]);
  const chosen = catalog?.find((p) => p.id === v.provider) || null;
  const custom = v.provider === 'custom';

  // Switching the credential type keeps the provider only if it still fits.
  useEffect(() => {
    if (v.provider && v.provider !== 'custom' && !choices.some((p) => p.id === v.provider)) {
      setV((old) => ({ ...old, provider: '' }));
    }
  }, [choices]);

  const close = () => {
    setV(EMPTY);
    setLocalError(null);
    act.clear();
    onClose();
  };

  const submit = async (e) => {
    e.preventDefault();
    if (!v.provider) {
      setLocalError('Choose a provider, or "Custom HTTPS API" for any other service.');
      return;
    }
    setLocalError(null);
    const created = await act.run(() => post('/v1/keys', body(v)));
    if (created) {
      setV(EMPTY);
      onStored(created);
    }
  };

  const err = (field) => errorFor(act.error, FIELDS, field);
  const groups = [
    ['llm', 'LLM APIs'],
    ['service', 'Service APIs'],
    ['oauth', 'OAuth providers'],
  ];

  return (
    <Dialog title="Store a key" open={open} onClose={close} wide>
      <form onSubmit={submit} noValidate class="stack">
        <fieldset>
          <legend>Credential type</legend>
          <div class="row">
            <label class="check">
              <input type="radio" name="credential_type" value="api_key" checked={v.type === 'api_key'} onChange={set('type')} />
              API key or token
            </label>
            <label class="check">
              <input type="radio" name="credential_type" value="oauth2" checked={v.type === 'oauth2'} onChange={set('type')} />
              OAuth credential
            </label>
          </div>
        </fieldset>
        <div class="grid-2">
          <Field label="Name" hint="How you, the CLI and your apps refer to it, e.g. OPENAI_API_KEY." error={err('name')}>
            <input type="text" value={v.name} onInput={set('name')} autocomplete="off" spellcheck={false} />
          </Field>
          <Field label="Provider" error={localError || err('provider')}>
            <select value={v.provider} onChange={set('provider')}>
              <option value="">Choose a provider…</option>
              {groups.map(([cat, label]) => {
                const list = choices.filter((p) => p.category === cat);
                return list.length ? (
                  <optgroup label={label} key={cat}>
                    {list.map((p) => (
                      <option value={p.id} key={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </optgroup>
                ) : null;
              })}
              <option value="custom">Custom HTTPS API</option>
            </select>
          </Field>
        </div>
        {catalogLoad.error && <ActionError error={`The provider catalog did not load: ${catalogLoad.error.message}`} />}
        {chosen && !custom && (
          <div class="notice" data-testid="provider-info">
            <dl class="facts">
              <dt>Category</dt>
              <dd>{CATEGORY_LABELS[chosen.category] || chosen.category}</dd>
              <dt>Base URL</dt>
              <dd class="mono">{chosen.base_url || 'none (vault only: no proxy use)'}</dd>
              <dt>Injection</dt>
              <dd class="mono">{injection(chosen)}</dd>
            </dl>
          </div>
        )}
        {custom && (
          <div class="grid-2">
            <Field
              label="Base URL"
              hint="An https:// address the proxy may call with this key. Leave empty to keep it in the vault only."
              error={err('base_url')}
            >
              <input type="url" value={v.base_url} onInput={set('base_url')} placeholder="https://api.example.com" autocomplete="off" />
            </Field>
            <Field label="Injection style" hint="How the proxy sends the key upstream." error={err('auth_header_type')}>
              <select value={v.auth_header_type} onChange={set('auth_header_type')}>
                {INJECTION_STYLES.map(([t, label]) => (
                  <option value={t} key={t}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
        {v.type === 'api_key' ? (
          <Field label="Key" hint="Stored encrypted; shown again only when you reveal it." error={err('key')}>
            <input type="password" value={v.key} onInput={set('key')} autocomplete="off" spellcheck={false} />
          </Field>
        ) : (
          <div class="grid-2">
            <Field label="Client ID" error={err('client_id')}>
              <input type="text" value={v.client_id} onInput={set('client_id')} autocomplete="off" spellcheck={false} />
            </Field>
            <Field label="Client secret" error={err('client_secret')}>
              <input type="password" value={v.client_secret} onInput={set('client_secret')} autocomplete="off" />
            </Field>
            <Field label="Refresh token (optional)" error={err('refresh_token')}>
              <input type="password" value={v.refresh_token} onInput={set('refresh_token')} autocomplete="off" />
            </Field>
            <Field label="Scopes (optional)" hint="Space-separated." error={err('scopes')}>
              <input type="text" value={v.scopes} onInput={set('scopes')} autocomplete="off" />
            </Field>
            <Field label="Redirect URI (optional)" error={err('redirect_uri')}>
              <input type="url" value={v.redirect_uri} onInput={set('redirect_uri')} autocomplete="off" />
            </Field>
            {custom && (
              <>
                <Field label="Authorize URL (optional)" error={err('authorize_url')}>
                  <input type="url" value={v.authorize_url} onInput={set('authorize_url')} autocomplete="off" />
                </Field>
                <Field label="Token URL (optional)" error={err('token_url')}>
                  <input type="url" value={v.token_url} onInput={set('token_url')} autocomplete="off" />
                </Field>
              </>
            )}
          </div>
        )}
        <Field label="Tags" hint="Optional, separated by commas, e.g. prod, billing." error={err('tags')}>
          <input type="text" value={v.tags} onInput={set('tags')} autocomplete="off" />
        </Field>
        <FormActions
          action="Store key"
          busyLabel="Storing…"
          busy={act.busy}
          onCancel={close}
          error={errorFor(act.error, FIELDS, null)}
        />
      </form>
    </Dialog>
  );
}
