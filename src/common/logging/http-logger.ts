import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBaseLogger } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentContext } from '../request-context.js';
import { nestContextOf } from './nest-context.js';
import { isoTimestamp } from '../timestamps.js';

/** Where log lines go: stdout, unless a test provides a stream of its own. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
/** The application's root pino logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/**
 * Secrets never written to a log line: credentials in headers, tokens and
 * passwords wherever an object carrying them is logged, SQL parameters of
 * failed queries (password hashes, token hashes).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'access',
  'refresh',
  'token',
  '*.password',
  '*.access',
  '*.refresh',
  '*.token',
  'req.body.password',
  'req.body.access',
  'req.body.refresh',
  'err.parameters',
  '*.err.parameters',
];

export function createAppLogger(level: string, destination: DestinationStream): Logger {
  return pino(
    {
      level,
      // pino's isoTime, with the app's faster formatter (timestamps.ts).
      timestamp: () => `,"time":"${isoTimestamp(new Date())}"`,
      // Each line logged while serving a write carries its id, read from the request's context
      // (request-context.ts) rather than from a child logger made for every request; a read has no
      // context, and its error lines name their request themselves (AllExceptionsFilter).
      mixin: (line: { reqId?: unknown }) => {
        const requestId = line.reqId === undefined ? currentContext()?.requestId : undefined;
        return requestId === undefined ? {} : { reqId: requestId };
      },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      serializers: {
        req: pino.stdSerializers.req,
        // The response's headers are ours and the same every time; its status is what matters.
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}

/** Request headers no log line carries. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** An access-log line's `req`: what pino's standard serializer writes, with the credential headers blanked here. */
export function accessLogRequest(req: IncomingMessage) {
  const headers: Record<string, unknown> = {};
  for (const name in req.headers) headers[name] = CREDENTIAL_HEADERS.has(name) ? '[Redacted]' : req.headers[name];
  return { method: req.method, url: req.url, headers, remoteAddress: req.socket?.remoteAddress, remotePort: req.socket?.remotePort };
}

/**
 * One JSON access-log line per request (but the health probes, which poll
 * every few seconds), at `error` for a 5xx, with the request, its status, its
 * time and who made it. Every other line logged while serving a write
 * carries its `reqId` too: the root logger's mixin reads it from the
 * request's context, which Nest's `Logger` (through nestjs-pino), Fastify's
 * `request.log` and the services all log within; a read opens no context
 * (request-context.ts), and the error lines it may log name it themselves.
 * Fastify hooks rather than pino-http, and no logger made per request
 * (docs/performance.md).
 */
export function useAccessLog(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  // An access line holds only the request (credentials blanked by accessLogRequest), its status, time and
  // user, so it skips the path-based redaction the other lines get: with its wildcards, that cost four
  // times the rest of the line and was a tenth of a list request's CPU (docs/performance.md).
  const access = logger.child({}, { redact: [], serializers: { req: accessLogRequest } });
  const requestLog = logger as unknown as FastifyBaseLogger;
  fastify.addHook('onRequest', (request, reply, done) => {
    // On the Node.js response, so error replies keep it too.
    reply.raw.setHeader('X-Request-Id', request.id);
    request.log = requestLog;
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/health/')) {
      const userId = (request as { user?: { id?: number } }).user?.id;
      // Behind a trusted proxy (TRUST_PROXY), the client's address as the rate limits count it.
      const clientIp = request.ip;
      const line = {
        reqId: request.id,
        req: request.raw,
        res: reply.raw,
        responseTime: Math.round(reply.elapsedTime),
        ...(clientIp === request.raw.socket?.remoteAddress ? {} : { clientIp }),
        ...(userId === undefined ? {} : { userId }),
      };
      if (reply.statusCode >= 500) access.error(line, 'request errored');
      else access.info(line, 'request completed');
    }
    done();
  });
}

export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}

/**
 * Nest's own lines while the application starts, before the app's logger is
 * a provider: the same JSON lines, with the line's context, and an error's
 * stack left out (a failure to start ends with one line saying why:
 * main.ts). Without it Nest wrote them as coloured text, stacks included.
 */
export class StartupLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.logger.info(contextOf(params), String(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn(contextOf(params), String(message));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error(contextOf(params), String(message));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug(contextOf(params), String(message));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.trace(contextOf(params), String(message));
  }
}

const contextOf = (params: unknown[]) => {
  const context = nestContextOf(params);
  return context === undefined ? {} : { context };
};
