// `quire settings get [KEY]` and `quire settings set KEY VALUE`: the site's settings, as
// /admin/settings edits them, checked by the same rules (a bad value is refused with its message).
import { siteSettings, updateSettings } from '../admin/admin.service.js';
import { invalid } from '../core/errors.js';
import { isSettingKey, SETTING_KEYS, type Settings } from '../settings/settings.service.js';
import { changedSite, columns, SYSTEM_ADMIN, UsageError, wantsHelp, withServices } from './context.js';

const usage = `usage: quire settings <action>

  get          every setting and its value
  get KEY      one setting's value, alone on its line
  set KEY VALUE
               change a setting (quote a VALUE with spaces); refused, with the reason, when invalid

Settings: ${SETTING_KEYS.join(', ')}`;

const known = (key: string) => {
  if (!isSettingKey(key)) throw invalid(JSON.stringify(key), `is not a setting (one of ${SETTING_KEYS.join(', ')})`);
  return key;
};

const table = (settings: Settings) => columns(SETTING_KEYS.map((key) => [key, String(settings[key])]));

export async function run(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const [action, key, value, ...rest] = argv;
  if (argv.some((a) => a.startsWith('--'))) throw new UsageError(usage, `unknown option "${argv.find((a) => a.startsWith('--'))}"`);
  if (action === 'get') {
    if (value !== undefined) throw new UsageError(usage, 'get takes at most one KEY');
  } else if (action === 'set') {
    if (key === undefined || value === undefined || rest.length > 0) throw new UsageError(usage, 'set takes a KEY and a VALUE');
  } else {
    throw new UsageError(usage, action === undefined ? 'which action?' : `unknown action "${action}"`);
  }

  await withServices(async (deps) => {
    const { db } = deps.database;
    if (action === 'get') {
      const settings = await siteSettings(db, SYSTEM_ADMIN);
      process.stdout.write(key === undefined ? table(settings) : `${String(settings[known(key)])}\n`);
      return;
    }
    const changed = await updateSettings(db, SYSTEM_ADMIN, { [known(key!)]: value! });
    await changedSite(deps);
    process.stdout.write(`${key} = ${String(changed[known(key!)])}\n`);
  });
}
