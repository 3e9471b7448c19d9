// Parsing of the HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.

/**
 * How long the upstream asked us to wait, in ms; undefined when the header is absent or unreadable.
 * A date in the past means "now" (0), not a negative wait.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a real date is accepted: Date.parse would read "5.5" or "-1" as years.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
