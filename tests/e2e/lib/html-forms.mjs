// A tiny HTML form extractor for the headless browser (tests/e2e/browser.mjs).
// The pages it reads are ours and made of plain HTML forms that work without
// JavaScript, so this is deliberately small: it finds <form>, <input>,
// <button>, <textarea>, <select>/<option> and <a href>, decodes attributes and
// entities, and builds the body a browser would submit for a chosen button.
// Not a general HTML parser: no scripts, no nested forms, no form= attribute.

const NAMED_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

/** Decodes HTML character references in text or an attribute value. */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (m, ref) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? m;
  });
}

/** Parses the attributes of a start tag's inside (`name="v" flag x=y`). */
export function parseAttributes(src) {
  const attrs = {};
  const re = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(src)) !== null) {
    const name = m[1].toLowerCase();
    if (name in attrs) continue; // the first occurrence wins, as in HTML
    const raw = m[2] ?? m[3] ?? m[4];
    attrs[name] = raw === undefined ? '' : decodeEntities(raw);
  }
  return attrs;
}

/** Visible text of an HTML fragment (tags dropped, entities decoded, spaces collapsed). */
export function textOf(html) {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]*>/g, ' '),
  ).replace(/\s+/g, ' ').trim();
}

function stripComments(html) {
  return html.replace(/<!--[\s\S]*?-->/g, '');
}

/**
 * @typedef {object} Control
 * @property {string} tag   input | button | textarea | select
 * @property {string} type  lower-case type (input: text by default; button: submit by default)
 * @property {string} name
 * @property {string} value current value (select: the selected or first option)
 * @property {string} label the button's text / value, for choosing a submitter
 * @property {boolean} checked for checkbox and radio
 * @property {boolean} disabled
 * @property {Record<string,string>} attrs
 *
 * @typedef {object} Form
 * @property {string} action   as written ('' when absent)
 * @property {string} method   GET or POST
 * @property {string} enctype
 * @property {Record<string,string>} attrs
 * @property {Control[]} controls in document order
 * @property {string} html     the form's inner HTML
 * @property {string} text     the form's visible text
 */

function parseControls(inner) {
  const controls = [];
  const re = /<(input|button|textarea|select)\b([^>]*)>/gi;
  let m;
  while ((m = re.exec(inner)) !== null) {
    const tag = m[1].toLowerCase();
    const attrs = parseAttributes(m[2]);
    const c = {
      tag,
      type: (attrs.type ?? (tag === 'button' ? 'submit' : tag === 'input' ? 'text' : tag)).toLowerCase(),
      name: attrs.name ?? '',
      value: attrs.value ?? '',
      label: '',
      checked: 'checked' in attrs,
      disabled: 'disabled' in attrs,
      attrs,
    };
    if (tag === 'button' || tag === 'textarea' || tag === 'select') {
      const close = new RegExp(`</${tag}\\s*>`, 'i');
      const rest = inner.slice(re.lastIndex);
      const end = rest.search(close);
      const body = end >= 0 ? rest.slice(0, end) : '';
      if (tag === 'button') {
        c.label = textOf(body);
      } else if (tag === 'textarea') {
        c.value = decodeEntities(body.replace(/^\r?\n/, ''));
      } else {
        const options = [...body.matchAll(/<option\b([^>]*)>([^<]*)/gi)].map((o) => {
          const a = parseAttributes(o[1]);
          return { value: a.value ?? textOf(o[2]), selected: 'selected' in a };
        });
        const chosen = options.find((o) => o.selected) ?? options[0];
        c.value = chosen ? chosen.value : '';
      }
      if (end >= 0) re.lastIndex += end;
    } else if (c.type === 'submit' || c.type === 'image' || c.type === 'button') {
      c.label = c.value || c.type;
    }
    if (tag === 'input' && (c.type === 'checkbox' || c.type === 'radio') && !('value' in attrs)) c.value = 'on';
    controls.push(c);
  }
  return controls;
}

/** All forms of a page. */
export function extractForms(html) {
  const src = stripComments(html);
  const forms = [];
  const re = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi;
  let m;
  while ((m = re.exec(src)) !== null) {
    const attrs = parseAttributes(m[1]);
    forms.push({
      action: attrs.action ?? '',
      method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      enctype: (attrs.enctype ?? 'application/x-www-form-urlencoded').toLowerCase(),
      attrs,
      controls: parseControls(m[2]),
      html: m[2],
      text: textOf(m[2]),
    });
  }
  return forms;
}

/** All links of a page: [{href, text}]. */
export function extractLinks(html) {
  const src = stripComments(html);
  return [...src.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi)]
    .map((m) => ({ href: parseAttributes(m[1]).href, text: textOf(m[2]) }))
    .filter((l) => l.href !== undefined);
}

/** The submit buttons of a form. */
export function submitters(form) {
  return form.controls.filter(
    (c) => !c.disabled && ((c.tag === 'button' && c.type === 'submit') || (c.tag === 'input' && (c.type === 'submit' || c.type === 'image'))),
  );
}

/**
 * The form data set a browser would submit (HTML "constructing the entry
 * list"): successful controls in order, the chosen submitter only.
 * @param {Form} form
 * @param {Control | null} submitter
 * @param {Record<string,string>} [fill] values for named text-like controls
 * @returns {Array<[string,string]>}
 */
export function formEntries(form, submitter, fill = {}) {
  const entries = [];
  for (const c of form.controls) {
    if (c.disabled || !c.name) continue;
    if (c.tag === 'button' || (c.tag === 'input' && ['submit', 'image', 'button', 'reset'].includes(c.type))) {
      if (c === submitter) entries.push([c.name, c.value]);
      continue;
    }
    if (c.tag === 'input' && c.type === 'file') continue;
    if (c.tag === 'input' && (c.type === 'checkbox' || c.type === 'radio') && !c.checked && !(c.name in fill)) continue;
    entries.push([c.name, c.name in fill ? String(fill[c.name]) : c.value]);
  }
  return entries;
}
