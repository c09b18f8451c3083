// Row shape of the sessions table (migration 001): one row per web session, keyed by a hash of its id.
export interface SessionTable {
  id: string;
  data: string;
  expires_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    sessions: SessionTable;
  }
}
