// Activity: the audit trail, newest first, updated live while the page is
// visible (GET /v1/activity?since=<latest id> every few seconds), filtered by
// key, token, device, app, action and status; a chart of calls per day; and
// export of a time range as CSV or JSON lines.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Page } from '../components/page.jsx';
import { ActivityTable } from '../components/activity-table.jsx';
import { ActionError } from '../components/field.jsx';
import { FilterSelect } from '../components/filter-select.jsx';
import { Empty, LoadError, Loading } from '../components/empty.jsx';
import { ApiError, get, withQuery } from '../lib/api.js';
import { useAction } from '../lib/forms.js';
import { useInterval, useVisible } from '../lib/resource.js';
import { ActivityChart } from './activity/chart.jsx';
import { ExportPanel } from './activity/export.jsx';

/** Live-update period while the page is visible, in ms. */
const POLL_MS = 4000;
const PAGE = 100;

const ACTIONS = [
  'key.create',
  'key.reveal',
  'key.proxy',
  'key.rotate',
  'key.rename',
  'key.pause',
  'key.resume',
  'key.delete',
  'key.',
  'token.create',
  'token.pause',
  'token.resume',
  'token.revoke',
  'token.',
  'device.',
  'oauth.',
  'mcp.tool_call',
  'session.',
];

const STATUSES = [
  ['', 'Any status'],
  ['ok', 'Succeeded'],
  ['denied', 'Denied (401, 403, 423, 429)'],
  ['error', 'Failed (any 4xx or 5xx)'],
];

const EMPTY_FILTERS = { key_id: '', token_id: '', device_id: '', client_id: '', action: '', status: '' };

/** The choices of the filter selects: the user's keys, tokens, devices, apps. */
function useChoices() {
  const [c, setC] = useState({ keys: [], tokens: [], devices: [], apps: [] });
  useEffect(() => {
    const load = (path, pick) => get(path).then(pick, () => []);
    Promise.all([
      load('/v1/keys', (d) => d.keys.map((k) => [k.id, k.name])),
      load('/v1/tokens', (d) => d.tokens.map((t) => [t.id, t.name])),
      load('/v1/devices', (d) => d.devices.map((x) => [x.id, x.name])),
      load('/v1/oauth/grants', (d) => {
        const seen = new Map();
        for (const g of d.grants) if (!seen.has(g.client_id)) seen.set(g.client_id, g.client_name || g.client_id);
        return [...seen];
      }),
    ]).then(([keys, tokens, devices, apps]) => setC({ keys, tokens, devices, apps }));
  }, []);
  return c;
}

/** The newest id among rows, for the `since` cursor. */
const maxId = (logs) => logs.reduce((m, l) => Math.max(m, l.id || 0), 0);

/** Filters given in the address (e.g. /activity?key_id=… from a key's page). */
function filtersFromAddress() {
  const q = new URLSearchParams(location.search);
  const f = { ...EMPTY_FILTERS };
  for (const k of Object.keys(f)) f[k] = q.get(k) || '';
  return f;
}

