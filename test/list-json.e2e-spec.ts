import fc from 'fast-check';
import { StoredListJson1764900000000 } from '../migrations/1764900000000-StoredListJson.js';
import { formatMoney } from '../src/common/money.js';
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

  // PostgreSQL keeps each row's JSON as the row changes (migration StoredListJson): every change
  // that shows in a list must show there at once, as the item or order itself reads.
  it('follows every change to an item, an order or a name', async () => {
    const myOrders = async () => (await list(buyer, '/api/v1/orders/my_orders/')).body.filter((order: { id: number }) => orderIds.includes(order.id));
    const itemsOf = async (who: TestUser) => (await list(buyer, `/api/v1/gas/?seller=${who.id}&ordering=weight_kg`)).body;

    // A buyer's change to a pending order, and an order leaving its status.
    expect((await t.http.patch(`/api/v1/orders/${orderIds[2]}/`).set(buyer.auth).send({ delivery_address: 'Gate B, "Milimani"' })).status).toBe(200);
    expect((await t.http.post(`/api/v1/orders/${orderIds[0]}/mark-delivered/`).set(seller.auth)).status).toBe(200);
    // Then the kind and place of that order's item, which the order shows too (its row is not
    // written by this change, the item's is), and the item's stock, which only the item shows.
    const edited = await t.http
      .patch(`/api/v1/inventory/${itemIds[0]}/`)
      .set(seller.auth)
      .send({ brand: 'MERU', weight_kg: 22.5, location: 'Westlands, "Nairobi"', quantity: 7 });
    expect(edited.status).toBe(200);
    // Names changed in the database itself, as an operator would.
    await t.db.query(`UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3`, ['Amani\t', '"Kamau" 🚀', seller.id]);
    await t.db.query(`UPDATE users SET username = $1 WHERE id = $2`, [`${unnamedSeller.username}-renamed`, unnamedSeller.id]);
    await t.db.query(`UPDATE users SET first_name = $1 WHERE id = $2`, ['Njeri', buyer.id]);

    const items = [...(await itemsOf(seller)), ...(await itemsOf(unnamedSeller))];
    expect(items).toEqual(await details(buyer, '/api/v1/inventory/', [itemIds[1], itemIds[0], itemIds[2]]));
    expect(items[1]).toMatchObject({ brand: 'MERU', weight_kg: 22.5, location: 'Westlands, "Nairobi"', quantity: 7, seller_name: 'Amani\t "Kamau" 🚀' });
    expect(items[2].seller_name).toBe(`${unnamedSeller.username}-renamed`);

    const orders = await myOrders();
    expect(orders).toEqual(await details(buyer, '/api/v1/orders/', [orderIds[2], orderIds[1], orderIds[0]]));
    expect(orders[2]).toMatchObject({
      status: 'DELIVERED',
      gas_details: { brand: 'MERU', weight_kg: 22.5, unit_price: '0.50', location: 'Westlands, "Nairobi"' },
      buyer_name: 'Njeri Wanjiku',
      seller_name: 'Amani\t "Kamau" 🚀',
    });
    expect(orders[0]).toMatchObject({ delivery_address: 'Gate B, "Milimani"', seller_name: `${unnamedSeller.username}-renamed` });
  });

  it('writes the JSON of the rows a database already has when the migration runs', async () => {
    const pages = ['/api/v1/gas/?page_size=100', '/api/v1/orders/?page_size=100'];
    const before = await Promise.all(pages.map(async (path) => (await list(admin, path)).text));
    const migration = new StoredListJson1764900000000();
    const runner = t.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect(await runner.query(`SELECT column_name FROM information_schema.columns WHERE column_name IN ('name_json', 'list_json_head')`)).toEqual([]);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    const after = await Promise.all(pages.map(async (path) => (await list(admin, path)).text));
    expect(after).toEqual(before);
    expect(JSON.parse(after[1]).length).toBeGreaterThanOrEqual(orderIds.length);
  });

  describe('the SQL behind them, against the TypeScript it mirrors', () => {
    const spaces = [' ', '\t', '\n', '\u000b', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u200b', '\u0085'];
    const nameChar = fc.oneof(fc.constantFrom(...spaces), fc.constantFrom('a', 'Z', 'ë', '"', '\\', '🚀'));
    const name = fc.array(nameChar, { maxLength: 5 }).map((chars) => chars.join(''));

    it('names people as displayName does', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(name, name, fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('\u0000'))), { minLength: 1, maxLength: 40 }), async (people) => {
          const rows: { name: string }[] = await t.db.query(
            `SELECT list_json_display_name(u.first_name, u.last_name, u.username) AS name
               FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(first_name, last_name, username, n) ORDER BY n`,
            [people.map((p) => p[0]), people.map((p) => p[1]), people.map((p) => p[2])],
          );
          // The name as a JSON string, written as JSON.stringify writes it.
          expect(rows.map((row) => row.name)).toEqual(people.map(([firstName, lastName, username]) => JSON.stringify(displayName({ firstName, lastName, username }))));
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
            return manager.query(`SELECT list_json_timestamp(x.at) AS text FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(at, n) ORDER BY n`, [texts]);
          });
          expect(rows.map((row) => row.text)).toEqual(instants.map(([ms]) => isoTimestamp(new Date(ms))));
        }),
        { numRuns: 30 },
      );
    });

    it('writes weights and amounts in JSON as Number and formatMoney do', async () => {
      const weight = fc.integer({ min: 1, max: 99_999 }).map((tenths) => (tenths / 10).toFixed(1));
      const cents = fc.bigInt({ min: 0n, max: 999_999_999_999n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(weight, cents), { minLength: 1, maxLength: 40 }), async (values) => {
          // An item's head as its row's trigger writes it, for an item of that weight and price.
          const rows: { json: string }[] = await t.db.query(
            `SELECT j.head || '}' AS json
               FROM unnest($1::numeric(5,1)[], $2::numeric(12,2)[]) WITH ORDINALITY AS v(w, m, n),
                    gas_item_list_json(json_populate_record(NULL::gas_inventory, json_build_object('id', v.n, 'weight_kg', v.w, 'unit_price', v.m))) j
              ORDER BY v.n`,
            [values.map((v) => v[0]), values.map((v) => v[1])],
          );
          const parsed = rows.map((row) => JSON.parse(row.json) as { weight_kg: number; unit_price: string });
          expect(parsed.map((item) => [item.weight_kg, item.unit_price])).toEqual(values.map(([w, m]) => [Number(w), formatMoney(m)]));
          // The same text JSON.stringify writes, not just the same value.
          expect(rows.map((row) => row.json)).toEqual(parsed.map((item) => JSON.stringify(item)));
        }),
        { numRuns: 30 },
      );
    });
  });
});
