import { MigrationInterface, QueryRunner } from 'typeorm';

/** The marketplace's partial indexes: each is built again with the predicate it had, or with the seller's flag added. */
const MARKETPLACE_INDEXES = [
  { name: 'IDX_gas_inventory_available_brand_weight', columns: '("brand_code", "weight_kg", "date_added") INCLUDE ("location_lower")' },
  { name: 'IDX_gas_inventory_available_date', columns: '("date_added")' },
  { name: 'IDX_gas_inventory_available_price', columns: '("unit_price")' },
] as const;

const AVAILABLE = `"quantity" > 0 AND "deleted_at" IS NULL`;

/**
 * A seller an admin deactivated leaves the marketplace: their items are no
 * longer listed (`GET /gas/`), as `place_order` already refused to take
 * orders for them (migration PlaceOrderActiveSeller). Each item keeps its
 * seller's flag, `seller_active`, written by PostgreSQL: when an item is
 * added, and for all of a seller's items when the seller's `is_active`
 * changes, in the same transaction. The list reads the flag from the item's
 * row, and the marketplace's partial indexes carry it in their predicate, so
 * a page and its count still read one index and no seller row
 * (docs/performance.md, seventeenth pass).
 */
export class MarketplaceActiveSellers1765100000000 implements MigrationInterface {
  name = 'MarketplaceActiveSellers1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    // No user changes between the copy of the flags below and the triggers that keep them.
    await q.query(`LOCK TABLE "users" IN SHARE MODE`);
    await q.query(`ALTER TABLE "gas_inventory" ADD COLUMN "seller_active" boolean NOT NULL DEFAULT true`);
    await q.query(`UPDATE "gas_inventory" g SET "seller_active" = false FROM "users" u WHERE u.id = g.seller_id AND NOT u.is_active`);
    // FOR SHARE: an item added while an admin (de)activates its seller waits for that change to
    // commit and reads it; the admin's update of the seller's items could not see this item yet.
    await q.query(
      `CREATE FUNCTION "gas_inventory_seller_active"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.seller_active := coalesce((SELECT u.is_active FROM users u WHERE u.id = NEW.seller_id FOR SHARE), true);
         RETURN NEW;
       END
       $$`,
    );
    await q.query(
      `CREATE TRIGGER "gas_inventory_seller_active" BEFORE INSERT OR UPDATE OF "seller_id" ON "gas_inventory"
       FOR EACH ROW EXECUTE FUNCTION "gas_inventory_seller_active"()`,
    );
    await q.query(
      `CREATE FUNCTION "users_seller_active"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE gas_inventory g SET seller_active = NEW.is_active WHERE g.seller_id = NEW.id AND g.seller_active IS DISTINCT FROM NEW.is_active;
         RETURN NULL;
       END
       $$`,
    );
    await q.query(
      `CREATE TRIGGER "users_seller_active" AFTER UPDATE OF "is_active" ON "users"
       FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active) EXECUTE FUNCTION "users_seller_active"()`,
    );
    await this.indexes(q, `${AVAILABLE} AND "seller_active"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await this.indexes(q, AVAILABLE);
    await q.query(`DROP TRIGGER "users_seller_active" ON "users"`);
    await q.query(`DROP FUNCTION "users_seller_active"()`);
    await q.query(`DROP TRIGGER "gas_inventory_seller_active" ON "gas_inventory"`);
    await q.query(`DROP FUNCTION "gas_inventory_seller_active"()`);
    await q.query(`ALTER TABLE "gas_inventory" DROP COLUMN "seller_active"`);
  }

  private async indexes(q: QueryRunner, predicate: string): Promise<void> {
    for (const { name, columns } of MARKETPLACE_INDEXES) {
      await q.query(`DROP INDEX "${name}"`);
      await q.query(`CREATE INDEX "${name}" ON "gas_inventory" ${columns} WHERE ${predicate}`);
    }
  }
}
