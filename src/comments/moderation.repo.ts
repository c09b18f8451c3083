// All SQL about reports and the moderation log.
import type { Db } from '../db/database.js';
import type { ModerationLogRow, ReportRow, ReportTarget } from './moderation.table.js';

export async function insertReport(db: Db, report: { reporter_id: number; target_type: ReportTarget; target_id: number; reason: string; created_at: number }): Promise<number> {
  const result = await db.insertInto('reports').values(report).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export function openReports(db: Db, limit: number): Promise<(ReportRow & { reporter_username: string })[]> {
  return db.selectFrom('reports').innerJoin('users', 'users.id', 'reports.reporter_id')
    .selectAll('reports').select('users.username as reporter_username')
    .where('reports.resolved_at', 'is', null).orderBy('reports.id', 'asc').limit(limit).execute();
}

export async function resolveReport(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db.updateTable('reports').set({ resolved_at: now }).where('id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertLog(db: Db, entry: { actor_id: number | null; actor_name: string; action: string; target_type: string; target_id: number; note: string; created_at: number }): Promise<void> {
  await db.insertInto('moderation_log').values(entry).execute();
}

export function recentLog(db: Db, limit: number): Promise<ModerationLogRow[]> {
  return db.selectFrom('moderation_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
