// One listening connection with transport fallback and reconnects. It reads what to
// listen to from target() at every attempt, so a reconnect always resumes from the
// latest cursors.
import { backoffDelay } from './backoff.mjs';
import { GET_LIMIT, streamUrl, tokenExpiry, tokenUrl } from './protocol.mjs';
import { TRANSPORTS } from './transports.mjs';

// An attempt the server accepted and that lasted this long was fine even if it brought
// nothing: a long-poll that hit WAIT_TIMEOUT, a stream a proxy closed after a while.
const HEALTHY_MS = 1000;
// After this many failures in a row a transport that worked before must prove itself
// again (the page may have moved behind a proxy that strips WebSocket upgrades).
const DOUBT_AFTER = 6;

export class Connection {
  // kinds: transport names, best first; sink: {parts(parts), cursors(map)} and, for signed
  // subscriptions, {tokens() -> [token], expired()}.
  constructor(url, kinds, target, sink, transports = TRANSPORTS) {
    this.transports = transports;
    this.url = url;
    this.kinds = kinds;
    this.target = target;
    this.sink = sink;
    this.level = 0; // index in kinds of the transport to use
    this.proven = {}; // transports that have been accepted by the server
    this.failures = 0;
    this.stopAttempt = null;
    this.timer = null;
    this.probe = false; // the next attempt is a long-poll, to learn why a stream was refused
  }

  // Listen to the current target now. A pending back-off wait is kept: the attempt it
  // makes reads the target afresh.
  restart() {
    if (this.stopAttempt) {
      this.stopAttempt();
      this.stopAttempt = null;
    }
    if (!this.timer) this.connect();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stopAttempt) this.stopAttempt();
    this.stopAttempt = null;
  }

  connect() {
    this.timer = null;
    const ids = this.target();
    if (!Object.keys(ids).length) return;
    const tokens = this.sink.tokens ? this.sink.tokens() : [];
    // A token past its own expiry would be refused: ask for a fresh one now (this attempt
    // goes ahead; the fresh token makes the next).
    if (tokens.some((t) => tokenExpiry(t) !== null && tokenExpiry(t) * 1000 <= Date.now())) this.sink.expired(tokens);
    const url = tokenUrl(this.url, tokens);
    let kind = this.kinds[this.level];
    // The probe is one plain fetch even where the page chose streams only: it asks the
    // server why, it is not a change of transport.
    const probing = this.probe && !!this.transports.longpoll;
    this.probe = false;
    if (probing) kind = 'longpoll';
    // Streams cannot POST: a list too long for a URL is polled.
    if (kind !== 'longpoll' && streamUrl(url, ids).length > GET_LIMIT && this.kinds.includes('longpoll')) kind = 'longpoll';
    const started = Date.now();
    let opened = false;
    let got = false;
    this.stopAttempt = this.transports[kind](url, ids, {
      open: () => {
        opened = this.proven[kind] = true;
      },
      parts: (parts) => {
        got = true;
        this.sink.parts(parts);
      },
      cursors: (cursors) => this.sink.cursors(cursors),
      expired: () => this.sink.expired && this.sink.expired(tokens),
      end: () => {
        this.stopAttempt = null;
        // A refused stream tells nothing (a browser shows neither its status nor its
        // headers): with tokens in play, the next attempt is a long-poll, which reads why.
        if (!opened && tokens.length && kind !== 'longpoll') this.probe = true;
        this.ended(kind, opened, got || (opened && Date.now() - started >= HEALTHY_MS), probing);
      },
    });
  }

  ended(kind, opened, healthy, probing = false) {
    if (healthy) {
      this.failures = 0;
    } else if (probing) {
      // A failed probe says nothing about the transports: back off and try the usual one.
      this.failures++;
    } else if (!opened && !this.proven[kind]) {
      // Never accepted here (an old server refuses streams at once): the next transport
      // right away; after the last one the server is probably down, so start over, backing off.
      if (++this.level < this.kinds.length) return this.connect();
      this.level = 0;
      this.failures++;
    } else if (++this.failures >= DOUBT_AFTER) {
      this.proven = {};
    }
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.failures));
  }
}
