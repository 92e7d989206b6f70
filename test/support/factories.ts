import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import { UsersService } from '../../src/users/users.service.js';
import type { TestApp } from './test-app.js';

export type RoleName = 'BUYER' | 'SELLER' | 'ADMIN';

export interface TestUser {
  id: number;
  username: string;
  email: string;
  password: string;
  role: RoleName;
  access: string;
  refresh: string;
  auth: { Authorization: string };
}

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export const PASSWORD = 'correct-horse-battery';

async function login(t: TestApp, username: string, password: string) {
  const res = await t.http.post('/api/v1/login/').send({ username, password });
  expect(res.status).toBe(200);
  return res.body as { access: string; refresh: string };
}

/** Registers through the API and logs in. */
export async function createUser(t: TestApp, role: 'BUYER' | 'SELLER', extra: Record<string, string> = {}): Promise<TestUser> {
  const username = unique(role.toLowerCase());
  const email = `${username}@example.com`;
  const res = await t.http
    .post('/api/v1/register/')
    .send({ username, email, password: PASSWORD, role, first_name: 'Test', last_name: role, ...extra });
  expect(res.status).toBe(201);
  const tokens = await login(t, username, PASSWORD);
  return { id: res.body.user.id, username, email, password: PASSWORD, role, ...tokens, auth: { Authorization: `Bearer ${tokens.access}` } };
}

/** Creates an admin through the same code path as `npm run create-admin`, then logs in. */
export async function createAdmin(t: TestApp): Promise<TestUser> {
  const username = unique('admin');
  const email = `${username}@example.com`;
  const { user } = await t.app.get(UsersService).createOrPromoteAdmin({ username, email, password: PASSWORD });
  const tokens = await login(t, username, PASSWORD);
  return { id: user.id, username, email, password: PASSWORD, role: 'ADMIN', ...tokens, auth: { Authorization: `Bearer ${tokens.access}` } };
}

export interface ItemBody {
  brand: string;
  weight_kg: number;
  quantity: number;
  unit_price: string | number;
  location: string;
}

export async function createItem(t: TestApp, seller: TestUser, overrides: Partial<ItemBody> = {}) {
  const res = await t.http
    .post('/api/v1/inventory/')
    .set(seller.auth)
    .send({ brand: 'JIBU', weight_kg: 13, quantity: 10, unit_price: '2500.00', location: 'Nairobi CBD', ...overrides });
  expect(res.status).toBe(201);
  return res.body as { id: number; quantity: number; reserved_quantity: number; unit_price: string };
}

/** POST /orders/ as the buyer, whatever it answers. */
export function sendOrder(t: TestApp, buyer: TestUser, itemId: number, quantity = 1) {
  return t.http
    .post('/api/v1/orders/')
    .set(buyer.auth)
    .send({ gas_inventory: itemId, quantity, delivery_address: 'Moi Avenue 1, Nairobi', contact_phone: '+254700000001' });
}

export async function placeOrder(t: TestApp, buyer: TestUser, itemId: number, quantity = 1) {
  const res = await sendOrder(t, buyer, itemId, quantity);
  expect(res.status).toBe(201);
  return res.body as { id: number; status: string; total_price: string };
}

export async function stockOf(t: TestApp, user: TestUser, itemId: number) {
  const res = await t.http.get(`/api/v1/inventory/${itemId}/`).set(user.auth);
  expect(res.status).toBe(200);
  return { quantity: res.body.quantity as number, reserved: res.body.reserved_quantity as number };
}

/** The contract's single error shape, with the expected status and code. */
export function expectError(res: Pick<Response, 'status' | 'body'>, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.detail.length).toBeGreaterThan(0);
}

/**
 * The stock invariants, straight from the database: no figure below zero and
 * every item's reserved units equal to its open orders' quantities.
 */
export async function stockInvariantViolations(t: TestApp): Promise<unknown[]> {
  return t.db.query(`
    SELECT g.id, g.quantity, g.reserved_quantity, COALESCE(SUM(o.quantity), 0)::int AS open_quantity
      FROM gas_inventory g
      LEFT JOIN orders o ON o.gas_inventory_id = g.id AND o.status IN ('PENDING', 'APPROVED')
     GROUP BY g.id
    HAVING g.quantity < 0 OR g.reserved_quantity < 0 OR g.reserved_quantity <> COALESCE(SUM(o.quantity), 0)`);
}
