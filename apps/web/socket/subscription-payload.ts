// What a `subscribe`/`unsubscribe` message carries, checked before any work: one string or one
// array of strings, with an optional ack function last. Anything else is VALIDATION_FAILED.
import type { SubscriptionAck, SubscriptionRejection } from '../../../lib/realtime/events.js';

/**
 * Most tickers one message may name. Far above any subscription limit a client can use in one go,
 * and it bounds the work one message can cause; a longer list is refused whole, not truncated.
 */
export const MAX_TICKERS_PER_MESSAGE = 1000;

/** Longest form of a refused payload echoed back as the rejection's `ticker`. */
const PREVIEW_LENGTH = 40;

export type Ack = (result: SubscriptionAck) => void;

/**
 * Splits a message's raw arguments into payload and ack, as Socket.IO delivers them, and counts
 * the `extra` arguments besides them: a well-formed message has none.
 */
export function readMessage(args: readonly unknown[]) {
  const last = args.at(-1);
  // A function can only come from the client's ack; Socket.IO builds it, so calling it is safe.
  const ack = typeof last === 'function' ? (last as Ack) : undefined;
  const values = ack ? args.slice(0, -1) : args;
  return { payload: values[0], ack, extra: Math.max(0, values.length - 1) };
}

/** A short, printable form of any payload, for the rejection of one that is not a ticker list. */
export function previewPayload(payload: unknown): string {
  const sample = Array.isArray(payload) && payload.length > 3 ? [...payload.slice(0, 3), `…${payload.length - 3} more`] : payload;
  let text: string;
  try {
    text = JSON.stringify(sample) ?? String(sample);
  } catch {
    text = typeof payload;
  }
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}

export type ParsedPayload = { ok: true; tickers: readonly string[] } | { ok: false; rejection: SubscriptionRejection };

export function parseTickerList(message: ReturnType<typeof readMessage>): ParsedPayload {
  const { payload } = message;
  const invalid = (reason: string): ParsedPayload => ({ ok: false, rejection: { ticker: previewPayload(payload), code: 'VALIDATION_FAILED', reason } });
  if (message.extra > 0) return invalid('send one string or one array of strings (and optionally an ack callback)');
  if (typeof payload === 'string') return { ok: true, tickers: [payload] };
  if (!Array.isArray(payload)) return invalid('tickers must be a string or an array of strings');
  if (payload.length > MAX_TICKERS_PER_MESSAGE) return invalid(`at most ${MAX_TICKERS_PER_MESSAGE} tickers per message`);
  if (!payload.every((item): item is string => typeof item === 'string')) return invalid('every ticker must be a string (no nested arrays, objects or numbers)');
  return { ok: true, tickers: payload };
}
