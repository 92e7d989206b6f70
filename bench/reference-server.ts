/**
 * The practical ceiling for the bench: bare `node:http` + `pg`, no framework.
 * It does what the app does for the requests it serves, and nothing
 * less: checks the JWT with the app's own verifier (HS256, issuer, audience,
 * expiry; a token verified once until it expires), loads the
 * caller's user as JwtAuthGuard does (with the app's ActorCache: remembered
 * while PostgreSQL announces user changes), validates the body as
 * strictly, runs the same SQL on a pool of the same size (the app's own SQL
 * text, imported from src/: the lists' SQL, which has PostgreSQL write each
 * item's JSON, the WHERE builder, the user lookup and the statement that
 * places an order) and answers with the same JSON and headers. Placing an
 * order calls `place_order` as the app does: it locks the buyer, counts their
 * open orders, reserves, inserts the order, its ledger row and its audit row.
 *
 *   GET  /api/v1/gas/                (brand, weight, location, page, page_size)  scenario 1
 *   GET  /api/v1/orders/my_orders/   (status, page, page_size)                   scenario 2
 *   GET  /api/v1/seller/orders/      (status, page, page_size)                   scenario 3
 *   POST /api/v1/orders/                                                         scenario 4
 *
 * Its pool reads timestamps with the app's parser and sends its statements
 * with parameters as named statements when the app does (`DB_PREPARED_STATEMENTS`,
 * the app's PreparedStatements), reads and an order's writes alike, so both do
 * the same work in the driver and in PostgreSQL;
 * the order it places, it prints with the app's formatters.
 *
 * Env: DATABASE_URL, JWT_SECRET, PORT, HOST, DB_POOL_SIZE, DB_PREPARED_STATEMENTS, USER_CACHE.
 * What it imports from src/ loads no framework code.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { AccessTokenVerifier, bearerToken } from '../src/auth/access-token-verifier.js';
import { formatMoney } from '../src/common/money.js';
import { jsonArrayBytes } from '../src/common/json-array.js';
import { jsonPageStatements, type JsonListSql } from '../src/common/json-list-sql.js';
import { requestIdFor } from '../src/common/request-context.js';
import { SqlWhere } from '../src/common/sql.js';
import { isoTimestamp } from '../src/common/timestamps.js';
import { PreparedStatements } from '../src/database/prepared-statements.js';
import { POOL_TYPES } from '../src/database/pg-types.js';
import { GAS_ITEM_LIST, LOCATION_CONTAINS, ON_THE_MARKET } from '../src/inventory/gas-item.rows.js';
import {
  ORDER_LIST,
  PLACE_ORDER,
  placeOrderValues,
  type PlaceOrderResult,
} from '../src/orders/order.rows.js';
import { ACTOR_BY_ID } from '../src/users/user.sql.js';
import { ActorCache } from '../src/users/actor-cache.js';

// The app's token checks, and its memory of tokens already verified.
const tokens = new AccessTokenVerifier(process.env.JWT_SECRET ?? '');
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  connectionTimeoutMillis: 10_000,
  types: POOL_TYPES,
});
const statements = new PreparedStatements(process.env.DB_PREPARED_STATEMENTS !== 'false');
// The app's cache of the users behind tokens, on the same terms (USER_CACHE, announcements heard from PostgreSQL).
const actors = new ActorCache({ maxAgeMs: 60_000 }, console);
if (process.env.USER_CACHE !== 'false') void actors.follow(() => new pg.Client({ connectionString: process.env.DATABASE_URL }));

interface Actor {
  id: number;
  role: string;
  username: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(detail);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, JSON.stringify(body), headers);
}

function sendJson(res: ServerResponse, status: number, json: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

/** Checks the bearer token and reloads the user, as JwtAuthGuard does. */
async function authenticate(req: IncomingMessage): Promise<Actor> {
  const token = bearerToken(req.headers.authorization);
  const userId = token === undefined ? undefined : tokens.userIdOf(token);
  if (userId === undefined) throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  const actor = await actors.find(userId, async (id) => (await pool.query(statements.query(ACTOR_BY_ID, [id]))).rows[0]);
  if (actor === undefined) throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  return actor;
}

type Row = Record<string, any>;

const displayName = (first: string, last: string, username: string) => `${first} ${last}`.trim() || username;

