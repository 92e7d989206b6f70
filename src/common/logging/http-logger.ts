import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

/** Where log lines go: stdout, unless a test provides a stream of its own. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
/** The pino-http middleware of this application; its `.logger` is the root logger. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

export type { HttpLogger };

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The client's `X-Request-Id` when it is a sane value (so a caller can follow
 * its request through our logs), else a new UUID. Anything else is replaced:
 * a header is attacker-controlled and ends up in every log line.
 */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

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

type Req = IncomingMessage & { id?: unknown; user?: { id?: number }; originalUrl?: string };

export function createHttpLogger(level: string, destination: DestinationStream): HttpLogger<Req, ServerResponse> {
  return pinoHttp<Req, ServerResponse>(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      // The response's headers are ours and the same every time; its status is what matters.
      serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
      // pino-http keeps an id already set on the request (Fastify sets it: genReqId in
      // app.setup.ts) and asks for one otherwise.
      genReqId: (req, res) => {
        const id = requestIdFor(req.headers['x-request-id']);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Logs made while serving a request carry its id, not the whole request again.
      quietReqLogger: true,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      // Probes poll every few seconds; their lines would drown the rest.
      autoLogging: { ignore: (req) => (req.originalUrl ?? req.url ?? '').startsWith('/health/') },
      // Who made the request, once the guards have authenticated it (read again when it ends).
      customProps: (req) => (req.user?.id === undefined ? {} : { userId: req.user.id }),
    },
    destination,
  );
}

export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}
