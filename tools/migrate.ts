/** `npm run migrate`: creates the database if missing and applies pending migrations. */
import { loadConfig } from '@leadex/config';
import { ensureDatabase, migrate } from '@leadex/persistence';

(async () => {
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  const applied = await migrate(config.DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply');
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
