// What the market-data services need of the provider's door: one gated upstream request
// (UpstreamGate.call: the shared request budget, and the shared pause that a 429 closes for everyone).

export type UpstreamCall = <T>(operation: string, work: () => Promise<T>) => Promise<T>;
