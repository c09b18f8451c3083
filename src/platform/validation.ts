// Input validation with zod, reporting in the contract's shape: 422 {"errors": {field: [message]}}.
import { z } from 'zod';
import { AppError, type FieldErrors } from './errors.js';

export const BLANK = "can't be blank";

/** A string field: missing or null reads "can't be blank", any other type "is invalid". */
export const text = () =>
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? BLANK : 'is invalid') });

/** A required string that must not be blank once trimmed, at most max characters. */
export const requiredText = (max: number) =>
  text().trim().min(1, BLANK).max(max, `is too long (maximum is ${max} characters)`);

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
