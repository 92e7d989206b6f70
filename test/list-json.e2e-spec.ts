import fc from 'fast-check';
import { formatMoney } from '../src/common/money.js';
import { sqlDisplayName, sqlIsoTimestamp, sqlMoney, sqlNumber } from '../src/common/sql-json.js';
import { isoTimestamp } from '../src/common/timestamps.js';
import { displayName } from '../src/users/dto/user-response.dto.js';
import { createAdmin, createItem, createUser, placeOrder, type TestUser } from './support/factories.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The busy lists (the marketplace, a seller's stock, the order lists) send
 * JSON that PostgreSQL writes (selectJsonPage); a single item or order is
 * mapped in TypeScript. Both must give a client the same thing.
 */
describe('lists written by PostgreSQL', () => {
  let t: TestApp;
  let admin: TestUser;
  let seller: TestUser;
  let unnamedSeller: TestUser;
  let buyer: TestUser;
  const itemIds: number[] = [];
  const orderIds: number[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    // Names that only trim, quote or escape correctly pass.
    seller = await createUser(t, 'SELLER', { first_name: '\u00a0Zoë "Q"\t', last_name: 'O\\Brien 🚀\u3000' });
    unnamedSeller = await createUser(t, 'SELLER', { first_name: ' \n', last_name: '\u2028' });
    buyer = await createUser(t, 'BUYER', { first_name: '', last_name: 'Wanjiku\r\n' });
    const items = [
      await createItem(t, seller, { weight_kg: 12.5, unit_price: '0.50', location: 'Kilimani, "Nairobi" \\ ü <b>' }),
      await createItem(t, seller, { weight_kg: 6, unit_price: '9999999.99', location: 'Nyali, Mombasa' }),
      await createItem(t, unnamedSeller, { brand: 'MERU', weight_kg: 50, unit_price: 2500, location: 'Kisumu' }),
    ];
    itemIds.push(...items.map((item) => item.id));
    for (const id of itemIds) orderIds.push((await placeOrder(t, buyer, id, 2)).id);
    expect((await t.http.post(`/api/v1/orders/${orderIds[0]}/approve/`).set(admin.auth)).status).toBe(200);
    expect((await t.http.post(`/api/v1/orders/${orderIds[1]}/cancel/`).set(buyer.auth)).status).toBe(200);
  });
  afterAll(() => t.close());

  async function details(user: TestUser, path: string, ids: number[]) {
    const bodies = [];
    for (const id of ids) {
      const res = await t.http.get(`${path}${id}/`).set(user.auth);
      expect(res.status).toBe(200);
      bodies.push(res.body);
    }
    return bodies;
  }

  async function list(user: TestUser, path: string) {
    const res = await t.http.get(path).set(user.auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return res;
  }

  it('lists the marketplace items exactly as the item itself reads', async () => {
    const bySeller = async (who: TestUser) => (await list(buyer, `/api/v1/gas/?seller=${who.id}&ordering=weight_kg`)).body;
    const listed = [...(await bySeller(seller)), ...(await bySeller(unnamedSeller))];
    expect(listed).toEqual(await details(buyer, '/api/v1/inventory/', [itemIds[1], itemIds[0], itemIds[2]]));
    expect(listed.map((item: { seller_name: string }) => item.seller_name)).toEqual(['Zoë "Q"\t O\\Brien 🚀', 'Zoë "Q"\t O\\Brien 🚀', unnamedSeller.username]);
    expect(listed.map((item: { weight_kg: number }) => item.weight_kg)).toEqual([6, 12.5, 50]);
  });

  it("lists a seller's own stock exactly as each item reads", async () => {
    const res = await list(seller, '/api/v1/seller/inventory/');
    expect(res.body).toEqual(await details(seller, '/api/v1/inventory/', [itemIds[1], itemIds[0]]));
    expect(res.headers['x-total-count']).toBe('2');
  });

  it.each([
    ['the buyer', () => buyer, '/api/v1/orders/my_orders/', [2, 1, 0]],
    ['the seller', () => seller, '/api/v1/seller/orders/', [1, 0]],
    ['an admin', () => admin, `/api/v1/orders/?ordering=created_at`, [2, 1, 0]],
  ] as const)('lists orders for %s exactly as each order reads', async (_who, who, path, positions) => {
    const res = await list(who(), path);
    const mine = res.body.filter((order: { id: number }) => orderIds.includes(order.id));
    expect(mine).toEqual(await details(who(), '/api/v1/orders/', positions.map((i) => orderIds[i])));
    expect(mine.map((order: { status: string }) => order.status)).toEqual(positions.map((i) => ['APPROVED', 'CANCELLED', 'PENDING'][i]));
  });

  it('counts the matches on every page, and past the last one', async () => {
    const second = await list(buyer, '/api/v1/orders/my_orders/?page=2&page_size=2');
    expect(second.body.map((order: { id: number }) => order.id)).toEqual([orderIds[0]]);
    expect(second.headers['x-total-count']).toBe('3');
    const beyond = await list(buyer, '/api/v1/orders/my_orders/?page=9&page_size=2');
    expect(beyond.text).toBe('[]');
    expect(beyond.headers['x-total-count']).toBe('3');
    expect(beyond.headers.link).toContain('page=2&page_size=2>; rel="last"');
    const none = await list(buyer, '/api/v1/orders/my_orders/?status=REJECTED');
    expect(none.text).toBe('[]');
    expect(none.headers['x-total-count']).toBe('0');
  });

  describe('the SQL behind them, against the TypeScript it mirrors', () => {
    const spaces = [' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u0085'];
    const nameChar = fc.oneof(fc.constantFrom(...spaces), fc.constantFrom('a', 'Z', 'ë', '"', '\\', '🚀'));
    const name = fc.array(nameChar, { maxLength: 5 }).map((chars) => chars.join(''));

    it('names people as displayName does', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(name, name, fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('\u0000'))), { minLength: 1, maxLength: 40 }), async (people) => {
          const rows: { name: string }[] = await t.db.query(
            `SELECT ${sqlDisplayName('u')} AS name FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(first_name, last_name, username, n) ORDER BY n`,
            [people.map((p) => p[0]), people.map((p) => p[1]), people.map((p) => p[2])],
          );
          expect(rows.map((row) => row.name)).toEqual(people.map(([firstName, lastName, username]) => displayName({ firstName, lastName, username })));
        }),
        { numRuns: 30 },
      );
    });

    it('writes timestamps as isoTimestamp does, in any session time zone', async () => {
      const instant = fc.tuple(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), fc.integer({ min: 0, max: 999 }));
      await fc.assert(
        fc.asyncProperty(fc.array(instant, { minLength: 1, maxLength: 40 }), fc.constantFrom('UTC', 'Asia/Kathmandu', 'America/St_Johns'), async (instants, zone) => {
          // Microseconds on top of each millisecond: the database keeps them, a Date does not.
          const texts = instants.map(([ms, micro]) => new Date(ms).toISOString().replace('Z', `${String(micro).padStart(3, '0')}Z`));
          const rows: { text: string }[] = await t.db.transaction(async (manager) => {
            await manager.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
            return manager.query(`SELECT ${sqlIsoTimestamp('x.at')} AS text FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(at, n) ORDER BY n`, [texts]);
          });
          expect(rows.map((row) => row.text)).toEqual(instants.map(([ms]) => isoTimestamp(new Date(ms))));
        }),
        { numRuns: 30 },
      );
    });

    it('writes weights and amounts in JSON as Number and formatMoney do', async () => {
      const weight = fc.integer({ min: 1, max: 99_999 }).map((tenths) => (tenths / 10).toFixed(1));
      const cents = fc.bigInt({ min: 0n, max: 99_999_999_999_99n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(weight, cents), { minLength: 1, maxLength: 40 }), async (values) => {
          const rows: { json: string }[] = await t.db.query(
            `SELECT json_build_array(${sqlNumber('v.w')}, ${sqlMoney('v.m')})::text AS json
               FROM unnest($1::numeric(5,1)[], $2::numeric(14,2)[]) WITH ORDINALITY AS v(w, m, n) ORDER BY n`,
            [values.map((v) => v[0]), values.map((v) => v[1])],
          );
          expect(rows.map((row) => JSON.parse(row.json))).toEqual(values.map(([w, m]) => [Number(w), formatMoney(m)]));
          // The same text JSON.stringify writes, not just the same value.
          expect(rows.map((row) => row.json.replace(/, /g, ','))).toEqual(values.map(([w, m]) => JSON.stringify([Number(w), formatMoney(m)])));
        }),
        { numRuns: 30 },
      );
    });
  });
});
