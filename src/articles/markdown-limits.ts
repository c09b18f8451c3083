// Structural limits on an article body, checked (in the render thread) before it is rendered: one
// linear pass that names the limit broken by shapes no real article has and that parsers handle
// worst (deep nesting, delimiter floods). Figures: docs/decisions/19-markdown.md.

export const markdownLimits = {
  /** Quote and list levels one line opens (its `>` and list markers, plus list indentation). */
  nesting: 32,
  /** One character of * _ ~ ` repeated back to back. */
  delimiterRun: 128,
  /** `[` left open at once within one paragraph. */
  openBrackets: 32,
  /** `|` on one line: a table row's cells. */
  tableCells: 128,
} as const;

const SPACE = 32, TAB = 9, NEWLINE = 10, CR = 13;
const isDelimiter = (c: number) => c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */ || c === 96 /* ` */;
const isBulletMarker = (c: number) => c === 45 /* - */ || c === 43 /* + */ || c === 42 /* * */;
const isDigit = (c: number) => c >= 48 && c <= 57;
const endsMarker = (c: number) => Number.isNaN(c) || c === SPACE || c === TAB || c === NEWLINE || c === CR;

/** How many quote and list levels the line starting at `start` opens. */
function lineNesting(source: string, start: number): number {
  let i = start;
  let indent = 0;
  while (source.charCodeAt(i) === SPACE || source.charCodeAt(i) === TAB) indent += source.charCodeAt(i++) === TAB ? 4 : 1;
  let markers = 0;
  for (;;) {
    const c = source.charCodeAt(i);
    if (c === 62 /* > */) { markers++; i++; }
    else if (isBulletMarker(c) && endsMarker(source.charCodeAt(i + 1))) { markers++; i++; }
    else if (isDigit(c)) {
      let j = i;
      while (j - i < 9 && isDigit(source.charCodeAt(j))) j++;
      const after = source.charCodeAt(j);
      if ((after !== 46 /* . */ && after !== 41 /* ) */) || !endsMarker(source.charCodeAt(j + 1))) break;
      markers++;
      i = j + 1;
    } else break;
    while (source.charCodeAt(i) === SPACE || source.charCodeAt(i) === TAB) i++;
  }
  // An indented list item sits inside the item above it: about one level per two columns.
  return markers === 0 ? 0 : markers + Math.floor(indent / 2);
}

/** What is wrong with source ("is nested too deeply …"), when it breaks one of markdownLimits. */
export function brokenMarkdownLimit(source: string): string | undefined {
  let run = 0, runChar = -1, brackets = 0, pipes = 0;
  let lineStart = true, lineBlank = true;
  for (let i = 0; i < source.length; i++) {
    if (lineStart) {
      if (lineNesting(source, i) > markdownLimits.nesting) {
        return `is nested too deeply (at most ${markdownLimits.nesting} levels of quotes and lists)`;
      }
      lineStart = false;
    }
    const c = source.charCodeAt(i);
    if (c === NEWLINE) {
      if (lineBlank) brackets = 0; // a blank line ends the paragraph, and any link text in it
      lineStart = true;
      lineBlank = true;
      pipes = 0;
      run = 0;
      continue;
    }
    if (c !== SPACE && c !== TAB && c !== CR) lineBlank = false;
    if (c === 92 /* \ */ && source.charCodeAt(i + 1) !== NEWLINE) { i++; run = 0; continue; } // an escaped character is plain text
    if (isDelimiter(c)) {
      run = c === runChar ? run + 1 : 1;
      runChar = c;
      if (run > markdownLimits.delimiterRun) {
        return `has a run of more than ${markdownLimits.delimiterRun} "${String.fromCharCode(c)}" in a row`;
      }
    } else run = 0;
    if (c === 91 /* [ */ && ++brackets > markdownLimits.openBrackets) {
      return `has more than ${markdownLimits.openBrackets} "[" open at once`;
    }
    if (c === 93 /* ] */ && brackets > 0) brackets--;
    if (c === 124 /* | */ && ++pipes > markdownLimits.tableCells) {
      return `has a table row of more than ${markdownLimits.tableCells} cells`;
    }
  }
  return undefined;
}
