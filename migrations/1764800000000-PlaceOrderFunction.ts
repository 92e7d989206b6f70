import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Placing an order in one round trip: `place_order` runs what
 * `OrdersService.place` used to send as eight statements (BEGIN, lock the
 * buyer, count their open orders, reserve the stock, insert the order, its
 * ledger row, its audit row, COMMIT), in the same order and with the same
 * guarantees, inside the one statement that calls it (docs/performance.md,
 * eleventh pass).
 *
 * - Locking the buyer serialises their orders. In READ COMMITTED each
 *   statement of a PL/pgSQL function takes its own snapshot, so the count,
 *   made after the lock is granted, sees every order of the buyer committed
 *   before: the open-order limit cannot be raced past.
 * - The stock is reserved by one conditional UPDATE, so concurrent orders can
 *   never oversell.
 * - A refused order writes nothing. `outcome` says why: `inactive` (the buyer
 *   is gone or deactivated), `limit` (`p_max_open` open orders already),
 *   `not_found` (no such item) or `short` (`available` units only); `placed`
 *   otherwise, with the new order's row as the order lists read it (its
 *   item's kind and place, its buyer's and seller's names), so nothing is
 *   read after it.
 *
 * The rules' figures (the limit, which statuses are open) stay in the app's
 * configuration and code and come in as parameters.
 */
export class PlaceOrderFunction1764800000000 implements MigrationInterface {
  name = 'PlaceOrderFunction1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(placeOrderFunction({ replace: false, sellerMustBeActive: false }));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "place_order"(integer, integer, integer, integer, text[], text, text, text)`);
  }
}

/**
 * The function's definition. `sellerMustBeActive` (migration
 * PlaceOrderActiveSeller) refuses, as an item that is not there, the stock of
 * a seller an admin deactivated; this migration's own definition had no such
 * check and stays as it was.
 */
export function placeOrderFunction({ replace, sellerMustBeActive }: { replace: boolean; sellerMustBeActive: boolean }): string {
  const sellerActive = sellerMustBeActive ? ' AND EXISTS (SELECT 1 FROM users s WHERE s.id = g.seller_id AND s.is_active)' : '';
  // Every column is qualified: OUT parameters are variables in the body, and an unqualified
  // name that is both would stop the function (plpgsql.variable_conflict = error).
  return `${replace ? 'CREATE OR REPLACE FUNCTION' : 'CREATE FUNCTION'} "place_order"(
         p_buyer integer, p_item integer, p_quantity integer, p_max_open integer, p_open_statuses text[],
         p_delivery_address text, p_contact_phone text, p_request_id text,
         OUT outcome text, OUT available integer,
         OUT id integer, OUT gas_inventory_id integer, OUT buyer_id integer, OUT seller_id integer, OUT quantity integer,
         OUT unit_price numeric, OUT total_price numeric, OUT status text, OUT status_reason text,
         OUT delivery_address text, OUT contact_phone text, OUT created_at timestamptz, OUT updated_at timestamptz,
         OUT item_brand_code text, OUT item_weight_kg numeric, OUT item_location text,
         OUT buyer_username text, OUT buyer_first_name text, OUT buyer_last_name text,
         OUT seller_username text, OUT seller_first_name text, OUT seller_last_name text)
       LANGUAGE plpgsql AS $$
       DECLARE
         open_orders integer;
         price numeric;
         seller integer;
       BEGIN
         SELECT b.username, b.first_name, b.last_name INTO buyer_username, buyer_first_name, buyer_last_name
           FROM users b WHERE b.id = p_buyer AND b.is_active FOR UPDATE;
         IF NOT FOUND THEN
           outcome := 'inactive';
           RETURN;
         END IF;

         SELECT count(*)::int INTO open_orders FROM orders o WHERE o.buyer_id = p_buyer AND o.status = ANY (p_open_statuses);
         IF open_orders >= p_max_open THEN
           outcome := 'limit';
           RETURN;
         END IF;

         UPDATE gas_inventory g
            SET quantity = g.quantity - p_quantity, reserved_quantity = g.reserved_quantity + p_quantity,
                version = g.version + 1, last_updated = now()
          WHERE g.id = p_item AND g.deleted_at IS NULL AND g.quantity >= p_quantity${sellerActive}
          RETURNING g.unit_price, g.seller_id, g.brand_code, g.weight_kg, g.location
               INTO price, seller, item_brand_code, item_weight_kg, item_location;
         IF NOT FOUND THEN
           SELECT g.quantity INTO available FROM gas_inventory g WHERE g.id = p_item AND g.deleted_at IS NULL${sellerActive};
           outcome := CASE WHEN FOUND THEN 'short' ELSE 'not_found' END;
           RETURN;
         END IF;

         SELECT s.username, s.first_name, s.last_name INTO seller_username, seller_first_name, seller_last_name
           FROM users s WHERE s.id = seller;
         INSERT INTO orders AS o (gas_inventory_id, buyer_id, seller_id, quantity, unit_price, total_price, status, delivery_address, contact_phone)
         VALUES (p_item, p_buyer, seller, p_quantity, price, price * p_quantity, 'PENDING', p_delivery_address, p_contact_phone)
         RETURNING o.id, o.gas_inventory_id, o.buyer_id, o.seller_id, o.quantity, o.unit_price, o.total_price, o.status,
                   o.status_reason, o.delivery_address, o.contact_phone, o.created_at, o.updated_at
              INTO id, gas_inventory_id, buyer_id, seller_id, quantity, unit_price, total_price, status,
                   status_reason, delivery_address, contact_phone, created_at, updated_at;

         INSERT INTO stock_movements AS m (gas_inventory_id, quantity_change, reserved_change, reason, order_id, actor_id, note)
         VALUES (p_item, -p_quantity, p_quantity, 'RESERVE', place_order.id, p_buyer, NULL);
         INSERT INTO audit_log AS a (actor_id, action, object_type, object_id, before, after, request_id)
         VALUES (p_buyer, 'order.place', 'order', place_order.id, NULL,
                 jsonb_build_object('status', 'PENDING', 'gas_inventory', p_item, 'quantity', p_quantity), p_request_id);
         outcome := 'placed';
       END
       $$`;
}
