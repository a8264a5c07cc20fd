/* dklab-realplexor 2.0.0: browser client for Realplexor */

// src/backoff.mjs
function backoffDelay(failures, random = Math.random) {
  if (failures <= 0) return 0;
  const step = failures === 1 ? 200 : Math.min(3e4, 500 * 2 ** (failures - 2));
  return Math.round(step * (0.5 + random() / 2));
}

// src/protocol.mjs
var GET_LIMIT = 1700;
var identifierList = (ids) => Object.keys(ids).map((id) => ids[id] == null ? id : ids[id] + ":" + id).join(",");
function parseCursorList(list) {
  const out = {};
  for (const item of String(list).split(",")) {
    const m = /^(\d+(?:\.\d+)?):(\w+)$/.exec(item);
    if (m) out[m[2]] = m[1];
  }
  return out;
}
var withQuery = (url, query) => url.replace(/#.*/, "") + (url.includes("?") ? "&" : "?") + query;
var tokenUrl = (url, tokens) => tokens && tokens.length ? withQuery(url, tokens.map((t) => "token=" + encodeURIComponent(t)).join("&")) : url;
function tokenExpiry(token) {
  const m = /^(\d{1,12})\./.exec(String(token));
  return m ? Number(m[1]) : null;
}
var streamUrl = (url, ids) => withQuery(url, "identifier=" + identifierList(ids));
var socketUrl = (url, ids) => streamUrl(url, ids).replace(/^http(s?):/i, "ws$1:");
function pollRequest(url, ids, now = Date.now()) {
  const param = "identifier=" + identifierList(ids);
  if (url.length + param.length < GET_LIMIT) {
    return { method: "GET", url: withQuery(url, param + "&keepalive=1&ncrnd=" + now) };
  }
  return { method: "POST", url: withQuery(url, "keepalive=1"), body: param + "\n" };
}
var checked = (part) => {
  if (!part || typeof part.ids !== "object" || !("data" in part)) throw new Error('no "ids" or "data" in a part');
  return part;
};
var PART_HEAD = /\{\s*"ids"\s*:\s*(\{[^{}]*\})\s*,\s*"data"\s*:\s*/g;
function splitParts(text) {
  const heads = [];
  const re = new RegExp(PART_HEAD);
  for (let h; h = re.exec(text); ) heads.push(h);
  if (!heads.length) throw new Error("not a Realplexor answer: " + text.slice(0, 80));
  return heads.map((h, i) => {
    const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
    const raw = text.slice(h.index + h[0].length, end).replace(/\s*\}\s*(,\s*|\]\s*)?$/, "");
    let data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      data = raw;
    }
    return { ids: JSON.parse(h[1]), data };
  });
}
function parsePollAnswer(text) {
  const start = text.indexOf("[");
  if (start < 0) {
    if (/^\s*$/.test(text)) return [];
    throw new Error("not a Realplexor answer: " + text.slice(0, 80));
  }
  const body = text.slice(start);
  let parts;
  try {
    parts = JSON.parse(body);
  } catch (e) {
    return splitParts(body);
  }
  if (!Array.isArray(parts)) throw new Error("answer is not an array");
  return parts.map(checked);
}
function parseFrame(text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch (e) {
    return { part: splitParts(text)[0] };
  }
  if (frame && frame.cursors && !("data" in frame)) return { cursors: frame.cursors };
  return { part: checked(frame) };
}

