/**
 * One audit row (`AuditService.record`); every write of the API adds one.
 * Placing an order writes its own inside `place_order` (migration
 * PlaceOrderFunction), so a change to `audit_log` replaces that function too.
 */
export const INSERT_AUDIT_ENTRY =
  'INSERT INTO audit_log (actor_id, action, object_type, object_id, before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)';
