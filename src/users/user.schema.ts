// Input rules for users: what register, login and update accept. Messages follow the contract.
import { z } from 'zod';
import { BLANK, plainText, requiredText, text } from '../platform/validation.js';

export const username = requiredText(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'may contain only letters, digits, "_", "." and "-"');
export const email = requiredText(255).toLowerCase().pipe(z.email('is invalid'));
export const password = text().min(1, BLANK).min(8, 'is too short (minimum is 8 characters)')
  .max(1024, 'is too long (maximum is 1024 characters)');
const bio = plainText().max(10_000, 'is too long (maximum is 10000 characters)').nullable();
const image = text().trim().max(2048, 'is too long (maximum is 2048 characters)').nullable()
  .refine((v) => v === null || v === '' || /^https?:\/\/[^\s"'<>`]+$/i.test(v), 'must be an http(s) URL');

export const registerInput = z.object({ username, email, password });
export const loginInput = z.object({ email: requiredText(255).toLowerCase(), password: text().min(1, BLANK) });
export const updateInput = z.object({
  username: username.optional(),
  email: email.optional(),
  password: password.optional(),
  bio: bio.optional(),
  image: image.optional(),
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type UpdateInput = z.infer<typeof updateInput>;
