// Account: who is signed in, the browser sessions (GET /v1/sessions) with
// sign-out of one (DELETE /v1/sessions/:id) or of all others (POST
// /v1/sessions/revoke-others), sign-out of this browser (POST /auth/logout),
// and deletion of the whole account (DELETE /v1/account, confirmed by typing
// the email), after which the browser goes to the sign-in page.
import { useEffect, useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Table } from '../components/table.jsx';
import { TimeCell } from '../components/time.jsx';
import { LoadError, Loading } from '../components/empty.jsx';
import { ActionError } from '../components/field.jsx';
import { ConfirmAction } from '../components/confirm-action.jsx';
import { ConfirmByTyping } from '../components/confirm.jsx';
import { useStatus } from '../components/status.jsx';
import { useResource } from '../lib/resource.js';
import { useAction } from '../lib/forms.js';
import { del, me, post, signOut } from '../lib/api.js';
import { plural } from '../lib/format.js';

function SessionRow({ session: s, onSignOut }) {
  return (
    <tr>
      <td>
        <strong>{s.device || 'Unknown browser'}</strong>
        {s.current && (
          <>
            {' '}
            <span class="badge badge-ok">this browser</span>
          </>
        )}
        {s.user_agent && <div class="muted small-print">{s.user_agent}</div>}
      </td>
      <td>{s.ip ? <code>{s.ip}</code> : <span class="muted">unknown</span>}</td>
      <td>{s.country || <span class="muted">unknown</span>}</td>
      <TimeCell iso={s.created_at} />
      <TimeCell iso={s.last_seen_at} />
      <td>
        {s.current ? (
          <span class="muted">use Sign out below</span>
        ) : (
          <button type="button" class="button-small" onClick={() => onSignOut(s)}>
            Sign out
          </button>
        )}
      </td>
    </tr>
  );
}

function Sessions() {
  const { data, error, loading, reload } = useResource('/v1/sessions');
  const [target, setTarget] = useState(null);
  const [othersOpen, setOthersOpen] = useState(false);
  const { say } = useStatus();
  const sessions = data?.sessions || [];

  const signOutOne = async () => {
    await del(`/v1/sessions/${encodeURIComponent(target.id)}`);
    say(`Signed out ${target.device || 'that session'}`);
    await reload();
  };
  const signOutOthers = async () => {
    const r = await post('/v1/sessions/revoke-others');
    say(r.revoked ? `Signed out ${plural(r.revoked, 'other session')}` : 'No other session was signed in');
    await reload();
  };

  return (
    <section class="stack">
      <h2>Browser sessions</h2>
      <p class="muted">
        A session ends 30 days after sign-in, or after 24 hours without use. Signing one out takes effect at its next
        request.
      </p>
      {error && <LoadError error={error} onRetry={reload} />}
      {loading && !data && <Loading what="Loading sessions" />}
      {sessions.length > 0 && (
        <Table caption="Browser sessions" columns={['Browser', 'IP address', 'Country', 'Signed in', 'Last seen', 'Actions']}>
          {sessions.map((s) => (
            <SessionRow key={s.id} session={s} onSignOut={setTarget} />
          ))}
        </Table>
      )}
      <div class="actions">
        <button type="button" onClick={() => setOthersOpen(true)}>
          Sign out all other sessions
        </button>
      </div>
      <ConfirmAction
        open={target !== null}
        title="Sign out this session?"
        action="Sign out"
        what={
          target && (
            <p>
              {target.device || 'That browser'}
              {target.ip ? ` at ${target.ip}` : ''} has to sign in again. Your keys and devices are not affected.
            </p>
          )
        }
        onConfirm={signOutOne}
        onClose={() => setTarget(null)}
      />
      <ConfirmAction
        open={othersOpen}
        title="Sign out all other sessions?"
        action="Sign out"
        what={<p>Every browser signed in to this account except this one has to sign in again.</p>}
        onConfirm={signOutOthers}
        onClose={() => setOthersOpen(false)}
      />
    </section>
  );
}

function SignOutHere() {
  const act = useAction();
  return (
    <section class="stack">
      <h2>Sign out</h2>
      <p>Ends this browser's session and returns to the sign-in page.</p>
      <div class="actions">
        <button type="button" onClick={() => act.run(signOut)} disabled={act.busy}>
          Sign out
        </button>
      </div>
      <ActionError error={act.error?.message} />
    </section>
  );
}

function DeleteAccount({ email }) {
  const [open, setOpen] = useState(false);
  const remove = async () => {
    await del('/v1/account', { confirm_email: email });
    // The account and this session are gone: the sign-in page is all that is left.
    location.assign('/auth/login');
  };
  return (
    <section class="stack danger-zone">
      <h2>Delete account</h2>
      <p>
        Deletes everything this vault holds for <strong>{email}</strong>: every key and every stored version of its value
        (the encrypted blobs), every scoped token, every CLI device and its master token, every connected app and its
        tokens, every browser session including this one, and the activity log. It cannot be undone.
      </p>
      <div class="actions">
        <button type="button" class="button-danger" onClick={() => setOpen(true)}>
          Delete account
        </button>
      </div>
      <ConfirmByTyping
        open={open}
        title="Delete your account?"
        word={email}
        action="Delete account"
        label="Type your email to confirm"
        what={
          <>
            <p>
              Every key and version blob, token, device, connected app, session and the whole activity log of{' '}
              <strong>{email}</strong> are deleted now. Nothing can be recovered afterwards; apps and CLIs using this
              account stop working at their next request.
            </p>
            <p>Export your activity first if you need it.</p>
          </>
        }
        onConfirm={remove}
        onClose={() => setOpen(false)}
      />
    </section>
  );
}

export default function AccountPage() {
  const [user, setUser] = useState(null);
  useEffect(() => {
    me().then(setUser, () => {});
  }, []);
  return (
    <Page title="Account">
      <section class="stack">
        <h2>Signed in as</h2>
        <p>
          <strong data-testid="account-email">{user?.email || '…'}</strong>
        </p>
      </section>
      <Sessions />
      <SignOutHere />
      {user && <DeleteAccount email={user.email} />}
    </Page>
  );
}
