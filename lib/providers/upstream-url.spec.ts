import { describeUrl, rewriteUpstreamUrl } from './upstream-url.js';

describe('rewriteUpstreamUrl', () => {
  it('keeps the URL when no override is configured', () => {
    expect(rewriteUpstreamUrl('https://query1.finance.yahoo.com/v7/finance/quote?symbols=AAPL', undefined).href).toBe(
      'https://query1.finance.yahoo.com/v7/finance/quote?symbols=AAPL',
    );
  });

  it('sends the same path and query to the override origin', () => {
    expect(rewriteUpstreamUrl('https://query1.finance.yahoo.com/v7/finance/quote?symbols=AAPL,MSFT&crumb=x', 'http://127.0.0.1:4010').href).toBe(
      'http://127.0.0.1:4010/v7/finance/quote?symbols=AAPL,MSFT&crumb=x',
    );
    expect(rewriteUpstreamUrl('https://fc.yahoo.com/', 'http://127.0.0.1:4010').href).toBe('http://127.0.0.1:4010/');
  });

  it('drops the original port for an override without one', () => {
    expect(rewriteUpstreamUrl('http://localhost:8080/query?a=1', 'https://proxy.example').href).toBe('https://proxy.example/query?a=1');
  });
});

describe('describeUrl', () => {
  it('leaves the query (crumbs, API keys) out', () => {
    expect(describeUrl('https://www.alphavantage.co/query?function=GLOBAL_QUOTE&apikey=SECRET')).toBe('https://www.alphavantage.co/query');
  });
});
