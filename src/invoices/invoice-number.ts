import { randomBytes } from 'node:crypto';

export const INVOICE_NUMBER = /^INV-[0-9A-F]{8}$/;

/** `INV-` and 8 upper-case hex digits, random so numbers reveal nothing about volume. */
export function newInvoiceNumber(): string {
  return `INV-${randomBytes(4).toString('hex').toUpperCase()}`;
}
