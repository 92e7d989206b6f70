import { ArgumentMetadata, Injectable, PipeTransform, Type, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ValidationError as ClassValidatorError } from 'class-validator';
import { BoundedMemo } from '../bounded-memo.js';
import { FieldErrors, ValidationError } from '../errors.js';

function collect(errors: ClassValidatorError[], prefix: string, into: FieldErrors): FieldErrors {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      into[field] = Object.entries(error.constraints).map(([rule, message]) =>
        rule === 'whitelistValidation' ? 'This field is not allowed.' : message,
      );
    }
    if (error.children?.length) collect(error.children, field, into);
  }
  return into;
}

/** A lone UTF-16 surrogate: not text, and some validators (isEmail's byte length) throw on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Names of built-in object members, which the whitelist would not report as unknown fields. */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** No field of the API nests more than a few levels; deeper input is refused rather than walked (the walk recursed: 2,000 levels overflowed the stack). */
const MAX_DEPTH = 32;

/**
 * Text PostgreSQL cannot store (NUL) or that is not text (lone surrogates),
 * body fields named after built-in object members, and values nested deeper
 * than any field of the API, are refused up front.
 */
function malformedText(value: unknown, path: string, into: FieldErrors, body: boolean, depth = 0): FieldErrors {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value) || value.includes('\u0000')) into[path || 'body'] = ['Must be valid Unicode text without NUL characters.'];
  } else if (value && typeof value === 'object') {
    if (depth >= MAX_DEPTH) {
      into[path || 'body'] = ['Nested too deeply.'];
      return into;
    }
    for (const [key, inner] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (body && RESERVED_KEYS.has(key)) into[field] = ['This field is not allowed.'];
      else malformedText(inner, field, into, body, depth + 1);
    }
  }
  return into;
}

/**
 * The fields of a parsed body that `malformedText` refuses, by path; empty
 * when there are none. The body parser asks it about the keys it refuses
 * outright (`__proto__`), which never reach this pipe.
 */
export function refusedBodyFields(body: unknown): FieldErrors {
  // No prototype, so a field named `__proto__` is a key here like any other.
  return malformedText(body, '', Object.create(null), true);
}

/** Longer query strings are validated every time: they are not the ones that repeat, and the memory is theirs to fill. */
const MAX_REMEMBERED_QUERY = 1024;

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

const common: ValidationPipeOptions = {
  whitelist: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new ValidationError(collect(errors, '', {})),
};

/**
 * Bodies are strict: an unknown field is a 400, so a client cannot set
 * `status`, `total_price` or `role`. Query strings are lenient: unknown
 * parameters (cache busters, tracking) are dropped, known ones validated.
 */
@Injectable()
export class AppValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({ ...common, forbidNonWhitelisted: true });
  private readonly lenient = new ValidationPipe({ ...common, forbidNonWhitelisted: false });
  /** Valid query strings' DTOs, by DTO class and query: see `query`. */
  private readonly validQueries = new Map<Type<unknown>, BoundedMemo<string, object>>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'query' && metadata.metatype && metadata.metatype !== Object && value && typeof value === 'object') {
      return this.query(value, metadata);
    }
    return this.validate(value, metadata);
  }

  /**
   * The same query strings come again and again (every buyer's app asks for
   * the same filters and pages), and a valid query's DTO depends on nothing
   * but its text, so each is validated once and remembered; each request gets
   * its own copy, which its handler may change. Only DTOs whose fields are all
   * primitives are remembered, so a copy shares nothing; an invalid query is
   * validated (and refused) every time. Validation was about a tenth of a list
   * request's CPU (docs/performance.md, ninth pass).
   */
  private async query(value: object, metadata: ArgumentMetadata): Promise<unknown> {
    const key = JSON.stringify(value);
    if (key.length > MAX_REMEMBERED_QUERY) return this.validate(value, metadata);
    let known = this.validQueries.get(metadata.metatype!);
    if (!known) this.validQueries.set(metadata.metatype!, (known = new BoundedMemo(1000)));
    let dto = known.find(key);
    if (!dto) {
      dto = (await this.validate(value, metadata)) as object;
      if (!Object.values(dto).every(isPrimitive)) return dto;
      known.remember(key, dto);
    }
    return Object.assign(Object.create(Object.getPrototypeOf(dto)), dto);
  }

  private validate(value: unknown, metadata: ArgumentMetadata): unknown {
    // Path parameters are parsed strictly by their own pipes (ParseIdPipe): converting
    // them here first would let `0x1` or `1e0` through as the id 1.
    if (metadata.type === 'param') return value;
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined || value === null) value = {};
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationError({ body: ['The request body must be a JSON object.'] });
      }
    }
    const unreadable = malformedText(value, '', {}, metadata.type === 'body');
    if (Object.keys(unreadable).length > 0) throw new ValidationError(unreadable);
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata);
  }
}
