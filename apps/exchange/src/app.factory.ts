import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@leadex/config';
import { ExchangeModule } from './app.module';
import { RestExceptionFilter } from './common/rest-exception.filter';
import { createValidationPipe } from './common/validation.util';

/** Builds the exchange (supplier REST API + auction) without listening, for main.ts and tests alike. */
export async function createExchangeApp(): Promise<NestFastifyApplication> {
  process.env.LEADEX_APP ??= 'exchange';
  const config = loadConfig();
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(ExchangeModule, adapter, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new RestExceptionFilter());
  // Fastify's own errors (bad JSON, too large) also reach the filter: one body shape for every error.
  app.enableShutdownHooks();

  const doc = new DocumentBuilder()
    .setTitle('Leadex supplier API')
    .setDescription(
      'Post consumer leads to the Leadex exchange. Authenticate with `Authorization: Bearer <api key>`. ' +
        'Money is always a decimal string with two places. Errors: `{"status":"rejected","error":"<code>","message":"...","errors":[{"field":"fields.zip","message":"..."}]}`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs/json' });
  return app;
}
