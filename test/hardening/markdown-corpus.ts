// Hostile markdown bodies, one generator per class of input known to make parsers slow or deep:
// used by the hostile-markdown suite and by the parser comparison in docs/decisions/19-markdown.md.

export interface HostileInput { name: string; body: string }

/** text repeated until it is size characters long (cut at size). */
const fill = (text: string, size: number) => text.repeat(Math.ceil(size / text.length)).slice(0, size);

/** Lines made by line(i) for i = 0, 1, … until the body reaches size characters. */
function lines(size: number, line: (i: number) => string): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const next = line(i);
    out.push(next);
    length += next.length + 1;
  }
  return out.join('\n').slice(0, size);
}

/** A table of `columns` columns, with rows until the body reaches size characters. */
function table(columns: number, size: number): string {
  const row = (cell: string) => `|${Array.from({ length: columns }, () => cell).join('|')}|`;
  return lines(size, (i) => (i === 0 ? row('h') : i === 1 ? row('-') : row('c')));
}

const generators: Record<string, (size: number) => string> = {
  'emphasis *': (n) => fill('*', n),
  'emphasis * spaced': (n) => fill('* ', n),
  'emphasis *a': (n) => fill('*a', n),
  'emphasis a**': (n) => fill('a**', n),
  'emphasis _': (n) => fill('_', n),
  'emphasis _a': (n) => fill('_a', n),
  'strike ~': (n) => fill('~', n),
  'strike ~~a': (n) => fill('~~a', n),
  'emphasis mixed *_~': (n) => fill('*_~', n),
  'emphasis mixed spaced': (n) => fill('*_ ~* _', n),
  'emphasis opening runs': (n) => fill('**a ', n),
  'emphasis left-right flank': (n) => fill('a*b_', n),
  'blockquote >>>': (n) => fill('>', n),
  'blockquote > > >': (n) => fill('> ', n),
  'blockquote nested lines': (n) => lines(n, (i) => `${'>'.repeat(Math.min(i, 1000))} q`),
  'list nested by indent': (n) => lines(n, (i) => `${'  '.repeat(Math.min(i, 1000))}- item`),
  'list markers on one line': (n) => fill('- ', n),
  'list ordered markers': (n) => fill('1. ', n),
  'list mixed with quotes': (n) => fill('- > ', n),
  'table wide': (n) => table(1000, n),
  'table tall': (n) => table(4, n),
  'table square': (n) => table(100, n),
  'links chain': (n) => fill('[a](http://a.example/)', n),
  'images chain': (n) => fill('![a](http://a.example/i.png)', n),
  'links in images': (n) => fill('[![a](http://a.example/i.png)](http://a.example/)', n),
  'autolinks www': (n) => fill('www.example.com ', n),
  'brackets [[[': (n) => fill('[', n),
  'brackets [a': (n) => fill('[a', n),
  'brackets ](': (n) => fill('[](', n),
  'brackets ![': (n) => fill('![', n),
  'brackets nested closed': (n) => `${fill('[', n / 2)}${fill(']', n / 2)}`,
  'backticks run': (n) => fill('`', n),
  'backticks growing unclosed': (n) => lines(n, (i) => `${'`'.repeat(i % 500 + 1)}a`).replace(/\n/g, ' '),
  'backticks `a': (n) => fill('`a', n),
  'html comments unclosed': (n) => fill('<!--', n),
  'html comments closed': (n) => fill('<!-- a -->', n),
  'html comments unclosed text': (n) => fill('<!-- a ', n),
  'html tags unclosed': (n) => fill('<a ', n),
  'html tags nested': (n) => fill('<blockquote><em>', n),
  'link reference definitions': (n) => lines(n, (i) => `[r${i}]: http://a.example/${i} "t"`),
  'link references used': (n) => `${lines(n / 2, (i) => `[r${i}]: http://a.example/${i}`)}\n\n${lines(n / 2, (i) => `[x][r${i}] `)}`,
  'entities named': (n) => fill('&amp;', n),
  'entities numeric': (n) => fill('&#123456;', n),
  'entities bare &': (n) => fill('&', n),
  'entities unterminated': (n) => fill('&#x', n),
  'long line no breaks': (n) => fill('a', n),
  'long line escapes': (n) => fill('\\', n),
  'long line angle brackets': (n) => fill('<', n),
};

/** Every class at size characters (at most). */
export function hostileInputs(size: number): HostileInput[] {
  return Object.keys(generators).map((name) => ({ name, body: hostileInput(name, size) }));
}

export const hostileClasses = Object.keys(generators);

/** One class at size characters (at most). */
export function hostileInput(name: string, size: number): string {
  const make = generators[name];
  if (!make) throw new Error(`no hostile class named ${name}`);
  return make(size).slice(0, size);
}
