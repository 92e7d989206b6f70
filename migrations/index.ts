import { InitialSchema1764300000000 } from './1764300000000-InitialSchema.js';
import { LedgerAuditIdempotency1764400000000 } from './1764400000000-LedgerAuditIdempotency.js';
import { CoveringStockIndex1764500000000 } from './1764500000000-CoveringStockIndex.js';
import { LocationLower1764600000000 } from './1764600000000-LocationLower.js';
import { UserChangeNotifications1764700000000 } from './1764700000000-UserChangeNotifications.js';
import { PlaceOrderFunction1764800000000 } from './1764800000000-PlaceOrderFunction.js';
import { StoredListJson1764900000000 } from './1764900000000-StoredListJson.js';
import { PlaceOrderActiveSeller1765000000000 } from './1765000000000-PlaceOrderActiveSeller.js';
import { MarketplaceActiveSellers1765100000000 } from './1765100000000-MarketplaceActiveSellers.js';

/**
 * Every migration, oldest first. Listed rather than globbed so the same list
 * loads from TypeScript (tests) and from the compiled `dist/` (server, CLI).
 * `npm run migration:generate` prints the line to add here.
 */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  LedgerAuditIdempotency1764400000000,
  CoveringStockIndex1764500000000,
  LocationLower1764600000000,
  UserChangeNotifications1764700000000,
  PlaceOrderFunction1764800000000,
  StoredListJson1764900000000,
  PlaceOrderActiveSeller1765000000000,
  MarketplaceActiveSellers1765100000000,
];
