// Row shapes of the reports and moderation_log tables (migration 011).
import type { Generated, Selectable } from 'kysely';

export type ReportTarget = 'comment' | 'article';

export interface ReportTable {
  id: Generated<number>;
  reporter_id: number;
  target_type: ReportTarget;
  target_id: number;
  reason: string;
  created_at: number;
  resolved_at: number | null;
}
export type ReportRow = Selectable<ReportTable>;

export interface ModerationLogTable {
  id: Generated<number>;
  /** Null once the moderator's account is deleted; actor_name keeps who it was. */
  actor_id: number | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: number;
  note: Generated<string>;
  created_at: number;
}
export type ModerationLogRow = Selectable<ModerationLogTable>;

declare module '../db/schema.js' {
  interface Database {
    reports: ReportTable;
    moderation_log: ModerationLogTable;
  }
}
