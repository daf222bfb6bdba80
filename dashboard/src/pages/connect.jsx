// Connect an AI client: this vault's MCP URL with a copy button, setup for
// each client (data/mcp-clients.js), a "Test connection" button that runs the
// MCP handshake and tools/list from this browser session (lib/mcp.js), and
// the most recent MCP tool calls of each OAuth-connected client.
import { useEffect, useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { CopyButton } from '../components/copy-button.jsx';
import { ActionError } from '../components/field.jsx';
import { ToolCalls } from '../components/tool-calls.jsx';
import { LoadError, Loading } from '../components/empty.jsx';
import { useAction } from '../lib/forms.js';
import { mcpUrl, recentToolCalls, testConnection } from '../lib/mcp.js';
import { MCP_CLIENTS, isPlainHttpRemote } from '../data/mcp-clients.js';

/** Tool calls read for the per-client lists, and shown per client. */
const CALLS_READ = 200;
const CALLS_PER_CLIENT = 5;

function Snippet({ client, snippet, url }) {
  const text = snippet.text(url, location.origin);
  return (
    <div class="snippet">
      <div class="row">
        <span class="label">{snippet.label}</span>
        <CopyButton class="button-small" text={text} label={`Copy ${snippet.label} for ${client.name}`} />
      </div>
      <pre tabIndex={0} role="region" aria-label={`${client.name}: ${snippet.label}`}>
        {text}
      </pre>
    </div>
  );
}

function ClientSetup({ client, url }) {
  return (
    <details class="card client-setup">
      <summary>{client.name}</summary>
      <div class="stack">
        <ol>
          {client.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
        {client.snippets.map((s) => (
          <Snippet key={s.label} client={client} snippet={s} url={url} />
        ))}
        {client.note && <p class="muted">{client.note}</p>}
        <p>
          <a href={client.docs} rel="noreferrer" target="_blank">
            {client.name} documentation
          </a>
        </p>
      </div>
    </details>
  );
}

function TestConnection() {
  const act = useAction();
  const [result, setResult] = useState(null);
  const test = () =>
    act.run(async () => {
      setResult(null);
      setResult(await testConnection());
    });
  return (
    <section class="stack">
      <h2>Test connection</h2>
      <p>
        Runs what an MCP client runs first — <code>initialize</code>, <code>notifications/initialized</code>,{' '}
        <code>tools/list</code> — from this browser session, and shows what the server answered.
      </p>
      <div class="actions">
        <button type="button" class="button-primary" onClick={test} disabled={act.busy}>
          Test connection
        </button>
        {act.busy && <span class="muted">Connecting…</span>}
      </div>
      <ActionError error={act.error && `The connection failed: ${act.error.message}`} testid="mcp-test-error" />
      {result && (
        <div class="notice notice-success" role="status">
          <dl class="facts">
            <dt>Protocol version</dt>
            <dd>
              <code>{result.protocolVersion}</code>
            </dd>
            <dt>Server</dt>
            <dd>
              {result.server.title || result.server.name} <code>{result.server.version}</code>
            </dd>
            <dt>Tools</dt>
            <dd>
              {result.tools.length}
              <ul class="plain-list tool-names">
                {result.tools.map((t) => (
                  <li key={t.name}>
                    <code>{t.name}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </dl>
        </div>
      )}
    </section>
  );
}

/** The newest tool calls of OAuth clients, grouped by client, newest client first. */
function RecentCallsByClient() {
  const [state, setState] = useState({ groups: null, error: null });
  const load = () =>
    recentToolCalls({ actor_kind: 'oauth', limit: CALLS_READ }).then(
      (logs) => {
        const groups = new Map();
        for (const l of logs) {
          const key = l.actor_id || l.client || '?';
          if (!groups.has(key)) groups.set(key, { name: l.client || l.actor_id || 'unknown client', logs: [] });
          const g = groups.get(key);
          if (g.logs.length < CALLS_PER_CLIENT) g.logs.push(l);
        }
        setState({ groups: [...groups.entries()], error: null });
      },
      (error) => setState({ groups: null, error }),
    );
  useEffect(() => {
    load();
  }, []);
  return (
    <section class="stack">
      <h2>Recent tool calls by client</h2>
      {state.error && <LoadError error={state.error} onRetry={load} />}
      {!state.groups && !state.error && <Loading what="Loading tool calls" />}
      {state.groups && state.groups.length === 0 && (
        <p class="muted">No connected app has called a tool yet. Apps you approve appear under <a href="/apps">Connected apps</a>.</p>
      )}
      {state.groups?.map(([key, g]) => (
        <div key={key}>
          <h3>{g.name}</h3>
          <ToolCalls logs={g.logs} />
        </div>
      ))}
    </section>
  );
}

export default function ConnectPage() {
  const url = mcpUrl();
  return (
    <Page
      title="Connect an AI client"
      lead={
        <p>
          Give Claude, Cursor, Zed or another MCP client this vault's tools. Each client signs in here and asks for your
          approval; approved clients are listed under <a href="/apps">Connected apps</a>.
        </p>
      }
    >
      <div class="cards">
        <section class="stack">
          <h2>MCP URL</h2>
          <div class="row">
            <code class="url" data-testid="mcp-url">
              {url}
            </code>
            <CopyButton text={url} />
          </div>
          {isPlainHttpRemote(url) && (
            <p class="notice notice-warning">
              This address is plain http on a network host: most clients refuse it. Serve the vault over https.
            </p>
          )}
        </section>
        <TestConnection />
        <section class="stack">
          <h2>Set up a client</h2>
          {MCP_CLIENTS.map((c) => (
            <ClientSetup key={c.id} client={c} url={url} />
          ))}
        </section>
        <RecentCallsByClient />
      </div>
    </Page>
  );
}
