import { MigrationInterface, QueryRunner } from 'typeorm';

/** What `String.prototype.trim` removes (ECMAScript's WhiteSpace and LineTerminator), as `displayName` trims names. */
const JS_WHITESPACE =
  "E' \\t\\n\\u000B\\f\\r\\u00A0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF'";

/** The tables whose rows keep their list JSON, each with the function that writes a row's two parts. */
const LIST_JSON_TABLES = [
  { table: 'gas_inventory', writer: 'gas_item_list_json' },
  { table: 'orders', writer: 'order_list_json' },
] as const;

/**
 * The busy lists' JSON, written when a row changes instead of on every read
 * (docs/performance.md, twelfth pass). Writing 50 orders' JSON was most of
 * what PostgreSQL did for a page of the order lists; now a page reads each
 * row's JSON as it was written, and only the people's names, which live in
 * `users`, are put in as it is read, so a name change shows at once and no
 * other row has to follow it.
 *
 * Each item and order keeps its JSON in two parts, the text before its
 * people's names and the text after (`list_json_head`, `list_json_tail`);
 * each user keeps their display name as a JSON string (`name_json`). The
 * lists join them (`GAS_ITEM_LIST`, `ORDER_LIST`) into the same text, byte
 * for byte, that `row_to_json` wrote from the joined rows before:
 *
 *   item:  {"id":…,"brand":…,"weight_kg":…,"quantity":…,"reserved_quantity":…,"unit_price":"…","seller":…
 *          ,"seller_name":<name_json>
 *          ,"location":…,"date_added":"…","last_updated":"…"}
 *   order: {"id":…,"gas_inventory":…,"gas_details":{"brand":…,"weight_kg":…,"unit_price":"…","location":…},"buyer":…
 *          ,"buyer_name":<name_json>,"seller":…,"seller_name":<name_json>
 *          ,"quantity":…,"total_price":"…","status":"…","delivery_address":…,"contact_phone":…,"created_at":"…","updated_at":"…"}
 *
 * Triggers keep the parts: every insert or update of a row writes its own
 * again, and an item whose brand, weight or location changes writes its
 * orders' again (their `gas_details`). Placing an order updates its item
 * first, so the order's row reads the item under the item's row lock; an
 * edit of the item waits for it and then rewrites the order too.
 *
 * The values are written as the response mappers write them: timestamps as
 * `isoTimestamp` (milliseconds, UTC, `Z`), money as the `numeric` text
 * (`formatMoney`), weights as JSON numbers (`Number`), names as
 * `displayName`; test/list-json.e2e-spec.ts holds each to the TypeScript.
 */
