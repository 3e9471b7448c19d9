import { RateLimitedError, UpstreamError } from '../errors.js';
import { errorMessageOf, isKeyProblem, noticeError, redactKey } from './answer.js';

const KEY = 'AVKEY123SECRET';

describe('Alpha Vantage notices', () => {
  it('reads a per-minute Note as a rate limit of one minute', () => {
    const error = noticeError(
      { Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.' },
      KEY,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(error!.message).toContain('5 calls per minute');
  });

  it('reads a daily-limit Information as a rate limit of unknown length', () => {
    const error = noticeError(
      {
        Information:
          'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
      },
      KEY,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('reads a burst Information (one request per second) as a one-second wait', () => {
    const error = noticeError({ Information: 'Please consider spreading out your free API requests more sparingly (1 request per second).' }, KEY);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(1000);
  });

  it('reads a premium-only Information as an upstream refusal, not a rate limit', () => {
    const error = noticeError({ Information: 'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans.' }, KEY);
    expect(error).toBeInstanceOf(UpstreamError);
  });

  it('finds nothing in a normal answer', () => {
    expect(noticeError({ 'Global Quote': { '01. symbol': 'IBM' } }, KEY)).toBeUndefined();
    expect(noticeError('not an object', KEY)).toBeUndefined();
  });

  it('never repeats the API key', () => {
    const error = noticeError({ Note: `The key ${KEY} made too many calls per minute` }, KEY);
    expect(error!.message).not.toContain(KEY);
    expect(redactKey(`a ${KEY} b ${KEY}`, KEY)).toBe('a [redacted] b [redacted]');
    expect(errorMessageOf({ 'Error Message': `Invalid API call for ${KEY}` }, KEY)).toBe('Invalid API call for [redacted]');
  });

  it('tells a key problem from a symbol problem', () => {
    expect(isKeyProblem('the parameter apikey is invalid or missing. Please claim your free API key')).toBe(true);
    expect(isKeyProblem('Invalid API call. Please retry or visit the documentation for TIME_SERIES_DAILY.')).toBe(false);
  });
});
