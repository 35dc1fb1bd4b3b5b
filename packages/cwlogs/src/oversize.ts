import { EVENT_OVERHEAD_BYTES } from './limits';

/**
 * Oversize events: split into ordered parts, or truncated, always on UTF-8 character boundaries so
 * that the parts' bytes concatenated are exactly the original message's bytes.
 */

/** Largest prefix length (in bytes) of `buf` from `start` that is ≤ `max` and ends on a character boundary. */
function boundaryCut(buf: Buffer, start: number, max: number): number {
  let end = Math.min(buf.length, start + max);
  // 0b10xxxxxx is a continuation byte: the cut would fall inside a character.
  while (end > start && end < buf.length && (buf[end]! & 0xc0) === 0x80) end--;
  return end;
}

function partMarker(index: number, total: number): string {
  return ` …[part ${index}/${total}]`;
}

/**
 * Splits `message` into parts whose counted size (bytes + 26 + marker) is ≤ `maxEventBytes`.
 * Each part is the next slice of the message followed by ` …[part i/n]`; removing the markers and
 * joining the parts gives the original message exactly.
 */
export function splitMessage(message: string, maxEventBytes: number): string[] {
  const buf = Buffer.from(message, 'utf8');
  const room = maxEventBytes - EVENT_OVERHEAD_BYTES;
  let total = Math.max(2, Math.ceil(buf.length / Math.max(1, room - partMarker(9, 9).length)));
  // The marker's length depends on the digit count of the total: iterate until the count is stable.
  for (let round = 0; round < 8; round++) {
    const parts = cutInto(buf, room, total);
    if (parts.length === total) return parts.map((p, i) => `${p}${partMarker(i + 1, total)}`);
    total = parts.length;
  }
  const parts = cutInto(buf, room, total);
  return parts.map((p, i) => `${p}${partMarker(i + 1, parts.length)}`);
}

function cutInto(buf: Buffer, room: number, total: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < buf.length) {
    const budget = room - Buffer.byteLength(partMarker(out.length + 1, total));
    let end = boundaryCut(buf, start, Math.max(4, budget));
    if (end === start) end = Math.min(buf.length, start + 4); // a budget below one character: cannot happen with sane limits
    out.push(buf.toString('utf8', start, end));
    start = end;
  }
  return out;
}

/** Keeps the start of `message` and appends `…[truncated N bytes]` so the event fits `maxEventBytes`. */
export function truncateMessage(message: string, maxEventBytes: number): string {
  const buf = Buffer.from(message, 'utf8');
  const room = maxEventBytes - EVENT_OVERHEAD_BYTES;
  // The marker names the dropped byte count, whose digits change the room left: reserve the widest.
  const reserve = Buffer.byteLength(`…[truncated ${buf.length} bytes]`);
  const end = boundaryCut(buf, 0, room - reserve);
  return `${buf.toString('utf8', 0, end)}…[truncated ${buf.length - end} bytes]`;
}
