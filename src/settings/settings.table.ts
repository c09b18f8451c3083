// Row shape of the settings table (migration 010): one row per setting changed from its default.
export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    settings: SettingTable;
  }
}
