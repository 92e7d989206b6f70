import { canTransition, ORDER_STATUSES, ORDER_TRANSITIONS, type OrderAction, type OrderStatus, rolesFor } from './order-status.js';

describe('order state table', () => {
  const allowed: Record<OrderAction, OrderStatus[]> = {
    approve: ['PENDING'],
    reject: ['PENDING'],
    cancel: ['PENDING', 'APPROVED'],
    withdraw: ['PENDING'],
    deliver: ['APPROVED'],
  };

  it.each(Object.entries(allowed))('%s is allowed only from %j', (action, from) => {
    for (const status of ORDER_STATUSES) {
      expect([status, canTransition(action as OrderAction, status)]).toEqual([status, from.includes(status)]);
    }
  });

  it('never leaves a final status', () => {
    for (const final of ['REJECTED', 'DELIVERED', 'CANCELLED'] as OrderStatus[]) {
      for (const action of Object.keys(ORDER_TRANSITIONS) as OrderAction[]) expect(canTransition(action, final)).toBe(false);
    }
  });

  it('names who may make each move', () => {
    expect(rolesFor('approve')).toEqual(['ADMIN']);
    expect(rolesFor('reject')).toEqual(['ADMIN']);
    expect(rolesFor('cancel')).toEqual(['BUYER']);
    expect(rolesFor('withdraw')).toEqual(['BUYER']);
    expect(rolesFor('deliver').sort()).toEqual(['ADMIN', 'SELLER']);
  });

  it('releases stock on reject and cancel, consumes it on delivery, leaves it on approval', () => {
    expect(ORDER_TRANSITIONS.approve.stock).toBe('none');
    expect(ORDER_TRANSITIONS.reject.stock).toBe('release');
    expect(ORDER_TRANSITIONS.cancel.stock).toBe('release');
    expect(ORDER_TRANSITIONS.withdraw.stock).toBe('release');
    expect(ORDER_TRANSITIONS.deliver.stock).toBe('consume');
  });
});
