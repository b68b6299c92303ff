import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import type { Client } from 'pg';
import { DEV_JWT_SECRET_KEY } from '../../../apps/buyer-portal/src/auth/jwt-secret.provider';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalBuyerUser, openPortalTestDb } from '../../../libs/testing/src/portal-factories';

/** Without JWT_SECRET (outside production) every portal process must share one generated secret. */
describe('generated development JWT secret', () => {
  const saved = process.env.JWT_SECRET;
  const apps: INestApplication[] = [];
  let one: PortalClient;
  let two: PortalClient;
  let db: Client;
  let redis: Redis;

  beforeAll(async () => {
    delete process.env.JWT_SECRET;
    const [a, b] = await Promise.all([startPortal(), startPortal()]);
    apps.push(a.app, b.app);
    one = a.client;
    two = b.client;
    db = await openPortalTestDb();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.JWT_SECRET = saved;
    await Promise.all(apps.map((a) => a.close()));
    await db?.end();
    redis?.disconnect();
  });

  it('is stored in Redis and a token from one process works on another', async () => {
    const secret = await redis.get(DEV_JWT_SECRET_KEY);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const u = await insertPortalBuyerUser(db);
    const token = await one.login(u.email, u.password);
    const me = await two.gqlOk(`{ me { id buyerId } }`, {}, token);
    expect(me.me).toEqual({ id: u.id, buyerId: u.buyerId });
  });
});