export class StoredListJson1764900000000 implements MigrationInterface {
  name = 'StoredListJson1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION "list_json_display_name"(first_name text, last_name text, username text) RETURNS text
       LANGUAGE sql STABLE PARALLEL SAFE
       AS $$ SELECT to_json(coalesce(nullif(btrim(first_name || ' ' || last_name, ${JS_WHITESPACE}), ''), username))::text $$`,
    );
    await q.query(
      `CREATE FUNCTION "list_json_timestamp"(instant timestamptz) RETURNS text
       LANGUAGE sql STABLE PARALLEL SAFE
       AS $$ SELECT to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$`,
    );
    // PL/pgSQL, not SQL: a SQL function that cannot be inlined is parsed and planned again on
    // every call, which a trigger on every order placed cannot afford; PL/pgSQL keeps its plans.
    await q.query(
      `CREATE FUNCTION "gas_item_list_json"(item gas_inventory, OUT head text, OUT tail text)
       LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
       BEGIN
         SELECT left(row_to_json(h)::text, -1), ',' || substr(row_to_json(t)::text, 2) INTO head, tail
           FROM (SELECT item.id, item.brand_code AS brand, item.weight_kg::float8 AS weight_kg, item.quantity,
                        item.reserved_quantity, item.unit_price::text AS unit_price, item.seller_id AS seller) h,
                (SELECT item.location, list_json_timestamp(item.date_added) AS date_added,
                        list_json_timestamp(item.last_updated) AS last_updated) t;
       END
       $$`,
    );
    await q.query(
      `CREATE FUNCTION "order_list_json"(o orders, OUT head text, OUT tail text)
       LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
       BEGIN
         SELECT left(row_to_json(h)::text, -1), ',' || substr(row_to_json(t)::text, 2) INTO head, tail
           FROM (SELECT o.id, o.gas_inventory_id AS gas_inventory, gas_details, o.buyer_id AS buyer
                   FROM (SELECT 1) one
                   LEFT JOIN gas_inventory g ON g.id = o.gas_inventory_id,
                   LATERAL (SELECT g.brand_code AS brand, g.weight_kg::float8 AS weight_kg, o.unit_price::text AS unit_price,
                                   g.location) gas_details) h,
                (SELECT o.quantity, o.total_price::text AS total_price, o.status, o.delivery_address, o.contact_phone,
                        list_json_timestamp(o.created_at) AS created_at, list_json_timestamp(o.updated_at) AS updated_at) t;
       END
       $$`,
    );

    // Existing rows first, then the columns may be NOT NULL, then the triggers keep them.
    await q.query(`ALTER TABLE "users" ADD COLUMN "name_json" text`);
    await q.query(`UPDATE "users" u SET "name_json" = list_json_display_name(u.first_name, u.last_name, u.username)`);
    await q.query(`ALTER TABLE "users" ALTER COLUMN "name_json" SET NOT NULL`);
    for (const { table, writer } of LIST_JSON_TABLES) {
      await q.query(`ALTER TABLE "${table}" ADD COLUMN "list_json_head" text, ADD COLUMN "list_json_tail" text`);
      await q.query(`UPDATE "${table}" r SET ("list_json_head", "list_json_tail") = (SELECT j.head, j.tail FROM ${writer}(r) j)`);
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "list_json_head" SET NOT NULL, ALTER COLUMN "list_json_tail" SET NOT NULL`);
    }

    await q.query(
      `CREATE FUNCTION "users_list_json"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.name_json := list_json_display_name(NEW.first_name, NEW.last_name, NEW.username);
         RETURN NEW;
       END
       $$`,
    );
    await q.query(`CREATE TRIGGER "users_list_json" BEFORE INSERT OR UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "users_list_json"()`);
    for (const { table, writer } of LIST_JSON_TABLES) {
      await q.query(
        `CREATE FUNCTION "${table}_list_json"() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           SELECT j.head, j.tail INTO NEW.list_json_head, NEW.list_json_tail FROM ${writer}(NEW) j;
           RETURN NEW;
         END
         $$`,
      );
      await q.query(`CREATE TRIGGER "${table}_list_json" BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${table}_list_json"()`);
    }
    // An item's kind or place shows in each of its orders (gas_details): they are written again with it.
    // Updating them is enough: their own trigger, orders_list_json, writes both parts of each once.
    await q.query(
      `CREATE FUNCTION "gas_inventory_orders_list_json"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE orders o SET list_json_head = NULL WHERE o.gas_inventory_id = NEW.id;
         RETURN NULL;
       END
       $$`,
    );
    await q.query(
      `CREATE TRIGGER "gas_inventory_orders_list_json" AFTER UPDATE ON "gas_inventory" FOR EACH ROW
       WHEN (OLD.brand_code IS DISTINCT FROM NEW.brand_code OR OLD.weight_kg IS DISTINCT FROM NEW.weight_kg OR OLD.location IS DISTINCT FROM NEW.location)
       EXECUTE FUNCTION "gas_inventory_orders_list_json"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "gas_inventory_orders_list_json" ON "gas_inventory"`);
    await q.query(`DROP FUNCTION "gas_inventory_orders_list_json"()`);
    await q.query(`DROP TRIGGER "users_list_json" ON "users"`);
    await q.query(`DROP FUNCTION "users_list_json"()`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "name_json"`);
    for (const { table } of LIST_JSON_TABLES) {
      await q.query(`DROP TRIGGER "${table}_list_json" ON "${table}"`);
      await q.query(`DROP FUNCTION "${table}_list_json"()`);
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "list_json_head", DROP COLUMN "list_json_tail"`);
    }
    await q.query(`DROP FUNCTION "order_list_json"(orders)`);
    await q.query(`DROP FUNCTION "gas_item_list_json"(gas_inventory)`);
    await q.query(`DROP FUNCTION "list_json_timestamp"(timestamptz)`);
    await q.query(`DROP FUNCTION "list_json_display_name"(text, text, text)`);
  }
}