function orderJson(row: Row) {
  return {
    id: row.id,
    gas_inventory: row.gas_inventory_id,
    gas_details: {
      brand: row.item_brand_code,
      weight_kg: Number(row.item_weight_kg),
      unit_price: formatMoney(row.unit_price),
      location: row.item_location,
    },
    buyer: row.buyer_id,
    buyer_name: displayName(row.buyer_first_name, row.buyer_last_name, row.buyer_username),
    seller: row.seller_id,
    seller_name: displayName(row.seller_first_name, row.seller_last_name, row.seller_username),
    quantity: row.quantity,
    total_price: formatMoney(row.total_price),
    status: row.status,
    delivery_address: row.delivery_address,
    contact_phone: row.contact_phone,
    created_at: isoTimestamp(row.created_at as Date),
    updated_at: isoTimestamp(row.updated_at as Date),
  };
}

/** selectJsonPage (src/common/pagination.ts), on the app's own statements: the page's JSON with its total, the count alone only past the end. */
async function selectJsonPage(list: JsonListSql, where: SqlWhere, orderBy: string, page: number, pageSize: number) {
  const offset = (page - 1) * pageSize;
  const sql = jsonPageStatements(list, where, orderBy);
  const { rows } = await pool.query(statements.query(sql.page, [...where.params, pageSize, offset]));
  const body = jsonArrayBytes(rows.map((row) => row.json));
  if (rows.length > 0) return { body, total: rows[0].total as number };
  if (offset === 0) return { body, total: 0 };
  const counted = await pool.query(statements.query(sql.count, where.params));
  return { body, total: counted.rows[0].total as number };
}

function pageParams(query: URLSearchParams): { page: number; pageSize: number } {
  const errors: Record<string, string[]> = {};
  const page = query.has('page') ? Number(query.get('page')) : 1;
  if (!Number.isInteger(page) || page < 1) errors.page = ['page must not be less than 1'];
  const pageSize = query.has('page_size') ? Math.min(Number(query.get('page_size')), 200) : 50;
  if (!Number.isInteger(pageSize) || pageSize < 1) errors.page_size = ['page_size must not be less than 1'];
  if (Object.keys(errors).length) throw new HttpError(400, 'validation_error', 'Invalid input.', errors);
  return { page, pageSize };
}

