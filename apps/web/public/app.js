// The demo page's wiring: which view shows, the forms, the notice line, the connection status,
// and the session's life (log in, live feed and periodic refresh, log out or expiry). The panels
// (chart, sparklines, search, overview, provider status) are modules of their own.
import { ApiError, addToWatchlist, getWatchlist, login, register, removeFromWatchlist } from './api.js';
import { createChartPanel } from './chart-panel.js';
import { connectLive } from './live-feed.js';
import { createMarketOverview } from './market-overview.js';
import { createProviderStatus } from './provider-status.js';
import { createQuoteBoard } from './quote-board.js';
import { clearSession, loadSession, saveSession } from './session.js';
import { createSparklines } from './sparklines.js';
import { attachSymbolSearch } from './symbol-search.js';

/** The watchlist is read again this often: it catches changes made elsewhere and the server's `stale` verdicts. */
const REFRESH_MS = 30_000;
const SILENCE_CHECK_MS = 5_000;

const byId = (id) => document.getElementById(id);
const ui = {
  connection: byId('connection'),
  account: byId('account'),
  accountName: byId('account-name'),
  logout: byId('logout'),
  notice: byId('notice'),
  noticeMessage: byId('notice-message'),
  noticeCode: byId('notice-code'),
  noticeClose: byId('notice-close'),
  authView: byId('auth-view'),
  authTitle: byId('auth-title'),
  modeLogin: byId('mode-login'),
  modeRegister: byId('mode-register'),
  authForm: byId('auth-form'),
  identifierLabel: byId('identifier-label'),
  identifier: byId('auth-identifier'),
  usernameField: byId('username-field'),
  username: byId('auth-username'),
  password: byId('auth-password'),
  authSubmit: byId('auth-submit'),
  signedIn: byId('signed-in'),
  watchCount: byId('watch-count'),
  addForm: byId('add-form'),
  symbolInput: byId('symbol-input'),
  suggestions: byId('symbol-suggestions'),
  quoteRows: byId('quote-rows'),
  empty: byId('empty'),
  providerStatus: byId('provider-status'),
  chart: {
    view: byId('chart-view'),
    title: byId('chart-title'),
    name: byId('chart-name'),
    ranges: byId('chart-ranges'),
    figure: byId('chart-figure'),
    plotArea: byId('chart-plot'),
    caption: byId('chart-caption'),
    close: byId('chart-close'),
  },
  overview: {
    view: byId('overview-view'),
    indices: byId('overview-indices'),
    gainers: byId('overview-gainers'),
    losers: byId('overview-losers'),
    asOf: byId('overview-as-of'),
  },
};

const CONNECTION_LABELS = {
  offline: 'Offline',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'Service unavailable, retrying…',
};

let session = null;
let live = null;
let timers = [];
let authMode = 'login';
let watchlistLimit = null;

// ---------------------------------------------------------------------------------------------
// Notices and status

function showNotice(message, { kind = 'error', code = '' } = {}) {
  ui.notice.dataset.kind = kind;
  ui.noticeMessage.textContent = message;
  ui.noticeCode.textContent = code;
  ui.noticeCode.hidden = code === '';
  ui.notice.hidden = false;
}

function clearNotice() {
  ui.notice.hidden = true;
}

/** The server's message and code; a validation problem's details after the message. */
function showError(error) {
  if (!(error instanceof ApiError)) {
    showNotice('Something went wrong in the page; reload and try again.');
    console.warn(error);
    return;
  }
  const details = error.details.map((detail) => (detail.path ? `${detail.path}: ${detail.message}` : detail.message)).filter(Boolean);
  showNotice(details.length > 0 ? `${error.message}: ${details.join('; ')}` : error.message, { code: error.code });
}

function setConnection(state) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = CONNECTION_LABELS[state] ?? state;
}

function setCount(count) {
  ui.empty.hidden = count > 0;
  ui.watchCount.textContent = watchlistLimit ? `${count} / ${watchlistLimit}` : String(count);
}

