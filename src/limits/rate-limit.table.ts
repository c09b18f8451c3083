// Row shape of the rate_limits table (migration 003): one counting window per key.
export interface RateLimitTable {
  key: string;
  count: number;
  reset_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    rate_limits: RateLimitTable;
  }
}