/** The same Link header as the app's (usePageReplies, src/common/http/page-replies.ts). */
function linkHeader(req: IncomingMessage, total: number, page: number, pageSize: number): string {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const at = (n: number) => {
    url.searchParams.set('page', String(n));
    url.searchParams.set('page_size', String(pageSize));
    return url.toString();
  };
  const parts: string[] = [];
  if (page < lastPage) parts.push(`<${at(page + 1)}>; rel="next"`);
  if (page > 1) parts.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`);
  parts.push(`<${at(1)}>; rel="first"`, `<${at(lastPage)}>; rel="last"`);
  return parts.join(', ');
}

/** GET /api/v1/gas/: items in stock, filtered, newest first, one page plus the total. */
async function browse(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  await authenticate(req);
  const { page, pageSize } = pageParams(query);
  const where = new SqlWhere().and(ON_THE_MARKET);
  const brand = query.get('brand')?.trim();
  if (brand) where.and('g.brand_code = ?', brand.toUpperCase());
  const weightText = query.get('weight');
  if (weightText !== null) {
    const match = /^\s*(\d+(?:\.\d)?)\s*(kg)?\s*$/i.exec(weightText);
    if (!match) throw new HttpError(400, 'validation_error', 'Invalid input.', { weight: ['weight must be a weight such as 6, 6.0 or 6kg'] });
    where.and('g.weight_kg = ?', Number(match[1]));
  }
  const location = query.get('location')?.trim();
  if (location) where.and(LOCATION_CONTAINS, location);
  const { body, total } = await selectJsonPage(GAS_ITEM_LIST, where, 'g.date_added DESC, g.id DESC', page, pageSize);
  sendJson(res, 200, body, {
    'X-Total-Count': String(total),
    Link: linkHeader(req, total, page, pageSize),
  });
}

const MAX_OPEN_ORDERS = Number(process.env.MAX_OPEN_ORDERS_PER_BUYER ?? 10);

const STATUSES = new Set(['PENDING', 'APPROVED', 'REJECTED', 'DELIVERED', 'CANCELLED']);

/** GET /api/v1/orders/my_orders/ (buyer) and /api/v1/seller/orders/ (seller): the caller's orders, newest first. */
async function listOrders(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, role: 'BUYER' | 'SELLER'): Promise<void> {
  const actor = await authenticate(req);
  if (actor.role !== role) throw new HttpError(403, 'permission_denied', 'You do not have permission to perform this action.');
  const { page, pageSize } = pageParams(query);
  const where = new SqlWhere().and(role === 'BUYER' ? 'o.buyer_id = ?' : 'o.seller_id = ?', actor.id);
  const status = query.get('status');
  if (status !== null) {
    if (!STATUSES.has(status)) throw new HttpError(400, 'validation_error', 'Invalid input.', { status: ['status must be one of the order statuses'] });
    where.and('o.status = ?', status);
  }
  const { body, total } = await selectJsonPage(ORDER_LIST, where, 'o.created_at DESC, o.id DESC', page, pageSize);
  sendJson(res, 200, body, {
    'X-Total-Count': String(total),
    Link: linkHeader(req, total, page, pageSize),
  });
}

const ORDER_FIELDS = new Set(['gas_inventory', 'quantity', 'delivery_address', 'contact_phone']);

function validateOrder(body: unknown): { gas_inventory: number; quantity: number; delivery_address: string; contact_phone: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'validation_error', 'Invalid input.', { body: ['The request body must be a JSON object.'] });
  }
  const input = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  for (const key of Object.keys(input)) if (!ORDER_FIELDS.has(key)) errors[key] = ['This field is not allowed.'];
  const int = (name: string, min: number, max: number) => {
    const v = input[name];
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) errors[name] = [`${name} must be an integer from ${min} to ${max}`];
    return v as number;
  };
  const text = (name: string, min: number, max: number) => {
    const v = typeof input[name] === 'string' ? (input[name] as string).trim() : input[name];
    if (typeof v !== 'string' || v.length < min || v.length > max) errors[name] = [`${name} must be a string of ${min} to ${max} characters`];
    return v as string;
  };
  const dto = {
    gas_inventory: int('gas_inventory', 1, 2_147_483_647),
    quantity: int('quantity', 1, 100),
    delivery_address: text('delivery_address', 1, 500),
    contact_phone: text('contact_phone', 3, 32),
  };
  if (!errors.contact_phone && !/^[+\d][\d\s()-]*$/.test(dto.contact_phone)) errors.contact_phone = ['contact_phone must be a phone number'];
  if (Object.keys(errors).length) throw new HttpError(400, 'validation_error', 'Invalid input.', errors);
  return dto;
}

/** POST /api/v1/orders/: reserve the stock and record the order, its ledger row and its audit row, in one statement as the app does. */
async function placeOrder(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
  const actor = await authenticate(req);
  if (actor.role !== 'BUYER') throw new HttpError(403, 'permission_denied', 'You do not have permission to perform this action.');
  let parsed: unknown;
  try {
    parsed = rawBody ? JSON.parse(rawBody) : {};
  } catch {
    throw new HttpError(400, 'validation_error', 'The request body is not valid JSON.');
  }
  const dto = validateOrder(parsed);
  // OrdersService.place: one statement, which writes the order, its ledger row and its audit row, or nothing.
  const values = placeOrderValues(actor.id, dto, MAX_OPEN_ORDERS, requestIdFor(req.headers['x-request-id']));
  const result = (await pool.query<PlaceOrderResult>(statements.query(PLACE_ORDER, values))).rows[0];
  switch (result.outcome) {
    case 'short':
      throw new HttpError(409, 'insufficient_stock', `Not enough stock for this order: ${result.available} unit(s) available.`);
    case 'not_found':
      throw new HttpError(404, 'not_found', 'Inventory item not found.');
    case 'limit':
      throw new HttpError(409, 'limit_exceeded', `At most ${MAX_OPEN_ORDERS} open orders at a time; wait for some to be delivered or cancel them.`);
    case 'inactive':
      throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  }
  // As the app does: the response is the row place_order returned, nothing is read after it.
  send(res, 201, orderJson(result));
}

const LIMIT = 100 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMIT) reject(new HttpError(413, 'payload_too_large', 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    if (req.method === 'GET' && path === '/api/v1/gas/') return await browse(req, res, url.searchParams);
    if (req.method === 'POST' && path === '/api/v1/orders/') return await placeOrder(req, res, await readBody(req));
    if (req.method === 'GET' && path === '/api/v1/orders/my_orders/') return await listOrders(req, res, url.searchParams, 'BUYER');
    if (req.method === 'GET' && path === '/api/v1/seller/orders/') return await listOrders(req, res, url.searchParams, 'SELLER');
    if (req.method === 'GET' && path === '/health/ready/') {
      await pool.query('SELECT 1');
      return send(res, 200, { status: 'ok' });
    }
    send(res, 404, { detail: 'Not found.', code: 'not_found' });
  } catch (error) {
    if (error instanceof HttpError) {
      const body: Record<string, unknown> = { detail: error.message, code: error.code };
      if (error.errors) body.errors = error.errors;
      return send(res, error.status, body);
    }
    console.error(error);
    send(res, 500, { detail: 'Internal server error.', code: 'internal_error' });
  }
});

server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
