import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GET_LIMIT, identifierList, parseCursorList, parseFrame, parsePollAnswer, pollRequest, socketUrl, streamUrl } from '../../src/protocol.mjs';

test('identifier lists put the cursor before the id and leave it out for "from now"', () => {
  assert.equal(identifierList({ demo_a: null, demo_b: '10', demo_c: '1795310370.48286000100000' }), 'demo_a,10:demo_b,1795310370.48286000100000:demo_c');
  assert.equal(identifierList({}), '');
});

test('SSE event ids parse back into cursors', () => {
  assert.deepEqual(parseCursorList('1795310371.1:abc,30:def'), { abc: '1795310371.1', def: '30' });
  assert.deepEqual(parseCursorList('abc,1e5:x,12.:y,7:ok'), { ok: '7' });
});

test('a short list is a GET with a cache-buster and keepalive=1, the URL query kept', () => {
  assert.deepEqual(pollRequest('http://rpl.test/', { a: '1', b: null }, 42), { method: 'GET', url: 'http://rpl.test/?identifier=1:a,b&keepalive=1&ncrnd=42' });
  // The original's demo gave its URL a query of its own.
  assert.deepEqual(pollRequest('http://rpl.test/?0#x', { a: null }, 7), { method: 'GET', url: 'http://rpl.test/?0&identifier=a&keepalive=1&ncrnd=7' });
  assert.equal(streamUrl('http://rpl.test/', { a: '5' }), 'http://rpl.test/?identifier=5:a');
});

test('the WebSocket URL is ws:// for http:// and wss:// for https://, port, path and query kept', () => {
  assert.equal(socketUrl('http://rpl.test:8088/', { a: '5' }), 'ws://rpl.test:8088/?identifier=5:a');
  assert.equal(socketUrl('https://rpl.test/', { a: null }), 'wss://rpl.test/?identifier=a');
  assert.equal(socketUrl('https://rpl.test:8443/realplexor/?v=2#top', { a: '1', b: null }),
    'wss://rpl.test:8443/realplexor/?v=2&identifier=1:a,b');
  // The same for long-poll and EventSource: they keep https://.
  assert.equal(streamUrl('https://rpl.test:8443/', { a: '1' }), 'https://rpl.test:8443/?identifier=1:a');
  assert.equal(pollRequest('https://rpl.test/', { a: null }, 3).url, 'https://rpl.test/?identifier=a&keepalive=1&ncrnd=3');
});

test('a long list is a text POST ending with a newline', () => {
  const ids = {};
  for (let i = 0; i < 200; i++) ids['channel_number_' + i] = null;
  const req = pollRequest('http://rpl.test/', ids);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'http://rpl.test/?keepalive=1');
  assert.equal(req.body, 'identifier=' + Object.keys(ids).join(',') + '\n');
  assert.ok(req.body.length > GET_LIMIT);
  // Just under the limit still goes by GET.
  const few = {};
  for (let i = 0; i < 80; i++) few['c' + i] = null;
  assert.equal(pollRequest('http://rpl.test/', few).method, 'GET');
});

// The answer of PROTOCOL.md section 4, as the server writes it after its head.
const ANSWER =
  ' \r\n[\n  {\n    "ids": { "abc": "20", "def": "30" },\n    "data": {"text":"hi"}\n  },\n' +
  '  {\n    "ids": { "abc": "25" },\n    "data":\n{"multi":\n"line"}\n  }\n]';

test('a long-poll answer gives its parts with cursors as strings', () => {
  assert.deepEqual(parsePollAnswer(ANSWER), [
    { ids: { abc: '20', def: '30' }, data: { text: 'hi' } },
    { ids: { abc: '25' }, data: { multi: 'line' } },
  ]);
});

test('an empty or blank answer (WAIT_TIMEOUT) gives no parts', () => {
  assert.deepEqual(parsePollAnswer(''), []);
  assert.deepEqual(parsePollAnswer(' \r\n'), []);
});

test('garbage is an error, not an empty answer', () => {
  assert.throws(() => parsePollAnswer('<html>502 Bad Gateway</html>'), /not a Realplexor answer/);
  assert.throws(() => parsePollAnswer(' \r\n[{"nodata":1}]'), /"data"/);
});

test('a message that is not JSON comes through as its raw text, the others parsed', () => {
  const text = ' \r\n[\n  {\n    "ids": { "a": "1" },\n    "data": hello world\n  },\n  {\n    "ids": { "a": "2" },\n    "data": {"n":2}\n  }\n]';
  assert.deepEqual(parsePollAnswer(text), [
    { ids: { a: '1' }, data: 'hello world' },
    { ids: { a: '2' }, data: { n: 2 } },
  ]);
});

test('stream frames are parts or cursors', () => {
  assert.deepEqual(parseFrame('{"cursors":{"abc":"1795310370.48286000100000","def":"30"}}'), {
    cursors: { abc: '1795310370.48286000100000', def: '30' },
  });
  assert.deepEqual(parseFrame('{"ids":{"abc":"31"},"data":[1,2]}'), { part: { ids: { abc: '31' }, data: [1, 2] } });
  assert.deepEqual(parseFrame('{"ids":{"abc":"32"},"data":not json}'), { part: { ids: { abc: '32' }, data: 'not json' } });
  // A message whose data has a "cursors" key is still a message.
  assert.deepEqual(parseFrame('{"ids":{"x":"1"},"data":{"cursors":1}}'), { part: { ids: { x: '1' }, data: { cursors: 1 } } });
});
