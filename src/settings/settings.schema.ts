// The site's settings: each key, its rule and its default, in one table. A value is stored as the
// text an admin typed (`quire settings set KEY VALUE`, /admin/settings) and parsed by its rule when
// read, so a stored value can never be of the wrong type.
import { z } from 'zod';
import { plainText, text } from '../core/validation.js';

const ROLE_FOR_SIGNUP = z.enum(['reader', 'contributor', 'author', 'editor'], { error: 'must be reader, contributor, author or editor' });
const wordList = plainText().max(10_000, 'is too long (maximum is 10000 characters)');
const flag = z.enum(['on', 'off'], { error: 'must be on or off' });

export const SETTINGS = {
  title: text().trim().min(1, "can't be blank").max(100, 'is too long (maximum is 100 characters)').default('Quire'),
  description: plainText().max(300, 'is too long (maximum is 300 characters)').default('A place to read and write.'),
  /** The canonical origin (feed, sitemap, canonical links); empty: the request's own. */
  url: text().trim().max(200, 'is too long (maximum is 200 characters)')
    .refine((v) => v === '' || /^https?:\/\/[^/\s?#]+$/i.test(v), 'must be an origin such as https://blog.example.com').default(''),
  language: text().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR').default('en'),
  signup: z.enum(['open', 'invite', 'closed'], { error: 'must be open, invite or closed' }).default('open'),
  signup_role: ROLE_FOR_SIGNUP.default('author'),
  comments: z.enum(['open', 'moderated', 'members', 'closed'], { error: 'must be open, moderated, members or closed' }).default('open'),
  /** Hold a comment with more than this many links for moderation. */
  hold_links_over: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(1000, 'must be at most 1000').default(2),
  /** Words that hold a comment for moderation, one per line or comma-separated. */
  hold_words: wordList.default(''),
  /** Words that refuse a comment outright. */
  refuse_words: wordList.default(''),
  hold_first_comment: flag.default('off'),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
export const isSettingKey = (key: unknown): key is SettingKey => typeof key === 'string' && Object.hasOwn(SETTINGS, key);