// src/transports.mjs
var warn = (what, e) => console.warn("Dklab_Realplexor: " + what + ":", e);
function longpoll(url, ids, on) {
  const abort = new AbortController();
  const req = pollRequest(url, ids);
  let live = true;
  fetch(req.url, { method: req.method, body: req.body, signal: abort.signal }).then((res) => {
    if (res.headers.get("X-Realplexor-Token") === "expired" && on.expired) on.expired();
    if (!res.ok) throw new Error("HTTP " + res.status);
    on.open();
    return res.text();
  }).then((text) => {
    let parts;
    try {
      parts = parsePollAnswer(text);
    } catch (e) {
      return warn("bad answer", e);
    }
    if (live && parts.length) on.parts(parts);
  }).catch(() => {
  }).finally(() => {
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
function eventsource(url, ids, on) {
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
      warn("bad event", err);
    }
    if (e.lastEventId) on.cursors(parseCursorList(e.lastEventId));
  };
  es.addEventListener("cursors", (e) => {
    try {
      const frame = parseFrame(e.data);
      if (frame.cursors) on.cursors(frame.cursors);
    } catch (err) {
      warn("bad cursors event", err);
    }
  });
  es.onerror = () => {
    if (es.readyState === 2 || !opened || ++errors > 3) {
      stop();
      on.end();
    }
  };
  return stop;
}
function websocket(url, ids, on) {
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
      return warn("bad frame", err);
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
var TRANSPORTS = { websocket, eventsource, longpoll };
var GLOBALS = { websocket: "WebSocket", eventsource: "EventSource", longpoll: "fetch" };
var available = () => Object.keys(TRANSPORTS).filter((name) => typeof globalThis[GLOBALS[name]] === "function");

// src/connection.mjs
var HEALTHY_MS = 1e3;
var DOUBT_AFTER = 6;
var Connection = class {
  // kinds: transport names, best first; sink: {parts(parts), cursors(map)} and, for signed
  // subscriptions, {tokens() -> [token], expired()}.
  constructor(url, kinds, target, sink, transports = TRANSPORTS) {
    this.transports = transports;
    this.url = url;
    this.kinds = kinds;
    this.target = target;
    this.sink = sink;
    this.level = 0;
    this.proven = {};
    this.failures = 0;
    this.stopAttempt = null;
    this.timer = null;
    this.probe = false;
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
    if (tokens.some((t) => tokenExpiry(t) !== null && tokenExpiry(t) * 1e3 <= Date.now())) this.sink.expired(tokens);
    const url = tokenUrl(this.url, tokens);
    let kind = this.kinds[this.level];
    const probing = this.probe && !!this.transports.longpoll;
    this.probe = false;
    if (probing) kind = "longpoll";
    if (kind !== "longpoll" && streamUrl(url, ids).length > GET_LIMIT && this.kinds.includes("longpoll")) kind = "longpoll";
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
        if (!opened && tokens.length && kind !== "longpoll") this.probe = true;
        this.ended(kind, opened, got || opened && Date.now() - started >= HEALTHY_MS, probing);
      }
    });
  }
  ended(kind, opened, healthy, probing = false) {
    if (healthy) {
      this.failures = 0;
    } else if (probing) {
      this.failures++;
    } else if (!opened && !this.proven[kind]) {
      if (++this.level < this.kinds.length) return this.connect();
      this.level = 0;
      this.failures++;
    } else if (++this.failures >= DOUBT_AFTER) {
      this.proven = {};
    }
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.failures));
  }
};

