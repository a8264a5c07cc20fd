// The three ways to listen on the WAIT line. Each opener takes (url, ids, on) with
// ids = {fullId: cursor|null} and calls on.open() once the server has accepted (proof
// that the transport works here), on.parts(parts) and on.cursors({fullId: cursor}) as data
// arrives, and on.end() once when the attempt is over. It returns a function that stops
// the attempt without calling on.end(). A long-poll also calls on.expired() when the server
// says a subscription token has expired.
import { parseCursorList, parseFrame, parsePollAnswer, pollRequest, socketUrl, streamUrl } from './protocol.mjs';

const warn = (what, e) => console.warn('Dklab_Realplexor: ' + what + ':', e);

// One request, one answer (the first messages, or nothing at the timeout). The server keeps
// the connection for the next poll (keepalive=1, see pollRequest): the browser reuses it.
export function longpoll(url, ids, on) {
  const abort = new AbortController();
  const req = pollRequest(url, ids);
  let live = true;
  fetch(req.url, { method: req.method, body: req.body, signal: abort.signal })
    .then((res) => {
      // Signed ids refused because the token expired (a 403 when nothing else was asked for,
      // or a served poll's head): the page is asked for a fresh one. Streams cannot read headers.
      if (res.headers.get('X-Realplexor-Token') === 'expired' && on.expired) on.expired();
      if (!res.ok) throw new Error('HTTP ' + res.status);
      on.open();
      return res.text();
    })
    .then((text) => {
      let parts;
      try {
        parts = parsePollAnswer(text);
      } catch (e) {
        return warn('bad answer', e);
      }
      if (live && parts.length) on.parts(parts);
    })
    .catch(() => {}) // refused or network error: the browser logs it, the caller backs off
    .finally(() => {
      if (live) {
        live = false;
        on.end();
      }
    });
  return () => {
    live = false;
    abort.abort();
  };
}

// Server-sent events: each event's id carries every id's cursor after it.
export function eventsource(url, ids, on) {
  const es = new EventSource(streamUrl(url, ids));
  let opened = false;
  let errors = 0;
  const stop = () => {
    es.onopen = es.onmessage = es.onerror = null;
    es.close();
  };
  es.onopen = () => {
    opened = true;
    errors = 0;
    on.open();
  };
  es.onmessage = (e) => {
    try {
      const frame = parseFrame(e.data);
      if (frame.part) on.parts([frame.part]);
    } catch (err) {
      warn('bad event', err);
    }
    if (e.lastEventId) on.cursors(parseCursorList(e.lastEventId));
  };
  // The stream's first event names every id's concrete cursor, "from now" ids included.
  es.addEventListener('cursors', (e) => {
    try {
      const frame = parseFrame(e.data);
      if (frame.cursors) on.cursors(frame.cursors);
    } catch (err) {
      warn('bad cursors event', err);
    }
  });
  es.onerror = () => {
    // After a drop the browser reconnects by itself and sends Last-Event-ID, which holds
    // exact cursors even for ids asked "from now" that have had no message yet. A refused
    // answer (wrong type: an old server), a stream that never opened, or a run of failed
    // retries hands over to the caller's fallback and back-off instead.
    if (es.readyState === 2 || !opened || ++errors > 3) {
      stop();
      on.end();
    }
  };
  return stop;
}

// WebSocket: a {"cursors":...} frame at once, then one frame per message.
export function websocket(url, ids, on) {
  const ws = new WebSocket(socketUrl(url, ids));
  const stop = () => {
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close();
  };
  ws.onopen = () => on.open();
  ws.onmessage = (e) => {
    let frame;
    try {
      frame = parseFrame(e.data);
    } catch (err) {
      return warn('bad frame', err);
    }
    if (frame.cursors) on.cursors(frame.cursors);
    else on.parts([frame.part]);
  };
  ws.onclose = () => {
    stop();
    on.end();
  };
  return stop;
}

export const TRANSPORTS = { websocket, eventsource, longpoll };

// The transports this environment has, best first.
const GLOBALS = { websocket: 'WebSocket', eventsource: 'EventSource', longpoll: 'fetch' };
export const available = () => Object.keys(TRANSPORTS).filter((name) => typeof globalThis[GLOBALS[name]] === 'function');
