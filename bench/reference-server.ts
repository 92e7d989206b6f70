/**
 * The practical ceiling for the bench: bare `node:http` + `pg`, no framework.
 * It does what the app does for the two requests it serves, and nothing
 * less: verifies the same JWT (HS256, issuer, audience, expiry), loads the
 * caller's user row per request as JwtStrategy does, validates the body as
 * strictly, runs the same SQL on a pool of the same size and answers with the
 * same JSON shape and headers.
 *
 *   GET  /api/v1/gas/                (brand, weight, location, page, page_size)  scenario 1
 *   GET  /api/v1/orders/my_orders/   (status, page, page_size)                   scenario 2
 *   GET  /api/v1/seller/orders/      (status, page, page_size)                   scenario 3
 *   POST /api/v1/orders/                                                         scenario 4
 *
 * Env: DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE (the bench passes the app's
 * constants, so this process loads no framework code), PORT, HOST, DB_POOL_SIZE.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { formatMoney, multiplyMoney } from '../src/common/money.js';
import { likeContains } from '../src/common/sql.js';

// A KeyObject, as the app's JwtStrategy passes it: jsonwebtoken then skips its PEM parsing attempt.
const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? ''));
const JWT_ISSUER = process.env.JWT_ISSUER ?? '';
const JWT_AUDIENCE = process.env.JWT_AUDIENCE ?? '';
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  connectionTimeoutMillis: 10_000,
});

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
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

// The same columns TypeORM selects for a User (everything but the password hash), as JwtStrategy loads it.
const USER_COLUMNS = (a: string) =>
  `${a}.id AS ${a}_id, ${a}.username AS ${a}_username, ${a}.email AS ${a}_email, ${a}.role AS ${a}_role,
   ${a}.first_name AS ${a}_first_name, ${a}.last_name AS ${a}_last_name, ${a}.phone_number AS ${a}_phone_number,
   ${a}.address AS ${a}_address, ${a}.is_active AS ${a}_is_active, ${a}.created_at AS ${a}_created_at, ${a}.updated_at AS ${a}_updated_at`;

/** What the app selects of a user joined only for the name (displayNameColumns). */
const NAME_COLUMNS = (a: string) =>
  `${a}.id AS ${a}_id, ${a}.username AS ${a}_username, ${a}.first_name AS ${a}_first_name, ${a}.last_name AS ${a}_last_name`;

const ITEM_COLUMNS = `g.id AS g_id, g.seller_id AS g_seller_id, g.brand_code AS g_brand_code, g.weight_kg AS g_weight_kg,
  g.quantity AS g_quantity, g.reserved_quantity AS g_reserved_quantity, g.unit_price AS g_unit_price, g.location AS g_location,
  g.date_added AS g_date_added, g.last_updated AS g_last_updated, g.deleted_at AS g_deleted_at`;

/** Verifies the bearer token and reloads the user, as JwtStrategy.validate does. */
async function authenticate(req: IncomingMessage): Promise<Actor> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE }) as jwt.JwtPayload;
  } catch {
    throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  }
  if (!Number.isInteger(payload.sub)) throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  const { rows } = await pool.query(`SELECT ${USER_COLUMNS('u')} FROM users u WHERE u.id = $1 AND u.is_active = $2 LIMIT 1`, [
    payload.sub,
    true,
  ]);
  if (rows.length === 0) throw new HttpError(401, 'not_authenticated', 'Authentication credentials were not provided or are invalid.');
  return { id: rows[0].u_id, role: rows[0].u_role, username: rows[0].u_username };
}

type Row = Record<string, any>;

const displayName = (row: Row, a: string) => `${row[`${a}_first_name`]} ${row[`${a}_last_name`]}`.trim() || row[`${a}_username`];

function gasItemJson(row: Row) {
  return {
    id: row.g_id,
    brand: row.g_brand_code,
    weight_kg: Number(row.g_weight_kg),
    quantity: row.g_quantity,
    reserved_quantity: row.g_reserved_quantity,
    unit_price: formatMoney(row.g_unit_price),
    seller: row.g_seller_id,
    seller_name: displayName(row, 's'),
    location: row.g_location,
    date_added: (row.g_date_added as Date).toISOString(),
    last_updated: (row.g_last_updated as Date).toISOString(),
  };
}

