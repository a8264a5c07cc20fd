// The side that holds the connection: the union of what its members listen to (the
// clients of this tab and, when the connection is shared, of other tabs), and the cursor
// the connection has reached for every id, so that every reconnect resumes exactly.
import { compareCursors, maxCursor, minCursor } from './cursor.mjs';

export class Hub {
  // openConnection(target, sink) -> {restart(), stop()}. broadcast(msg) reaches every
  // member, msg being {parts}, {cursors} or {expired} (the server refused an expired token). The first connection waits `settle` ms so that
  // the lists of other tabs, asked for when this tab took the lead, are in it.
  constructor(openConnection, broadcast, settle = 0) {
    this.members = new Map(); // member -> {ids: {fullId: cursor|null}, seen: time}
    this.cur = {}; // fullId -> cursor the connection has reached or was asked to start from
    this.key = null; // the ids the connection was last opened for
    this.replay = false; // some id must be listened to from an earlier cursor
    this.broadcast = broadcast;
    this.settle = settle;
    this.timer = null;
    this.conn = openConnection(() => this.target(), {
      parts: (parts) => this.onParts(parts),
      cursors: (cursors) => this.onCursors(cursors),
      tokens: () => this.tokens(),
      expired: (tokens) => this.broadcast({ expired: true, tokens }),
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
      // A position reported as lower than ours only lags behind relayed messages; an asked
      // one, or one for an id we have no cursor for, must be listened from.
      if (want != null && (at == null || (asked.includes(id) && compareCursors(want, at) < 0))) {
        this.cur[id] = want;
        this.replay = true;
      } else if (want == null && at != null) {
        known[id] = at;
      }
    }
    // A member listening "from now on" takes the position the connection has reached.
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
      // A new token is a reason to reconnect too: it may open ids the last request was refused.
      const key = Object.keys(this.union()).sort().join() + ' ' + this.tokens().join(' ');
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
}
