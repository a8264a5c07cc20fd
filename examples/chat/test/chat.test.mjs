// The chat sandbox end to end: the real Realplexor server, the chat back end (both jars) and
// two pages in headless Chromium, each in its own browser context (two visitors, two
// connections to the WAIT line).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium, startChat, until } from './harness.mjs';

let chat;
let browser;
const problems = []; // script errors and failed answers seen in any page
// Every test and hook has this limit: a hung browser, back end or server fails it instead of
// stalling the run (node --test has no --test-timeout before Node 20.11).
const LIMIT = { timeout: 120000 };

async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} for ${r.url()}`));
  await page.goto(chat.url);
  await page.locator('.pane[data-channel="Beta"]').waitFor();
  return page;
}

const pane = (page, channel) => page.locator(`.pane[data-channel="${channel}"]`);
// Waits for a message with exactly this text in the channel's pane.
const shown = (page, channel, text) =>
  pane(page, channel).locator('.msg .text').getByText(text, { exact: true }).waitFor({ timeout: 10000 });

async function post(page, channels, text) {
  for (const box of await page.locator('#targets input[type=checkbox]').all()) {
    await box.setChecked(channels.includes(await box.getAttribute('value')));
  }
  await page.fill('#text', text);
  await page.click('#send');
  await page.locator('#send-status', { hasText: 'Sent to ' + channels.join(', ') }).waitFor({ timeout: 10000 });
}

const listeners = async (channel) => (await chat.online())[channel];

before(async () => {
  // allSettled, not all: whichever half started must be kept so after() can stop it, or a
  // live browser keeps this process (and the whole test run) waiting forever.
  const [c, b] = await Promise.allSettled([startChat(), launchChromium()]);
  chat = c.value;
  browser = b.value;
  for (const r of [c, b]) if (r.status === 'rejected') throw r.reason;
}, LIMIT);

after(async () => {
  await browser?.close();
  await chat?.stop();
}, LIMIT);

test('the back end checks posts and reports online channels as JSON', LIMIT, async () => {
  let r = await chat.send({ channels: ['no-dash'], author: 'x', text: 'hi' });
  assert.equal(r.status, 400);
  assert.match(r.body.error, /invalid channel "no-dash"/);
  r = await chat.send({ channels: ['Alpha'], text: '   ' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'the message is empty');
  r = await chat.send({ channels: [], text: 'hi' });
  assert.equal(r.status, 400);
  assert.deepEqual(await chat.online(), {});
});

test('two visitors chat on Alpha, Beta and a channel added on the fly', LIMIT, async () => {
  const [one, two] = await Promise.all([openPage(), openPage()]);
  await one.fill('#author', 'Ann');

  // Both channels at once, from visitor one's form; markup in the text stays text.
  const hello = 'Hello <b>both</b> & "everyone"';
  await post(one, ['Alpha', 'Beta'], hello);
  for (const page of [one, two]) {
    for (const channel of ['Alpha', 'Beta']) {
      await shown(page, channel, hello);
      assert.equal(await pane(page, channel).locator('.msg .author').last().textContent(), 'Ann');
      assert.equal(await pane(page, channel).locator('b').count(), 0, 'message text was parsed as HTML');
    }
  }

  // Visitor two adds Gamma; a message posted to it (JSON, straight to the back end) arrives.
  await two.fill('#new-channel', 'Gamma');
  await two.press('#new-channel', 'Enter');
  await pane(two, 'Gamma').waitFor();
  assert.equal(await two.locator('#targets input[value="Gamma"]').count(), 1, 'Gamma is offered in the form');
  const r = await chat.send({ channels: ['Gamma'], author: 'Bot', text: 'Welcome to Gamma' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.channels, ['Gamma']);
  await shown(two, 'Gamma', 'Welcome to Gamma');
  assert.equal(await pane(one, 'Gamma').count(), 0, 'visitor one did not add Gamma');

  // Visitor two removes Beta: its connection stops listening to it, and a later Beta
  // message does not reach it while visitor one still gets it.
  await until(async () => (await listeners('Beta')) === 2, 'both visitors listening to Beta');
  await pane(two, 'Beta').locator('.remove').click();
  assert.equal(await pane(two, 'Beta').count(), 0);
  assert.equal(await two.locator('#targets input[value="Beta"]').count(), 0);
  await until(async () => (await listeners('Beta')) === 1, 'visitor two to stop listening to Beta');
  await post(one, ['Beta'], 'Only for Beta');
  await post(one, ['Alpha'], 'Then Alpha');
  await shown(one, 'Beta', 'Only for Beta');
  // Messages come in cursor order: once "Then Alpha" is shown, "Only for Beta" would have been.
  await shown(two, 'Alpha', 'Then Alpha');
  assert.equal(await two.getByText('Only for Beta').count(), 0, 'a removed channel still delivered');

  // The online list (polled from /online) shows the channels being listened to.
  await one.locator('#online li[data-channel="Alpha"]', { hasText: '2 listeners' }).waitFor({ timeout: 10000 });
  await two.locator('#online li[data-channel="Gamma"]', { hasText: '1 listener' }).waitFor({ timeout: 10000 });

  assert.deepEqual(problems, []);
});
