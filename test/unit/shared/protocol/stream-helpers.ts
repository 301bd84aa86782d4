import fc from 'fast-check';
import type { DecodeEvent, StreamDecoder } from '../../../../shared/protocol/index.js';

/** Property runs: CI runs the full 10,000; local runs stay quick but still find most bugs. */
export const RUNS = process.env.CI ? 10_000 : 1_000;
/** Time budget of one property test (CI machines are slow and shared). */
export const PROPERTY_TIMEOUT_MS = 60_000;

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `bytes` at the given positions (any order, repeats allowed: empty chunks are pushed too). */
export function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const sorted = positions.map((p) => p % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of sorted) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Arbitrary chunk boundaries: up to 20 cut positions (taken modulo the stream length). */
export const cutsArb = fc.array(fc.nat(), { maxLength: 20 });

export function pushAll(decoder: StreamDecoder, chunks: Uint8Array[]): DecodeEvent[] {
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

export function samplesOf(events: DecodeEvent[]): number[] {
  return events.flatMap((e) => (e.type === 'samples' ? Array.from(e.batch.samples) : []));
}

export function badOf(events: DecodeEvent[]): Extract<DecodeEvent, { type: 'bad' }>[] {
  return events.filter((e) => e.type === 'bad');
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
