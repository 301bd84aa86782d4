// UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, version 7, then 74 bits that are random per millisecond.
// Ids sort by time as strings. Within one millisecond (or when the clock steps back) the generator counts
// up instead of drawing new random bits (RFC 9562 §6.2, method 1), so ids from one generator are strictly
// increasing, and the time is passed in, never read here.
import { randomFillSync } from 'node:crypto';
import { z } from 'zod';

/** Fills and returns `n` random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

// Random bytes come from a pool refilled 4 KiB at a time: one getrandom call per ~400 ids, not per id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
const defaultRandom: RandomBytes = (n) => {
  if (poolOffset + n > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += n;
  return pool.slice(poolOffset - n, poolOffset);
};

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** 12 bits of rand_a + the top 30 bits of rand_b form the counter; the last 32 bits stay random per id. */
const COUNTER_BITS = 42;
const COUNTER_LIMIT = 2 ** COUNTER_BITS;
/** A fresh millisecond seeds the counter below half its range, leaving 2^41 increments before it overflows. */
const SEED_LIMIT = 2 ** (COUNTER_BITS - 1);

export const UUIDV7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const uuidv7Schema = z.string().regex(UUIDV7_PATTERN, 'expected a lowercase UUIDv7');

export class Uuidv7Generator {
  private lastMs = -1;
  private counter = 0;

  constructor(private readonly random: RandomBytes = defaultRandom) {}

  /** The next id at time `nowMs` (epoch ms); strictly greater than every id this generator made before. */
  next(nowMs: number, random: RandomBytes = this.random): string {
    if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) {
      throw new RangeError(`uuidv7: time must be an integer epoch ms in [0, 2^48), got ${nowMs}`);
    }
    const rand = random(10);
    if (nowMs > this.lastMs) {
      this.lastMs = nowMs;
      this.counter = seed(rand);
    } else if (++this.counter >= COUNTER_LIMIT) {
      // 2^41 ids in one ms cannot happen in practice; borrowing the next ms keeps the order anyway.
      this.lastMs += 1;
      this.counter = seed(rand);
    }
    return format(this.lastMs, this.counter, rand);
  }
}

function seed(rand: Uint8Array): number {
  // 41 bits from bytes 0..5 (48 bits, top 7 dropped).
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 256 + rand[i]!;
  return v % SEED_LIMIT;
}

function format(ms: number, counter: number, rand: Uint8Array): string {
  const randA = Math.floor(counter / 2 ** 30); // top 12 bits
  const counterLow = counter % 2 ** 30; // next 30 bits go into rand_b after the 2 variant bits
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  bytes[6] = 0x70 | (randA >> 8);
  bytes[7] = randA & 0xff;
  // variant 10, then counterLow (30 bits), then 32 random bits.
  bytes[8] = 0x80 | (counterLow >>> 24);
  bytes[9] = (counterLow >>> 16) & 0xff;
  bytes[10] = (counterLow >>> 8) & 0xff;
  bytes[11] = counterLow & 0xff;
  bytes.set(rand.subarray(6, 10), 12);
  let hex = '';
  for (const b of bytes) hex += HEX[b];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const shared = new Uuidv7Generator();

/**
 * A UUIDv7 for time `nowMs` from the process-wide generator (monotonic across calls). `random` replaces the
 * random source for this call only (reproducible tests); the ordering state is still the shared one.
 */
export function uuidv7(nowMs: number, random?: RandomBytes): string {
  return shared.next(nowMs, random);
}

/** The epoch ms a UUIDv7 was made at. */
export function uuidv7Time(id: string): number {
  if (!UUIDV7_PATTERN.test(id)) throw new RangeError(`not a UUIDv7: ${id}`);
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
