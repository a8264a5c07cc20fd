// Takes ../screenshot.png for the README: the real server and back end, one visitor's page
// in headless Chromium after a few messages to Alpha and Beta. Run: node screenshot.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startChat } from './harness.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshot.png');
const chat = await startChat();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 640 } });
  await page.goto(chat.url);
  await page.locator('.pane[data-channel="Beta"]').waitFor();

  const messages = [
    [['Alpha', 'Beta'], 'Ann', 'Hi both! This one went to Alpha and Beta in one send.'],
    [['Alpha'], 'Bob', 'Morning. Is this coming over the WebSocket?'],
    [['Beta'], 'Cleo', 'Beta is quieter, I like it here.'],
    [['Alpha'], 'Ann', 'Yes, and every open tab gets it at once.'],
    [['Beta'], 'Bob', 'New channels can be added with the field above the panes.'],
  ];
  for (const [channels, author, text] of messages) {
    const r = await chat.send({ channels, author, text });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  }
  await page.locator('.pane[data-channel="Beta"] .msg').nth(2).waitFor();
  await page.locator('.pane[data-channel="Alpha"] .msg').nth(2).waitFor();
  await page.locator('#online li[data-channel="Beta"]').waitFor({ timeout: 10000 });
  await page.fill('#author', 'Ann');
  await page.locator('#author').blur();
  await page.screenshot({ path: out });
  console.log('wrote ' + out);
} finally {
  await browser.close();
  await chat.stop();
}
