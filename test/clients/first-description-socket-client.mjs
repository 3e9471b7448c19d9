#!/usr/bin/env node
// A Socket.IO client written the way the first description's test client was: io(url, { auth:
// { token } }), `subscribe` with an array and no ack, and listeners for welcome, subscribed,
// stock_update and unsubscribed. Plain Node and socket.io-client, default transports.
// Usage: SERVER_URL=http://localhost:3001 JWT_TOKEN=<token from /api/auth/login> node this-file.mjs
import { io } from 'socket.io-client';

const SERVER_URL = process.env.SERVER_URL ?? 'http://localhost:3001';
const JWT_TOKEN = process.env.JWT_TOKEN;
const TICKERS = ['AAPL', 'MSFT'];

if (!JWT_TOKEN) {
  console.error('first-description socket client: FAILED: set JWT_TOKEN');
  process.exit(1);
}

const fail = (message) => {
  console.error(`first-description socket client: FAILED: ${message}`);
  process.exit(1);
};
const timer = setTimeout(() => fail('timed out'), 20_000);

const socket = io(SERVER_URL, { auth: { token: JWT_TOKEN } });
const updated = new Set();

socket.on('connect', () => console.log(`connected: ${socket.id}`));
socket.on('connect_error', (error) => fail(`connect_error: ${error.message}`));
socket.on('welcome', (data) => {
  console.log(`welcome: ${data.message}`);
  socket.emit('subscribe', TICKERS);
});
socket.on('subscribed', (tickers) => console.log(`subscribed: ${tickers.join(',')}`));
socket.on('stock_update', (data) => {
  for (const [ticker, quote] of Object.entries(data)) {
    console.log(`stock_update: ${ticker} ${quote.price}`);
    updated.add(ticker);
  }
  if (TICKERS.every((ticker) => updated.has(ticker))) socket.emit('unsubscribe', TICKERS);
});
socket.on('unsubscribed', (tickers) => {
  console.log(`unsubscribed: ${tickers.join(',')}`);
  if (tickers.join() !== TICKERS.join()) fail(`unexpected unsubscribed ${JSON.stringify(tickers)}`);
  clearTimeout(timer);
  socket.disconnect();
  console.log('first-description socket client: OK');
});
