// What page handlers share: reading an HTML form, turning a service's AppError into errors shown
// beside the fields, and sending a signed-out visitor to /login and back.
import { AppError, type FieldErrors } from '../core/errors.js';
import type { AppContext } from '../core/state.js';
import type { User } from '../users/user.service.js';

/** The posted form as strings (a repeated field keeps its last value). */
export function formBody(ctx: AppContext): Record<string, string> {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf') continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') fields[name] = last;
  }
  return fields;
}

/** The field errors of a mistake the user can fix by editing the form; anything else is rethrown. */
export function fieldErrorsOf(err: unknown): FieldErrors {
  if (err instanceof AppError && ['validation', 'conflict', 'unauthorized'].includes(err.code)) return err.errors;
  throw err;
}

/** A path on this site to return to, or the fallback: never another host (no open redirect). */
export function localPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** The signed-in user, or undefined after redirecting to /login (with a way back for GETs). */
export function userOrLogin(ctx: AppContext): User | undefined {
  if (ctx.state.user) return ctx.state.user;
  const back = ctx.method === 'GET' ? `?next=${encodeURIComponent(ctx.originalUrl)}` : '';
  ctx.redirect(`/login${back}`);
  return undefined;
}
