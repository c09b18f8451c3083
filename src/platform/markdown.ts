// Markdown to safe HTML, done once when an article is written: marked renders, sanitize-html
// keeps only an allow-list of tags and attributes, and every link gets rel="nofollow noopener".
import { createRequire } from 'node:module';
import type * as Marked from 'marked';
import type SanitizeHtml from 'sanitize-html';

let render: ((source: string) => string) | undefined;

// Loaded on the first write, not at boot: a worker that only serves pages needs neither marked
// (~0.5 MB of heap) nor sanitize-html, which pulls in htmlparser2 and postcss.
function loadRenderer(): (source: string) => string {
  const load = createRequire(import.meta.url);
  const marked = new (load('marked') as typeof Marked).Marked({ gfm: true, breaks: false, async: false });
  const sanitizeHtml = load('sanitize-html') as typeof SanitizeHtml;
  const allowList: SanitizeHtml.IOptions = {
    allowedTags: [
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd',
      'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'strong', 'em', 'b', 'i', 'del', 's', 'sub', 'sup',
      'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
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
  return (source) => sanitizeHtml(marked.parse(source) as string, allowList);
}

export function renderMarkdown(source: string): string {
  render ??= loadRenderer();
  return render(source);
}
