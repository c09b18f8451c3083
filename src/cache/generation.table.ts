// Row shape of the cache_generation table (migration 002): one row counting writes, read by every worker.
export interface CacheGenerationTable {
  id: number;
  generation: number;
}

declare module '../db/schema.js' {
  interface Database {
    cache_generation: CacheGenerationTable;
  }
}
