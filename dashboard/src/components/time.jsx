// A timestamp as people read it ("3 minutes ago"), the exact time on hover and
// in the machine-readable datetime attribute.
import { absolute, relative } from '../lib/format.js';

/** @param {{iso: string | null | undefined, never?: string}} props */
export function Time({ iso, never = 'never' }) {
  if (!iso) return <span class="muted">{never}</span>;
  return (
    <time dateTime={iso} title={absolute(iso)}>
      {relative(iso)}
    </time>
  );
}

/** A table cell holding one <Time> (kept on one line). Same props as Time. */
export function TimeCell(props) {
  return (
    <td class="nowrap">
      <Time {...props} />
    </td>
  );
}
