/**
 * The parts of the OpenAPI document the property suite needs: the operations
 * (path, method, parameters, body, documented responses, allowed roles) and a
 * checker for the subset of JSON Schema the document uses.
 */

export interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  $ref?: string;
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
  description?: string;
}

interface RawResponse {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, { schema?: Schema }>;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, RawResponse>;
  security?: Record<string, string[]>[];
  summary?: string;
  description?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export type Role = 'ADMIN' | 'SELLER' | 'BUYER';
export const ROLES: Role[] = ['ADMIN', 'SELLER', 'BUYER'];

export interface Operation {
  /** `POST /api/v1/orders/{id}/approve` */
  key: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  /** The JSON request body schema, $refs resolved at the top level. */
  body?: Schema;
  /** Documented status codes. */
  documented: Set<number>;
  /** 2xx responses: status, body schema (when there is one) and documented headers. */
  success: { status: number; schema?: Schema; headers: Record<string, Schema> }[];
  /** Whether the operation requires a bearer token. */
  secured: boolean;
  /** Roles that may call it: from the 403 description "Only X, Y may call this.", else all. */
  roles: Role[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 20; depth += 1) {
    if (current.$ref) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = doc.components.schemas[name];
      if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
      current = target;
    } else if (current.allOf?.length === 1 && !current.properties) {
      current = { ...current.allOf[0], nullable: current.nullable ?? current.allOf[0].nullable };
    } else {
      return current;
    }
  }
  return current;
}

/** Every operation of the document except the docs routes. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith('/api/docs')) continue;
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const parameters = raw.parameters ?? [];
      const responses = raw.responses ?? {};
      const forbidden = responses['403']?.description ?? '';
      const only = /Only ([A-Z, ]+) may call this/.exec(forbidden);
      const roles = only ? (only[1].split(/,\s*/).filter((r) => (ROLES as string[]).includes(r)) as Role[]) : [...ROLES];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        body: resolve(doc, raw.requestBody?.content?.['application/json']?.schema),
        documented: new Set(Object.keys(responses).map(Number)),
        success: Object.entries(responses)
          .filter(([status]) => status.startsWith('2'))
          .map(([status, response]) => ({
            status: Number(status),
            schema: response.content?.['application/json']?.schema,
            headers: Object.fromEntries(
              Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header.schema ?? {}]),
            ),
          })),
        secured: (raw.security ?? []).length > 0,
        roles,
      });
    }
  }
  return operations;
}

const DATE_TIME_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface ConformanceResult {
  problems: string[];
  /** Fields present in a body but not in its schema (not a JSON Schema violation: noted, not failed). */
  undocumented: string[];
}

/**
 * Checks `value` against `schema`: type, properties, required, items, enum,
 * nullable, $ref, minimum/maximum, additionalProperties, format date-time (UTC, ending in Z).
 */
export function conformance(doc: OpenApiDocument, value: unknown, schema: Schema | undefined, at = '$'): ConformanceResult {
  const result: ConformanceResult = { problems: [], undocumented: [] };
  check(doc, value, schema, at, result);
  return result;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(doc: OpenApiDocument, value: unknown, raw: Schema | undefined, at: string, out: ConformanceResult): void {
  if (!raw) return;
  const schema = resolve(doc, raw)!;
  if (value === null) {
    if (!schema.nullable && !raw.nullable) out.problems.push(`${at} is null but the schema is not nullable`);
    return;
  }
  if (value === undefined) {
    out.problems.push(`${at} is undefined`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.problems.push(`${at} = ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  const actual = typeOf(value);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case undefined:
      return;
    case 'integer':
      if (actual !== 'integer') out.problems.push(`${at} should be an integer, got ${actual} ${JSON.stringify(value)}`);
      break;
    case 'number':
      if (actual !== 'integer' && actual !== 'number') out.problems.push(`${at} should be a number, got ${actual}`);
      break;
    case 'string':
      if (actual !== 'string') {
        out.problems.push(`${at} should be a string, got ${actual}`);
      } else if (schema.format === 'date-time') {
        const text = value as string;
        if (!DATE_TIME_UTC.test(text) || Number.isNaN(Date.parse(text))) out.problems.push(`${at} = ${JSON.stringify(text)} is not an ISO-8601 UTC date-time ending in Z`);
      }
      break;
    case 'boolean':
      if (actual !== 'boolean') out.problems.push(`${at} should be a boolean, got ${actual}`);
      break;
    case 'array':
      if (actual !== 'array') {
        out.problems.push(`${at} should be an array, got ${actual}`);
      } else {
        (value as unknown[]).forEach((element, index) => check(doc, element, schema.items, `${at}[${index}]`, out));
      }
      break;
    case 'object': {
      if (actual !== 'object') {
        out.problems.push(`${at} should be an object, got ${actual}`);
        break;
      }
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (!(name in record)) out.problems.push(`${at}.${name} is required but missing`);
      }
      for (const [name, inner] of Object.entries(record)) {
        const declared = schema.properties?.[name];
        if (declared) {
          check(doc, inner, declared, `${at}.${name}`, out);
        } else if (typeof schema.additionalProperties === 'object') {
          check(doc, inner, schema.additionalProperties, `${at}.${name}`, out);
        } else if (schema.additionalProperties === false) {
          out.problems.push(`${at}.${name} is not allowed by the schema`);
        } else if (schema.properties && schema.additionalProperties === undefined) {
          out.undocumented.push(`${raw.$ref?.split('/').pop() ?? at}.${name}`);
        }
      }
      break;
    }
    default:
      out.problems.push(`${at}: unknown schema type ${type}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.problems.push(`${at} = ${value} is below the minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.problems.push(`${at} = ${value} is above the maximum ${schema.maximum}`);
  }
}
