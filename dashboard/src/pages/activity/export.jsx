// Export a time range of activity (GET /v1/activity/export) as CSV or JSON
// lines, with the page's filters. The file is fetched by api.js (so a refusal,
// e.g. 400 range_too_large, is shown here in the server's words) and saved
// through a temporary object URL.
import { useState } from 'preact/hooks';
import { ActionError, Field } from '../../components/field.jsx';
import { download, withQuery } from '../../lib/api.js';
import { useAction } from '../../lib/forms.js';
import { utcDay } from '../../lib/format.js';

function save({ blob, filename }) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The day after `day` ("YYYY-MM-DD"), for an exclusive `to`. */
const nextDay = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);

/** @param {{filters: Record<string, string>}} props */
export function ExportPanel({ filters }) {
  const [from, setFrom] = useState(utcDay(29));
  const [to, setTo] = useState(utcDay(0));
  const act = useAction();
  const run = (format) =>
    act.run(async () => {
      const path = withQuery('/v1/activity/export', {
        format,
        ...filters,
        from: from ? `${from}T00:00:00Z` : '',
        to: to ? `${nextDay(to)}T00:00:00Z` : '',
      });
      save(await download(path, `vaultedge-activity.${format}`));
    });
  const fieldErr = act.error && /\bfrom\b/.test(act.error.message) && !/\bto\b/.test(act.error.message) ? 'from' : null;
  return (
    <div class="stack">
      <p class="muted">Days are UTC and include both ends; the filters above apply. At most 10 000 rows per file.</p>
      <div class="row">
        <Field label="From" error={fieldErr === 'from' ? act.error.message : null}>
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label="To">
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
      </div>
      <div class="actions">
        <button type="button" disabled={act.busy} onClick={() => run('csv')}>
          Export CSV
        </button>
        <button type="button" disabled={act.busy} onClick={() => run('jsonl')}>
          Export JSON lines
        </button>
      </div>
      <ActionError error={act.error && !fieldErr ? act.error.message : null} />
    </div>
  );
}
