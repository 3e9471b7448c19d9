// The signed-in session kept in localStorage, so a reload stays signed in. Storage can be off
// (private modes, quotas): the page then works for the tab's lifetime only.

const KEY = 'tickwire.session';

/** `{ token, user: { id, email, username } }` or null. */
export function loadSession() {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return session && typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  try {
    localStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Not persisted; the session still lives in memory.
  }
}

export function clearSession() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
