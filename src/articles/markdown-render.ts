// Markdown to safe HTML, the work itself: markdown-it renders (its cost stays linear in the input,
// see docs/decisions/19-markdown.md), sanitize-html keeps an allow-list of tags and attributes, and
// every link gets rel="nofollow noopener". Runs in the render thread (markdown.ts), or in-process
// for the seeder's own text; never imported by the web process itself.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { brokenMarkdownLimit } from './markdown-limits.js';

// Raw HTML passes the parser and is then cut down by the allow-list, as marked's gfm did.
const markdown = new MarkdownIt('default', { html: true, linkify: true, breaks: false, typographer: false });

// markdown-it aligns table cells with style="text-align:…", which the pages' CSP (no inline styles)
// would ignore: write align="…" instead, as marked did.
for (const rule of ['th_open', 'td_open']) {
  markdown.renderer.rules[rule] = (tokens, index, options, _env, self) => {
    const cell = tokens[index]!;
    const align = /^text-align:(left|right|center)$/.exec(cell.attrGet('style') ?? '')?.[1];
    cell.attrs = (cell.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) cell.attrSet('align', align);
    return self.renderToken(tokens, index, options);
  };
}

const allowList: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'strong', 'em', 'b', 'i', 'del', 's', 'sub', 'sup',
    'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    // The transform below adds loading="lazy"; the allow-list runs after it, so it must name it.
    img: ['src', 'alt', 'title', 'width', 'height', { name: 'loading', multiple: false, values: ['lazy'] }],
    th: ['align'],
    td: ['align'],
    code: ['class'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  allowedClasses: { code: [/^language-[\w-]+$/] },
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }),
    img: sanitizeHtml.simpleTransform('img', { loading: 'lazy' }),
  },
};

/** The sanitised HTML of a markdown source, whatever its shape: for text we wrote ourselves (the seeder). */
export function renderSafeHtml(source: string): string {
  return sanitizeHtml(markdown.render(source), allowList);
}

/** What the render thread answers: the HTML, or the limit the body breaks (a message for the body field). */
export type RenderResult = { html: string } | { refused: string };

// The render thread's task (piscina runs a worker file's default export). The limits are checked
// here too, not on the main thread, where a cold scan holds every reader (docs/decisions/19-markdown.md).
export default function renderForThread(source: string): RenderResult {
  const refused = brokenMarkdownLimit(source);
  return refused ? { refused } : { html: renderSafeHtml(source) };
}
