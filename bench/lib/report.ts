// The bench's outputs: a markdown table (req/s, the baseline measured in alternation with the row and the ratio to
// it, p50, p99, errors, peak RSS, server CPU per request, the load generator's CPU) and an SVG bar
// chart of the same rows. The baseline's own measurements are in the JSON.
import type { LoadResult } from './load.js';

export interface Row extends LoadResult {
  deployment: string;
  scenario: string;
  /** The baseline's req/s, measured with the same tool in slices alternating with this row's (bench/lib/paired.ts); its own req/s for a baseline row. */
  baselineRps: number;
  /** rps / baselineRps */
  ratio: number;
  /** Peak RSS of the busiest server process during the scenario, bytes. */
  peakRss: number;
  /** Peak of the sum over all server processes, bytes. */
  peakRssTotal: number;
}

export interface Skipped {
  deployment: string;
  scenario: string;
  reason: string;
}

export const isBaseline = (r: Row) => r.deployment.startsWith('baseline');
/** Bytes as whole MB (MiB), without the unit. */
export const megabytes = (bytes: number) => (bytes / 1048576).toFixed(0);
/** n to digits decimals, or – when it is not a number (a process gone mid-row). */
export const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export function markdownTable(rows: Row[], skipped: Skipped[]): string {
  const lines = [
    '| deployment | scenario | tool | req/s | baseline req/s | × baseline | p50 ms | p99 ms | errors | peak RSS MB (max worker / all) | server CPU µs/req | client CPU |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.filter((r) => !isBaseline(r)).map((r) => `| ${r.deployment} | ${r.scenario} | ${r.tool} | ${Math.round(r.rps)} | ${Math.round(r.baselineRps)} | ${fixed(r.ratio, 3)} | ${fixed(r.p50, 1)} | ${fixed(r.p99, 1)} | ${r.errors} | ${megabytes(r.peakRss)} / ${megabytes(r.peakRssTotal)} | ${fixed(r.serverCpuUs, 0)} | ${r.clientCpu === undefined ? '–' : `${(r.clientCpu * 100).toFixed(0)}%`} |`),
  ];
  for (const s of skipped) lines.push(`| ${s.deployment} | ${s.scenario} | – | skipped: ${s.reason} | | | | | | | | |`);
  return lines.join('\n');
}

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** Horizontal bars, one per autocannon row, scaled to the baseline (the dashed line: the median of its measurements). */
export function svgChart(rows: Row[], title: string): string {
  const shown = rows.filter((r) => r.tool === 'autocannon' && !isBaseline(r));
  const baselines = rows.filter((r) => r.tool === 'autocannon' && isBaseline(r)).map((r) => r.rps).sort((a, b) => a - b);
  const baseline = baselines[Math.floor(baselines.length / 2)] ?? Math.max(...shown.map((r) => r.rps));
  const max = Math.max(baseline, ...shown.map((r) => r.rps));
  const labelWidth = 330;
  const barWidth = 520;
  const rowHeight = 22;
  const top = 44;
  const height = top + shown.length * rowHeight + 30;
  const width = labelWidth + barWidth + 150;
  const colour = (r: Row) => (r.deployment.startsWith('bare Koa') ? '#888' : r.deployment.includes('CACHE=off') ? '#d98c2b'
    : r.deployment.includes('nginx') ? '#2b8cd9' : r.deployment.includes('cluster') ? '#5aa35a' : '#7a4fc9');
  const bars = shown.map((r, i) => {
    const y = top + i * rowHeight;
    const w = Math.max(1, (r.rps / max) * barWidth);
    return `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(`${r.deployment} · ${r.scenario}`)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${colour(r)}"/>` +
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${Math.round(r.rps)} req/s · ${fixed(r.ratio, 2)}× · p99 ${fixed(r.p99, 0)} ms</text>`;
  }).join('\n');
  const bx = labelWidth + (baseline / max) * barWidth;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>
${bars}
<line x1="${bx.toFixed(1)}" y1="${top - 4}" x2="${bx.toFixed(1)}" y2="${height - 24}" stroke="#333" stroke-dasharray="4 3"/>
<text x="${bx.toFixed(1)}" y="${height - 8}" text-anchor="middle">bare Koa baseline (median)</text>
</svg>
`;
}