export default function ActivityPage() {
  const [filters, setFilters] = useState(filtersFromAddress);
  const [action, setAction] = useState(filters.action); // typed; applied after a pause
  const [logs, setLogs] = useState(null);
  const [cursor, setCursor] = useState({ latest: 0, older: null });
  const [loadError, setLoadError] = useState(null);
  const [liveError, setLiveError] = useState(null);
  const more = useAction();
  const visible = useVisible();
  const choices = useChoices();
  const seq = useRef(0);

  // A filter change empties the table at once, so no row that does not match
  // stays on screen while the filtered rows load.
  const set = (name) => (value) => {
    setLogs(null);
    setFilters((f) => ({ ...f, [name]: value }));
  };
  const query = (extra) => withQuery('/v1/activity', { ...filters, limit: PAGE, ...extra });

  // (Re)load the first page whenever the filters change.
  const load = useCallback(async () => {
    const mine = ++seq.current;
    setLoadError(null);
    try {
      const d = await get(query());
      if (mine !== seq.current) return;
      setLogs(d.logs);
      setCursor({ latest: Math.max(d.latest_id || 0, maxId(d.logs)), older: d.next_before ?? null });
    } catch (e) {
      if (mine === seq.current) setLoadError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    }
  }, [filters]);
  useEffect(() => {
    load();
    // The address follows the filters (reload and back keep them); replaceState
    // leaves the router alone, so the page is not drawn again.
    const url = withQuery('/activity', filters);
    if (url !== location.pathname + location.search) history.replaceState(history.state, '', url);
  }, [load]);

  // The action filter follows the text box after typing stops.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return undefined;
    const t = setTimeout(() => {
      if (filters.action !== action.trim()) setFilters((f) => ({ ...f, action: action.trim() }));
      else if (logs === null) load(); // typed back to the applied filter: show it again
    }, 400);
    return () => clearTimeout(t);
  }, [action]);

  // Live updates: only rows newer than the newest one seen, merged on top.
  const poll = async () => {
    if (logs === null) return;
    const mine = seq.current;
    try {
      const d = await get(query({ since: cursor.latest || undefined }));
      if (mine !== seq.current) return;
      setLiveError(null);
      const known = new Set(logs.map((l) => l.id));
      const fresh = d.logs.filter((l) => !known.has(l.id) && l.id > cursor.latest);
      if (fresh.length) setLogs((old) => [...fresh, ...old].sort((a, b) => b.id - a.id));
      const latest = Math.max(cursor.latest, d.latest_id || 0, maxId(d.logs));
      if (latest !== cursor.latest) setCursor((c) => ({ ...c, latest }));
    } catch (e) {
      if (mine === seq.current) setLiveError(e);
    }
  };
  useInterval(poll, POLL_MS, visible && logs !== null);

  const loadOlder = () =>
    more.run(async () => {
      const d = await get(query({ before: cursor.older }));
      setLogs((old) => {
        const known = new Set(old.map((l) => l.id));
        return [...old, ...d.logs.filter((l) => !known.has(l.id))];
      });
      setCursor((c) => ({ ...c, older: d.next_before ?? null }));
    });

  const filtered = Object.values(filters).some(Boolean);
  return (
    <Page title="Activity">
      <section class="stack" aria-labelledby="chart-h">
        <h2 id="chart-h">Calls per day</h2>
        <ActivityChart />
      </section>

      <section class="stack" aria-labelledby="log-h">
        <h2 id="log-h">Audit trail</h2>
        <div class="filters" role="search" aria-label="Filter activity">
          <FilterSelect id="f-key" label="Key" value={filters.key_id} onChange={set('key_id')} all="All keys" options={choices.keys} />
          <FilterSelect id="f-token" label="Token" value={filters.token_id} onChange={set('token_id')} all="All tokens" options={choices.tokens} />
          <FilterSelect id="f-device" label="Device" value={filters.device_id} onChange={set('device_id')} all="All devices" options={choices.devices} />
          <FilterSelect id="f-app" label="App" value={filters.client_id} onChange={set('client_id')} all="All apps" options={choices.apps} />
          <div class="field">
            <label for="f-action">Action</label>
            <input
              id="f-action"
              type="text"
              list="f-action-list"
              value={action}
              placeholder="e.g. key.reveal or key."
              autocomplete="off"
              onInput={(e) => {
                typed.current = true;
                setAction(e.currentTarget.value);
                if (e.currentTarget.value.trim() !== filters.action) setLogs(null);
              }}
            />
            <datalist id="f-action-list">
              {ACTIONS.map((a) => (
                <option value={a} key={a} />
              ))}
            </datalist>
          </div>
          <FilterSelect id="f-status" label="Status" value={filters.status} onChange={set('status')} all={STATUSES[0][1]} options={STATUSES.slice(1)} />
          {filtered && (
            <div class="field">
              <button
                type="button"
                onClick={() => {
                  setAction('');
                  setLogs(null);
                  setFilters(EMPTY_FILTERS);
                }}
              >
                Clear filters
              </button>
            </div>
          )}
        </div>
        <p class="muted">
          {visible ? 'Updating live while this page is open.' : 'Live updates pause while this tab is hidden.'}
          {liveError && ` The last update failed: ${liveError.message}`}
        </p>
        {loadError && <LoadError error={loadError} onRetry={load} />}
        {logs === null && !loadError && <Loading what="Loading activity" />}
        {logs && logs.length === 0 && <Empty title={filtered ? 'Nothing matches these filters' : 'No activity yet'} />}
        {logs && logs.length > 0 && <ActivityTable logs={logs} />}
        {logs && cursor.older && (
          <div class="actions">
            <button type="button" onClick={loadOlder} disabled={more.busy}>
              {more.busy ? 'Loading…' : 'Load older'}
            </button>
            <ActionError error={more.error?.message} />
          </div>
        )}
      </section>

      <section class="stack" aria-labelledby="export-h">
        <h2 id="export-h">Export</h2>
        <ExportPanel filters={filters} />
      </section>
    </Page>
  );
}