// src/cursor.mjs
var split = (c) => {
  const [int, frac = ""] = String(c).split(".");
  return [int.replace(/^0+/, ""), frac.replace(/0+$/, "")];
};
function compareCursors(a, b) {
  const [ai, af] = split(a);
  const [bi, bf] = split(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return af === bf ? 0 : af < bf ? -1 : 1;
}
var maxCursor = (a, b) => a == null ? b : b == null ? a : compareCursors(a, b) < 0 ? b : a;
var minCursor = (a, b) => a == null ? b : b == null ? a : compareCursors(a, b) > 0 ? b : a;

// src/hub.mjs
var Hub = class {
  // openConnection(target, sink) -> {restart(), stop()}. broadcast(msg) reaches every
  // member, msg being {parts}, {cursors} or {expired} (the server refused an expired token). The first connection waits `settle` ms so that
  // the lists of other tabs, asked for when this tab took the lead, are in it.
  constructor(openConnection, broadcast, settle = 0) {
    this.members = /* @__PURE__ */ new Map();
    this.cur = {};
    this.key = null;
    this.replay = false;
    this.broadcast = broadcast;
    this.settle = settle;
    this.timer = null;
    this.conn = openConnection(() => this.target(), {
      parts: (parts) => this.onParts(parts),
      cursors: (cursors) => this.onCursors(cursors),
      tokens: () => this.tokens(),
      expired: (tokens) => this.broadcast({ expired: true, tokens })
    });
  }
  // A member's whole list: ids with its position in each (null: from now on), the ids
  // whose cursor it has explicitly set (setCursor) since its previous list, and its
  // subscription tokens.
  set(member, ids, asked = [], now = Date.now(), tokens = []) {
    this.members.set(member, { ids, seen: now, tokens: tokens || [] });
    const known = {};
    for (const id in ids) {
      const want = ids[id];
      const at = this.cur[id];
      if (want != null && (at == null || asked.includes(id) && compareCursors(want, at) < 0)) {
        this.cur[id] = want;
        this.replay = true;
      } else if (want == null && at != null) {
        known[id] = at;
      }
    }
    if (Object.keys(known).length) this.broadcast({ cursors: known });
    this.schedule();
  }
  drop(member) {
    if (this.members.delete(member)) this.schedule();
  }
  // Forget members not heard of since `before` (tabs that went away without a goodbye).
  prune(before, keep) {
    for (const [member, m] of this.members) if (member !== keep && m.seen < before) this.drop(member);
  }
  stop() {
    clearTimeout(this.timer);
    this.conn.stop();
  }
  // Changes arriving together (several subscribe/execute calls, several tabs) make one reconnect.
  schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.settle = 0;
      const key = Object.keys(this.union()).sort().join() + " " + this.tokens().join(" ");
      if (key !== this.key || this.replay) {
        this.key = key;
        this.replay = false;
        this.conn.restart();
      }
    }, this.settle);
  }
  // Every id some member listens to, with the lowest cursor a member asked for.
  union() {
    const out = {};
    for (const { ids } of this.members.values()) for (const id in ids) out[id] = minCursor(out[id], ids[id]);
    return out;
  }
  // Every member's subscription tokens, each once (the server adds up what they grant).
  tokens() {
    const out = [];
    for (const { tokens } of this.members.values()) for (const t of tokens) if (!out.includes(t)) out.push(t);
    return out;
  }
  // What to listen to now: {fullId: cursor|null}.
  target() {
    const out = this.union();
    for (const id in this.cur) if (!(id in out)) delete this.cur[id];
    for (const id in out) out[id] = this.cur[id] = this.cur[id] == null ? out[id] : this.cur[id];
    return out;
  }
  onParts(parts) {
    for (const part of parts) for (const id in part.ids) this.cur[id] = maxCursor(this.cur[id], part.ids[id]);
    this.broadcast({ parts });
  }
  // Concrete cursors from a stream: those of ids listened "from now on" are news.
  onCursors(cursors) {
    const news = {};
    for (const id in cursors) {
      if (!(id in this.cur)) continue;
      if (this.cur[id] == null) news[id] = cursors[id];
      this.cur[id] = maxCursor(this.cur[id], cursors[id]);
    }
    if (Object.keys(news).length) this.broadcast({ cursors: news });
  }
};

