import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { bootstrapAdmin } from './admin-bootstrap';
import { createPortalApp } from './app.factory';

async function main(): Promise<void> {
  const app = await createPortalApp();
  const config = app.get(LeadexConfig);
  const logger = new Logger('Portal');
  // Idempotent and race-safe, so every portal process may run it (tools/start may have done it already).
  await bootstrapAdmin(app.get(DataSource), config, (msg) => logger.log(msg));
  await app.listen(config.PORTAL_PORT, config.HOST);
  const shown = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  const url = `http://${shown}:${config.PORTAL_PORT}`;
  logger.log(`Buyer portal listening on ${url} (GraphQL ${url}/graphql)`);
  console.log(`Buyer portal: ${url}/graphql`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
