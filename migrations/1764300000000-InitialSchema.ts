import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema of the first release. Stock figures can never go below
 * zero (CHECK constraints), one rating and one invoice per order (UNIQUE),
 * usernames and emails are unique whatever their case, and every filter or
 * ownership lookup the API makes has an index.
 */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "users" (
        "id" SERIAL PRIMARY KEY,
        "username" varchar(150) NOT NULL,
        "email" varchar(254) NOT NULL,
        "password_hash" varchar(100) NOT NULL,
        "role" varchar(10) NOT NULL CONSTRAINT "CHK_users_role" CHECK ("role" IN ('BUYER', 'SELLER', 'ADMIN')),
        "first_name" varchar(150) NOT NULL DEFAULT '',
        "last_name" varchar(150) NOT NULL DEFAULT '',
        "phone_number" varchar(32) NOT NULL DEFAULT '',
        "address" text NOT NULL DEFAULT '',
        "is_active" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_users_username_ci" ON "users" (lower("username"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_users_email_ci" ON "users" (lower("email"))`);

    await q.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid PRIMARY KEY,
        "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "family_id" uuid NOT NULL,
        "token_hash" char(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_refresh_tokens_user_id" ON "refresh_tokens" ("user_id")`);
    await q.query(`CREATE INDEX "IDX_refresh_tokens_family_id" ON "refresh_tokens" ("family_id")`);

    await q.query(`
      CREATE TABLE "brands" (
        "code" varchar(20) PRIMARY KEY CONSTRAINT "CHK_brands_code_upper" CHECK ("code" = upper("code") AND "code" <> ''),
        "name" varchar(100) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO "brands" ("code", "name") VALUES
        ('JIBU', 'Jibu'), ('MERU', 'Meru'), ('TOTAL', 'Total'), ('OTHER', 'Other')
      ON CONFLICT ("code") DO NOTHING`);

    await q.query(`
      CREATE TABLE "gas_inventory" (
        "id" SERIAL PRIMARY KEY,
        "seller_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT,
        "brand_code" varchar(20) NOT NULL REFERENCES "brands" ("code") ON DELETE RESTRICT,
        "weight_kg" numeric(5,1) NOT NULL CONSTRAINT "CHK_gas_inventory_weight" CHECK ("weight_kg" > 0),
        "quantity" integer NOT NULL CONSTRAINT "CHK_gas_inventory_quantity" CHECK ("quantity" >= 0),
        "reserved_quantity" integer NOT NULL DEFAULT 0 CONSTRAINT "CHK_gas_inventory_reserved" CHECK ("reserved_quantity" >= 0),
        "unit_price" numeric(12,2) NOT NULL CONSTRAINT "CHK_gas_inventory_price" CHECK ("unit_price" >= 0),
        "location" varchar(255) NOT NULL,
        "date_added" timestamptz NOT NULL DEFAULT now(),
        "last_updated" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz
      )`);
    await q.query(`CREATE INDEX "IDX_gas_inventory_seller" ON "gas_inventory" ("seller_id", "date_added")`);
    await q.query(
      `CREATE INDEX "IDX_gas_inventory_available_brand_weight" ON "gas_inventory" ("brand_code", "weight_kg", "date_added") WHERE "quantity" > 0 AND "deleted_at" IS NULL`,
    );
    await q.query(`CREATE INDEX "IDX_gas_inventory_available_date" ON "gas_inventory" ("date_added") WHERE "quantity" > 0 AND "deleted_at" IS NULL`);
    await q.query(`CREATE INDEX "IDX_gas_inventory_available_price" ON "gas_inventory" ("unit_price") WHERE "quantity" > 0 AND "deleted_at" IS NULL`);

    await q.query(`
      CREATE TABLE "orders" (
        "id" SERIAL PRIMARY KEY,
        "gas_inventory_id" integer NOT NULL REFERENCES "gas_inventory" ("id") ON DELETE RESTRICT,
        "buyer_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT,
        "seller_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT,
        "quantity" integer NOT NULL CONSTRAINT "CHK_orders_quantity" CHECK ("quantity" > 0),
        "unit_price" numeric(12,2) NOT NULL,
        "total_price" numeric(14,2) NOT NULL,
        "status" varchar(10) NOT NULL DEFAULT 'PENDING'
          CONSTRAINT "CHK_orders_status" CHECK ("status" IN ('PENDING', 'APPROVED', 'REJECTED', 'DELIVERED', 'CANCELLED')),
        "status_reason" text,
        "delivery_address" text NOT NULL,
        "contact_phone" varchar(32) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_orders_buyer" ON "orders" ("buyer_id", "created_at")`);
    await q.query(`CREATE INDEX "IDX_orders_seller_status" ON "orders" ("seller_id", "status", "created_at")`);
    await q.query(`CREATE INDEX "IDX_orders_status" ON "orders" ("status", "created_at")`);
    await q.query(
      `CREATE INDEX "IDX_orders_open_by_item" ON "orders" ("gas_inventory_id") WHERE "status" IN ('PENDING', 'APPROVED')`,
    );

    await q.query(`
      CREATE TABLE "invoices" (
        "id" SERIAL PRIMARY KEY,
        "order_id" integer NOT NULL REFERENCES "orders" ("id") ON DELETE RESTRICT,
        "invoice_number" varchar(12) NOT NULL,
        "amount" numeric(14,2) NOT NULL CONSTRAINT "CHK_invoices_amount" CHECK ("amount" >= 0),
        "is_paid" boolean NOT NULL DEFAULT false,
        "payment_date" timestamptz,
        "admin_approval" boolean NOT NULL DEFAULT false,
        "admin_approval_date" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_invoices_order" UNIQUE ("order_id"),
        CONSTRAINT "UQ_invoices_number" UNIQUE ("invoice_number")
      )`);
    await q.query(`CREATE INDEX "IDX_invoices_pending" ON "invoices" ("created_at") WHERE NOT "admin_approval"`);

    await q.query(`
      CREATE TABLE "payments" (
        "id" SERIAL PRIMARY KEY,
        "invoice_id" integer NOT NULL REFERENCES "invoices" ("id") ON DELETE RESTRICT,
        "amount" numeric(14,2) NOT NULL CONSTRAINT "CHK_payments_amount" CHECK ("amount" > 0),
        "status" varchar(10) NOT NULL DEFAULT 'PENDING'
          CONSTRAINT "CHK_payments_status" CHECK ("status" IN ('PENDING', 'COMPLETED', 'FAILED')),
        "transaction_id" varchar(100),
        "payment_method" varchar(50) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_payments_invoice" ON "payments" ("invoice_id")`);

    await q.query(`
      CREATE TABLE "ratings" (
        "id" SERIAL PRIMARY KEY,
        "order_id" integer NOT NULL REFERENCES "orders" ("id") ON DELETE RESTRICT,
        "rating" smallint NOT NULL CONSTRAINT "CHK_ratings_rating" CHECK ("rating" BETWEEN 1 AND 5),
        "comment" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_ratings_order" UNIQUE ("order_id")
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['ratings', 'payments', 'invoices', 'orders', 'gas_inventory', 'brands', 'refresh_tokens', 'users']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
