import { PreconditionFailedError } from '../common/errors.js';
import type { GasItem } from './gas-item.entity.js';

/** A strong ETag that changes with every change to the item, stock movements included. */
export function etagOf(item: Pick<GasItem, 'id' | 'version'>): string {
  return `"${item.id}.${item.version}"`;
}

/**
 * The version an `If-Match` header expects, undefined when there is none or
 * it is `*`. A header naming another item, or unreadable, can never match.
 */
export function expectedVersion(ifMatch: string | undefined, id: number): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d+)\.(\d+)"\s*$/.exec(ifMatch);
  if (!match || Number(match[1]) !== id) throw new PreconditionFailedError();
  return Number(match[2]);
}
