// The token just created, shown exactly once: the value with a Copy button and
// ready-to-paste snippets (curl, Node fetch, Python requests) that call the
// proxy with it. Pressing Done drops it from the page; the vault keeps only
// its hash, so it can never be shown again.
import { useState } from 'preact/hooks';
import { CopyButton } from '../../components/copy-button.jsx';

function snippets(url, token) {
  return [
    ['curl', `curl -H "Authorization: Bearer ${token}" \\\n  "${url}"`],
    [
      'Node fetch',
      `const res = await fetch("${url}", {\n  headers: { Authorization: "Bearer ${token}" },\n});\nconsole.log(res.status, await res.text());`,
    ],
    [
      'Python requests',
      `import requests\n\nr = requests.get(\n    "${url}",\n    headers={"Authorization": "Bearer ${token}"},\n)\nprint(r.status_code, r.text)`,
    ],
  ];
}

/** @param {{token: object, onDone: () => void}} props the POST /v1/tokens answer */
export function NewToken({ token, onDone }) {
  const [tab, setTab] = useState(0);
  const key = token.allowed_keys[0];
  const url = `${location.origin}/v1/proxy/${key ? key.id : '<keyId>'}/<path>`;
  const list = snippets(url, token.token);
  return (
    <section class="notice notice-success stack" aria-labelledby="new-token-h">
      <h2 id="new-token-h">Token {token.name} created</h2>
      <p>
        <strong>It is shown only once.</strong> Copy it now: the vault keeps only a hash of it.
      </p>
      <div class="secret">
        <code class="secret-value" data-testid="new-token">
          {token.token}
        </code>
        <CopyButton text={token.token} label="Copy token" />
      </div>
      {token.refresh_token && (
        <>
          <p>
            It expires {token.expires_at ? `at ${new Date(token.expires_at).toLocaleString()}` : 'on its cadence'}; get the next one with
            this refresh token (POST /v1/tokens/refresh), also shown only once:
          </p>
          <div class="secret">
            <code class="secret-value">{token.refresh_token}</code>
            <CopyButton text={token.refresh_token} label="Copy refresh token" />
          </div>
        </>
      )}
      <div data-testid="token-snippets" class="stack">
        <h3>Use it through the proxy</h3>
        <p class="muted">
          Replace <code>&lt;path&gt;</code> with the provider's API path{key ? ` for ${key.name}` : ''}; the vault adds the key.
        </p>
        <div class="tabs" role="tablist" aria-label="Snippet language">
          {list.map(([label], i) => (
            <button
              type="button"
              role="tab"
              key={label}
              id={`snippet-tab-${i}`}
              aria-selected={tab === i ? 'true' : 'false'}
              aria-controls={`snippet-${i}`}
              onClick={() => setTab(i)}
            >
              {label}
            </button>
          ))}
        </div>
        {list.map(([label, code], i) => (
          <div key={label} id={`snippet-${i}`} role="tabpanel" aria-labelledby={`snippet-tab-${i}`} hidden={tab !== i}>
            <pre tabIndex={0}>
              <code>{code}</code>
            </pre>
            <CopyButton text={code} label={`Copy ${label} snippet`} />
          </div>
        ))}
      </div>
      <div class="actions">
        <button type="button" class="button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
