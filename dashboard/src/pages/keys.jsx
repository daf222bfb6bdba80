// Keys: every credential in the vault, searchable and filterable by provider,
// category and tag; "Store key" adds one. Each name links to its detail page
// (/keys/:id), where it is revealed, rotated, renamed, paused or deleted.
import { useMemo, useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { Table } from '../components/table.jsx';
import { TimeCell } from '../components/time.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { FilterSelect } from '../components/filter-select.jsx';
import { useStatus } from '../components/status.jsx';
import { useResource } from '../lib/resource.js';
import { CATEGORY_LABELS } from '../lib/providers.js';
import { StoreKeyDialog } from './keys/store-dialog.jsx';

const CREDENTIAL_LABELS = { api_key: 'API key', oauth2: 'OAuth' };

function matches(k, q) {
  if (!q) return true;
  const hay = [k.name, k.provider, k.category, ...(k.tags || []), ...(k.previous_names || [])].join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

const uniq = (xs) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));

export default function KeysPage() {
  const { data, error, loading, reload } = useResource('/v1/keys');
  const [storing, setStoring] = useState(false);
  const [q, setQ] = useState('');
  const [provider, setProvider] = useState('');
  const [category, setCategory] = useState('');
  const [tag, setTag] = useState('');
  const { say } = useStatus();

  const keys = data?.keys || [];
  const options = useMemo(
    () => ({
      providers: uniq(keys.map((k) => k.provider)),
      categories: uniq(keys.map((k) => k.category)),
      tags: uniq(keys.flatMap((k) => k.tags || [])),
    }),
    [data],
  );
  const shown = keys.filter(
    (k) =>
      matches(k, q) &&
      (!provider || k.provider === provider) &&
      (!category || k.category === category) &&
      (!tag || (k.tags || []).includes(tag)),
  );
  const filtering = q || provider || category || tag;

  const stored = async (created) => {
    setStoring(false);
    say(`Stored ${created.name}`);
    await reload();
  };

  return (
    <Page
      title="Keys"
      actions={
        <button type="button" class="button-primary" onClick={() => setStoring(true)}>
          Store key
        </button>
      }
    >
      <StoreKeyDialog open={storing} onClose={() => setStoring(false)} onStored={stored} />
      {error && <LoadError error={error} onRetry={reload} />}
      {!data && loading && <Loading what="Loading your keys" />}
      {data && keys.length === 0 && (
        <Empty title="Your vault is empty">
          <p class="muted">Store an API key or an OAuth credential to use it from your apps, the CLI and AI clients.</p>
        </Empty>
      )}
      {keys.length > 0 && (
        <>
          <div class="filters" role="search" aria-label="Filter keys">
            <div class="field">
              <label for="key-search">Search</label>
              <input
                id="key-search"
                type="search"
                value={q}
                placeholder="Name, provider, tag…"
                onInput={(e) => setQ(e.currentTarget.value)}
              />
            </div>
            <FilterSelect
              id="key-provider"
              label="Provider"
              value={provider}
              onChange={setProvider}
              all="All providers"
              options={options.providers.map((p) => [p, p])}
            />
            <FilterSelect
              id="key-category"
              label="Category"
              value={category}
              onChange={setCategory}
              all="All categories"
              options={options.categories.map((c) => [c, CATEGORY_LABELS[c] || c])}
            />
            <FilterSelect
              id="key-tag"
              label="Tag"
              value={tag}
              onChange={setTag}
              all="All tags"
              options={options.tags.map((t) => [t, t])}
            />
          </div>
          <p class="muted" aria-live="polite">
            {filtering ? `${shown.length} of ${keys.length} keys match` : `${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`}
          </p>
          {shown.length === 0 ? (
            <Empty title="No key matches these filters" />
          ) : (
            <Table caption="Keys" columns={['Name', 'Provider', 'Type', 'Tags', 'Created', 'Rotated', 'Last used', 'State']}>
              {shown.map((k) => (
                <tr key={k.id}>
                  <td>
                    <a href={`/keys/${encodeURIComponent(k.id)}`} class="mono">
                      {k.name}
                    </a>
                  </td>
                  <td>
                    {k.provider}
                    <br />
                    <span class="muted">{CATEGORY_LABELS[k.category] || k.category}</span>
                  </td>
                  <td class="nowrap">{CREDENTIAL_LABELS[k.credential_type] || k.credential_type}</td>
                  <td>
                    {(k.tags || []).map((t) => (
                      <span class="chip" key={t}>
                        {t}
                      </span>
                    ))}
                  </td>
                  <TimeCell iso={k.created_at} />
                  <TimeCell iso={k.rotated_at} />
                  <TimeCell iso={k.last_used_at} />
                  <td class="nowrap">
                    {k.paused_at ? <span class="badge badge-paused">Paused</span> : <span class="badge badge-ok">Active</span>}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </Page>
  );
}
