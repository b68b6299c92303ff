import { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { LoggerModule } from 'nestjs-pino';
import { LeadexConfig } from './leadex-config';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Structured JSON logs (pino) for an app, each line carrying the app name and the request id.
 * A caller's x-request-id is kept (when sane) so one id follows a request across services;
 * otherwise a new one is made and echoed back in the response header.
 */
export function leadexLoggerModule(app: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [LeadexConfig],
    useFactory: (config: LeadexConfig) => ({
      pinoHttp: {
        level: config.LOG_LEVEL,
        genReqId: (req, res) => {
          const given = req.headers['x-request-id'];
          const id = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
          res.setHeader('x-request-id', id);
          return id;
        },
        customProps: () => ({ app }),
        redact: ['req.headers.authorization', 'req.headers.cookie'],
      },
    }),
  });
}
