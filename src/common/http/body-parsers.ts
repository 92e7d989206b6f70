import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ValidationError, type FieldErrors } from '../errors.js';
import { refusedBodyFields } from './validation.pipe.js';

type Done = (error: Error | null, body?: unknown) => void;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * What to answer for a body Fastify's parser refused: valid JSON holding a
 * key that reaches an object's prototype (`__proto__`, a `constructor` with
 * a `prototype`) names its fields, as the validation pipe names any body
 * field called after a built-in object member; anything else is no JSON.
 * `JSON.parse` only defines such keys as plain properties, and the value is
 * only read, never used.
 */
function refusedJson(text: string): Error {
  let fields: FieldErrors = {};
  try {
    fields = refusedBodyFields(JSON.parse(text));
  } catch {
    // Not JSON at all.
  }
  return Object.keys(fields).length > 0 ? new ValidationError(fields) : new BadRequestException('The request body is not valid JSON.');
}

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
    parseJson(req, text, (error: Error | null, value?: unknown) => (error ? done(refusedJson(text)) : done(null, value)));
  };
  app.useBodyParser('application/json', {}, json);
  app.useBodyParser(/^application\/[\w.+-]+\+json$/i, {}, json);
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('*', {}, (_req: FastifyRequest, _body: Buffer, done: Done) => done(null, undefined));
}
