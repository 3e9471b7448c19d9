import { MAX_TICKERS_PER_MESSAGE, parseTickerList, previewPayload, readMessage } from './subscription-payload.js';

describe('subscription payloads', () => {
  const ack = () => undefined;

  it('splits the payload from a trailing ack function', () => {
    expect(readMessage(['AAPL', ack])).toEqual({ payload: 'AAPL', ack, extra: 0 });
    expect(readMessage([['AAPL']])).toEqual({ payload: ['AAPL'], ack: undefined, extra: 0 });
    expect(readMessage([ack])).toEqual({ payload: undefined, ack, extra: 0 });
    expect(readMessage(['AAPL', 'MSFT', ack])).toEqual({ payload: 'AAPL', ack, extra: 1 });
  });

  it('accepts one string or one array of strings', () => {
    expect(parseTickerList(readMessage(['aapl']))).toEqual({ ok: true, tickers: ['aapl'] });
    expect(parseTickerList(readMessage([['aapl', 'x y'], ack]))).toEqual({ ok: true, tickers: ['aapl', 'x y'] });
    expect(parseTickerList(readMessage([[]]))).toEqual({ ok: true, tickers: [] });
  });

  it.each([
    ['an object', { tickers: ['AAPL'] }],
    ['a number', 42],
    ['null', null],
    ['nothing', undefined],
    ['nested arrays', [['AAPL'], ['MSFT']]],
    ['a non-string element', ['AAPL', 7]],
    ['too many tickers', Array.from({ length: MAX_TICKERS_PER_MESSAGE + 1 }, (_, index) => `T${index}`)],
  ])('refuses %s with VALIDATION_FAILED', (_label, payload) => {
    const parsed = parseTickerList(readMessage([payload, ack]));
    expect(parsed).toEqual({ ok: false, rejection: { ticker: expect.any(String), code: 'VALIDATION_FAILED', reason: expect.any(String) } });
  });

  it('refuses extra arguments rather than ignoring them', () => {
    expect(parseTickerList(readMessage(['AAPL', 'MSFT'])).ok).toBe(false);
  });

  it('previews any payload in at most 40 printable characters', () => {
    expect(previewPayload({ a: 1 })).toBe('{"a":1}');
    expect(previewPayload(undefined)).toBe('undefined');
    expect(previewPayload(null)).toBe('null');
    expect(previewPayload([['AAPL']])).toBe('[["AAPL"]]');
    const long = previewPayload(Array.from({ length: 10_000 }, (_, index) => `TICKER${index}`));
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.startsWith('["TICKER0","TICKER1"')).toBe(true);
  });
});
