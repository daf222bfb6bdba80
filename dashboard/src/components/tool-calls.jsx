// A short list of MCP tool calls from the audit log (action mcp.tool_call):
// the tool's name (the row's detail), the key it touched, whether it worked
// and when. Metadata only: the audit log never holds arguments or results.
import { Time } from './time.jsx';

/** ok / refused / failed from an HTTP-like status. */
function outcome(status) {
  if (status === null || status === undefined || status < 400) return { text: 'ok', cls: 'badge badge-ok' };
  if ([401, 403, 423, 429].includes(status)) return { text: `refused (${status})`, cls: 'badge badge-warning' };
  return { text: `failed (${status})`, cls: 'badge badge-danger' };
}

/** @param {{logs: object[], empty?: string}} props audit rows, newest first */
export function ToolCalls({ logs, empty = 'No tool calls yet.' }) {
  if (!logs.length) return <p class="muted">{empty}</p>;
  return (
    <ul class="tool-calls">
      {logs.map((l) => {
        const o = outcome(l.status);
        return (
          <li key={l.id}>
            <code>{l.detail || 'tool call'}</code>
            {l.key_name && <span class="muted"> on {l.key_name}</span>} <span class={o.cls}>{o.text}</span>{' '}
            <Time iso={l.created_at} />
          </li>
        );
      })}
    </ul>
  );
}
