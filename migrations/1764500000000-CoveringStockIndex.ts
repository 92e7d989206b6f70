import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The marketplace's brand + weight index also carries `location`, so counting
 * a filtered page (`location ILIKE '%nairobi%'`, which no btree can search)
 * reads the index alone instead of every matching item's row: 0.95 -> 0.47 ms
 * per count on the bench data (README, Performance).
 */
export class CoveringStockIndex1764500000000 implements MigrationInterface {
  name = 'CoveringStockIndex1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_gas_inventory_available_brand_weight"`);
    await q.query(
      `CREATE INDEX "IDX_gas_inventory_available_brand_weight" ON "gas_inventory" ("brand_code", "weight_kg", "date_added")
       INCLUDE ("location") WHERE "quantity" > 0 AND "deleted_at" IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_gas_inventory_available_brand_weight"`);
    await q.query(
      `CREATE INDEX "IDX_gas_inventory_available_brand_weight" ON "gas_inventory" ("brand_code", "weight_kg", "date_added")
       WHERE "quantity" > 0 AND "deleted_at" IS NULL`,
    );
  }
}
