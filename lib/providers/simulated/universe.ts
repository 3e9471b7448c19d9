// The well-known symbols the simulated market lists for search and movers, each with the price its
// walk is centred on, so demo prices look familiar.

export const SIMULATED_UNIVERSE = [
  { symbol: 'AAPL', name: 'Apple Inc.', type: 'EQUITY', basePrice: 190 },
  { symbol: 'MSFT', name: 'Microsoft Corporation', type: 'EQUITY', basePrice: 410 },
  { symbol: 'GOOGL', name: 'Alphabet Inc.', type: 'EQUITY', basePrice: 165 },
  { symbol: 'AMZN', name: 'Amazon.com, Inc.', type: 'EQUITY', basePrice: 180 },
  { symbol: 'NVDA', name: 'NVIDIA Corporation', type: 'EQUITY', basePrice: 120 },
  { symbol: 'TSLA', name: 'Tesla, Inc.', type: 'EQUITY', basePrice: 240 },
  { symbol: 'META', name: 'Meta Platforms, Inc.', type: 'EQUITY', basePrice: 500 },
  { symbol: 'NFLX', name: 'Netflix, Inc.', type: 'EQUITY', basePrice: 650 },
  { symbol: 'AMD', name: 'Advanced Micro Devices, Inc.', type: 'EQUITY', basePrice: 160 },
  { symbol: 'INTC', name: 'Intel Corporation', type: 'EQUITY', basePrice: 30 },
  { symbol: 'ORCL', name: 'Oracle Corporation', type: 'EQUITY', basePrice: 140 },
  { symbol: 'IBM', name: 'International Business Machines Corporation', type: 'EQUITY', basePrice: 190 },
  { symbol: 'JPM', name: 'JPMorgan Chase & Co.', type: 'EQUITY', basePrice: 200 },
  { symbol: 'BAC', name: 'Bank of America Corporation', type: 'EQUITY', basePrice: 38 },
  { symbol: 'V', name: 'Visa Inc.', type: 'EQUITY', basePrice: 275 },
  { symbol: 'MA', name: 'Mastercard Incorporated', type: 'EQUITY', basePrice: 460 },
  { symbol: 'WMT', name: 'Walmart Inc.', type: 'EQUITY', basePrice: 68 },
  { symbol: 'KO', name: 'The Coca-Cola Company', type: 'EQUITY', basePrice: 62 },
  { symbol: 'PEP', name: 'PepsiCo, Inc.', type: 'EQUITY', basePrice: 170 },
  { symbol: 'DIS', name: 'The Walt Disney Company', type: 'EQUITY', basePrice: 100 },
  { symbol: 'NKE', name: 'NIKE, Inc.', type: 'EQUITY', basePrice: 80 },
  { symbol: 'XOM', name: 'Exxon Mobil Corporation', type: 'EQUITY', basePrice: 115 },
  { symbol: 'BRK-B', name: 'Berkshire Hathaway Inc.', type: 'EQUITY', basePrice: 420 },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', type: 'ETF', basePrice: 540 },
  { symbol: 'QQQ', name: 'Invesco QQQ Trust', type: 'ETF', basePrice: 470 },
  { symbol: '^GSPC', name: 'S&P 500', type: 'INDEX', basePrice: 5400 },
  { symbol: '^DJI', name: 'Dow Jones Industrial Average', type: 'INDEX', basePrice: 39000 },
  { symbol: '^IXIC', name: 'NASDAQ Composite', type: 'INDEX', basePrice: 17000 },
];

export const listingOf = (symbol: string) => SIMULATED_UNIVERSE.find((listing) => listing.symbol === symbol);
