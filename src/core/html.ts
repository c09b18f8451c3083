// Text into HTML: the escaping every page and fragment uses, the same entities as nunjucks'
// autoescape, so markup reads the same whichever wrote it.
const special = /[&<>"'\\]/;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\\': '&#92;' };
/** Text as HTML, as nunjucks' autoescape writes it (six characters). Most names and titles hold none of them: testing first skips a new string. */
export const escapeHtml = (text: string): string => (special.test(text) ? text.replace(/[&<>"'\\]/g, (c) => entities[c]!) : text);

/** Characters encodeURIComponent leaves alone and HTML needs no entity for: most slugs, names and tags are all such. */
const urlSafe = /^[\w.~-]*$/;
/** A URL path segment inside an attribute (the templates' `| urlPart`). */
export const urlPart = (text: string) => (urlSafe.test(text) ? text : escapeHtml(encodeURIComponent(text)));