function orderJson(row: Row) {
  return {
    id: row.o_id,
    gas_inventory: row.o_gas_inventory_id,
    gas_details: {
      brand: row.g_brand_code,
      weight_kg: Number(row.g_weight_kg),
      unit_price: formatMoney(row.o_unit_price),
      location: row.g_location,
    },
    buyer: row.o_buyer_id,
    buyer_name: displayName(row, 'b'),
    seller: row.o_seller_id,
    seller_name: displayName(row, 's'),
    quantity: row.o_quantity,
    total_price: formatMoney(row.o_total_price),
    status: row.o_status,
    delivery_address: row.o_delivery_address,
    contact_phone: row.o_contact_phone,
    created_at: (row.o_created_at as Date).toISOString(),
    updated_at: (row.o_updated_at as Date).toISOString(),
  };
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

/** The same Link header as the app's PaginationInterceptor. */
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
  const where = ['g.quantity > 0', 'g.deleted_at IS NULL'];
  const params: unknown[] = [];
  const brand = query.get('brand')?.trim();
  if (brand) {
    params.push(brand.toUpperCase());
    where.push(`g.brand_code = $${params.length}`);
  }
  const weightText = query.get('weight');
  if (weightText !== null) {
    const match = /^\s*(\d+(?:\.\d)?)\s*(kg)?\s*$/i.exec(weightText);
    if (!match) throw new HttpError(400, 'validation_error', 'Invalid input.', { weight: ['weight must be a weight such as 6, 6.0 or 6kg'] });
    params.push(Number(match[1]));
    where.push(`g.weight_kg = $${params.length}`);
  }
  const location = query.get('location')?.trim();
  if (location) {
    params.push(likeContains(location));
    where.push(`g.location ILIKE $${params.length}`);
  }
  const from = `FROM gas_inventory g LEFT JOIN users s ON s.id = g.seller_id WHERE ${where.join(' AND ')}`;
  const rows = await pool.query(
    `SELECT ${ITEM_COLUMNS}, ${NAME_COLUMNS('s')} ${from} ORDER BY g.date_added DESC, g.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  const count = await pool.query(`SELECT COUNT(DISTINCT g.id) AS cnt ${from}`, params);
  const total = Number(count.rows[0].cnt);
  send(res, 200, rows.rows.map(gasItemJson), {
    'X-Total-Count': String(total),
    Link: linkHeader(req, total, page, pageSize),
  });
}

const ORDER_COLUMNS = `o.id AS o_id, o.gas_inventory_id AS o_gas_inventory_id, o.buyer_id AS o_buyer_id, o.seller_id AS o_seller_id,
  o.quantity AS o_quantity, o.unit_price AS o_unit_price, o.total_price AS o_total_price, o.status AS o_status,
  o.status_reason AS o_status_reason, o.delivery_address AS o_delivery_address, o.contact_phone AS o_contact_phone,
  o.created_at AS o_created_at, o.updated_at AS o_updated_at`;

/** The item's shown fields and both parties' names, as the app's OrdersService selects them. */
const ORDER_JOINED_COLUMNS = `g.id AS g_id, g.brand_code AS g_brand_code, g.weight_kg AS g_weight_kg, g.location AS g_location,
  ${NAME_COLUMNS('b')}, ${NAME_COLUMNS('s')}`;

const ORDER_FROM = `FROM orders o
  LEFT JOIN gas_inventory g ON g.id = o.gas_inventory_id
  LEFT JOIN users b ON b.id = o.buyer_id
  LEFT JOIN users s ON s.id = o.seller_id`;

const STATUSES = new Set(['PENDING', 'APPROVED', 'REJECTED', 'DELIVERED', 'CANCELLED']);

/** GET /api/v1/orders/my_orders/ (buyer) and /api/v1/seller/orders/ (seller): the caller's orders, newest first. */
async function listOrders(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, role: 'BUYER' | 'SELLER'): Promise<void> {
  const actor = await authenticate(req);
  if (actor.role !== role) throw new HttpError(403, 'permission_denied', 'You do not have permission to perform this action.');
  const { page, pageSize } = pageParams(query);
  const params: unknown[] = [actor.id];
  const where = [role === 'BUYER' ? 'o.buyer_id = $1' : 'o.seller_id = $1'];
  const status = query.get('status');
  if (status !== null) {
    if (!STATUSES.has(status)) throw new HttpError(400, 'validation_error', 'Invalid input.', { status: ['status must be one of the order statuses'] });
    params.push(status);
    where.push(`o.status = $${params.length}`);
  }
  const filter = `WHERE ${where.join(' AND ')}`;
  const rows = await pool.query(
    `SELECT ${ORDER_COLUMNS}, ${ORDER_JOINED_COLUMNS} ${ORDER_FROM} ${filter}
      ORDER BY o.created_at DESC, o.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  const count = await pool.query(`SELECT COUNT(DISTINCT o.id) AS cnt ${ORDER_FROM} ${filter}`, params);
  const total = Number(count.rows[0].cnt);
  send(res, 200, rows.rows.map(orderJson), {
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

/** POST /api/v1/orders/: reserve the stock and record the order in one transaction, then read it back. */
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
  const client = await pool.connect();
  let orderId: number;
  try {
    await client.query('START TRANSACTION');
    const reserved = await client.query(
      `UPDATE gas_inventory
          SET quantity = quantity - $1, reserved_quantity = reserved_quantity + $1, last_updated = now()
        WHERE id = $2 AND deleted_at IS NULL AND quantity >= $1
        RETURNING seller_id, unit_price`,
      [dto.quantity, dto.gas_inventory],
    );
    if (reserved.rows.length === 0) {
      const item = await client.query(`SELECT ${ITEM_COLUMNS} FROM gas_inventory g WHERE g.id = $1 AND g.deleted_at IS NULL LIMIT 1`, [
        dto.gas_inventory,
      ]);
      await client.query('ROLLBACK');
      if (item.rows.length === 0) throw new HttpError(404, 'not_found', 'Inventory item not found.');
      throw new HttpError(409, 'insufficient_stock', `Not enough stock for this order: ${item.rows[0].g_quantity} unit(s) available.`);
    }
    const { seller_id: sellerId, unit_price: unitPrice } = reserved.rows[0];
    const inserted = await client.query(
      `INSERT INTO orders (gas_inventory_id, buyer_id, seller_id, quantity, unit_price, total_price, status, status_reason,
                           delivery_address, contact_phone, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, DEFAULT, $8, $9, DEFAULT, DEFAULT)
       RETURNING id, created_at, updated_at`,
      [dto.gas_inventory, actor.id, sellerId, dto.quantity, unitPrice, multiplyMoney(unitPrice, dto.quantity), 'PENDING', dto.delivery_address, dto.contact_phone],
    );
    await client.query('COMMIT');
    orderId = inserted.rows[0].id;
  } catch (error) {
    if (!(error instanceof HttpError)) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const { rows } = await pool.query(
    `SELECT ${ORDER_COLUMNS}, ${ORDER_JOINED_COLUMNS} ${ORDER_FROM}
      WHERE o.id = $1 AND o.buyer_id = $2`,
    [orderId, actor.id],
  );
  send(res, 201, orderJson(rows[0]));
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
