// Browser, OS and bot-or-person for a User-Agent string. Parsing is slow next to everything else
// on a log line, and a log has few distinct agents, so answers are cached (bounded).
// ua-parser-js stays on the 1.x line: it is MIT-licensed, like Quire (2.x is AGPL).
import { createRequire } from 'node:module';
import type { UAParser as Parser } from 'ua-parser-js';

export interface AgentKind {
  browser: string;
  os: string;
  bot: boolean;
}

// Crawlers, feed readers, link previewers and HTTP tools: anything that is not a person's browser.
const BOT_WORDS = /bot\b|bot\/|crawl|spider|slurp|archiver|curl\/|wget\/|python-|httpclient|go-http-client|java\/|okhttp|axios\/|node-fetch|undici|libwww|headless|monitor|uptime|scanner|facebookexternalhit|whatsapp|preview|feedfetcher|feedly|rss|lighthouse|pingdom/i;

// Loaded by the first analysis, not at boot: only /admin/stats and `quire logs` parse agents.
let UAParser: typeof Parser | undefined;

export function classifyAgent(userAgent: string): AgentKind {
  if (!userAgent || userAgent === '-') return { browser: 'Unknown', os: 'Unknown', bot: true };
  UAParser ??= (createRequire(import.meta.url)('ua-parser-js') as { UAParser: typeof Parser }).UAParser;
  const result = new UAParser(userAgent).getResult();
  return {
    browser: result.browser.name ?? 'Other',
    os: result.os.name ?? 'Other',
    bot: BOT_WORDS.test(userAgent),
  };
}

export class AgentCache {
  private readonly cache = new Map<string, AgentKind>();

  constructor(private readonly capacity = 20_000) {}

  classify(userAgent: string): AgentKind {
    let kind = this.cache.get(userAgent);
    if (!kind) {
      if (this.cache.size >= this.capacity) this.cache.clear();
      kind = classifyAgent(userAgent);
      this.cache.set(userAgent, kind);
    }
    return kind;
  }
}
