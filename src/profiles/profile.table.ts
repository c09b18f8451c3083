// Row shape of the follows table: one row per reader following a writer.
export interface FollowTable {
  follower_id: number;
  followed_id: number;
  created_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    follows: FollowTable;
  }
}
