// Where a provider request really goes: the provider's own host, or the configured override origin
// (QUOTE_UPSTREAM_URL, for a local stub or an egress proxy) with the same path and query.

export function rewriteUpstreamUrl(url: string | URL, upstreamOrigin: string | undefined): URL {
  const target = new URL(url);
  if (!upstreamOrigin) return target;
  const origin = new URL(upstreamOrigin);
  target.protocol = origin.protocol;
  target.host = origin.host; // host carries the port; an empty port resets the default one
  target.port = origin.port;
  return target;
}

/** A URL fit for an error message or a log line: no query, so no crumb and no API key. */
export function describeUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
