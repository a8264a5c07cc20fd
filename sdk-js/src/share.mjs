// One connection for all tabs of a site: the leading tab holds it and relays every message
// over a BroadcastChannel; the other tabs send it what they listen to. The lead is held
// with a Web Lock where the page may use one (secure contexts), which passes to a waiting
// tab when the leader closes; elsewhere the leader announces itself every second and the
// others claim the lead when it falls silent (the lowest tab id wins a tie).
//
// Messages: {t, from, ...}: hello (who leads?), lead (I do), claim (I will, unless someone
// objects), sub (my list: ids, asked, tokens), bye (I am leaving), parts / cursors (relayed data),
// expired (the server refused an expired subscription token).

const BEAT = 1000; // leader's announcement period without locks, and the housekeeping tick
const SILENCE = 3500; // without locks: no announcement for this long means no leader
const CLAIM_WAIT = 200; // time for a live leader or a lower claimant to object
const HELLO_WAIT = 300; // time for a live leader to answer a newcomer
const RESEND = 10000; // members repeat their list so the leader can drop tabs that vanished
const MEMBER_TIMEOUT = 150000; // generous: timers of background tabs may run once a minute

export class SharedLink {
  // makeHub(broadcast, settle) -> Hub; member: {listening(), parts(parts), cursors(map), expired()}.
  constructor(url, makeHub, member) {
    this.makeHub = makeHub;
    this.member = member;
    this.name = 'dklab_realplexor/1 ' + url;
    this.me = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
    this.locks = typeof navigator === 'object' && navigator.locks ? navigator.locks : null;
    this.hub = null; // while this tab leads
    this.leader = null; // tab id of the leader as last heard
    this.heard = 0; // when the leader was last heard
    this.sent = 0; // when this tab last sent its list
    this.claiming = false;
    this.active = false; // wants a connection (execute() was called)
    if (typeof addEventListener !== 'function') return; // not a page (a worker, node)
    addEventListener('pagehide', () => this.leave());
    addEventListener('pageshow', (e) => e.persisted && this.active && this.join());
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
    this.post({ t: 'hello' });
    if (this.locks) {
      this.abort = new AbortController();
      this.locks
        .request(this.name, { signal: this.abort.signal }, () => new Promise((release) => {
          this.release = release;
          this.lead();
        }))
        .catch(() => {}); // aborted while waiting: the page went away
    } else {
      setTimeout(() => this.leader || this.claim(), HELLO_WAIT);
    }
  }

  leave() {
    if (!this.channel) return;
    this.post({ t: 'bye' });
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
    if (!this.hub && !this.leader) return; // sent once a leader is known
    const { ids, asked, tokens } = this.member.listening();
    if (this.hub) this.hub.set(this.me, ids, asked, undefined, tokens);
    else this.post({ t: 'sub', ids, asked, tokens });
  }

  lead() {
    this.claiming = false;
    this.leader = this.me;
    this.hub = this.makeHub((msg) => {
      if (msg.expired) {
        this.post({ t: 'expired', tokens: msg.tokens });
        this.member.expired(msg.tokens);
        return;
      }
      this.post(msg.parts ? { t: 'parts', parts: msg.parts } : { t: 'cursors', cursors: msg.cursors });
      if (msg.parts) this.member.parts(msg.parts);
      else this.member.cursors(msg.cursors);
    }, 50);
    this.sendList();
    this.post({ t: 'lead' });
  }

  claim() {
    if (this.hub || this.claiming || !this.channel) return;
    this.claiming = true;
    this.post({ t: 'claim' });
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
      case 'hello':
        if (this.hub) this.post({ t: 'lead' });
        break;
      case 'claim':
        if (this.hub) this.post({ t: 'lead' });
        else if (this.claiming && from < this.me) this.follow(null);
        break;
      case 'lead':
        // Two leaders (possible only without locks): the lower id keeps the lead.
        if (this.hub && from > this.me) {
          this.post({ t: 'lead' });
          break;
        }
        if (this.hub) this.hub.stop();
        this.hub = null;
        this.follow(from);
        break;
      case 'sub':
        if (this.hub) this.hub.set(from, msg.ids, msg.asked, undefined, msg.tokens);
        break;
      case 'bye':
        if (this.hub) this.hub.drop(from);
        if (from === this.leader) {
          this.leader = null;
          if (!this.locks) setTimeout(() => this.leader || this.claim(), Math.random() * 100);
        }
        break;
      case 'parts':
        if (!this.hub) this.member.parts(msg.parts);
        break;
      case 'cursors':
        if (!this.hub) this.member.cursors(msg.cursors);
        break;
      case 'expired':
        if (!this.hub) this.member.expired(msg.tokens);
        break;
    }
  }

  tick() {
    const now = Date.now();
    if (this.hub) {
      if (!this.locks) this.post({ t: 'lead' });
      this.hub.prune(now - MEMBER_TIMEOUT, this.me);
    } else {
      if (!this.locks && now - this.heard > SILENCE) this.claim();
      if (now - this.sent > RESEND) this.sendList();
    }
  }
}
