// The dashboard as an MCP client of its own vault, for two things:
//
// testConnection(): the "Test connection" button (pages/connect.jsx). From the
// signed-in browser session (cookie + X-CSRF-Token, added by api.js) it runs
// what every MCP client runs first — `initialize` (protocol 2025-11-25), the
// `notifications/initialized` notification, then `tools/list` with the
// MCP-Protocol-Version header (MCP 2025-11-25, "Lifecycle" and "Transports")
// — against POST /v1/mcp, and returns what was negotiated. No new route: the
// server treats the session like any other MCP principal (docs/mcp.md).
//
// recentToolCalls(): the audit rows of MCP tool calls (action mcp.tool_call,
// worker/mcp/tool_audit.hpp), newest first, for the Connected apps and
// Connect pages.
import { ApiError, get, request, withQuery } from './api.js';

export const MCP_PATH = '/v1/mcp';
/** The revision the test asks for; the server may answer another it speaks. */
export const TEST_PROTOCOL = '2025-11-25';
/** The audit action of one tools/call (worker/mcp/tool_audit.hpp kToolCallAction). */
export const TOOL_CALL_ACTION = 'mcp.tool_call';
/** tools/list pages followed at most (the server pages its list). */
const MAX_PAGES = 20;

/** This vault's MCP endpoint as clients must write it. */
export const mcpUrl = () => `${location.origin}${MCP_PATH}`;

/**
 * The JSON-RPC response to request `id` in an answer: a JSON body, or an SSE
 * stream whose `data:` events carry messages (notifications come first).
 * @param {Response} res
 * @param {number} id
 * @returns {Promise<object>}
 */
async function responseTo(res, id) {
  const text = await res.text();
  const type = res.headers.get('Content-Type') || '';
  const messages = [];
  try {
    if (type.startsWith('text/event-stream')) {
      for (const event of text.split(/\r?\n\r?\n/)) {
        const data = event
          .split(/\r?\n/)
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (data) messages.push(JSON.parse(data));
      }
    } else {
      messages.push(JSON.parse(text));
    }
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The MCP endpoint sent an answer that is not JSON-RPC.');
  }
  const reply = messages.find((m) => m && m.id === id && ('result' in m || 'error' in m));
  if (!reply) throw new ApiError(res.status, 'bad_response', `The MCP endpoint sent no response to request ${id}.`);
  if (reply.error) {
    const e = reply.error;
    throw new ApiError(res.status, `jsonrpc_${e.code}`, typeof e.message === 'string' ? e.message : 'JSON-RPC error');
  }
  return reply.result;
}

const ACCEPT = 'application/json, text/event-stream';

/**
 * One JSON-RPC message to /v1/mcp.
 * @param {object} message
 * @param {string | null} version MCP-Protocol-Version header (none for initialize)
 * @returns {Promise<Response>}
 */
function send(message, version) {
  const headers = { Accept: ACCEPT };
  if (version) headers['MCP-Protocol-Version'] = version;
  return request('POST', MCP_PATH, { jsonrpc: '2.0', ...message }, headers);
}

/**
 * The MCP handshake and tools/list from this browser session.
 * @returns {Promise<{protocolVersion: string, server: {name: string, version: string, title?: string},
 *   instructions: string | null, tools: {name: string, title?: string, description?: string}[]}>}
 * @throws {ApiError} the server's refusal or JSON-RPC error, in its words
 */
export async function testConnection() {
  const init = await responseTo(
    await send(
      {
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: TEST_PROTOCOL,
          capabilities: {},
          clientInfo: { name: 'vaultedge-dashboard', version: '1.0.0' },
        },
      },
      null,
    ),
    1,
  );
  const version = String(init.protocolVersion || '');
  await send({ method: 'notifications/initialized' }, version);
  const tools = [];
  let cursor;
  for (let page = 0, id = 2; page < MAX_PAGES; page++, id++) {
    const params = cursor ? { cursor } : {};
    const listed = await responseTo(await send({ id, method: 'tools/list', params }, version), id);
    tools.push(...(listed.tools || []));
    cursor = listed.nextCursor;
    if (!cursor) break;
  }
  return {
    protocolVersion: version,
    server: init.serverInfo || { name: '?', version: '?' },
    instructions: typeof init.instructions === 'string' ? init.instructions : null,
    tools,
  };
}

/**
 * The newest MCP tool calls matching `filters` (GET /v1/activity).
 * Rows are checked again here against the filters the page relies on.
 * @param {{client_id?: string, actor_kind?: string, limit: number}} filters
 * @returns {Promise<object[]>} audit rows, newest first
 */
export async function recentToolCalls({ client_id, actor_kind, limit }) {
  const data = await get(withQuery('/v1/activity', { action: TOOL_CALL_ACTION, client_id, actor_kind, limit }));
  return (data.logs || []).filter(
    (l) =>
      l.action === TOOL_CALL_ACTION &&
      (!client_id || (l.actor_kind === 'oauth' && l.actor_id === client_id)) &&
      (!actor_kind || l.actor_kind === actor_kind),
  );
}
