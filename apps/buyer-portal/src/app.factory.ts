import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { PortalAppModule } from './app.module';
import { PortalValidationPipe } from './common/validation.pipe';

/** Builds the buyer portal (Express, GraphQL at POST /graphql, GET /health) without listening. */
export async function createPortalApp(): Promise<INestApplication> {
  process.env.LEADEX_APP ??= 'portal';
  const app = await NestFactory.create<NestExpressApplication>(PortalAppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new PortalValidationPipe());
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  mountQueueDashboard(app);
  return app;
}
