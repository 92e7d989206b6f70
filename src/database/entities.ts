import { AuditEntry } from '../audit/audit-entry.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { StockMovement } from '../inventory/stock-movement.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Brand } from '../brands/brand.entity.js';
import { GasItem } from '../inventory/gas-item.entity.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { Order } from '../orders/order.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Rating } from '../ratings/rating.entity.js';
import { User } from '../users/user.entity.js';

export const ENTITIES = [User, RefreshToken, Brand, GasItem, StockMovement, Order, Invoice, Payment, Rating, AuditEntry, IdempotencyKey];
