import { describeUrl, parseRetryAfter, rewriteUpstreamUrl } from './http.js';

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

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-20T21:00:00Z');

  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfter('Fri, 20 Nov 2026 21:00:30 GMT', now)).toBe(30_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Fri, 20 Nov 2026 20:59:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});
