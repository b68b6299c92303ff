import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createExchangeApp } from '../../../apps/exchange/src/app.factory';
import { CatalogService } from '../../../apps/exchange/src/market/catalog.service';
import { MarketStateService } from '../../../apps/exchange/src/market/market-state.service';

/** The real exchange app in this process, listening on a free port. */
export async function startExchange(): Promise<{ app: NestFastifyApplication; url: string; sync: () => Promise<void> }> {
  const app = await createExchangeApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Tests write rows directly; this applies them now instead of waiting for the notification.
  const sync = async () => {
    await app.get(CatalogService).reloadAll();
    await app.get(MarketStateService).refresh();
  };
  return { app, url, sync };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}
