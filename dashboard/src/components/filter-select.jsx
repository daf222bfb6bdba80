// One filter of a list page (keys, activity): a labelled <select> whose first
// choice ("All keys", "Any status") means no filter and has the value "".
/**
 * @param {{id: string, label: string, value: string, onChange: (v: string) => void,
 *   all: string, options: [string, string][]}} props
 *   options: [value, label] pairs after the "all" choice
 */
export function FilterSelect({ id, label, value, onChange, all, options }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{all}</option>
        {options.map(([v, l]) => (
          <option value={v} key={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
