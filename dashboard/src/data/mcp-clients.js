// How each MCP client connects to this vault: one entry per client, rendered
// by the "Connect an AI client" page (pages/connect.jsx). Data, not markup, so
// a client whose setup changes is one edit here. Each shape follows the
// client's own setup documentation (its `docs` link), checked in December 2026.
//
// Entry: {id, name, docs, steps: string[], snippets: Snippet[], note?: string}
// Snippet: {label (what the text is: a file name or "Terminal"),
//           text(url, origin) → the text to paste}
// `url` is this vault's MCP endpoint (`<origin>/v1/mcp`), `origin` the
// dashboard's own origin.

const json = (value) => JSON.stringify(value, null, 2);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether `url` is plain http on a host other than loopback: mcp-remote then
 * needs --allow-http, and cloud-side clients (claude.ai) cannot use it.
 * @param {string} url
 */
export function isPlainHttpRemote(url) {
  const u = new URL(url);
  return u.protocol === 'http:' && !LOOPBACK.has(u.hostname);
}

/** `npx -y mcp-remote <url>`: the stdio bridge for clients without remote-server sign-in. */
const mcpRemote = (url) => ({
  command: 'npx',
  args: ['-y', 'mcp-remote', url, ...(isPlainHttpRemote(url) ? ['--allow-http'] : [])],
});

/** @type {{id: string, name: string, docs: string, steps: string[], snippets: {label: string, text: (url: string, origin: string) => string}[], note?: string}[]} */
export const MCP_CLIENTS = [
  {
    id: 'claude-web',
    name: 'Claude (claude.ai)',
    docs: 'https://support.claude.com/en/articles/11175166-getting-started-with-custom-connectors-using-remote-mcp',
    steps: [
      'In Claude, open Settings → Connectors and choose "Add custom connector".',
      'Name it vaultedge, paste the MCP URL as the remote MCP server URL, and choose Add.',
      "Choose Connect: Claude opens this vault's consent page. Sign in, choose what Claude may do, and approve.",
    ],
    snippets: [{ label: 'Remote MCP server URL', text: (url) => url }],
    note: "Claude reaches the server from Anthropic's cloud, so the URL must be public: use your deployed https address, not 127.0.0.1.",
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    docs: 'https://code.claude.com/docs/en/mcp',
    steps: [
      'Add the server in a terminal:',
      "In Claude Code, run /mcp, pick vaultedge and choose Authenticate: your browser opens this vault's consent page.",
    ],
    snippets: [{ label: 'Terminal', text: (url) => `claude mcp add --transport http vaultedge ${url}` }],
  },
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    docs: 'https://modelcontextprotocol.io/docs/develop/connect-local-servers',
    steps: [
      'Open Settings → Developer → Edit Config. The file is claude_desktop_config.json (~/Library/Application Support/Claude/ on macOS, %APPDATA%\\Claude\\ on Windows).',
      'Add the vaultedge entry under "mcpServers", keeping any servers already there; save and restart Claude Desktop.',
      "On first use mcp-remote opens your browser at this vault's consent page. It needs Node.js 18 or later.",
    ],
    snippets: [{ label: 'claude_desktop_config.json', text: (url) => json({ mcpServers: { vaultedge: mcpRemote(url) } }) }],
    note: 'With a public https URL, Claude Desktop can also add it under Settings → Connectors → "Add custom connector", as on claude.ai.',
  },
  {
    id: 'cursor',
    name: 'Cursor',
    docs: 'https://cursor.com/docs/context/mcp',
    steps: [
      'Put this in .cursor/mcp.json in your project, or in ~/.cursor/mcp.json for every project:',
      "Cursor lists vaultedge under Settings → MCP; choose its login button to approve access on this vault's consent page.",
    ],
    snippets: [{ label: '.cursor/mcp.json', text: (url) => json({ mcpServers: { vaultedge: { url } } }) }],
  },
  {
    id: 'zed',
    name: 'Zed',
    docs: 'https://zed.dev/docs/ai/mcp',
    steps: [
      'Run "zed: open settings file" and add vaultedge under "context_servers".',
      "Current Zed signs in to remote servers itself: choose Authenticate for vaultedge in the Agent Panel's settings. Older versions without remote-server sign-in use mcp-remote (second snippet).",
    ],
    snippets: [
      { label: 'settings.json', text: (url) => json({ context_servers: { vaultedge: { url } } }) },
      {
        label: 'settings.json through mcp-remote',
        text: (url) => json({ context_servers: { vaultedge: { ...mcpRemote(url), env: {} } } }),
      },
    ],
  },
  {
    id: 'continue',
    name: 'Continue',
    docs: 'https://docs.continue.dev/customize/deep-dives/mcp',
    steps: [
      'Add vaultedge to "mcpServers" in ~/.continue/config.yaml, or save it as its own file in .continue/mcpServers/ in your workspace:',
      "Continue's agent mode can then call the vault's tools.",
    ],
    snippets: [
      {
        label: 'config.yaml',
        text: (url) => `mcpServers:\n  - name: vaultedge\n    type: streamable-http\n    url: ${url}\n`,
      },
    ],
  },
  {
    id: 'apilocker',
    name: 'apilocker mcp (CLI bridge)',
    docs: 'https://www.npmjs.com/package/apilocker',
    steps: [
      'Register this computer once and approve the code in this browser:',
      'Then give any client that runs local (stdio) servers the command apilocker mcp; it forwards every message to this vault with the device token.',
    ],
    snippets: [
      { label: 'Terminal', text: (url, origin) => `npm install -g apilocker\napilocker register --url ${origin}` },
      { label: 'Client config (mcpServers)', text: () => json({ mcpServers: { vaultedge: { command: 'apilocker', args: ['mcp'] } } }) },
    ],
    note: 'The bridge uses the device\'s master token, which can do everything you can. Revoke the device under Devices to cut it off.',
  },
];
