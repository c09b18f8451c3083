// Charts drawn by the server as inline SVG: no script, no CDN, readable with CSS off. Pure
// functions from numbers to markup; colours are presentation attributes, so a strict CSP
// (no inline styles) lets them through. Every label is escaped.
import { escapeHtml } from '../core/html.js'; // SVG text takes the same entities as HTML

export type Series = Array<[string, number]>;

const INK = 'currentColor';
const ACCENT = '#3b82c4';
const PALETTE = ['#3b82c4', '#e0893a', '#4caf7a', '#c94f6d', '#8a6cc7', '#c9b13b', '#4fb3bf', '#888888'];
export const STATUS_COLOURS: Record<string, string> = { '1xx': '#888888', '2xx': '#4caf7a', '3xx': '#3b82c4', '4xx': '#e0893a', '5xx': '#c94f6d' };

const num = (n: number) => (Math.round(n * 10) / 10).toString();
const shortCount = (n: number) => (n >= 1e6 ? `${num(n / 1e6)}M` : n >= 1e4 ? `${num(n / 1e3)}k` : String(Math.round(n)));

function svg(title: string, width: number, height: number, body: string[]): string {
  const id = `t${Math.abs(hash(title + width + height))}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`
    + `<title id="${id}">${escapeHtml(title)}</title>${body.join('')}</svg>`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least the data's maximum. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Columns over time (requests per bucket), with a y axis and first/middle/last time labels. */
export function columnChart(points: Series, opts: { title: string; width?: number; height?: number }): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 240;
  const left = 48, right = 8, top = 12, bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const top1 = niceMax(Math.max(0, ...points.map(([, v]) => v)));
  const body: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    const y = top + plotH * (1 - frac);
    body.push(`<line x1="${left}" x2="${width - right}" y1="${num(y)}" y2="${num(y)}" stroke="${INK}" stroke-opacity="${frac === 0 ? 0.6 : 0.15}"/>`);
    body.push(`<text x="${left - 6}" y="${num(y + 4)}" text-anchor="end" fill="${INK}">${shortCount(top1 * frac)}</text>`);
  }
  const slot = points.length ? plotW / points.length : plotW;
  points.forEach(([label, value], i) => {
    const h = (value / top1) * plotH;
    const x = left + i * slot;
    body.push(`<rect class="bar" x="${num(x + slot * 0.1)}" y="${num(top + plotH - h)}" width="${num(Math.max(1, slot * 0.8))}" height="${num(h)}" fill="${ACCENT}"><title>${escapeHtml(`${label}: ${value}`)}</title></rect>`);
  });
  const labelled = points.length <= 1 ? [0] : [0, Math.floor((points.length - 1) / 2), points.length - 1];
  for (const i of new Set(labelled)) {
    const point = points[i];
    if (!point) continue;
    const anchor = i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    const x = i === 0 ? left : i === points.length - 1 ? width - right : left + (i + 0.5) * slot;
    body.push(`<text x="${num(x)}" y="${height - 8}" text-anchor="${anchor}" fill="${INK}">${escapeHtml(point[0])}</text>`);
  }
  if (points.length === 0) body.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="${INK}">no requests in this period</text>`);
  return svg(opts.title, width, height, body);
}

/** Horizontal bars, one row per label, longest first as given, with the count (and share) at the end. */
export function barChart(rows: Series, opts: { title: string; width?: number; total?: number }): string {
  const width = opts.width ?? 720;
  const rowH = 24;
  const labelW = Math.round(width * 0.4);
  const valueW = 96;
  const height = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map(([, v]) => v));
  const body: string[] = [];
  rows.forEach(([label, value], i) => {
    const y = 4 + i * rowH;
    const w = ((width - labelW - valueW) * value) / max;
    const cut = label.length > 48 ? `${label.slice(0, 47)}…` : label;
    const share = opts.total ? ` (${num((100 * value) / opts.total)}%)` : '';
    body.push(`<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" fill="${INK}">${escapeHtml(cut)}</text>`);
    body.push(`<rect class="bar" x="${labelW}" y="${y + 3}" width="${num(Math.max(1, w))}" height="${rowH - 6}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeHtml(`${label}: ${value}${share}`)}</title></rect>`);
    body.push(`<text x="${num(labelW + w + 6)}" y="${y + 16}" fill="${INK}">${value}${share}</text>`);
  });
  if (rows.length === 0) body.push(`<text x="${width / 2}" y="20" text-anchor="middle" fill="${INK}">none</text>`);
  return svg(opts.title, width, height, body);
}

/** A ring of arcs, one per part, with a legend: the status mix (2xx…5xx) or any share. */
export function donutChart(parts: Series, opts: { title: string; size?: number; colours?: Record<string, string> }): string {
  const size = opts.size ?? 200;
  const legendW = 200;
  const r = size / 2 - 8;
  const inner = r * 0.6;
  const cx = size / 2, cy = size / 2;
  const total = parts.reduce((sum, [, v]) => sum + v, 0);
  const colours = opts.colours ?? {};
  const body: string[] = [];
  let angle = -Math.PI / 2;
  parts.forEach(([label, value], i) => {
    if (value <= 0 || total === 0) return;
    const colour = colours[label] ?? PALETTE[i % PALETTE.length]!;
    const tip = escapeHtml(`${label}: ${value} (${num((100 * value) / total)}%)`);
    if (value === total) {
      body.push(`<circle class="slice" cx="${cx}" cy="${cy}" r="${num((r + inner) / 2)}" fill="none" stroke="${colour}" stroke-width="${num(r - inner)}"><title>${tip}</title></circle>`);
      return;
    }
    const end = angle + (2 * Math.PI * value) / total;
    const large = end - angle > Math.PI ? 1 : 0;
    const p = (rad: number, radius: number) => `${num(cx + radius * Math.cos(rad))} ${num(cy + radius * Math.sin(rad))}`;
    body.push(`<path class="slice" d="M ${p(angle, r)} A ${num(r)} ${num(r)} 0 ${large} 1 ${p(end, r)} L ${p(end, inner)} A ${num(inner)} ${num(inner)} 0 ${large} 0 ${p(angle, inner)} Z" fill="${colour}"><title>${tip}</title></path>`);
    angle = end;
  });
  if (total === 0) body.push(`<circle cx="${cx}" cy="${cy}" r="${num((r + inner) / 2)}" fill="none" stroke="${INK}" stroke-opacity="0.2" stroke-width="${num(r - inner)}"/>`);
  parts.forEach(([label, value], i) => {
    const y = 16 + i * 22;
    body.push(`<rect x="${size + 12}" y="${y - 10}" width="12" height="12" fill="${colours[label] ?? PALETTE[i % PALETTE.length]}"/>`);
    body.push(`<text x="${size + 30}" y="${y}" fill="${INK}">${escapeHtml(label)}: ${value}${total ? ` (${num((100 * value) / total)}%)` : ''}</text>`);
  });
  return svg(opts.title, size + legendW, Math.max(size, parts.length * 22 + 16), body);
}
