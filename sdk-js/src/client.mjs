// The public API of the original dklab_realplexor.js (PROTOCOL.md section 8), talking to
// the WAIT line directly instead of through an IFRAME and document.domain.
import { Connection } from './connection.mjs';
import { Hub } from './hub.mjs';
import { SharedLink } from './share.mjs';
import { Subscriptions } from './subscriptions.mjs';
import { TRANSPORTS, available } from './transports.mjs';

export const VERSION = '2.0.0';

const report = (e) => (typeof reportError === 'function' ? reportError(e) : console.error(e));

function resolveUrl(url) {
  const base = typeof location === 'object' ? location.href : undefined;
  let u;
  try {
    u = new URL(url, base);
  } catch {
    u = null;
  }
  if (!u || !/^https?:$/.test(u.protocol)) throw new TypeError('Dklab_Realplexor: the WAIT URL must be http(s), got ' + url);
  return u.href;
}

export class Dklab_Realplexor {
  // options (ours; the original's third argument, a boolean, is ignored):
  //   transport: 'websocket' | 'eventsource' | 'longpoll', or a list of them tried in order
  //   shared: false to keep this client's own connection instead of sharing one between tabs
  constructor(url, namespace, options) {
    const opts = options && typeof options === 'object' ? options : {};
    this.version = VERSION;
    this._url = resolveUrl(url);
    this._namespace = namespace == null ? '' : String(namespace);
    this._login = null;
    this._subs = new Subscriptions();
    this._kinds = opts.transport ? [].concat(opts.transport) : available();
    for (const kind of this._kinds) if (!TRANSPORTS[kind]) throw new TypeError('Dklab_Realplexor: unknown transport ' + kind);
    this._shared = opts.shared !== false && typeof BroadcastChannel === 'function' && typeof addEventListener === 'function';
    this._link = null;
    this._queued = false;
    this._token = null;
    this._onExpired = null;
    this._askedFor = undefined; // the token the page was last asked to replace
  }

  // Ours, for signed subscriptions (PROTOCOL.md section 14): the token the back end made
  // for this page's signed ids, sent as a query parameter (no CORS preflight) from the
  // next execute(); null drops it.
  setToken(token) {
    this._token = token == null || token === '' ? null : String(token);
    return this;
  }

  // Ours: callback(expiredToken) is called when the server says the token has expired (or
  // its own expiry has passed), once per token. It returns the fresh token (or a promise
  // of it), which is set and applied at once; or it calls setToken() and execute() itself.
  onTokenExpired(callback) {
    this._onExpired = typeof callback === 'function' ? callback : null;
    return this;
  }

  // `used`: the tokens the refused attempt carried. A refusal of an attempt made before the
  // page's fresh token was set says nothing about that token: the page is not asked again.
  _expired(used) {
    const token = this._token;
    if (!this._onExpired || token == null || this._askedFor === token) return;
    if (Array.isArray(used) && !used.includes(token)) return;
    this._askedFor = token;
    let fresh;
    try {
      fresh = this._onExpired(token);
    } catch (e) {
      return report(e);
    }
    Promise.resolve(fresh).then((t) => {
      if (typeof t === 'string' && t && t !== this._token) this.setToken(t).execute();
    }, report);
  }

  // Ids go on the wire as LOGIN_ + namespace + id.
  logon(login) {
    this._login = login;
    return this;
  }

  // Listen to an id from this cursor (0: everything the server still holds) from the next execute().
  setCursor(id, cursor) {
    this._subs.setCursor(id, cursor);
    return this;
  }

  subscribe(id, callback) {
    this._subs.subscribe(id, callback);
    return this;
  }

  // Takes effect at once (no execute() needed to stop the calls); callback null drops all.
  unsubscribe(id, callback) {
    this._subs.unsubscribe(id, callback);
    return this;
  }

  // Apply subscriptions and cursors. Calls in one go (or from inside a callback) make at
  // most one new request, and none if what is listened to has not changed.
  execute() {
    if (!this._queued) {
      this._queued = true;
      Promise.resolve().then(() => {
        this._queued = false;
        this._sync();
      });
    }
    return this;
  }

  _sync() {
    const subs = this._subs;
    subs.prefix = (this._login != null ? this._login + '_' : '') + this._namespace;
    if (!this._link) {
      const member = {
        listening: () => Object.assign(subs.listening(), { tokens: this._token ? [this._token] : [] }),
        parts: (parts) => subs.dispatch(parts),
        cursors: (cursors) => subs.fill(cursors),
        expired: (tokens) => this._expired(tokens),
      };
      const makeHub = (broadcast, settle) =>
        new Hub((target, sink) => new Connection(this._url, this._kinds, target, sink), broadcast, settle);
      this._link = this._shared ? new SharedLink(this._url, makeHub, member) : localLink(makeHub, member);
    }
    this._link.update();
  }
}

// A connection of this client's own.
function localLink(makeHub, member) {
  const hub = makeHub((msg) => (msg.parts ? member.parts(msg.parts) : msg.expired ? member.expired(msg.tokens) : member.cursors(msg.cursors)), 0);
  return {
    update() {
      const { ids, asked, tokens } = member.listening();
      hub.set('self', ids, asked, undefined, tokens);
    },
  };
}
