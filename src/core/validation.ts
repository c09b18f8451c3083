// Input validation with zod, reporting in the contract's shape: 422 {"errors": {field: [message]}}.
import { z } from 'zod';
import { AppError, type FieldErrors } from './errors.js';

export const BLANK = "can't be blank";

/** A string field: missing or null reads "can't be blank", any other type "is invalid". */
export const text = () =>
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? BLANK : 'is invalid') });

// Control characters nobody means to write, dropped on the way in: XML 1.0 cannot carry them
// (nor U+FFFE, U+FFFF), so one in a title would break /feed.xml for every reader. A multi-line
// field keeps tab, LF and CR; a one-line field (a title, a name, a tag) keeps no C0 control.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex -- as above
const NOT_IN_LINE = /[\u0000-\u001f\ufffe\uffff]/g;

const withoutTextControls = (value: string) => value.replace(NOT_IN_TEXT, '');
/** A one-line field: a pasted tab or line break becomes a space (so words stay apart), other controls go. */
export const withoutLineControls = (value: string) => value.replace(/[\t\n\r]/g, ' ').replace(NOT_IN_LINE, '');

/** A multi-line string (a bio): control characters but tab and newlines dropped. */
export const plainText = () => text().overwrite(withoutTextControls);

/** A required multi-line string (a body): controls dropped, not blank once trimmed, at most max characters. */
export const requiredText = (max: number) =>
  plainText().trim().min(1, BLANK).max(max, `is too long (maximum is ${max} characters)`);

/** A required one-line string (a title, a tag): no C0 control (see above), not blank once trimmed, at most max characters. */
export const requiredLine = (max: number) =>
  text().overwrite(withoutLineControls).trim().min(1, BLANK).max(max, `is too long (maximum is ${max} characters)`);

/** Parse an object with a zod schema; the first segment of each issue's path names the field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('validation', { [root]: [BLANK] });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? root);
    const list = (errors[field] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  throw new AppError('validation', errors);
}

/** An integer query parameter within [min, max], or the fallback when absent. */
export function queryInt(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new AppError('validation', { [name]: ['must be a whole number'] });
  const n = Number(value);
  if (n < min || n > max) throw new AppError('validation', { [name]: [`must be between ${min} and ${max}`] });
  return n;
}

/** Parse body[root] (the contract wraps every input: {"user": {...}}) with a zod schema. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, root: string): T {
  const wrapped = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[root] : undefined;
  return parseInput(schema, wrapped, root);
}
