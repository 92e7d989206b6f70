import { canMovePayment } from './payment-status.js';

describe('payment state table', () => {
  it('settles a PENDING payment once', () => {
    expect(canMovePayment('PENDING', 'COMPLETED')).toBe(true);
    expect(canMovePayment('PENDING', 'FAILED')).toBe(true);
    expect(canMovePayment('COMPLETED', 'FAILED')).toBe(false);
    expect(canMovePayment('COMPLETED', 'PENDING')).toBe(false);
    expect(canMovePayment('FAILED', 'COMPLETED')).toBe(false);
  });

  it('treats setting the same status as no move', () => {
    expect(canMovePayment('COMPLETED', 'COMPLETED')).toBe(true);
  });
});
