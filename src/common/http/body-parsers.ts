import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ValidationError, type FieldErrors } from '../errors.js';

type Done = (error: Error | null, body?: unknown) => void;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * Where valid JSON holds the keys Fastify's parser refuses (`__proto__`, and
 * `constructor` holding a `prototype`), as field errors, as the validation
 * pipe names any other body field called after a built-in object member; or
 * undefined when the text is no JSON at all. `JSON.parse` only defines such
 * keys as plain properties, so the parsed value is walked, never used.
 */
function forbiddenKeys(text: string): FieldErrors | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // No prototype, so a field named `__proto__` is a key here like any other.
  const into: FieldErrors = Object.create(null);
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, inner] of Object.entries(node)) {
      const field = path ? `${path}.${key}` : key;
      const prototypeHolder = key === 'constructor' && inner !== null && typeof inner === 'object' && Object.hasOwn(inner, 'prototype');
      if (key === '__proto__' || prototypeHolder) into[field] = ['This field is not allowed.'];
      else walk(inner, field);
    }
  };
  walk(value, '');
  return Object.keys(into).length > 0 ? into : undefined;
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
    parseJson(req, text, (error: Error | null, value?: unknown) => {
      if (!error) return done(null, value);
      const forbidden = forbiddenKeys(text);
      done(forbidden ? new ValidationError(forbidden) : new BadRequestException('The request body is not valid JSON.'));
    });
  };
  app.useBodyParser('application/json', {}, json);
  app.useBodyParser(/^application\/[\w.+-]+\+json$/i, {}, json);
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('*', {}, (_req: FastifyRequest, _body: Buffer, done: Done) => done(null, undefined));
}
