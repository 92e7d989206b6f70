import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stock ledger (append-only: a trigger refuses UPDATE and DELETE), the
 * audit trail (append-only too), stored idempotency keys, and a version on
 * each item for ETag / If-Match. Existing stock gets an INITIAL movement so
 * every item's figures equal the sum of its movements from the start.
 */
export class LedgerAuditIdempotency1764400000000 implements MigrationInterface {
  name = 'LedgerAuditIdempotency1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "gas_inventory" ADD "version" integer NOT NULL DEFAULT 1`);

    await q.query(`
      CREATE TABLE "stock_movements" (
        "id" BIGSERIAL PRIMARY KEY,
        "gas_inventory_id" integer NOT NULL REFERENCES "gas_inventory" ("id") ON DELETE RESTRICT,
        "quantity_change" integer NOT NULL,
        "reserved_change" integer NOT NULL,
        "reason" varchar(12) NOT NULL
          CONSTRAINT "CHK_stock_movements_reason" CHECK ("reason" IN ('INITIAL', 'RESTOCK', 'ADJUSTMENT', 'RESERVE', 'RELEASE', 'CONSUME')),
        "order_id" integer REFERENCES "orders" ("id") ON DELETE RESTRICT,
        "actor_id" integer REFERENCES "users" ("id") ON DELETE RESTRICT,
        "note" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_stock_movements_item" ON "stock_movements" ("gas_inventory_id", "id")`);
    await q.query(`CREATE INDEX "IDX_stock_movements_order" ON "stock_movements" ("order_id") WHERE "order_id" IS NOT NULL`);
    await q.query(`
      INSERT INTO "stock_movements" ("gas_inventory_id", "quantity_change", "reserved_change", "reason", "actor_id", "note")
      SELECT "id", "quantity", "reserved_quantity", 'INITIAL', "seller_id", 'Opening balance'
        FROM "gas_inventory"`);

    await q.query(`
      CREATE TABLE "audit_log" (
        "id" BIGSERIAL PRIMARY KEY,
        "actor_id" integer REFERENCES "users" ("id") ON DELETE RESTRICT,
        "action" varchar(40) NOT NULL,
        "object_type" varchar(20) NOT NULL,
        "object_id" integer NOT NULL,
        "before" jsonb,
        "after" jsonb,
        "request_id" varchar(128),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_audit_log_object" ON "audit_log" ("object_type", "object_id", "id")`);
    await q.query(`CREATE INDEX "IDX_audit_log_actor" ON "audit_log" ("actor_id", "id")`);
    await q.query(`CREATE INDEX "IDX_audit_log_created" ON "audit_log" ("created_at")`);

    await q.query(`
      CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END
      $$`);
    for (const table of ['stock_movements', 'audit_log']) {
      await q.query(
        `CREATE TRIGGER "TRG_${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "refuse_change"()`,
      );
    }

    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "scope" varchar(40) NOT NULL,
        "key" varchar(255) NOT NULL,
        "request_hash" char(64) NOT NULL,
        "status_code" integer,
        "response_body" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("scope", "key")
      )`);
    await q.query(`CREATE INDEX "IDX_idempotency_keys_created" ON "idempotency_keys" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_keys"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP TABLE "stock_movements"`);
    await q.query(`DROP FUNCTION "refuse_change"()`);
    await q.query(`ALTER TABLE "gas_inventory" DROP COLUMN "version"`);
  }
}
