// One client's ids: callbacks and the cursor of the last message handed to them.
import { compareCursors } from './cursor.mjs';

const report = (e) => (typeof reportError === 'function' ? reportError(e) : console.error(e));

export class Subscriptions {
  constructor() {
    this.map = new Map(); // id without namespace -> {cursor: string|null, callbacks: [], asked: bool}
    this.prefix = ''; // namespace glued in front of every id on the wire
  }

  entry(id) {
    let e = this.map.get(id);
    if (!e) this.map.set(id, (e = { cursor: null, callbacks: [], asked: false }));
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
    const e = fullId.startsWith(this.prefix) ? this.map.get(fullId.slice(this.prefix.length)) : undefined;
    return e && e.callbacks.length ? e : undefined;
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
        if (!e || (e.cursor != null && compareCursors(cursor, e.cursor) <= 0)) continue;
        e.cursor = cursor;
        const id = fullId.slice(this.prefix.length);
        for (const callback of e.callbacks.slice()) {
          // A callback may unsubscribe another one; the rest must run even if one throws.
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
}
