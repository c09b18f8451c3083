// The structural limits: what they refuse, with which message, and that real articles never meet them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { article } from '../seed/content.js';
import { seededRandom } from '../seed/random.js';
import { brokenMarkdownLimit as refusal, markdownLimits } from './markdown-limits.js';

// What long, rich articles hold: nesting a few levels deep, code with brackets, tables, rules, emphasis.
const richArticle = [
  '# A title', '', 'Some *emphasis*, **strong**, ~~struck~~, `code` and [a link](https://example.com) [[1]](#n1).', '',
  '> A quote', '> > quoting a quote', '> > > and a third', '',
  '- one', '  - two', '    - three', '      - four', '        - five', '          1. six', '             - seven', '',
  '```python', 'matrix = [[[0] * 3 for _ in range(3)] for _ in range(3)]', 'print(matrix[0][1][2])', '```', '',
  `| ${Array.from({ length: 24 }, (_, i) => `c${i}`).join(' | ')} |`, `|${'---|'.repeat(24)}`, `| ${Array.from({ length: 24 }, () => 'x').join(' | ')} |`, '',
  '***', '', '* * *', '', '_______', '', '`'.repeat(5), 'fenced with five', '`'.repeat(5), '', 'Fill in: ________________ (your name).',
].join('\n');

test('when articles are real ones (the seeder\'s, and a rich one 200,000 characters long), then no limit refuses them', () => {
  const rnd = seededRandom(19);
  for (let i = 0; i < 300; i++) assert.equal(refusal(article(rnd).body), undefined);
  assert.equal(refusal(richArticle.repeat(Math.floor(200_000 / richArticle.length))), undefined);
});

test('when quotes or lists nest deeper than the limit, on one line or by indentation, then the body is refused', () => {
  const deep = markdownLimits.nesting + 1;
  assert.match(refusal('>'.repeat(deep)) ?? '', /^is nested too deeply \(at most 32 levels of quotes and lists\)$/);
  assert.match(refusal(`text\n\n${'> '.repeat(deep)}quote`) ?? '', /nested too deeply/);
  assert.match(refusal('- '.repeat(deep)) ?? '', /nested too deeply/);
  assert.match(refusal('1. '.repeat(deep)) ?? '', /nested too deeply/);
  assert.match(refusal('- > '.repeat(deep / 2 + 1)) ?? '', /nested too deeply/);
  const indented = Array.from({ length: deep }, (_, i) => `${'  '.repeat(i)}- item`).join('\n');
  assert.match(refusal(indented) ?? '', /nested too deeply/);
  assert.equal(refusal('>'.repeat(markdownLimits.nesting)), undefined);
});

test('when one delimiter character runs longer than the limit, then the body is refused, unless the run is escaped', () => {
  for (const c of ['*', '_', '~', '`']) {
    assert.equal(refusal(`a ${c.repeat(markdownLimits.delimiterRun + 1)} b`), `has a run of more than 128 "${c}" in a row`);
    assert.equal(refusal(`a ${c.repeat(markdownLimits.delimiterRun)} b`), undefined);
  }
  assert.equal(refusal(`\\*`.repeat(1000)), undefined);
  assert.equal(refusal('*_'.repeat(1000)), undefined);
});

test('when more "[" are open at once than the limit, then the body is refused; closed or in other paragraphs they are not', () => {
  assert.equal(refusal('['.repeat(33)), 'has more than 32 "[" open at once');
  assert.match(refusal('![a'.repeat(33)) ?? '', /open at once/);
  assert.equal(refusal('[a](b) '.repeat(10_000)), undefined);
  assert.equal(refusal('[x\n\n'.repeat(1000)), undefined);
  assert.equal(refusal('\\['.repeat(1000)), undefined);
});

test('when a line holds more table cells than the limit, then the body is refused', () => {
  assert.equal(refusal(`|${'a|'.repeat(markdownLimits.tableCells)}`), 'has a table row of more than 128 cells');
  assert.equal(refusal(`|${'a|'.repeat(markdownLimits.tableCells - 1)}\n`.repeat(500)), undefined);
});
