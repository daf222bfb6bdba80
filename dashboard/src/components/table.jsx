// A data table that keeps its header row and scrolls sideways on a narrow
// screen (the wrapper is focusable and labelled, so keyboard users can scroll).
/**
 * @param {{caption: string, columns: string[], children: any, hideCaption?: boolean}} props
 *   children: <tr> rows
 */
export function Table({ caption, columns, children, hideCaption = true }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption class={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
