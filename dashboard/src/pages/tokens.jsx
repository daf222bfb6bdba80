// Tokens: scoped tokens for apps and agents — create one (shown once, with
// snippets), see each one's allowed keys, cadence, expiry and last use, and
// pause, resume or revoke it.
import { useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Table } from '../components/table.jsx';
import { TimeCell } from '../components/time.jsx';
import { ConfirmAction } from '../components/confirm-action.jsx';
import { ActionError } from '../components/field.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { useStatus } from '../components/status.jsx';
import { del, post } from '../lib/api.js';
import { useAction } from '../lib/forms.js';
import { useResource } from '../lib/resource.js';
import { CreateTokenDialog } from './tokens/create-dialog.jsx';
import { NewToken } from './tokens/new-token.jsx';

const CADENCE_LABELS = { static: 'Static', hourly: 'Hourly', daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' };

function TokenRow({ t, onChanged, onRevoke }) {
  const act = useAction();
  const { say } = useStatus();
  const setPaused = (pause) =>
    act.run(async () => {
      await post(`/v1/tokens/${encodeURIComponent(t.id)}/${pause ? 'pause' : 'resume'}`);
      say(pause ? `Paused ${t.name}: its requests are refused until you resume it` : `Resumed ${t.name}`);
      await onChanged();
    });
  const state = t.revoked ? (
    <span class="badge badge-danger">Revoked</span>
  ) : t.paused_at ? (
    <span class="badge badge-paused">Paused</span>
  ) : (
    <span class="badge badge-ok">Active</span>
  );
  return (
    <tr>
      <td class="mono">{t.name}</td>
      <td>
        {t.allowed_keys.map((k) => (
          <a class="chip mono" href={`/keys/${encodeURIComponent(k.id)}`} key={k.id}>
            {k.name}
          </a>
        ))}
      </td>
      <td>{CADENCE_LABELS[t.rotation_type] || t.rotation_type}</td>
      <TimeCell iso={t.expires_at} never={t.revoked ? '—' : 'never'} />
      <TimeCell iso={t.last_used_at} />
      <td>{state}</td>
      <td>
        {!t.revoked && (
          <div class="actions">
            <button type="button" class="button-small" disabled={act.busy} onClick={() => setPaused(!t.paused_at)} aria-label={`${t.paused_at ? 'Resume' : 'Pause'} ${t.name}`}>
              {t.paused_at ? 'Resume' : 'Pause'}
            </button>
            <button type="button" class="button-small button-danger" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
              Revoke
            </button>
          </div>
        )}
        <ActionError error={act.error?.message} />
      </td>
    </tr>
  );
}

export default function TokensPage() {
  const { data, error, loading, reload } = useResource('/v1/tokens');
  const [creating, setCreating] = useState(false);
  const [fresh, setFresh] = useState(null);
  const [revoking, setRevoking] = useState(null);
  const { say } = useStatus();

  const created = async (t) => {
    setCreating(false);
    setFresh(t);
    await reload();
  };
  const revoke = async () => {
    const t = revoking;
    await del(`/v1/tokens/${encodeURIComponent(t.id)}`);
    setRevoking(null);
    say(`Revoked ${t.name}: its next request is refused`);
    await reload();
  };

  const tokens = data?.tokens || [];
  return (
    <Page
      title="Tokens"
      actions={
        <button type="button" class="button-primary" onClick={() => setCreating(true)}>
          Create token
        </button>
      }
    >
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} onCreated={created} />
      {fresh && <NewToken token={fresh} onDone={() => setFresh(null)} />}
      {error && <LoadError error={error} onRetry={reload} />}
      {!data && loading && <Loading what="Loading your tokens" />}
      {data && tokens.length === 0 && (
        <Empty title="No scoped tokens yet">
          <p class="muted">Create one for each app or agent that should use some of your keys through the proxy without seeing them.</p>
        </Empty>
      )}
      {tokens.length > 0 && (
        <Table caption="Tokens" columns={['Name', 'Allowed keys', 'Cadence', 'Expires', 'Last used', 'State', 'Actions']}>
          {tokens.map((t) => (
            <TokenRow key={t.id} t={t} onChanged={reload} onRevoke={setRevoking} />
          ))}
        </Table>
      )}
      <ConfirmAction
        open={revoking !== null}
        title={revoking ? `Revoke ${revoking.name}` : 'Revoke'}
        action="Revoke"
        what={
          <p>
            Its access and refresh tokens stop working at their next request, everywhere. This cannot be undone: create a new token if
            the app needs one again.
          </p>
        }
        onConfirm={revoke}
        onClose={() => setRevoking(null)}
      />
    </Page>
  );
}
