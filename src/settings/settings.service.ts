// The site's settings as the rest of the app reads them: every key with its value or default.
// Read from the database when asked (a handful of rows by primary key), so a change made by any
// worker or machine is seen by every other on its next request; no worker keeps a copy that could
// go stale. A stored value that no longer passes its rule reads as the default.
import type { Db } from '../db/database.js';
import { invalid } from '../core/errors.js';
import { z } from 'zod';
import { parseInput } from '../core/validation.js';
import { storedSettings, storeSetting } from './settings.repo.js';
import { SETTINGS, SETTING_KEYS, isSettingKey, type SettingKey, type Settings } from './settings.schema.js';

export type { SettingKey, Settings };
export { SETTING_KEYS, isSettingKey };

const defaults = (): Settings => Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].parse(undefined)])) as Settings;

export async function getSettings(db: Db): Promise<Settings> {
  const settings = defaults() as Record<SettingKey, unknown>;
  for (const row of await storedSettings(db)) {
    if (!isSettingKey(row.key)) continue;
    const parsed = SETTINGS[row.key].safeParse(row.value);
    if (parsed.success) settings[row.key] = parsed.data;
  }
  return settings as Settings;
}

/** The site's canonical origin for links that leave the site (mail, invitations): the `url` setting, else fallback. */
export async function siteOrigin(db: Db, fallback: string): Promise<string> {
  return (await getSettings(db)).url || fallback;
}

/** Checks value against the key's rule and stores it as given; the contract's 422 when either is wrong. */
export async function setSetting(db: Db, key: string, value: string): Promise<Settings> {
  if (!isSettingKey(key)) throw invalid('key', `is not a setting (one of ${SETTING_KEYS.join(', ')})`);
  const parsed = parseInput(z.object({ [key]: SETTINGS[key] }), { [key]: value }, key)[key];
  await storeSetting(db, key, String(parsed), Date.now());
  return getSettings(db);
}
