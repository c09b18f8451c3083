// Text into HTML: the escaping every page and fragment uses, the same entities as nunjucks'
// autoescape, so markup reads the same whichever wrote it; and html``, which applies it to every
// value a fragment interpolates (docs/decisions/20-html-template.md).
const special = /[&<>"'\\]/;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\\': '&#92;' };
/** Text as HTML, as nunjucks' autoescape writes it (six characters). Most names and titles hold none of them: testing first skips a new string. */
export const escapeHtml = (text: string): string => (special.test(text) ? text.replace(/[&<>"'\\]/g, (c) => entities[c]!) : text);

/** Markup that is already HTML, made by html``, raw(), text() or urlPart(): html`` escapes any plain string. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

/** What html`` takes: text is escaped, Html is kept, numbers are written, arrays joined, and null, undefined or false leave nothing (for `${cond && html`…`}`). */
export type Interpolation = string | number | Html | false | null | undefined | readonly Interpolation[];

/** Text as Html: what html`${text}` makes, without a template. */
export const text = (plain: string): Html => new Html(escapeHtml(plain));

/** Markup written by hand (an entity, a value escaped another way) to put into html`` as it is. */
export const raw = (markup: string): Html => new Html(markup);

function interpolate(value: Interpolation): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value instanceof Html) return value.value;
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly Interpolation[]) out += interpolate(item);
    return out;
  }
  // Outside the type (true, an object from a template's data): written as text, escaped.
  return escapeHtml(String(value));
}

/** A fragment of HTML whose every interpolated value is escaped as autoescape does, unless it is Html already. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Characters encodeURIComponent leaves alone and HTML needs no entity for: most slugs, names and tags are all such. */
const urlSafe = /^[\w.~-]*$/;
/** A URL path segment inside an attribute (the templates' `| urlPart`): encoded, then escaped, so Html. */
export const urlPart = (text: string): Html => new Html(urlSafe.test(text) ? text : escapeHtml(encodeURIComponent(text)));