// src/share.mjs
var BEAT = 1e3;
var SILENCE = 3500;
var CLAIM_WAIT = 200;
var HELLO_WAIT = 300;
var RESEND = 1e4;
var MEMBER_TIMEOUT = 15e4;
var SharedLink = class {
  // makeHub(broadcast, settle) -> Hub; member: {listening(), parts(parts), cursors(map), expired()}.
  constructor(url, makeHub, member) {
    this.makeHub = makeHub;
    this.member = member;
    this.name = "dklab_realplexor/1 " + url;
    this.me = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
    this.locks = typeof navigator === "object" && navigator.locks ? navigator.locks : null;
    this.hub = null;
    this.leader = null;
    this.heard = 0;
    this.sent = 0;
    this.claiming = false;
    this.active = false;
    if (typeof addEventListener !== "function") return;
    addEventListener("pagehide", () => this.leave());
    addEventListener("pageshow", (e) => e.persisted && this.active && this.join());
  }
  // The member's list changed.
  update() {
    if (!this.active) {
      this.active = true;
      this.join();
    }
    this.sendList();
  }
  join() {
    this.channel = new BroadcastChannel(this.name);
    this.channel.onmessage = (e) => this.receive(e.data);
    this.heard = Date.now();
    this.ticker = setInterval(() => this.tick(), BEAT);
    this.post({ t: "hello" });
    if (this.locks) {
      this.abort = new AbortController();
      this.locks.request(this.name, { signal: this.abort.signal }, () => new Promise((release) => {
        this.release = release;
        this.lead();
      })).catch(() => {
      });
    } else {
      setTimeout(() => this.leader || this.claim(), HELLO_WAIT);
    }
  }
  leave() {
    if (!this.channel) return;
    this.post({ t: "bye" });
    clearInterval(this.ticker);
    if (this.hub) this.hub.stop();
    this.hub = this.leader = null;
    this.claiming = false;
    if (this.locks) {
      this.abort.abort();
      if (this.release) this.release();
      this.release = null;
    }
    this.channel.close();
    this.channel = null;
  }
  post(msg) {
    if (this.channel) this.channel.postMessage(Object.assign({ from: this.me }, msg));
  }
  sendList() {
    this.sent = Date.now();
    if (!this.hub && !this.leader) return;
    const { ids, asked, tokens } = this.member.listening();
    if (this.hub) this.hub.set(this.me, ids, asked, void 0, tokens);
    else this.post({ t: "sub", ids, asked, tokens });
  }
  lead() {
    this.claiming = false;
    this.leader = this.me;
    this.hub = this.makeHub((msg) => {
      if (msg.expired) {
        this.post({ t: "expired", tokens: msg.tokens });
        this.member.expired(msg.tokens);
        return;
      }
      this.post(msg.parts ? { t: "parts", parts: msg.parts } : { t: "cursors", cursors: msg.cursors });
      if (msg.parts) this.member.parts(msg.parts);
      else this.member.cursors(msg.cursors);
    }, 50);
    this.sendList();
    this.post({ t: "lead" });
  }
  claim() {
    if (this.hub || this.claiming || !this.channel) return;
    this.claiming = true;
    this.post({ t: "claim" });
    setTimeout(() => this.claiming && this.lead(), CLAIM_WAIT);
  }
  follow(leader) {
    this.claiming = false;
    this.heard = Date.now();
    if (this.leader === leader) return;
    this.leader = leader;
    this.sendList();
  }
  receive(msg) {
    const from = msg.from;
    switch (msg.t) {
      case "hello":
        if (this.hub) this.post({ t: "lead" });
        break;
      case "claim":
        if (this.hub) this.post({ t: "lead" });
        else if (this.claiming && from < this.me) this.follow(null);
        break;
      case "lead":
        if (this.hub && from > this.me) {
          this.post({ t: "lead" });
          break;
        }
        if (this.hub) this.hub.stop();
        this.hub = null;
        this.follow(from);
        break;
      case "sub":
        if (this.hub) this.hub.set(from, msg.ids, msg.asked, void 0, msg.tokens);
        break;
      case "bye":
        if (this.hub) this.hub.drop(from);
        if (from === this.leader) {
          this.leader = null;
          if (!this.locks) setTimeout(() => this.leader || this.claim(), Math.random() * 100);
        }
        break;
      case "parts":
        if (!this.hub) this.member.parts(msg.parts);
        break;
      case "cursors":
        if (!this.hub) this.member.cursors(msg.cursors);
        break;
      case "expired":
        if (!this.hub) this.member.expired(msg.tokens);
        break;
    }
  }
  tick() {
    const now = Date.now();
    if (this.hub) {
      if (!this.locks) this.post({ t: "lead" });
      this.hub.prune(now - MEMBER_TIMEOUT, this.me);
    } else {
      if (!this.locks && now - this.heard > SILENCE) this.claim();
      if (now - this.sent > RESEND) this.sendList();
    }
  }
};

// src/subscriptions.mjs
var report = (e) => typeof reportError === "function" ? reportError(e) : console.error(e);
var Subscriptions = class {
  constructor() {
    this.map = /* @__PURE__ */ new Map();
    this.prefix = "";
  }
  entry(id) {
    let e = this.map.get(id);
    if (!e) this.map.set(id, e = { cursor: null, callbacks: [], asked: false });
    return e;
  }
  subscribe(id, callback) {
    const callbacks = this.entry(id).callbacks;
    if (!callbacks.includes(callback)) callbacks.push(callback);
  }
  unsubscribe(id, callback) {
    const e = this.map.get(id);
    if (!e) return;
    if (callback == null) e.callbacks = [];
    else if (e.callbacks.includes(callback)) e.callbacks.splice(e.callbacks.indexOf(callback), 1);
  }
  setCursor(id, cursor) {
    const e = this.entry(id);
    e.cursor = cursor == null ? null : String(cursor);
    e.asked = true;
  }
  // What to listen to: {ids: {fullId: cursor|null}, asked: [fullIds set by setCursor since
  // the previous call]}. Ids without callbacks are not listened to.
  listening() {
    const ids = {};
    const asked = [];
    for (const [id, e] of this.map) {
      if (!e.callbacks.length) continue;
      ids[this.prefix + id] = e.cursor;
      if (e.asked) asked.push(this.prefix + id);
      e.asked = false;
    }
    return { ids, asked };
  }
  own(fullId) {
    const e = fullId.startsWith(this.prefix) ? this.map.get(fullId.slice(this.prefix.length)) : void 0;
    return e && e.callbacks.length ? e : void 0;
  }
  // Ids listened to "from now on" learn where "now" was.
  fill(cursors) {
    for (const fullId in cursors) {
      const e = this.own(fullId);
      if (e && e.cursor == null) e.cursor = cursors[fullId];
    }
  }
  // Hand messages to callbacks as (data, id, cursor), each message once per id: whatever
  // is not newer than an id's cursor was delivered already (a replay after a reconnect or
  // relayed for another tab).
  dispatch(parts) {
    for (const part of parts) {
      for (const fullId in part.ids) {
        const e = this.own(fullId);
        const cursor = part.ids[fullId];
        if (!e || e.cursor != null && compareCursors(cursor, e.cursor) <= 0) continue;
        e.cursor = cursor;
        const id = fullId.slice(this.prefix.length);
        for (const callback of e.callbacks.slice()) {
          if (!e.callbacks.includes(callback)) continue;
          try {
            callback(part.data, id, cursor);
          } catch (err) {
            report(err);
          }
        }
      }
    }
  }
};

