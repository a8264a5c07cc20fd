// A fake clock for unit tests: setTimeout, clearTimeout and (optionally) Date.now run on a
// clock that moves only when the test calls tick(ms). node:test has MockTimers, but its API
// differs between Node releases (Node 18 takes a bare list and cannot fake Date; Node 20.11+
// takes { apis }), so the tests use this one, which behaves the same on every Node >= 18.
//
// fakeTimers(t, { date: true }) installs it for test t and puts the real functions back when
// t ends; tick(ms) advances the clock by ms and runs, in due order, every timer that falls due
// on the way (timers those set run too when they fall due within the same tick).
export function fakeTimers(t, { date = false } = {}) {
  const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, now: Date.now };
  let now = 0;
  let seq = 0;
  const due = new Map(); // id -> { at, seq, fn, args }

  globalThis.setTimeout = (fn, ms = 0, ...args) => {
    const id = ++seq;
    due.set(id, { at: now + Math.max(0, Number(ms) || 0), seq: id, fn, args });
    return id;
  };
  globalThis.clearTimeout = (id) => {
    due.delete(id);
  };
  if (date) Date.now = () => now;

  t.after(() => {
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
    Date.now = real.now;
  });

  // The earliest timer due by `until`, ties in the order they were set.
  const next = (until) => {
    let first = null;
    for (const [id, timer] of due) {
      if (timer.at > until) continue;
      if (!first || timer.at < first[1].at || (timer.at === first[1].at && timer.seq < first[1].seq)) first = [id, timer];
    }
    return first;
  };

  return {
    tick(ms) {
      const until = now + ms;
      for (let found = next(until); found; found = next(until)) {
        const [id, timer] = found;
        due.delete(id);
        now = timer.at;
        timer.fn(...timer.args);
      }
      now = until;
    },
  };
}
