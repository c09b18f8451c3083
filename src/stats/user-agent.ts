// Browser, OS and bot-or-person for a User-Agent string. Parsing is slow next to everything else
// on a log line, and a log has few distinct agents, so answers are cached (bounded).
import { UAParser } from 'ua-parser-js';
import { isBot } from 'ua-parser-js/bot-detection';

export interface AgentKind {
  browser: string;
  os: string;
  bot: boolean;
}

// What ua-parser-js's list misses: generic tools and anything calling itself a bot.
const BOT_WORDS = /bot\b|bot\/|crawl|spider|slurp|curl\/|wget\/|python-|httpclient|go-http-client|java\/|okhttp|headless|monitor|uptime|scanner|facebookexternalhit|preview/i;

export function classifyAgent(userAgent: string): AgentKind {
  if (!userAgent || userAgent === '-') return { browser: 'Unknown', os: 'Unknown', bot: true };
  const result = new UAParser(userAgent).getResult();
  return {
    browser: result.browser.name ?? 'Other',
    os: result.os.name ?? 'Other',
    bot: BOT_WORDS.test(userAgent) || isBot(userAgent),
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
