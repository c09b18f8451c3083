// Input rules for the admin API: the shape of each body and query. The values themselves (which
// roles, statuses and settings exist) come from their own tables, never from a copy here.
import { z } from 'zod';
import { email } from '../users/user.schema.js';
import { text } from '../core/validation.js';
import { ROLES, STATUSES } from '../users/roles.js';
import { isSettingKey, SETTING_KEYS } from '../settings/settings.service.js';

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

/** Both checked before either is applied, so a bad status never leaves a changed role behind. */
export const personChangeInput = z.object({
  role: z.enum(ROLES, { error: oneOf(ROLES) }).optional(),
  status: z.enum(STATUSES, { error: oneOf(STATUSES) }).optional(),
}).refine((v) => v.role !== undefined || v.status !== undefined, { message: 'must name a role or a status', path: ['user'] });

export const peopleQuery = z.object({
  q: text().optional(),
  role: text().optional(),
  status: text().optional(),
});

export const deleteQuery = z.object({
  content: text().optional(),
  to: text().optional(),
});

export const inviteInput = z.object({
  role: text(),
  expiresInDays: z.number({ error: 'must be a number of days' }).positive('must be a number of days').optional(),
  /** Mail the link to this address as well (our mail outbox; sent when SMTP_URL is set). */
  email: email.optional(),
});

// A setting is stored as text; a number (hold_links_over, as GET answers it) is taken as its digits.
const settingValue = z.union([z.string(), z.number()], { error: 'must be a string' }).transform(String);

/** Every key must be a setting; an unknown one is named as the field in error. */
export const settingsInput = z.record(z.string(), settingValue).superRefine((changes, ctx) => {
  for (const key of Object.keys(changes)) {
    if (!isSettingKey(key)) ctx.addIssue({ code: 'custom', path: [key], message: `is not a setting (one of ${SETTING_KEYS.join(', ')})` });
  }
});
