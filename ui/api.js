/**
 * The admin API as the pages call it: the token the operator signed in with (kept in
 * sessionStorage, so it is gone when the tab closes) is sent as a bearer token on every call.
 * A 401 signs the operator out.
 */
const TOKEN_KEY = 'switchboard.token';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(value) {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

const listeners = new Set();
/** Called when the API refuses the token (401). */
export function onSignedOut(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls the admin API; resolves with the JSON answer, rejects with an ApiError. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = answer?.error ?? {};
    if (response.status === 401) {
      signOut();
      for (const listener of listeners) listener(error.message);
    }
    throw new ApiError(response.status, error.code ?? `HTTP ${response.status}`, error.message ?? response.statusText, error.field);
  }
  return answer;
}

/**
 * Follows a server-sent event stream of the admin API with fetch (EventSource cannot send the
 * bearer token): `onEvent(name, data)` for each event; reconnects after a second when the
 * stream ends. Returns a function that stops it.
 */
export function stream(path, onEvent, onState = () => {}) {
  let stopped = false;
  let controller;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ''}`, accept: 'text/event-stream' }, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const chunk = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data = [];
            for (const line of chunk.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trim());
            }
            if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
          }
        }
      } catch (error) {
        if (stopped) return;
        onState('reconnecting', error);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
