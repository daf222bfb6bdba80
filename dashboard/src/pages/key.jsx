// One key (/keys/:id): reveal its value, copy its proxy URL, rotate, rename,
// pause or resume, delete; its versions and its own activity.
import { useEffect, useState } from 'preact/hooks';
import { useRoute, useLocation } from 'preact-iso/router';
import { Page } from '../components/page.jsx';
import { Secret } from '../components/secret.jsx';
import { Time } from '../components/time.jsx';
import { Table } from '../components/table.jsx';
import { CopyButton } from '../components/copy-button.jsx';
import { ConfirmByTyping } from '../components/confirm.jsx';
import { ActivityTable } from '../components/activity-table.jsx';
import { ActionError } from '../components/field.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { useStatus } from '../components/status.jsx';
import { del, post, withQuery } from '../lib/api.js';
import { useAction } from '../lib/forms.js';
import { useResource } from '../lib/resource.js';
import { CATEGORY_LABELS, injectionOfType } from '../lib/providers.js';
import { RenameDialog, RotateDialog } from './keys/manage-dialogs.jsx';

/** The key's own audit rows; `refresh` changes after each action on the page. */
function KeyActivity({ keyId, refresh }) {
  const { data, error, reload } = useResource(withQuery('/v1/activity', { key_id: keyId, limit: 50 }));
  useEffect(() => {
    if (refresh) reload();
  }, [refresh]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Loading what="Loading activity" />;
  if (data.logs.length === 0) return <Empty title="No activity for this key yet" />;
  return <ActivityTable logs={data.logs} showKey={false} caption="Activity of this key" />;
}

export default function KeyPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const path = `/v1/keys/${encodeURIComponent(params.id)}`;
  const { data: k, error, reload: reloadKey } = useResource(path);
  const [refresh, setRefresh] = useState(0);
  // After an action: the key (last used, version, state) and its activity.
  const reload = async () => {
    setRefresh((n) => n + 1);
    await reloadKey();
  };
  const [dialog, setDialog] = useState(null);
  const pause = useAction();
  const { say } = useStatus();

  if (error) {
    return (
      <Page title="Key">
        <LoadError error={error} onRetry={error.status === 404 ? null : reloadKey} />
        <p>
          <a href="/">Back to your keys</a>
        </p>
      </Page>
    );
  }
  if (!k) {
    return (
      <Page title="Key">
        <Loading what="Loading the key" />
      </Page>
    );
  }

  const togglePause = () =>
    pause.run(async () => {
      const verb = k.paused_at ? 'resume' : 'pause';
      await post(`${path}/${verb}`);
      await reload();
      say(verb === 'pause' ? `Paused ${k.name}: the proxy refuses it until you resume it` : `Resumed ${k.name}`);
    });

  const done = (message) => async () => {
    setDialog(null);
    say(message);
    await reload();
  };

  const remove = async () => {
    await del(path);
    setDialog(null);
    say(`Deleted ${k.name}`);
    route('/');
  };

  return (
    <Page
      title={k.name}
      lead={
        <p>
          <a href="/">← All keys</a>
        </p>
      }
    >
      <div class="cards">
        <section class="card stack" aria-labelledby="value-h">
          <h2 id="value-h">Value</h2>
          <Secret keyId={k.id} name={k.name} onRevealed={reload} />
        </section>

        <section class="card stack" aria-labelledby="manage-h">
          <h2 id="manage-h">Manage</h2>
          <div class="actions">
            <button type="button" onClick={() => setDialog('rotate')}>
              Rotate
            </button>
            <button type="button" onClick={() => setDialog('rename')}>
              Rename
            </button>
            <button type="button" onClick={togglePause} disabled={pause.busy}>
              {k.paused_at ? 'Resume' : 'Pause'}
            </button>
            <button type="button" class="button-danger" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </div>
          <ActionError error={pause.error?.message} />
          <p class="muted">
            {k.paused_at ? (
              <>
                Paused <Time iso={k.paused_at} />. Pause blocks the proxy only: reveals, the CLI and your apps can still read the value.
              </>
            ) : (
              'Pause blocks the proxy only: proxy calls with this key are refused until you resume it; reveals and the CLI still work.'
            )}
          </p>
        </section>

        <section class="card" aria-labelledby="details-h">
          <h2 id="details-h">Details</h2>
          <dl class="facts">
            <dt>Provider</dt>
            <dd>
              {k.provider} <span class="muted">({CATEGORY_LABELS[k.category] || k.category})</span>
            </dd>
            <dt>Type</dt>
            <dd>{k.credential_type === 'oauth2' ? 'OAuth credential' : 'API key'}</dd>
            <dt>State</dt>
            <dd>{k.paused_at ? <span class="badge badge-paused">Paused</span> : <span class="badge badge-ok">Active</span>}</dd>
            <dt>Tags</dt>
            <dd>
              {k.tags.length ? (
                k.tags.map((t) => (
                  <span class="chip" key={t}>
                    {t}
                  </span>
                ))
              ) : (
                <span class="muted">none</span>
              )}
            </dd>
            <dt>Base URL</dt>
            <dd class="mono">{k.base_url || <span class="muted">none (vault only)</span>}</dd>
            <dt>Injection</dt>
            <dd class="mono">{injectionOfType(k.auth_header_type)}</dd>
            <dt>Proxy URL</dt>
            <dd>
              {k.proxy_endpoint ? (
                <span class="row">
                  <code>{k.proxy_endpoint}/…</code>
                  <CopyButton text={`${k.proxy_endpoint}/`} label="Copy proxy URL" />
                </span>
              ) : (
                <span class="muted">no proxy use without a base URL</span>
              )}
            </dd>
            <dt>Version</dt>
            <dd>{k.version}</dd>
            <dt>Created</dt>
            <dd>
              <Time iso={k.created_at} />
            </dd>
            <dt>Rotated</dt>
            <dd>
              <Time iso={k.rotated_at} />
            </dd>
            <dt>Last used</dt>
            <dd>
              <Time iso={k.last_used_at} />
            </dd>
            {k.previous_names?.length > 0 && (
              <>
                <dt>Old names</dt>
                <dd>
                  {k.previous_names.map((n) => (
                    <code key={n} class="chip">
                      {n}
                    </code>
                  ))}
                  <span class="muted"> (still resolve to this key)</span>
                </dd>
              </>
            )}
          </dl>
        </section>

        {k.versions?.length > 0 && (
          <section class="stack" aria-labelledby="versions-h">
            <h2 id="versions-h">Versions</h2>
            <Table caption="Versions" columns={['Version', 'Stage', 'Created', 'Retired']}>
              {k.versions.map((ver) => (
                <tr key={ver.version}>
                  <td>{ver.version}</td>
                  <td>{ver.stage || <span class="muted">retired</span>}</td>
                  <td>
                    <Time iso={ver.created_at} />
                  </td>
                  <td>
                    <Time iso={ver.retired_at} never="—" />
                  </td>
                </tr>
              ))}
            </Table>
          </section>
        )}

        <section class="stack" aria-labelledby="activity-h">
          <h2 id="activity-h">Activity</h2>
          <p>
            <a href={withQuery('/activity', { key_id: k.id })}>Filter the full activity by this key</a>
          </p>
          <KeyActivity keyId={k.id} refresh={refresh} />
        </section>
      </div>

      <RotateDialog keyRecord={k} open={dialog === 'rotate'} onClose={() => setDialog(null)} onDone={done(`Rotated ${k.name}`)} />
      <RenameDialog
        keyRecord={k}
        open={dialog === 'rename'}
        onClose={() => setDialog(null)}
        onDone={(r) => {
          setDialog(null);
          say(`Renamed to ${r.name || r.new_name || 'the new name'}; the old name keeps resolving`);
          reload();
        }}
      />
      <ConfirmByTyping
        open={dialog === 'delete'}
        title={`Delete ${k.name}`}
        word={k.name}
        action="Delete"
        label="Type the key's name to confirm"
        what={
          <p>
            This deletes <code>{k.name}</code>, every version of its value and its old names. Apps and tokens that use it stop working. This cannot be undone.
          </p>
        }
        onConfirm={remove}
        onClose={() => setDialog(null)}
      />
    </Page>
  );
}
