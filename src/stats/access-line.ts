// Reads one access-log line back: Apache "combined", optionally followed by the response time in
// ms (our format, see src/middleware/access-log.ts). Anything else is not a line we count.
export interface AccessRecord {
  ip: string;
  /** Epoch ms. */
  time: number;
  method: string;
  /** The path without its query string; "-" when the request line was not HTTP. */
  path: string;
  status: number;
  bytes: number;
  referrer: string;
  userAgent: string;
  /** Response time in ms, when the line carries one. */
  durationMs: number | undefined;
}

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const LINE = new RegExp(
  `^(\\S+) \\S+ \\S+ \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] ${QUOTED} (\\d{3}) (\\d+|-) ${QUOTED} ${QUOTED}(?: (\\d+(?:\\.\\d+)?))?$`,
);
// A Map: the month is a log line's text, and a line can hold anything.
const MONTHS = new Map(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name, i) => [name, i]));

/** 10/Oct/2000:13:55:36 -0700 → epoch ms, or NaN. */
export function parseClfDate(text: string): number {
  const month = MONTHS.get(text.slice(3, 6));
  if (month === undefined) return NaN;
  const utc = Date.UTC(+text.slice(7, 11), month, +text.slice(0, 2), +text.slice(12, 14), +text.slice(15, 17), +text.slice(18, 20));
  const sign = text[21] === '-' ? -1 : 1;
  const offsetMin = sign * (+text.slice(22, 24) * 60 + +text.slice(24, 26));
  return utc - offsetMin * 60_000;
}

function unescapeField(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\x([0-9a-f]{2})|\\(.)/gi, (_, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch!));
}

let lastStamp = '';
let lastTime = NaN;

/** The record on this line, or undefined when it is not a well-formed access line. */
export function parseAccessLine(line: string): AccessRecord | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const stamp = m[2]!;
  // Consecutive lines mostly share a second: parse each distinct stamp once.
  if (stamp !== lastStamp) {
    lastStamp = stamp;
    lastTime = parseClfDate(stamp);
  }
  if (Number.isNaN(lastTime)) return undefined;
  const request = m[3]!;
  const firstSpace = request.indexOf(' ');
  const secondSpace = request.indexOf(' ', firstSpace + 1);
  let method = '-';
  let path = '-';
  if (firstSpace > 0 && secondSpace > firstSpace) {
    method = request.slice(0, firstSpace);
    const target = unescapeField(request.slice(firstSpace + 1, secondSpace));
    const query = target.indexOf('?');
    path = query === -1 ? target : target.slice(0, query);
  }
  return {
    ip: m[1]!,
    time: lastTime,
    method,
    path,
    status: +m[4]!,
    bytes: m[5] === '-' ? 0 : +m[5]!,
    referrer: unescapeField(m[6]!),
    userAgent: unescapeField(m[7]!),
    durationMs: m[8] === undefined ? undefined : +m[8],
  };
}