async function whileBusy(form, work) {
  const controls = [...form.elements];
  for (const control of controls) control.disabled = true;
  try {
    await work();
  } finally {
    for (const control of controls) control.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Watchlist and quotes

const board = createQuoteBoard(ui.quoteRows, { onRemove: (symbol) => removeSymbol(symbol), onSelect: (symbol) => showChart(symbol), onCountChange: setCount });
const chart = createChartPanel(ui.chart, { latestQuote: (symbol) => board.quoteOf(symbol), onError: (error) => handleSessionError(error) });
const sparklines = createSparklines({ cellOf: (symbol) => board.trendCell(symbol) });
const overview = createMarketOverview(ui.overview, { onAdd: (symbol) => whileBusy(ui.addForm, () => addSymbol(symbol)) });
const providerStatus = createProviderStatus(ui.providerStatus);
const search = attachSymbolSearch(ui.symbolInput, ui.suggestions, { onChoose: (symbol) => whileBusy(ui.addForm, () => addSymbol(symbol)).then(() => ui.symbolInput.focus()) });

function showChart(symbol) {
  chart.show(symbol, board.quoteOf(symbol)?.shortName);
  board.select(symbol);
}

/** Rows came and went: their live subscriptions, sparklines and the chart follow. */
function rowsChanged(added, removed) {
  live?.subscribe(added);
  live?.unsubscribe(removed);
  for (const symbol of added) sparklines.load(symbol);
  for (const symbol of removed) {
    sparklines.forget(symbol);
    if (chart.symbol === symbol) chart.hide();
  }
}

function applyQuote(quote) {
  if (!board.apply(quote)) return;
  chart.applyQuote(quote);
  sparklines.applyQuote(quote);
}

/** Any failure of a signed-in call: an unusable token means a new login, anything else is shown. */
function handleSessionError(error) {
  if (error instanceof ApiError && error.isAuthFailure) endSession(error.code === 'TOKEN_EXPIRED' ? 'Your session has expired; log in again.' : 'Your session is no longer valid; log in again.');
  else showError(error);
}

async function refreshWatchlist({ quiet = false } = {}) {
  const current = session;
  try {
    const { items, limit } = await getWatchlist(current.token);
    if (session !== current) return;
    watchlistLimit = limit;
    const { added, removed } = board.sync(items, applyQuote);
    rowsChanged(added, removed);
    setCount(board.symbols().length);
  } catch (error) {
    if (session !== current) return;
    // A background refresh that fails for the network is already told by the connection status.
    if (quiet && !(error instanceof ApiError && error.isAuthFailure)) return;
    handleSessionError(error);
  }
}

async function addSymbol(text) {
  const current = session;
  try {
    const { item } = await addToWatchlist(current.token, text);
    if (session !== current) return;
    ui.symbolInput.value = '';
    search.reset();
    clearNotice();
    if (board.add(item.symbol)) rowsChanged([item.symbol], []);
    else showNotice(`${item.symbol} is already on your watchlist.`, { kind: 'info' });
  } catch (error) {
    if (session === current) handleSessionError(error);
  }
}

async function removeSymbol(symbol) {
  const current = session;
  try {
    await removeFromWatchlist(current.token, symbol);
  } catch (error) {
    // Already gone (removed in another tab): the row goes all the same.
    if (!(error instanceof ApiError && error.code === 'NOT_FOUND')) {
      if (session === current) handleSessionError(error);
      return;
    }
  }
  if (session !== current) return;
  board.remove(symbol);
  rowsChanged([], [symbol]);
}

// ---------------------------------------------------------------------------------------------
// Session

function showView(signedIn) {
  ui.authView.hidden = signedIn;
  ui.signedIn.hidden = !signedIn;
  ui.account.hidden = !signedIn;
}

function startSession(next) {
  session = next;
  saveSession(next);
  ui.accountName.textContent = next.user?.username ?? next.user?.email ?? '';
  showView(true);
  // Neither "empty" nor a count until the watchlist has loaded.
  watchlistLimit = null;
  ui.empty.hidden = true;
  ui.watchCount.textContent = '';
  refreshWatchlist();
  live = connectLive(next.token, {
    symbols: () => board.symbols(),
    onStatus: setConnection,
    onQuote: applyQuote,
    onRejected: (rejected) => {
      if (rejected.length > 0) showNotice(`Not followed live: ${rejected.map((r) => `${r.ticker} (${r.reason})`).join(', ')}`, { code: rejected[0].code });
    },
    onAuthLost: (message) => endSession(message),
  });
  timers = [setInterval(() => refreshWatchlist({ quiet: true }), REFRESH_MS), setInterval(() => board.checkSilence(), SILENCE_CHECK_MS)];
  overview.start();
  ui.symbolInput.focus();
}

/** Back to the login form; `message` says why when it was not the user's choice. */
function endSession(message) {
  live?.close();
  live = null;
  for (const timer of timers) clearInterval(timer);
  timers = [];
  session = null;
  clearSession();
  rowsChanged([], board.symbols());
  board.clear();
  chart.hide();
  overview.stop();
  search.reset();
  setConnection('offline');
  showView(false);
  if (message) showNotice(message, { kind: 'info' });
  else clearNotice();
  ui.password.value = '';
  ui.identifier.focus();
}

function setAuthMode(mode) {
  authMode = mode;
  const registering = mode === 'register';
  ui.modeLogin.setAttribute('aria-pressed', String(!registering));
  ui.modeRegister.setAttribute('aria-pressed', String(registering));
  ui.authTitle.textContent = registering ? 'Sign up' : 'Log in';
  ui.identifierLabel.textContent = registering ? 'Email' : 'Email or username';
  ui.identifier.type = registering ? 'email' : 'text';
  ui.identifier.autocomplete = registering ? 'email' : 'username';
  ui.usernameField.hidden = !registering;
  ui.password.autocomplete = registering ? 'new-password' : 'current-password';
  ui.authSubmit.textContent = registering ? 'Create account' : 'Log in';
}

async function submitAuth() {
  const identifier = ui.identifier.value.trim();
  const password = ui.password.value;
  try {
    const answer = authMode === 'register' ? await register(identifier, password, ui.username.value.trim()) : await login(identifier, password);
    clearNotice();
    startSession({ token: answer.token, user: answer.user });
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Start

ui.modeLogin.addEventListener('click', () => setAuthMode('login'));
ui.modeRegister.addEventListener('click', () => setAuthMode('register'));
ui.authForm.addEventListener('submit', (event) => {
  event.preventDefault();
  whileBusy(ui.authForm, submitAuth);
});
ui.addForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.symbolInput.value.trim();
  if (text !== '') whileBusy(ui.addForm, () => addSymbol(text)).then(() => ui.symbolInput.focus());
});
ui.logout.addEventListener('click', () => endSession());
ui.noticeClose.addEventListener('click', clearNotice);

setAuthMode('login');
providerStatus.start();
const stored = loadSession();
if (stored) startSession(stored);
else endSession();
