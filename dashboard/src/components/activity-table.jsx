// Audit rows (GET /v1/activity's `logs`) as a table, newest first: when, what,
// which key, who (actor and client), from where, the status and the detail.
// Used by the Activity page and by each key's detail page.
import { Table } from './table.jsx';
import { TimeCell } from './time.jsx';

/** The principal behind a row, in words. */
export function actorLabel(log) {
  switch (log.actor_kind) {
    case 'session':
      return 'Browser session';
    case 'master':
      return 'Device (CLI)';
    case 'scoped':
      return 'Scoped token';
    case 'oauth':
      return 'Connected app';
    case 'system':
      return 'System';
    default:
      return log.actor_kind || '—';
  }
}

function statusBadge(status) {
  if (status === null || status === undefined) return <span class="muted">—</span>;
  const cls = status < 400 ? 'badge-ok' : [401, 403, 423, 429].includes(status) ? 'badge-warning' : 'badge-danger';
  return <span class={`badge ${cls}`}>{status}</span>;
}

/** @param {{logs: object[], showKey?: boolean, caption?: string}} props */
export function ActivityTable({ logs, showKey = true, caption = 'Activity' }) {
  const columns = ['When', 'Action', ...(showKey ? ['Key'] : []), 'Who', 'From', 'Status', 'Detail'];
  return (
    <Table caption={caption} columns={columns}>
      {logs.map((l) => (
        <tr key={l.id}>
          <TimeCell iso={l.created_at || l.timestamp} />
          <td class="mono nowrap">{l.action}</td>
          {showKey && (
            <td>
              {l.key_id ? (
                <a href={`/keys/${encodeURIComponent(l.key_id)}`} class="mono">
                  {l.key_name || l.key_id}
                </a>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
          )}
          <td>
            {actorLabel(l)}
            {l.client && (
              <>
                <br />
                <span class="muted">{l.client}</span>
              </>
            )}
          </td>
          <td class="nowrap">
            {l.source_ip || <span class="muted">—</span>}
            {l.country && <span class="muted"> {l.country}</span>}
          </td>
          <td>{statusBadge(l.status)}</td>
          <td class="log-detail">{l.detail || <span class="muted">—</span>}</td>
        </tr>
      ))}
    </Table>
  );
}
