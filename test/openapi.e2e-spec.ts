import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { METHODS } from 'node:http';
import type { Response } from 'supertest';
import { NoBodyDto } from '../src/common/http/no-body.dto.js';
import { createAdmin, createUser, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * The OpenAPI document against the app that actually runs: the served routes
 * are read from the Express router (and cross-checked with Nest's controller
 * metadata and with live requests), never from a hand-written list.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const HTTP_METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

interface Route {
  method: Method;
  /** As the document spells it: `/api/v1/orders/{id}`, no trailing slash. */
  path: string;
}

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: Schema }> }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
}
interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, unknown>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const key = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;
const DOCS = /^\/api\/docs($|[-/])/;
/** `:id` -> `{id}`, no trailing slash. */
const normalise = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/+$/, '$1');
/** A concrete URL for a route: every path parameter set to `id`. */
const concrete = (path: string, id: number | string) => path.replace(/\{\w+\}/g, String(id));
const NO_SUCH_ID = 2_147_483_647;

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let served: Route[];
  let admin: TestUser;
  let seller: TestUser;
  let buyer: TestUser;

  /** Sends a request as one user (or nobody) with an optional JSON body. */
  function call(route: Route, url: string, who: TestUser | undefined, body?: unknown): Promise<Response> {
    let req = t.http[route.method](url);
    if (who) req = req.set(who.auth);
    return body === undefined ? req : req.send(body as object);
  }

  /** The first answer that is not a 401/403, trying an admin, a seller and a buyer in turn. */
  async function callAsPermitted(route: Route, url: string, body?: unknown): Promise<Response> {
    let last: Response | undefined;
    for (const who of [admin, seller, buyer]) {
      last = await call(route, url, who, body);
      if (last.status !== 401 && last.status !== 403) return last;
    }
    return last!;
  }

  beforeAll(async () => {
    t = await createTestApp();
    [admin, seller, buyer] = await Promise.all([createAdmin(t), createUser(t, 'SELLER'), createUser(t, 'BUYER')]);

    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;

    // Every method-specific route the server registered. Routes registered for
    // every HTTP method at once are pass-through layers, not endpoints (checked below).
    const routes: Route[] = [];
    for (const route of t.routes) {
      const methods = [route.method].flat().map((m) => m.toLowerCase());
      if (methods.length >= METHODS.length - 1) continue;
      for (const method of methods) {
        if (HTTP_METHODS.includes(method as Method)) routes.push({ method: method as Method, path: normalise(route.url) });
      }
    }
    served = routes.filter((r) => !DOCS.test(r.path));
  });

  afterAll(async () => {
    await t.close();
  });

  describe('the document', () => {
    it('is an OpenAPI 3 document with paths and a bearer security scheme', () => {
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(typeof doc.info.title).toBe('string');
      expect(typeof doc.info.version).toBe('string');
      expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
      const bearer = Object.values(doc.components.securitySchemes ?? {}).filter((s) => s.type === 'http' && s.scheme === 'bearer');
      expect(bearer).toHaveLength(1);
    });

    it('describes the canonical paths only (no seed-compatible aliases, no docs routes)', () => {
      const stray = Object.keys(doc.paths).filter((p) => !/^\/api\/v1\//.test(p) && !/^\/health\//.test(p));
      expect(stray).toEqual([]);
    });
  });

  describe('the served routes', () => {
    it('are found in the running app: every one answers, none is a routing miss', async () => {
      expect(served.length).toBeGreaterThan(40);
      const misses: string[] = [];
      for (const route of served) {
        const res = await call(route, concrete(route.path, NO_SUCH_ID), undefined, route.method === 'get' ? undefined : {});
        if (res.status === 404 && /^Cannot /.test(res.body?.detail ?? '')) misses.push(key(route));
      }
      expect(misses).toEqual([]);
    });

    it('match the controllers Nest discovered, one handler per route', () => {
      const discovery = new DiscoveryService(t.app.get(ModulesContainer));
      const scanner = new MetadataScanner();
      const servedKeys = new Set(served.map(key));
      const fromHandlers: string[] = [];
      for (const wrapper of discovery.getControllers()) {
        const proto = Object.getPrototypeOf(wrapper.instance);
        const base = [Reflect.getMetadata(PATH_METADATA, wrapper.metatype as object)].flat()[0] ?? '';
        for (const name of scanner.getAllMethodNames(proto)) {
          const handler = proto[name];
          const paths = Reflect.getMetadata(PATH_METADATA, handler);
          if (paths === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase() as Method;
          for (const sub of [paths].flat() as string[]) {
            const relative = normalise(`/${base}/${sub}`.replace(/\/+/g, '/'));
            // Prefixed, or one of the routes excluded from the global prefix.
            const candidates = [`/api/v1${relative}`, relative].map((p) => key({ method, path: normalise(p) }));
            const match = candidates.find((c) => servedKeys.has(c));
            fromHandlers.push(match ?? `unserved handler ${wrapper.name}.${name} (${candidates.join(' | ')})`);
          }
        }
      }
      expect(fromHandlers.sort()).toEqual([...servedKeys].sort());
    });

    it('include no catch-all route that serves other methods (the all-method layers are pass-through only)', async () => {
      const passThrough = t.routes.filter((r) => [r.method].flat().length >= METHODS.length - 1).map((r) => normalise(r.url));
      const servedKeys = new Set(served.map(key));
      const wrong: string[] = [];
      for (const path of passThrough) {
        for (const method of HTTP_METHODS) {
          if (servedKeys.has(key({ method, path }))) continue;
          const res = await t.http[method](path);
          if (res.status !== 404) wrong.push(`${method.toUpperCase()} ${path} -> ${res.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('documents every route the app serves (path and method)', () => {
      const undocumented = served.filter((r) => !doc.paths[r.path]?.[r.method]).map(key);
      expect(undocumented).toEqual([]);
    });

    it('documents no route the app does not serve', () => {
      const servedKeys = new Set(served.map(key));
      const phantom: string[] = [];
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of HTTP_METHODS) {
          if (item[method] && !servedKeys.has(key({ method, path: normalise(path) }))) phantom.push(key({ method, path }));
        }
      }
      expect(phantom).toEqual([]);
    });

    it('documents each path parameter as a required integer', () => {
      const wrong: string[] = [];
      for (const route of served) {
        const op = doc.paths[route.path]?.[route.method];
        if (!op) continue;
        for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
          if (!param || param.required !== true || param.schema?.type !== 'integer') {
            wrong.push(`${key(route)} {${name}}: ${JSON.stringify(param ?? null)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('authentication', () => {
    let needsAuth: Route[];
    let open: Route[];

    beforeAll(async () => {
      // Ask the app itself: which routes refuse a caller without a token?
      needsAuth = [];
      open = [];
      for (const route of served) {
        const res = await call(route, concrete(route.path, 1), undefined, route.method === 'get' ? undefined : {});
        expect(res.status).toBeLessThan(500);
        (res.status === 401 ? needsAuth : open).push(route);
      }
    });

    it('finds both protected and public routes', () => {
      expect(needsAuth.length).toBeGreaterThan(30);
      expect(open.map(key).sort()).toEqual(
        expect.arrayContaining(['POST /api/v1/login', 'POST /api/v1/register', 'POST /api/v1/token/refresh']),
      );
    });

    it('declares bearer security on every operation that answers 401 without a token', () => {
      const schemes = Object.entries(doc.components.securitySchemes ?? {}).filter(([, s]) => s.scheme === 'bearer').map(([name]) => name);
      const missing = needsAuth
        .filter((r) => !(doc.paths[r.path]?.[r.method]?.security ?? []).some((req) => Object.keys(req).some((n) => schemes.includes(n))))
        .map(key);
      expect(missing).toEqual([]);
    });

    it('documents a 401 response on every operation that requires a token', () => {
      const missing = needsAuth.filter((r) => !doc.paths[r.path]?.[r.method]?.responses?.['401']).map(key);
      expect(missing).toEqual([]);
    });
  });

  describe('request bodies', () => {
    /** Routes whose handler takes a `@Body()`, with the DTO class, from Nest's metadata. */
    let bodies: Map<string, Function>;

    beforeAll(() => {
      bodies = new Map();
      const discovery = new DiscoveryService(t.app.get(ModulesContainer));
      const scanner = new MetadataScanner();
      const servedKeys = new Set(served.map(key));
      for (const wrapper of discovery.getControllers()) {
        const proto = Object.getPrototypeOf(wrapper.instance);
        const base = [Reflect.getMetadata(PATH_METADATA, wrapper.metatype as object)].flat()[0] ?? '';
        for (const name of scanner.getAllMethodNames(proto)) {
          const handler = proto[name];
          const sub = Reflect.getMetadata(PATH_METADATA, handler);
          if (sub === undefined) continue;
          const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, wrapper.metatype as object, name) ?? {};
          const bodyArg = Object.entries(args).find(([k]) => k.split(':')[0] === String(RouteParamtypes.BODY));
          if (!bodyArg) continue;
          const types: Function[] = Reflect.getMetadata('design:paramtypes', proto, name);
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase() as Method;
          const relative = normalise(`/${base}/${[sub].flat()[0]}`.replace(/\/+/g, '/'));
          const route = [`/api/v1${relative}`, relative].map((p) => key({ method, path: normalise(p) })).find((k) => servedKeys.has(k));
          if (route) bodies.set(route, types[bodyArg[1].index]);
        }
      }
    });

    it('are the bodies the app validates: an unknown field is refused on exactly those routes', async () => {
      const refusing: string[] = [];
      for (const route of served.filter((r) => r.method !== 'get')) {
        const res = await callAsPermitted(route, concrete(route.path, NO_SUCH_ID), { __probe__: 1 });
        expect(res.status).toBeLessThan(500);
        if (res.status === 400 && res.body?.errors?.__probe__) refusing.push(key(route));
      }
      expect(refusing.length).toBeGreaterThan(10);
      expect(refusing.sort()).toEqual([...bodies.keys()].sort());
    });

    it('reference a component schema on every operation with a request body', () => {
      const wrong: string[] = [];
      for (const k of bodies.keys()) {
        const [method, path] = k.split(' ');
        const schema = doc.paths[path]?.[method.toLowerCase() as Method]?.requestBody?.content?.['application/json']?.schema;
        const name = schema?.$ref?.replace('#/components/schemas/', '');
        if (!schema?.$ref || !name || !doc.components.schemas[name]) wrong.push(`${k}: ${JSON.stringify(schema ?? null)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('describe exactly the fields the validator accepts', () => {
      const wrong: string[] = [];
      for (const [k, dto] of bodies) {
        const [method, path] = k.split(' ');
        const ref = doc.paths[path]?.[method.toLowerCase() as Method]?.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : undefined;
        const documented = Object.keys(schema?.properties ?? {}).sort();
        const accepted = [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();
        // NoBodyDto: the actions that take no body accept no field, and document none.
        if (dto !== NoBodyDto) expect(accepted.length).toBeGreaterThan(0);
        if (JSON.stringify(documented) !== JSON.stringify(accepted)) wrong.push(`${k}: documented ${documented.join(',')} / accepted ${accepted.join(',')}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('lists', () => {
    /** GET routes without path parameters whose answer is a JSON array. */
    let lists: { route: Route; res: Response }[];

    beforeAll(async () => {
      lists = [];
      for (const route of served.filter((r) => r.method === 'get' && !r.path.includes('{'))) {
        const res = await callAsPermitted(route, route.path);
        expect(res.status).toBe(200);
        if (Array.isArray(res.body)) lists.push({ route, res });
      }
    });

    it('are found', () => {
      expect(lists.length).toBeGreaterThan(10);
    });

    it('answer with an X-Total-Count header', () => {
      const missing = lists.filter(({ res }) => !/^\d+$/.test(res.headers['x-total-count'] ?? '')).map(({ route }) => key(route));
      expect(missing).toEqual([]);
    });

    it('document the X-Total-Count header on their 200 response', () => {
      const missing = lists.filter(({ route }) => !doc.paths[route.path]?.get?.responses?.['200']?.headers?.['X-Total-Count']).map(({ route }) => key(route));
      expect(missing).toEqual([]);
    });

    it('document an array as their 200 body', () => {
      const wrong = lists
        .filter(({ route }) => doc.paths[route.path]?.get?.responses?.['200']?.content?.['application/json']?.schema?.type !== 'array')
        .map(({ route }) => key(route));
      expect(wrong).toEqual([]);
    });
  });

  describe('Swagger UI', () => {
    it('GET /api/docs answers 200 with the Swagger UI page, and its assets load', async () => {
      const res = await t.http.get('/api/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="swagger-ui">');
      const assets = [...res.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1], 'http://host/api/docs').pathname);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) {
        const a = await t.http.get(asset);
        expect({ asset, status: a.status }).toEqual({ asset, status: 200 });
      }
    });

    it('points the UI at the JSON document', async () => {
      const init = await t.http.get('/api/docs/swagger-ui-init.js');
      expect(init.status).toBe(200);
      // The document is inlined in the init script: its paths must be the same.
      for (const path of Object.keys(doc.paths)) expect(init.text).toContain(JSON.stringify(path));
    });
  });
});
