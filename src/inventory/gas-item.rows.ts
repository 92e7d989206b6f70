import type { JsonListSql } from '../common/json-list-sql.js';
import type { User } from '../users/user.entity.js';
import type { GasItem } from './gas-item.entity.js';

/**
 * Items as the lists read them: plain SQL instead of the query builder, and
 * rows mapped by hand instead of hydrated, since these are the busiest reads
 * of the API (docs/performance.md). Of the seller, only the name is read.
 */
export const GAS_ITEM_SELECT = `g.id, g.seller_id, g.brand_code, g.weight_kg, g.quantity, g.reserved_quantity, g.unit_price,
  g.location, g.date_added, g.last_updated, g.version, g.deleted_at,
  s.username AS seller_username, s.first_name AS seller_first_name, s.last_name AS seller_last_name`;

export const GAS_ITEM_FROM = 'FROM gas_inventory g LEFT JOIN users s ON s.id = g.seller_id';

/**
 * The items the marketplace offers: units left, not deleted, and a seller an
 * admin has not deactivated (the item's `seller_active`, kept by PostgreSQL:
 * migration MarketplaceActiveSellers). The marketplace's partial indexes hold
 * exactly these rows.
 */
export const ON_THE_MARKET = 'g.quantity > 0 AND g.deleted_at IS NULL AND g.seller_active';

/**
 * The marketplace's location filter: a case-insensitive substring, as ILIKE
 * '%…%' matches in UTF-8 (both sides lowered; the column is kept lowered,
 * migration LocationLower), written as strpos: the text is never a pattern,
 * and the planner's estimate is the same whatever the text, so the prepared
 * statement keeps one generic plan instead of being planned again on every
 * request (docs/performance.md, seventh pass). The text is lowered in a
 * subquery, which PostgreSQL runs once per statement: in the generic plan a
 * bare `lower(?)` is called again for every row the index yields (ninth pass).
 */
export const LOCATION_CONTAINS = 'strpos(g.location_lower, (SELECT lower(?))) > 0';

/**
 * The item lists: each item as its response's JSON text (`toGasItemResponse`),
 * which the lists send as it comes. PostgreSQL keeps each item's text, but for
 * its seller's name, in the item's row, and the name in the seller's (migration
 * StoredListJson), so a page joins texts instead of writing 50 items' JSON on
 * every read (docs/performance.md, twelfth pass). The seller join only adds
 * the name, so counts read the items alone.
 */
export const GAS_ITEM_LIST: JsonListSql = {
  json: `g.list_json_head || ',"seller_name":' || coalesce(s.name_json, '""') || g.list_json_tail`,
  from: GAS_ITEM_FROM,
  countFrom: 'FROM gas_inventory g',
};

export interface GasItemRow {
  id: number;
  seller_id: number;
  brand_code: string;
  weight_kg: string;
  quantity: number;
  reserved_quantity: number;
  unit_price: string;
  location: string;
  date_added: Date;
  last_updated: Date;
  version: number;
  deleted_at: Date | null;
  seller_username: string;
  seller_first_name: string;
  seller_last_name: string;
}

export function gasItemFromRow(row: GasItemRow): GasItem {
  return {
    id: row.id,
    sellerId: row.seller_id,
    // The name columns only, as toGasItemResponse reads them.
    seller: { id: row.seller_id, username: row.seller_username, firstName: row.seller_first_name, lastName: row.seller_last_name } as User,
    brand: row.brand_code,
    weightKg: row.weight_kg,
    quantity: row.quantity,
    reservedQuantity: row.reserved_quantity,
    unitPrice: row.unit_price,
    location: row.location,
    dateAdded: row.date_added,
    lastUpdated: row.last_updated,
    version: row.version,
    deletedAt: row.deleted_at,
  };
}
