import { MarketplaceActiveSellers1765100000000 } from '../migrations/1765100000000-MarketplaceActiveSellers.js';
import { createAdmin, createItem, createUser, TestUser, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * A deactivated seller's items leave the marketplace (migration
 * MarketplaceActiveSellers): what the migration finds in a database that
 * already has deactivated sellers, and, on a PostgreSQL server, a
 * deactivation racing an order on the seller's stock and an item being added.
 * The embedded database runs one transaction at a time, so nothing can race
 * there: those tests run when TEST_DATABASE_URL names a server.
 */
const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describe("a deactivated seller's items on the marketplace", () => {
  let t: TestApp;
  let admin: TestUser;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    buyer = await createUser(t, 'BUYER');
  });
  afterAll(async () => {
    await t.close();
  });

  /** The ids `GET /gas/` lists at a location, as a buyer sees them. */
  const listedAt = async (town: string) => {
    const res = await t.http.get('/api/v1/gas/').query({ location: town }).set(buyer.auth);
    expect(res.status).toBe(200);
    return (res.body as { id: number }[]).map((i) => i.id).sort((a, b) => a - b);
  };

  it('takes off the items of sellers already deactivated when the migration runs', async () => {
    const town = unique('Migrated');
    const [leaving, staying] = [await createUser(t, 'SELLER'), await createUser(t, 'SELLER')];
    const gone = (await createItem(t, leaving, { location: town })).id;
    const kept = (await createItem(t, staying, { location: town })).id;
    const migration = new MarketplaceActiveSellers1765100000000();
    // DataSource.transaction runs on a connection of its own, as another client would.
    await t.db.transaction(async (em) => {
      const runner = em.queryRunner!;
      await migration.down(runner);
      // Deactivated while the flag did not exist: nothing kept it.
      await runner.query('UPDATE users SET is_active = false WHERE id = $1', [leaving.id]);
      await migration.up(runner);
    });
    expect(await listedAt(town)).toEqual([kept]);
    expect((await t.http.patch(`/api/v1/profiles/${leaving.id}/`).set(admin.auth).send({ is_active: true })).status).toBe(200);
    expect(await listedAt(town)).toEqual([gone, kept].sort((a, b) => a - b));
  });

  onServer('racing other transactions, on a PostgreSQL server', () => {
    /** Resolves once some other session of this database waits for a lock. */
    async function someoneWaitsForALock(): Promise<void> {
      for (let tries = 0; tries < 200; tries++) {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (n > 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('no session started waiting for a lock');
    }

    it('deactivates a seller while an order on their stock is between its two steps, without a deadlock', async () => {
      const town = unique('Deadlock');
      const seller = await createUser(t, 'SELLER');
      const item = (await createItem(t, seller, { location: town })).id;
      let deactivation: Promise<{ status: number }> | undefined;
      await t.db.transaction(async (order) => {
        // What place_order does first: reserve on the item's row, which locks it...
        await order.query('UPDATE gas_inventory SET version = version WHERE id = $1', [item]);
        deactivation = t.http.patch(`/api/v1/profiles/${seller.id}/`).set(admin.auth).send({ is_active: false }).then((res) => res);
        // ...while the admin's deactivation, having locked the seller, waits for that row...
        await someoneWaitsForALock();
        // ...then insert the order, whose foreign key to the seller takes a key-share lock on the seller's row.
        await order.query(`SET LOCAL lock_timeout = '5s'`);
        expect(await order.query('SELECT id FROM users WHERE id = $1 FOR KEY SHARE', [seller.id])).toEqual([{ id: seller.id }]);
      });
      expect((await deactivation!).status).toBe(200);
      expect(await listedAt(town)).toEqual([]);
    });

    it('keeps an item added while its seller is being deactivated off the marketplace', async () => {
      const town = unique('Racing');
      const seller = await createUser(t, 'SELLER');
      let added: Promise<{ status: number; body: { id: number } }> | undefined;
      await t.db.transaction(async (deactivation) => {
        await deactivation.query('UPDATE users SET is_active = false WHERE id = $1', [seller.id]);
        // The seller's request was let in before the deactivation commits.
        added = t.http.post('/api/v1/inventory/').set(seller.auth)
          .send({ brand: 'JIBU', weight_kg: 13, quantity: 10, unit_price: '2500.00', location: town })
          .then((res) => res);
        await someoneWaitsForALock();
      });
      expect((await added!).status).toBe(201);
      expect(await listedAt(town)).toEqual([]);
      expect((await t.http.get(`/api/v1/inventory/${(await added!).body.id}/`).set(buyer.auth)).status).toBe(404);
    });
  });
});
