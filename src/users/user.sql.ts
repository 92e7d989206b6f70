/**
 * Who an access token's user is now (`UsersService.findActor`): every
 * authenticated request asks, so three columns in plain SQL. The bench's
 * reference server runs the same statement.
 */
export const ACTOR_BY_ID = 'SELECT id, role, username FROM users WHERE id = $1 AND is_active';
