import type { INestApplication } from '@nestjs/common';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';

describe('portal health', () => {
  it('GET /health is 200 {"status":"ok"} when PostgreSQL and Redis answer, without a token', async () => {
    const { app, client } = await startPortal();
    try {
      const r = await client.get('/health');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
    } finally {
      await app.close();
    }
  });

  describe('with Redis unreachable', () => {
    const saved = { REDIS_URL: process.env.REDIS_URL, JWT_SECRET: process.env.JWT_SECRET };
    let app: INestApplication;
    let client: PortalClient;

    beforeAll(async () => {
      process.env.REDIS_URL = 'redis://127.0.0.1:1'; // nothing listens on port 1
      process.env.JWT_SECRET = 'health-test-secret-health-test-secret';
      ({ app, client } = await startPortal());
    });
    afterAll(async () => {
      await app?.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('GET /health is 503 and says which dependency is down', async () => {
      const r = await client.get('/health');
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ status: 'unavailable', postgres: 'up', redis: 'down' });
    });
  });
});
