/**
 * The body of an action that takes none (approve, cancel, mark-delivered, a
 * DELETE): empty or absent. Taken as `@Body() _body: NoBodyDto`, it goes
 * through the strict validation every body does, so a field in it is a 400
 * ("This field is not allowed."): a client cannot believe it set `status` or
 * `total_price` along the way (contract: unknown body fields are rejected).
 */
export class NoBodyDto {}
