import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

type Done = (error: Error | null, body?: unknown) => void;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * Request bodies, read as the original service's clients expect (and as
 * Express's body-parser did): JSON in UTF-8 or UTF-16, other charsets 415;
 * only an object or an array at the top; an empty body as `{}`; forms;
 * anything else read up to the limit and ignored, so validation answers.
 * GET requests carrying a body have it read and checked too.
 */
export function useBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const json = (req: FastifyRequest, body: Buffer, done: Done) => {
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase() ?? 'utf-8';
    let text: string;
    try {
      if (!charset.startsWith('utf-')) throw new Error(charset);
      text = new TextDecoder(charset).decode(body);
    } catch {
      return done(new UnsupportedMediaTypeException('Unsupported charset.'));
    }
    const start = text.trimStart()[0];
    if (start === undefined) return done(null, {});
    if (start !== '{' && start !== '[') return done(new BadRequestException('The request body is not valid JSON.'));
    parseJson(req, text, (error: Error | null, value?: unknown) =>
      error ? done(new BadRequestException('The request body is not valid JSON.')) : done(null, value),
    );
  };
  app.useBodyParser('application/json', {}, json);
  app.useBodyParser(/^application\/[\w.+-]+\+json$/i, {}, json);
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('*', {}, (_req: FastifyRequest, _body: Buffer, done: Done) => done(null, undefined));
}
