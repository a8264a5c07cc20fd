// The admin status page: polls the JSON endpoints of the admin listener and draws the rates
// itself on a <canvas> (nothing is loaded from elsewhere).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const state = { q: '', page: 0, size: 25, total: 0 };

  async function get(url) {
    const r = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!r.ok) throw new Error(url + ': ' + r.status);
    return r.json();
  }

  function uptime(ms) {
    let s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60);
    return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'm';
  }

  function text(el, value) { el.textContent = value; }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const [value, cls] of cells) {
      const td = document.createElement('td');
      if (cls) td.className = cls;
      td.textContent = value;
      tr.appendChild(td);
    }
    return tr;
  }

  async function summary() {
    const s = await get('api/summary');
    window.realplexorStatus = s;
    text($('meta'), 'v' + s.version + ' · engine ' + s.engine + ' · up ' + uptime(s.now - s.startedAt));
    const h = $('health');
    text(h, s.healthy ? 'UP' : 'DEGRADED');
    h.className = s.healthy ? '' : 'bad';
    text($('tcp'), fmt(s.connections.tcp));
    text($('polls'), fmt(s.connections.longPolls));
    text($('streams'), fmt(s.connections.streams));
    text($('ids'), fmt(s.listenedIds));
    text($('publishes'), fmt(s.publishes));
    text($('deliveries'), fmt(s.deliveries));
    const last = s.rates.length ? s.rates[s.rates.length - 1] : [0, 0, 0];
    text($('msg-now'), fmt(last[1]));
    text($('del-now'), fmt(last[2]));
    draw(s.rates, s.now);
    const cluster = $('cluster');
    cluster.hidden = s.nodes.length === 0;
    const body = $('nodes').tBodies[0];
    body.replaceChildren(...s.nodes.map((n) => row([[n.node], [n.heartbeatDueIn.toFixed(1) + ' s', 'num']])));
  }

  function draw(rates, now) {
    const c = $('chart');
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (c.width !== Math.round(w * ratio)) { c.width = Math.round(w * ratio); c.height = Math.round(h * ratio); }
    const g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    const left = 48, right = 8, top = 8, bottom = 20;
    const span = 600 * 1000;
    let max = 1;
    for (const r of rates) max = Math.max(max, r[1], r[2]);
    const step = niceStep(max / 4);
    max = Math.ceil(max / step) * step;
    c.dataset.points = String(rates.length);
    c.dataset.max = String(rates.reduce((m, r) => Math.max(m, r[1]), 0));
    const x = (t) => left + (w - left - right) * (1 - (now - t) / span);
    const y = (v) => top + (h - top - bottom) * (1 - v / max);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#6b7585';
    g.strokeStyle = '#e3e7ee';
    g.lineWidth = 1;
    for (let v = 0; v <= max; v += step) {
      g.beginPath(); g.moveTo(left, y(v) + 0.5); g.lineTo(w - right, y(v) + 0.5); g.stroke();
      g.textAlign = 'right'; g.fillText(fmt(v), left - 6, y(v) + 4);
    }
    for (let m = 10; m >= 0; m -= 2) {
      // The end labels stay inside the canvas.
      g.textAlign = m === 10 ? 'left' : m === 0 ? 'right' : 'center';
      g.fillText(m ? '-' + m + ' min' : 'now', x(now - m * 60000), h - 5);
    }
    line(g, rates, 2, '#1ea672', x, y);
    line(g, rates, 1, '#2f6fde', x, y);
  }

  function niceStep(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    for (const m of [1, 2, 5, 10]) if (raw <= m * p) return Math.max(1, m * p);
    return 10 * p;
  }

  function line(g, rates, k, color, x, y) {
    if (!rates.length) return;
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    rates.forEach((r, i) => (i ? g.lineTo(x(r[0]), y(r[k])) : g.moveTo(x(r[0]), y(r[k]))));
    g.stroke();
  }

  async function online() {
    const o = await get('api/online?q=' + encodeURIComponent(state.q) + '&page=' + state.page + '&size=' + state.size);
    state.total = o.total;
    const pages = Math.max(1, Math.ceil(o.total / state.size));
    if (state.page >= pages) { state.page = pages - 1; if (o.total) return online(); }
    $('online').tBodies[0].replaceChildren(...o.rows.map(([id, n]) => row([[id], [fmt(n), 'num']])));
    text($('pageinfo'), (state.page + 1) + ' / ' + pages);
    text($('online-total'), fmt(o.total) + (state.q ? ' matching' : '') + ' id(s) online');
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page + 1 >= pages;
  }

  async function events() {
    const e = await get('api/events?n=50');
    $('events').replaceChildren(...e.events.map((ev) => {
      const li = document.createElement('li');
      const type = document.createElement('span');
      type.className = ev.type;
      type.textContent = ev.type;
      li.append(type, ' ' + ev.pos + ' ' + ev.id);
      return li;
    }));
  }

  function every(ms, f) {
    const run = () => f().catch((e) => console.warn(e.message)).finally(() => setTimeout(run, ms));
    run();
  }

  let typing;
  $('q').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = $('q').value.trim(); state.page = 0; online(); }, 200);
  });
  $('prev').addEventListener('click', () => { if (state.page > 0) { state.page--; online(); } });
  $('next').addEventListener('click', () => { state.page++; online(); });
  every(2000, summary);
  every(3000, online);
  every(3000, events);
})();
