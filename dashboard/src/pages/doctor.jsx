// Health: the vault's health report (GET /v1/doctor, the same report as the
// run_doctor MCP tool), findings grouped by severity. Each finding names the
// REST call that fixes it (`fix`: {action, method, path}); its button does
// that fix and then runs the report again:
//   rotate         needs a new value: reads the key and opens its rotate dialog
//                  (the key page's RotateDialog) here
//   delete         a key: confirmed by typing its name
//   resume, revoke_device, revoke_token: confirmed in a dialog, then the call
//   refresh_token  only the app holding the refresh token can do it: no button
import { useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { ConfirmAction } from '../components/confirm-action.jsx';
import { ConfirmByTyping } from '../components/confirm.jsx';
import { ActionError } from '../components/field.jsx';
import { useStatus } from '../components/status.jsx';
import { RotateDialog } from './keys/manage-dialogs.jsx';
import { useResource } from '../lib/resource.js';
import { useAction } from '../lib/forms.js';
import { api, get } from '../lib/api.js';
import { plural } from '../lib/format.js';

const GROUPS = [
  { severity: 'warning', title: 'Warnings', badge: 'badge badge-warning' },
  { severity: 'info', title: 'Notes', badge: 'badge' },
];

const KIND_TEXT = {
  stale_rotation: 'Not rotated',
  unused: 'Unused key',
  paused: 'Paused key',
  idle_device: 'Idle device',
  expiring_token: 'Token expiring',
  unused_token: 'Unused token',
};

/** What each confirmable fix says and what its button is called. */
const CONFIRM = {
  resume: {
    button: 'Resume',
    title: 'Resume this key?',
    what: (f) => `${f.name} can be used through the proxy again. Resume it only if it is safe: after a leak, rotate it first.`,
    done: (f) => `${f.name} resumed`,
  },
  revoke_device: {
    button: 'Revoke',
    title: 'Revoke this device?',
    what: (f) => `${f.name} loses its master token at its next request; the CLI there must be registered again.`,
    done: (f) => `Device ${f.name} revoked`,
  },
  revoke_token: {
    button: 'Revoke',
    title: 'Revoke this token?',
    what: (f) => `The app using the scoped token ${f.name} is refused from its next request on.`,
    done: (f) => `Token ${f.name} revoked`,
  },
};

/** The id of the finding's subject. */
const subjectId = (f) => f.key_id || f.device_id || f.token_id;

/** Rotate: the key's record (its credential type says which fields to ask for), then its dialog. */
function RotateButton({ finding: f, onRotate }) {
  const act = useAction();
  const open = () =>
    act.run(async () => {
      onRotate(await get(`/v1/keys/${encodeURIComponent(f.key_id)}`));
    });
  return (
    <>
      <button type="button" class="button-small button-primary" onClick={open} disabled={act.busy}>
        Rotate
      </button>
      <ActionError error={act.error?.message} />
    </>
  );
}

/** The control that performs a finding's fix. */
function FixButton({ finding: f, onFix, onRotate }) {
  const action = f.fix?.action;
  if (action === 'rotate' && f.key_id) return <RotateButton finding={f} onRotate={onRotate} />;
  if (action === 'delete' && f.key_id) {
    return (
      <button type="button" class="button-small button-danger" onClick={() => onFix(f)}>
        Delete
      </button>
    );
  }
  if (CONFIRM[action] && f.fix.method && f.fix.path) {
    return (
      <button type="button" class="button-small" onClick={() => onFix(f)}>
        {CONFIRM[action].button}
      </button>
    );
  }
  if (action === 'refresh_token') {
    return <span class="muted">Only the app that holds the token's refresh token can refresh it.</span>;
  }
  return null;
}

function Finding({ finding: f, onFix, onRotate }) {
  return (
    <li class="card finding">
      <div class="row">
        <strong>{f.name}</strong>
        <span class="chip">{KIND_TEXT[f.kind] || f.kind}</span>
        <span class="muted">{f.subject}</span>
      </div>
      <p>{f.detail}</p>
      <p class="muted">{f.action}</p>
      <div class="actions">
        <FixButton finding={f} onFix={onFix} onRotate={onRotate} />
      </div>
    </li>
  );
}

export default function DoctorPage() {
  const { data, error, loading, reload } = useResource('/v1/doctor');
  const [fixing, setFixing] = useState(null);
  const [rotating, setRotating] = useState(null);
  const { say } = useStatus();
  const findings = data?.findings || [];

  const runFix = async () => {
    const f = fixing;
    // POST routes of the API take an empty JSON object; DELETE takes no body.
    await api(f.fix.method, f.fix.path, f.fix.method === 'POST' ? {} : undefined);
    say(f.fix.action === 'delete' ? `${f.name} deleted` : CONFIRM[f.fix.action].done(f));
    await reload();
  };
  const close = () => setFixing(null);
  const confirm = fixing && CONFIRM[fixing.fix.action];

  return (
    <Page
      title="Health"
      actions={
        <button type="button" onClick={reload} disabled={loading}>
          Run again
        </button>
      }
      lead={<p>Keys due for rotation or unused, paused keys, idle devices and scoped tokens that expire or sit unused.</p>}
    >
      {error && <LoadError error={error} onRetry={reload} />}
      {loading && !data && <Loading what="Checking the vault" />}
      {data && (
        <>
          <p class={data.summary.healthy ? 'notice notice-success' : 'notice notice-warning'} role="status">
            {data.summary.text}
          </p>
          {findings.length === 0 && <Empty title="Nothing to fix" />}
          {GROUPS.map((g) => {
            const mine = findings.filter((f) => f.severity === g.severity);
            if (!mine.length) return null;
            return (
              <section key={g.severity} class="stack">
                <h2>
                  {g.title} <span class={g.badge}>{mine.length}</span>
                </h2>
                <ul class="plain-list cards">
                  {mine.map((f) => (
                    <Finding key={`${f.kind}:${subjectId(f)}`} finding={f} onFix={setFixing} onRotate={setRotating} />
                  ))}
                </ul>
              </section>
            );
          })}
          <section>
            <h2>What was checked</h2>
            <p class="muted">
              {plural(data.summary.keys_checked, 'key')}, {plural(data.summary.devices_checked, 'device')} and{' '}
              {plural(data.summary.tokens_checked, 'scoped token')}.
            </p>
            <ul class="plain-list">
              {(data.checks || []).map((c) => (
                <li key={c.check}>
                  <span class={c.status === 'ok' ? 'badge badge-ok' : 'badge badge-warning'}>
                    {c.status === 'ok' ? 'ok' : 'findings'}
                  </span>{' '}
                  {c.detail}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      <ConfirmAction
        open={!!confirm}
        title={confirm?.title || ''}
        action={confirm?.button || ''}
        danger={fixing?.fix.action !== 'resume'}
        what={confirm && <p>{confirm.what(fixing)}</p>}
        onConfirm={runFix}
        onClose={close}
      />
      {rotating && (
        <RotateDialog
          keyRecord={rotating}
          open
          onClose={() => setRotating(null)}
          onDone={() => {
            say(`Rotated ${rotating.name}`);
            setRotating(null);
            reload();
          }}
        />
      )}
      <ConfirmByTyping
        open={fixing?.fix.action === 'delete'}
        title="Delete this key?"
        word={fixing?.name || ''}
        action="Delete"
        label="Type the key's name to confirm"
        what={
          fixing && (
            <p>
              <strong>{fixing.name}</strong> and every version of its value are deleted from the vault, and anything using
              it through the proxy is refused. Revoke it at the provider too. This cannot be undone.
            </p>
          )
        }
        onConfirm={async () => {
          await runFix();
          close();
        }}
        onClose={close}
      />
    </Page>
  );
}
