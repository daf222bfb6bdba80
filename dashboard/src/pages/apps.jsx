// Connected apps: the OAuth grants of MCP clients (GET /v1/oauth/grants).
// A client's name is what the app declared when it registered (RFC 7591),
// unless its client_id is a Client ID Metadata Document URL, whose host
// vouches for it. Revoke (DELETE /v1/oauth/grants/:id) ends the grant and
// every token of it, so the app is refused at its next request. Each app shows
// its most recent MCP tool calls from the audit log.
import { useEffect, useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Table } from '../components/table.jsx';
import { Time } from '../components/time.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { ConfirmAction } from '../components/confirm-action.jsx';
import { ToolCalls } from '../components/tool-calls.jsx';
import { useStatus } from '../components/status.jsx';
import { useResource } from '../lib/resource.js';
import { del } from '../lib/api.js';
import { recentToolCalls } from '../lib/mcp.js';

/** Tool calls shown per app. */
const CALLS_PER_APP = 5;

/** The client's name and who vouches for it. */
function ClientName({ grant: g }) {
  const verified = g.client_kind === 'metadata_document' && g.verified_host;
  return (
    <>
      <strong>{g.client_name || g.client_id}</strong>
      <div class={verified ? 'badge badge-ok' : 'muted'}>
        {verified ? `verified: ${g.verified_host}` : 'name declared by the app'}
      </div>
    </>
  );
}

/** The scopes as the consent page says them. */
function Scopes({ grant: g }) {
  const described = g.scopes_described || (g.scopes || []).map((scope) => ({ scope, description: scope }));
  return (
    <ul class="plain-list scope-list">
      {described.map((s) => (
        <li key={s.scope}>
          {s.description} <code class="muted">{s.scope}</code>
        </li>
      ))}
    </ul>
  );
}

/** The app's newest tool calls, loaded per row. */
function RecentCalls({ clientId }) {
  const [state, setState] = useState({ logs: null, error: null });
  useEffect(() => {
    let live = true;
    recentToolCalls({ client_id: clientId, limit: CALLS_PER_APP }).then(
      (logs) => live && setState({ logs: logs.slice(0, CALLS_PER_APP), error: null }),
      (error) => live && setState({ logs: null, error }),
    );
    return () => {
      live = false;
    };
  }, [clientId]);
  if (state.error) return <p class="error">{state.error.message}</p>;
  if (!state.logs) return <span class="muted">Loading…</span>;
  return <ToolCalls logs={state.logs} />;
}

function GrantRow({ grant: g, onRevoke }) {
  return (
    <tr>
      <td class="app-cell">
        <ClientName grant={g} />
        <div class="muted">
          redirects to <code>{g.redirect_host}</code>
        </div>
      </td>
      <td>
        <Scopes grant={g} />
      </td>
      <td class="nowrap">
        <div>
          approved <Time iso={g.approved_at || g.authorized_at} />
        </div>
        <div>
          last used <Time iso={g.last_used_at} />
        </div>
      </td>
      <td>
        <RecentCalls clientId={g.client_id} />
      </td>
      <td>
        <button type="button" class="button-small button-danger" onClick={() => onRevoke(g)}>
          Revoke
        </button>
      </td>
    </tr>
  );
}

export default function AppsPage() {
  const { data, error, loading, reload, setData } = useResource('/v1/oauth/grants');
  const [revoking, setRevoking] = useState(null);
  const { say } = useStatus();
  const grants = data?.grants || [];

  const revoke = async () => {
    const g = revoking;
    await del(`/v1/oauth/grants/${encodeURIComponent(g.id)}`);
    setData({ ...data, grants: grants.filter((x) => x.id !== g.id) });
    say(`${g.client_name || 'The app'} is disconnected`);
  };

  return (
    <Page
      title="Connected apps"
      lead={
        <p>
          AI clients you approved through this vault's sign-in (OAuth). Each can do what its scopes allow until you revoke
          it. <a href="/connect">Connect another client</a>.
        </p>
      }
    >
      {error && !data && <LoadError error={error} onRetry={reload} />}
      {loading && !data && <Loading what="Loading connected apps" />}
      {data && grants.length === 0 && (
        <Empty title="No apps are connected">
          <p>
            Add this vault to Claude, Cursor or another MCP client: see <a href="/connect">Connect an AI client</a>.
          </p>
        </Empty>
      )}
      {grants.length > 0 && (
        <Table
          caption="Connected apps"
          columns={['App', 'May', 'Approved, last used', 'Recent tool calls', 'Actions']}
        >
          {grants.map((g) => (
            <GrantRow key={g.id} grant={g} onRevoke={setRevoking} />
          ))}
        </Table>
      )}
      <ConfirmAction
        open={revoking !== null}
        title="Revoke this app?"
        action="Revoke"
        what={
          revoking && (
            <p>
              <strong>{revoking.client_name || revoking.client_id}</strong> is cut off at its next request: its access and
              refresh tokens stop working at once. To use it again you would connect it and approve it again.
            </p>
          )
        }
        onConfirm={revoke}
        onClose={() => setRevoking(null)}
      />
    </Page>
  );
}
