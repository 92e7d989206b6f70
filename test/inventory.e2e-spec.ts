import { createAdmin, createItem, createUser, expectError, placeOrder, TestUser, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/** The oracle the location filter is held to: ILIKE on `%text%`, with `%`, `_` and `\` escaped to match literally. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

describe('inventory', () => {
  let t: TestApp;
  let seller: TestUser;
  let other: TestUser;
  let buyer: TestUser;
  const ids: Record<string, number> = {};
  const place = `Town${Date.now()}`;

  beforeAll(async () => {
    t = await createTestApp();
    seller = await createUser(t, 'SELLER');
    other = await createUser(t, 'SELLER');
    buyer = await createUser(t, 'BUYER');
    ids.jibu6 = (await createItem(t, seller, { brand: 'JIBU', weight_kg: 6, unit_price: '1200.00', location: `${place} North` })).id;
    ids.meru13 = (await createItem(t, seller, { brand: 'MERU', weight_kg: 13, unit_price: '2600.00', location: `${place} South` })).id;
    ids.total12 = (await createItem(t, other, { brand: 'TOTAL', weight_kg: 12.5, unit_price: '2400.50', location: `${place} East` })).id;
    ids.empty = (await createItem(t, other, { brand: 'JIBU', weight_kg: 6, quantity: 1, unit_price: '1000.00', location: `${place} West` })).id;
    await placeOrder(t, buyer, ids.empty, 1); // now at zero
  });
  afterAll(async () => {
    await t.close();
  });

  const browse = async (query: Record<string, string | number>) => {
    const res = await t.http.get('/api/v1/gas/').query({ location: place, ...query }).set(buyer.auth);
    expect(res.status).toBe(200);
    return res.body.map((i: { id: number }) => i.id) as number[];
  };

  it('lists only items with units left, newest first', async () => {
    expect(await browse({})).toEqual([ids.total12, ids.meru13, ids.jibu6]);
  });

  it('filters by brand in any case, and by weight written as 6, 6.0 or 6kg', async () => {
    expect(await browse({ brand: 'meru' })).toEqual([ids.meru13]);
    for (const weight of ['6', '6.0', '6kg', '6 KG']) expect(await browse({ weight })).toEqual([ids.jibu6]);
    expect(await browse({ weight: '12.5' })).toEqual([ids.total12]);
  });

  it('filters by location substring, price range, seller and search', async () => {
    expect(await browse({ location: `${place} sou` })).toEqual([ids.meru13]);
    expect(await browse({ min_price: '2000', max_price: 2500 })).toEqual([ids.total12]);
    expect(await browse({ seller: other.id })).toEqual([ids.total12]);
    expect(await browse({ search: 'total' })).toEqual([ids.total12]);
    expect(await browse({ search: 'North' })).toEqual([ids.jibu6]);
    // LIKE wildcards are matched literally.
    expect(await browse({ search: '%' })).toEqual([]);
    expect(await browse({ search: '_' })).toEqual([]);
    expect(await browse({ search: 'TOT' })).toEqual([ids.total12]);
  });

  it('matches a location exactly when ILIKE would, and follows an edit', async () => {
    const town = `Öland${Date.now()}`;
    const item = await createItem(t, seller, { location: `Västra ${town}_1` });
    const found = async (location: string) => {
      const res = await t.http.get('/api/v1/gas/').query({ location }).set(buyer.auth);
      expect(res.status).toBe(200);
      return res.body.some((i: { id: number }) => i.id === item.id) as boolean;
    };
    const ilike = async (location: string, query: string) =>
      ((await t.db.query(`SELECT $1::text ILIKE $2 AS matches`, [location, likeContains(query)])) as { matches: boolean }[])[0].matches;
    const queries = [`västra ${town}_1`, `VÄSTRA ${town.toUpperCase()}`, `vÄsTrA ${town.toLowerCase()}`, `ra ${town}_`, `V_stra ${town}`, `${town}%`, 'västra öland'];
    for (const query of queries) expect({ query, found: await found(query) }).toEqual({ query, found: await ilike(`Västra ${town}_1`, query) });
    expect(await found(`västra ${town}`)).toBe(true);
    expect(await found(`V_stra ${town}`)).toBe(false);

    const patch = await t.http.patch(`/api/v1/inventory/${item.id}/`).set(seller.auth).send({ location: `Norra ${town}` });
    expect(patch.status).toBe(200);
    expect(await found(`västra ${town}`)).toBe(false);
    expect(await found(`NORRA ${town.toUpperCase()}`)).toBe(await ilike(`Norra ${town}`, `NORRA ${town.toUpperCase()}`));
    expect(await found(`norra ${town}`)).toBe(true);
  });

  it('answers a list called with a Host header that is no host, with relative paging links', async () => {
    for (const host of ['bad host', 'exa<mple>.com', 'a:b:c']) {
      const res = await t.http.get('/api/v1/gas/').query({ location: place, page_size: 1 }).set('Host', host).set(buyer.auth);
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
      expect(res.headers.link).toBe(
        `</api/v1/gas/?location=${place}&page=2&page_size=1>; rel="next", </api/v1/gas/?location=${place}&page=1&page_size=1>; rel="first", ` +
          `</api/v1/gas/?location=${place}&page=3&page_size=1>; rel="last"`,
      );
    }
    const good = await t.http.get('/api/v1/gas/').query({ location: place, page_size: 1 }).set('Host', 'shop.example:8080').set(buyer.auth);
    expect(good.headers.link).toContain(`<http://shop.example:8080/api/v1/gas/?location=${place}&page=2&page_size=1>; rel="next"`);
  });

  it('orders by price and weight either way', async () => {
    expect(await browse({ ordering: 'unit_price' })).toEqual([ids.jibu6, ids.total12, ids.meru13]);
    expect(await browse({ ordering: '-unit_price' })).toEqual([ids.meru13, ids.total12, ids.jibu6]);
    expect(await browse({ ordering: 'weight_kg' })).toEqual([ids.jibu6, ids.total12, ids.meru13]);
  });

  it('gives the default order for an ordering field it does not know, as the original service did', async () => {
    const byDefault = await browse({});
    expect(byDefault).toHaveLength(3);
    // Names every object answers to (Object.prototype's) are unknown fields too, not a 500.
    for (const ordering of ['foo', '-seller', 'unit_price,weight_kg', 'constructor', '-valueOf', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await browse({ ordering })).toEqual(byDefault);
    }
  });

  it('paginates with X-Total-Count and Link headers', async () => {
    const res = await t.http.get('/api/v1/gas/').query({ location: place, page: 2, page_size: 1 }).set(buyer.auth);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.body.map((i: { id: number }) => i.id)).toEqual([ids.meru13]);
    expect(res.headers.link).toContain('rel="next"');
    expect(res.headers.link).toContain('rel="prev"');
    expect(res.headers.link).toMatch(/page=3/);
  });

  it("takes a deactivated seller's items off the marketplace, whoever deactivates them, and puts them back on reactivation", async () => {
    const admin = await createAdmin(t);
    const [leaving, staying] = [await createUser(t, 'SELLER'), await createUser(t, 'SELLER')];
    const town = unique('Leaving');
    const item = (await createItem(t, leaving, { location: town })).id;
    const kept = (await createItem(t, staying, { location: town })).id;
    const listed = async () => {
      const res = await t.http.get('/api/v1/gas/').query({ location: town }).set(buyer.auth);
      expect(res.status).toBe(200);
      return { ids: res.body.map((i: { id: number }) => i.id).sort(), total: res.headers['x-total-count'] };
    };
    const seen = async (who: TestUser) => (await t.http.get(`/api/v1/inventory/${item}/`).set(who.auth)).status;
    const setActive = async (is_active: boolean) =>
      expect((await t.http.patch(`/api/v1/profiles/${leaving.id}/`).set(admin.auth).send({ is_active })).status).toBe(200);

    expect(await listed()).toEqual({ ids: [item, kept].sort(), total: '2' });
    await setActive(false);
    expect(await listed()).toEqual({ ids: [kept], total: '1' });
    expect([await seen(buyer), await seen(staying), await seen(admin)]).toEqual([404, 404, 200]);
    await setActive(true);
    expect(await listed()).toEqual({ ids: [item, kept].sort(), total: '2' });
    expect(await seen(buyer)).toBe(200);

    // From the database console too, and for an item added there while the seller is inactive
    // (removed afterwards: it has no opening entry in the stock ledger, which the suite's end checks).
    await t.db.query('UPDATE users SET is_active = false WHERE id = $1', [leaving.id]);
    const [{ id: added }] = await t.db.query(
      `INSERT INTO gas_inventory (seller_id, brand_code, weight_kg, quantity, unit_price, location) VALUES ($1, 'JIBU', 6, 3, 1000, $2) RETURNING id`,
      [leaving.id, town],
    );
    expect(await listed()).toEqual({ ids: [kept], total: '1' });
    await t.db.query('UPDATE users SET is_active = true WHERE id = $1', [leaving.id]);
    expect(await listed()).toEqual({ ids: [item, kept, added].sort(), total: '3' });
    await t.db.query('DELETE FROM gas_inventory WHERE id = $1', [added]);
  });

  it("shows a seller all their own items, including those at zero", async () => {
    const res = await t.http.get('/api/v1/seller/inventory/').set(other.auth);
    expect(res.body.map((i: { id: number }) => i.id).sort()).toEqual([ids.total12, ids.empty].sort());
    const empty = res.body.find((i: { id: number }) => i.id === ids.empty);
    expect(empty).toMatchObject({ quantity: 0, reserved_quantity: 1 });
  });

  it('lets the owner set the available quantity and other fields', async () => {
    const res = await t.http.patch(`/api/v1/inventory/${ids.jibu6}/`).set(seller.auth).send({ quantity: 0, location: `${place} Centre` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ quantity: 0, location: `${place} Centre`, brand: 'JIBU' });
    expect(await browse({})).not.toContain(ids.jibu6);
    const put = await t.http.put(`/api/v1/inventory/${ids.jibu6}/`).set(seller.auth).send({ quantity: 4, brand: 'total' });
    expect(put.body).toMatchObject({ quantity: 4, brand: 'TOTAL' });
  });

  it('refuses an unknown brand with a field error', async () => {
    const res = await t.http
      .post('/api/v1/inventory/')
      .set(seller.auth)
      .send({ brand: 'NOPE', weight_kg: 6, quantity: 1, unit_price: 10, location: 'X' });
    expectError(res, 400, 'validation_error');
    expect(res.body.errors.brand).toHaveLength(1);
  });

  it('lets an admin add a brand that sellers can then use', async () => {
    const admin = await createAdmin(t);
    const code = unique('B').replace(/[^A-Z0-9_]/gi, '').slice(0, 20).toUpperCase();
    const added = await t.http.post('/api/v1/brands/').set(admin.auth).send({ code: code.toLowerCase(), name: 'New brand' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ code, name: 'New brand' });
    expectError(await t.http.post('/api/v1/brands/').set(admin.auth).send({ code, name: 'Again' }), 409, 'already_exists');
    const brands = await t.http.get('/api/v1/brands/').set(buyer.auth);
    expect(brands.body.map((b: { code: string }) => b.code)).toEqual(expect.arrayContaining(['JIBU', 'MERU', 'TOTAL', 'OTHER', code]));
    expect((await createItem(t, seller, { brand: code })).id).toBeGreaterThan(0);
  });
});
