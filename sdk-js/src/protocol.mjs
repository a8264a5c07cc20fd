// The WAIT line's wire formats (PROTOCOL.md section 4, STREAMING.md): building
// identifier lists and requests, parsing answers and frames.

// Over this many characters a GET URL may be cut by proxies: long-poll POSTs instead.
export const GET_LIMIT = 1700;

// {fullId: cursor|null} -> "10:abc,def" (no cursor = only what is published from now on).
export const identifierList = (ids) =>
  Object.keys(ids).map((id) => (ids[id] == null ? id : ids[id] + ':' + id)).join(',');

// "10:abc,def" -> {abc: "10"}; items without a cursor are left out.
export function parseCursorList(list) {
  const out = {};
  for (const item of String(list).split(',')) {
    const m = /^(\d+(?:\.\d+)?):(\w+)$/.exec(item);
    if (m) out[m[2]] = m[1];
  }
  return out;
}

const withQuery = (url, query) => url.replace(/#.*/, '') + (url.includes('?') ? '&' : '?') + query;

// Subscription tokens (PROTOCOL.md section 14) ride in the URL as token=...: every
// transport can carry them, and a query parameter needs no CORS preflight.
export const tokenUrl = (url, tokens) =>
  tokens && tokens.length ? withQuery(url, tokens.map((t) => 'token=' + encodeURIComponent(t)).join('&')) : url;

// A token's expiry, unix seconds (its first field; the payload is plain text), or null.
export function tokenExpiry(token) {
  const m = /^(\d{1,12})\./.exec(String(token));
  return m ? Number(m[1]) : null;
}

export const streamUrl = (url, ids) => withQuery(url, 'identifier=' + identifierList(ids));

// The WebSocket address of the same WAIT line: http: -> ws:, https: -> wss: (a page on
// https may open only wss://), host, port, path and query kept.
export const socketUrl = (url, ids) => streamUrl(url, ids).replace(/^http(s?):/i, 'ws$1:');

// A long-poll request: GET with a cache-buster, or for long lists a text/plain POST whose
// body ends with "\n" (the server recognises the list only once another character follows).
// Neither carries custom headers, so a cross-origin poll needs no CORS preflight. Both ask
// the server to keep the connection for the next poll (keepalive=1: an answer with a length,
// so the browser reuses the connection instead of paying a TCP and TLS handshake per
// delivery; the original server ignores it).
export function pollRequest(url, ids, now = Date.now()) {
  const param = 'identifier=' + identifierList(ids);
  if (url.length + param.length < GET_LIMIT) {
    return { method: 'GET', url: withQuery(url, param + '&keepalive=1&ncrnd=' + now) };
  }
  return { method: 'POST', url: withQuery(url, 'keepalive=1'), body: param + '\n' };
}

const checked = (part) => {
  if (!part || typeof part.ids !== 'object' || !('data' in part)) throw new Error('no "ids" or "data" in a part');
  return part;
};

const PART_HEAD = /\{\s*"ids"\s*:\s*(\{[^{}]*\})\s*,\s*"data"\s*:\s*/g;

// Fallback for a message whose body is not JSON (the server splices it byte for byte, so
// one bad publish would make the whole answer unparsable and be fetched again forever):
// cut the parts at their known heads and hand such data over as the raw string.
function splitParts(text) {
  const heads = [];
  const re = new RegExp(PART_HEAD);
  for (let h; (h = re.exec(text)); ) heads.push(h);
  if (!heads.length) throw new Error('not a Realplexor answer: ' + text.slice(0, 80));
  return heads.map((h, i) => {
    const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
    const raw = text.slice(h.index + h[0].length, end).replace(/\s*\}\s*(,\s*|\]\s*)?$/, '');
    let data;
    try { data = JSON.parse(raw); } catch { data = raw; }
    return { ids: JSON.parse(h[1]), data };
  });
}

// Long-poll answer -> parts [{ids: {fullId: cursor}, data}]. Anything before the array
// (the " \r\n" the server writes at once) is skipped; an empty or blank answer means the
// server's WAIT_TIMEOUT ran out and gives no parts.
export function parsePollAnswer(text) {
  const start = text.indexOf('[');
  if (start < 0) {
    if (/^\s*$/.test(text)) return [];
    throw new Error('not a Realplexor answer: ' + text.slice(0, 80));
  }
  const body = text.slice(start);
  let parts;
  try { parts = JSON.parse(body); } catch { return splitParts(body); }
  if (!Array.isArray(parts)) throw new Error('answer is not an array');
  return parts.map(checked);
}

// One streamed frame: {"ids":...,"data":RAW} (SSE data, WebSocket) or {"cursors":...}
// (WebSocket's first frame). Returns {cursors} or {part}.
export function parseFrame(text) {
  let frame;
  try { frame = JSON.parse(text); } catch { return { part: splitParts(text)[0] }; }
  if (frame && frame.cursors && !('data' in frame)) return { cursors: frame.cursors };
  return { part: checked(frame) };
}
