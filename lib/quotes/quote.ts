/** The one quote shape of API.md, used by REST and by `stock_update`. Missing fields are null. */
export interface Quote {
  readonly symbol: string;
  readonly shortName: string | null;
  readonly price: number | null;
  readonly change: number | null;
  readonly changePercent: number | null;
  readonly volume: number | null;
  readonly marketState: string | null;
  readonly currency: string | null;
  readonly exchange: string | null;
  readonly previousClose: number | null;
  readonly open: number | null;
  readonly dayHigh: number | null;
  readonly dayLow: number | null;
  /** The market's time of the price (ISO-8601 UTC). */
  readonly timestamp: string | null;
  /** When Tickwire fetched it (ISO-8601 UTC). */
  readonly fetchedAt: string;
  readonly source: string;
  /** Grows by one per new quote stored for the symbol, so clients can drop late updates. */
  readonly seq: number;
  readonly stale: boolean;
}
