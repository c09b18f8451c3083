// Input rules for users: what register, login and update accept. Messages follow the contract.
import { z } from 'zod';
import { BLANK, plainText, requiredText, text } from '../core/validation.js';
import { USERNAME_KEY_MAX, usernameKey } from './username.js';

// Stored in NFC, the form browsers send in a URL, so /@name finds the name as it was typed. Unlike
// a title, a name with a control character in it is refused (by the pattern), not quietly changed:
// it is what the person signs their work with.
export const username = text().overwrite((v) => v.normalize('NFC')).trim()
  .min(1, BLANK).max(64, 'is too long (maximum is 64 characters)')
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'may contain only letters, digits, "_", "." and "-"')
  // "." and ".." are path segments a URL resolves away (/api/profiles/.. is /api/): no such profile could be reached.
  .refine((v) => !/^\.+$/.test(v), 'may not be only dots')
  .refine((v) => [...usernameKey(v)].length <= USERNAME_KEY_MAX, 'is too long once its compatibility characters are spelled out');
export const email = requiredText(255).toLowerCase().pipe(z.email('is invalid'));
export const password = text().min(1, BLANK).min(8, 'is too short (minimum is 8 characters)')
  .max(1024, 'is too long (maximum is 1024 characters)');
const bio = plainText().max(10_000, 'is too long (maximum is 10000 characters)').nullable();
const image = text().trim().max(2048, 'is too long (maximum is 2048 characters)').nullable()
  .refine((v) => v === null || v === '' || /^https?:\/\/[^\s"'<>`]+$/i.test(v), 'must be an http(s) URL');

export const registerInput = z.object({ username, email, password });
export const passwordInput = z.object({ password });
export const resetRequestInput = z.object({ email });
export const resetInput = z.object({ token: text().min(1, BLANK).max(100, 'is invalid'), password });
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
