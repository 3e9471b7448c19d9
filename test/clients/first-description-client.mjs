#!/usr/bin/env node
// A client written the way the first description's users wrote theirs: register and log in with
// { email, password }, then manage the watchlist through /api/stocks/watchlist with { tickers }.
// Plain Node (fetch), no dependencies. Usage: API_URL=http://localhost:3001 node this-file.mjs
const API = process.env.API_URL ?? 'http://localhost:3001';
const email = process.env.EMAIL ?? `client-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
const password = process.env.PASSWORD ?? 'password123';

async function call(method, path, { body, token, expect } = {}) {
  const response = await fetch(`${API}/api${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  console.log(`${method} /api${path} -> ${response.status} ${JSON.stringify(data)}`);
  if (response.status !== expect) throw new Error(`expected ${expect}, got ${response.status}`);
  return data;
}

try {
  await call('POST', '/auth/register', { body: { email, password }, expect: 201 });
  const { token } = await call('POST', '/auth/login', { body: { email, password }, expect: 200 });
  await call('POST', '/stocks/watchlist', { token, body: { tickers: ['AAPL', 'MSFT', 'GOOGL'] }, expect: 201 });
  const list = await call('GET', '/stocks/watchlist', { token, expect: 200 });
  if (JSON.stringify(list) !== JSON.stringify(['AAPL', 'GOOGL', 'MSFT'])) throw new Error(`unexpected watchlist ${JSON.stringify(list)}`);
  await call('DELETE', '/stocks/watchlist', { token, body: { tickers: ['GOOGL'] }, expect: 200 });
  const after = await call('GET', '/stocks/watchlist', { token, expect: 200 });
  if (JSON.stringify(after) !== JSON.stringify(['AAPL', 'MSFT'])) throw new Error(`unexpected watchlist ${JSON.stringify(after)}`);
  console.log('first-description client: OK');
} catch (error) {
  console.error(`first-description client: FAILED: ${error.message}`);
  process.exit(1);
}