// src/client.mjs
var VERSION = "2.0.0";
var report2 = (e) => typeof reportError === "function" ? reportError(e) : console.error(e);
function resolveUrl(url) {
  const base = typeof location === "object" ? location.href : void 0;
  let u;
  try {
    u = new URL(url, base);
  } catch (e) {
    u = null;
  }
  if (!u || !/^https?:$/.test(u.protocol)) throw new TypeError("Dklab_Realplexor: the WAIT URL must be http(s), got " + url);
  return u.href;
}
var Dklab_Realplexor = class {
  // options (ours; the original's third argument, a boolean, is ignored):
  //   transport: 'websocket' | 'eventsource' | 'longpoll', or a list of them tried in order
  //   shared: false to keep this client's own connection instead of sharing one between tabs
  constructor(url, namespace, options) {
    const opts = options && typeof options === "object" ? options : {};
    this.version = VERSION;
    this._url = resolveUrl(url);
    this._namespace = namespace == null ? "" : String(namespace);
    this._login = null;
    this._subs = new Subscriptions();
    this._kinds = opts.transport ? [].concat(opts.transport) : available();
    for (const kind of this._kinds) if (!TRANSPORTS[kind]) throw new TypeError("Dklab_Realplexor: unknown transport " + kind);
    this._shared = opts.shared !== false && typeof BroadcastChannel === "function" && typeof addEventListener === "function";
    this._link = null;
    this._queued = false;
    this._token = null;
    this._onExpired = null;
    this._askedFor = void 0;
  }
  // Ours, for signed subscriptions (PROTOCOL.md section 14): the token the back end made
  // for this page's signed ids, sent as a query parameter (no CORS preflight) from the
  // next execute(); null drops it.
  setToken(token) {
    this._token = token == null || token === "" ? null : String(token);
    return this;
  }
  // Ours: callback(expiredToken) is called when the server says the token has expired (or
  // its own expiry has passed), once per token. It returns the fresh token (or a promise
  // of it), which is set and applied at once; or it calls setToken() and execute() itself.
  onTokenExpired(callback) {
    this._onExpired = typeof callback === "function" ? callback : null;
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
      return report2(e);
    }
    Promise.resolve(fresh).then((t) => {
      if (typeof t === "string" && t && t !== this._token) this.setToken(t).execute();
    }, report2);
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
    subs.prefix = (this._login != null ? this._login + "_" : "") + this._namespace;
    if (!this._link) {
      const member = {
        listening: () => Object.assign(subs.listening(), { tokens: this._token ? [this._token] : [] }),
        parts: (parts) => subs.dispatch(parts),
        cursors: (cursors) => subs.fill(cursors),
        expired: (tokens) => this._expired(tokens)
      };
      const makeHub = (broadcast, settle) => new Hub((target, sink) => new Connection(this._url, this._kinds, target, sink), broadcast, settle);
      this._link = this._shared ? new SharedLink(this._url, makeHub, member) : localLink(makeHub, member);
    }
    this._link.update();
  }
};
function localLink(makeHub, member) {
  const hub = makeHub((msg) => msg.parts ? member.parts(msg.parts) : msg.expired ? member.expired(msg.tokens) : member.cursors(msg.cursors), 0);
  return {
    update() {
      const { ids, asked, tokens } = member.listening();
      hub.set("self", ids, asked, void 0, tokens);
    }
  };
}
export {
  Dklab_Realplexor,
  Dklab_Realplexor as default
};
