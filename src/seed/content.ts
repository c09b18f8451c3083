// Made-up but realistic content for a seeded site: names, titles, tags, and markdown bodies of
// varied length (headings, lists, code, quotes, links), from a seeded random source.
import type { Random } from './random.js';

const firstNames = ['ada', 'alan', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'radia', 'tim', 'frances', 'guido', 'anita', 'brendan', 'hedy', 'john', 'katherine', 'donald', 'sophie', 'yukihiro', 'joan', 'bjarne', 'lynn', 'james'];
const lastNames = ['lovelace', 'turing', 'hopper', 'torvalds', 'hamilton', 'thompson', 'liskov', 'ritchie', 'perlman', 'berners', 'allen', 'rossum', 'borg', 'eich', 'lamarr', 'mccarthy', 'johnson', 'knuth', 'wilson', 'matsumoto', 'clarke', 'stroustrup', 'conway', 'gosling'];

export const tagPool = [
  'javascript', 'typescript', 'node', 'koa', 'databases', 'sqlite', 'mysql', 'redis', 'nginx', 'linux',
  'performance', 'security', 'testing', 'devops', 'css', 'html', 'design', 'accessibility', 'rust', 'go',
  'python', 'career', 'writing', 'open-source', 'tutorial', 'architecture', 'caching', 'http', 'markdown', 'cli',
  'docker', 'kubernetes', 'observability', 'logging', 'algorithms', 'data', 'ai', 'privacy', 'web', 'mobile',
  'gardening', 'cooking', 'travel', 'photography', 'music', 'books', 'cycling', 'coffee', 'history', 'science',
];

const words = ('the a of to and in is it that for on with as be this by at from or an are we our how why what when ' +
  'server request response cache worker cluster query index table page route middleware token session cookie ' +
  'latency throughput memory process thread event loop promise stream buffer socket proxy upstream header body ' +
  'test build deploy release version config secret user reader writer article comment tag feed profile editor ' +
  'simple fast small careful honest clear quiet steady real measured shared exact fresh stale warm cold ' +
  'write read render parse serve measure learn try fix ship start stop wait run keep make find').split(' ');

const titleOpeners = ['How we', 'Why I', 'Notes on', 'A field guide to', 'What I learned from', 'Ten years of', 'The case for', 'Against', 'Rethinking', 'A gentle introduction to', 'Debugging', 'Measuring'];
const titleTopics = ['caching rendered pages', 'a Koa onion', 'SQLite in production', 'the event loop', 'pm2 clusters', 'nginx upstreams', 'markdown pipelines', 'p99 latency', 'write-ahead logs', 'sourdough at altitude', 'slow mornings', 'small teams', 'boring technology', 'connection pools', 'a tidy garden', 'long bike rides'];

export function username(rnd: Random, index: number): string {
  return `${rnd.pick(firstNames)}_${rnd.pick(lastNames)}${index}`;
}

function sentence(rnd: Random, min = 6, max = 18): string {
  const n = rnd.int(min, max);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(rnd.pick(words));
  const text = parts.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rnd: Random): string {
  const sentences: string[] = [];
  for (let i = rnd.int(2, 6); i > 0; i--) {
    let s = sentence(rnd);
    if (rnd.chance(0.15)) s = s.replace(/ (\w+) /, ' **$1** ');
    if (rnd.chance(0.1)) s = s.replace(/ (\w+)\./, ' [$1](https://example.com/$1).');
    if (rnd.chance(0.1)) s = s.replace(/ (\w+) /, ' `$1` ');
    sentences.push(s);
  }
  return sentences.join(' ');
}

function block(rnd: Random): string {
  const kind = rnd.next();
  if (kind < 0.08) return `## ${sentence(rnd, 2, 6).slice(0, -1)}`;
  if (kind < 0.14) return Array.from({ length: rnd.int(2, 5) }, () => `- ${sentence(rnd, 3, 8)}`).join('\n');
  if (kind < 0.18) return `\`\`\`js\nconst ${rnd.pick(words)} = await ${rnd.pick(words)}(${rnd.int(1, 99)});\nconsole.log(${rnd.pick(words)});\n\`\`\``;
  if (kind < 0.21) return `> ${sentence(rnd)}`;
  return paragraph(rnd);
}

/** A title (unique enough; slugs add the index), a description and a markdown body of 1 to ~40 blocks. */
export function article(rnd: Random): { title: string; description: string; body: string } {
  const title = `${rnd.pick(titleOpeners)} ${rnd.pick(titleTopics)}`;
  // Most posts are short, a few are long: the square of a uniform number skews towards the low end.
  const blocks = 1 + Math.floor(rnd.next() ** 2 * 40);
  const body = Array.from({ length: blocks }, () => block(rnd)).join('\n\n');
  return { title, description: sentence(rnd, 8, 20), body };
}

export function commentBody(rnd: Random): string {
  return Array.from({ length: rnd.int(1, 3) }, () => sentence(rnd, 4, 20)).join(' ');
}

export function bio(rnd: Random): string | null {
  return rnd.chance(0.7) ? sentence(rnd, 5, 14) : null;
}
