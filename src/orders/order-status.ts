import type { Role } from '../users/role.js';

export const ORDER_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Orders that still hold a reservation on their item's stock. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'APPROVED'];

export type OrderAction = 'approve' | 'reject' | 'cancel' | 'withdraw' | 'deliver';

/** What a transition does to the item's stock. */
export type StockEffect = 'none' | 'release' | 'consume';

/** Who, besides the role, must be the one acting. */
export type Party = 'any' | 'buyer' | 'seller';

export interface OrderTransition {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Each allowed role with the relation to the order it must have. */
  actors: Partial<Record<Role, Party>>;
  stock: StockEffect;
}

/** The order state machine: every allowed move, who may make it, and its stock effect. */
export const ORDER_TRANSITIONS: Record<OrderAction, OrderTransition> = {
  approve: { from: ['PENDING'], to: 'APPROVED', actors: { ADMIN: 'any' }, stock: 'none' },
  reject: { from: ['PENDING'], to: 'REJECTED', actors: { ADMIN: 'any' }, stock: 'release' },
  cancel: { from: ['PENDING', 'APPROVED'], to: 'CANCELLED', actors: { BUYER: 'buyer' }, stock: 'release' },
  /** `DELETE /orders/{id}/`: the buyer withdraws an order nobody has acted on yet. */
  withdraw: { from: ['PENDING'], to: 'CANCELLED', actors: { BUYER: 'buyer' }, stock: 'release' },
  deliver: { from: ['APPROVED'], to: 'DELIVERED', actors: { SELLER: 'seller', ADMIN: 'any' }, stock: 'consume' },
};

export function canTransition(action: OrderAction, from: OrderStatus): boolean {
  return ORDER_TRANSITIONS[action].from.includes(from);
}

/** The roles allowed to attempt an action at all (the others get 403). */
export function rolesFor(action: OrderAction): Role[] {
  return Object.keys(ORDER_TRANSITIONS[action].actors) as Role[];
}
