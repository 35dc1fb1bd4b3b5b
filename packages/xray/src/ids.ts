import { randomFillSync } from 'node:crypto';

// One randomFillSync per 512 ids instead of one syscall-backed randomBytes per id: ids are not secrets,
// and on the request path a getrandom call per segment showed up as a quarter of the CPU profile.
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const hex = POOL.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

const ZERO_ID = '0000000000000000';

/** A segment or subsegment id: 16 hex digits, never all zero. */
export function newEntityId(): string {
  let id = randomHex(8);
  while (id === ZERO_ID) id = randomHex(8);
  return id;
}

/** `1-<epoch seconds, 8 hex>-<24 random hex>`. */
export function newTraceId(nowMs: number = Date.now()): string {
  return `1-${Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomHex(12)}`;
}
