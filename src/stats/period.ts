// --since/--until and the stats page's period: an ISO date or time, or a span back from now (30m, 24h, 7d).
const SPAN = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS = new Map([['m', 60_000], ['h', 3_600_000], ['d', 86_400_000], ['w', 604_800_000]]);

/** Epoch ms for "2025-01-02", "2025-01-02T10:00Z" or "24h" (24 hours before now); throws on anything else. */
export function parseMoment(text: string, now = Date.now()): number {
  const span = SPAN.exec(text.trim());
  if (span) return now - Number(span[1]) * UNIT_MS.get(span[2]!)!;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not a time: "${text}" (use an ISO date like 2025-01-02T10:00Z, or 30m, 24h, 7d)`);
  return ms;
}
