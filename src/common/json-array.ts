/**
 * A JSON array of items that are JSON text already (a list's items as
 * PostgreSQL wrote them), written straight into one buffer of UTF-8. Sent as
 * a string, the page would be copied on the heap three times more: joined,
 * flattened again to measure its length, and once more where Node puts the
 * headers in front of it; that was about 40 % of the bytes a list request
 * allocated (docs/performance.md, thirteenth pass). Apart from the
 * framework: the bench's reference server sends its lists with it too.
 */
export function jsonArrayBytes(items: readonly string[]): Buffer {
  let length = items.length > 0 ? items.length + 1 : 2;
  for (const item of items) length += Buffer.byteLength(item);
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  bytes[at++] = 0x5b; // [
  for (let i = 0; i < items.length; i++) {
    if (i > 0) bytes[at++] = 0x2c; // ,
    at += bytes.write(items[i], at);
  }
  bytes[at] = 0x5d; // ]
  return bytes;
}
