import { LeadexConfig } from '@leadex/config';
import { createExchangeApp } from './app.factory';

async function main(): Promise<void> {
  const app = await createExchangeApp();
  const config = app.get(LeadexConfig);
  await app.listen({ port: config.EXCHANGE_PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.EXCHANGE_PORT;
  console.log(`Leadex exchange listening on http://127.0.0.1:${port} (API docs: /docs)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
