import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { AuthService } from '../auth/auth.service';
import { DashboardQueues } from './dashboard-queues.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** A signed-in Basic user is trusted this long without a new password check (the UI polls its API). */
const BASIC_CACHE_MS = 60_000;

/**
 * Operators see the delivery queues (@bull-board) at /admin/queues, behind ADMIN auth: a portal
 * bearer token, or HTTP Basic with an ADMIN's email and password so a browser can open it.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const auth = app.get(AuthService);
  const { queues } = app.get(DashboardQueues);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Leadex queues' } } });

  const basicCache = new Map<string, number>();
  const admit = async (req: Request): Promise<AuthUser | null> => {
    const header = req.headers.authorization ?? '';
    if (/^Bearer\s/i.test(header)) return auth.authenticate(header.replace(/^Bearer\s+/i, '').trim()).catch(() => null);
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (!basic) return null;
    const digest = createHash('sha256').update(basic[1]).digest('hex');
    const until = basicCache.get(digest);
    if (until && until > Date.now()) return { id: '', email: '', role: Role.ADMIN, buyerId: null };
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const session = await auth.login(decoded.slice(0, colon), decoded.slice(colon + 1)).catch(() => null);
    if (session?.user.role === Role.ADMIN) {
      if (basicCache.size > 1000) basicCache.clear();
      basicCache.set(digest, Date.now() + BASIC_CACHE_MS);
    }
    return session ? { id: session.user.id, email: session.user.email, role: session.user.role, buyerId: session.user.buyerId } : null;
  };
  const guard = (req: Request, res: Response, next: NextFunction): void => {
    admit(req).then(
      (user) => {
        if (user?.role === Role.ADMIN) return next();
        if (user) {
          res.status(403).json({ error: { code: 'forbidden', message: 'The queue dashboard is for ADMIN users' } });
          return;
        }
        res.setHeader('WWW-Authenticate', 'Basic realm="Leadex operators", charset="UTF-8"');
        res.status(401).json({ error: { code: 'unauthorized', message: 'Sign in as an ADMIN (HTTP Basic, or Authorization: Bearer <token>)' } });
      },
      next,
    );
  };
  app.use(QUEUE_DASHBOARD_PATH, guard, adapter.getRouter());
}
