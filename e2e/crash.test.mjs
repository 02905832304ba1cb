// The panic hook, with a real panic: the test bundle (target/crash-dist, built by `make test` with
// `--features crash-test`) exports crashTest(), which panics. Every widget on the page says it
// stopped, with a link that reloads the page, instead of leaving dead buttons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, launchBrowser, openPage, hostPage, ROOT, ARTICLE } from './harness.mjs';

const BUNDLE = join(ROOT, 'target/crash-dist');
let api, browser;

before(async () => {
  assert.ok(existsSync(join(BUNDLE, 'article-widget_bg.wasm')), 'the crash-test bundle (make test builds it)');
  const site = mkdtempSync(join(tmpdir(), 'aw-crash-'));
  cpSync(BUNDLE, site, { recursive: true });
  writeFileSync(join(site, 'index.html'), hostPage(`
    <div id="a" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0" data-locale="de"></div>
    <div id="b" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0" data-loading="eager"></div>`));
  api = await startApi({ staticDir: site });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

test('a panic replaces every widget with a message and a reload link, and is logged', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/index.html`);
  await page.locator('#a h1').waitFor();
  await page.locator('#b .aw-comments-heading').waitFor();
  const thrown = await page.evaluate(async () => {
    const glue = await import('/article-widget-wasm.js');
    try { glue.crashTest(); return null; } catch (e) { return String(e); }
  });
  assert.ok(thrown, 'the panic stops the call');
  for (const [id, text, reload] of [['#a', 'Kommentare funktionieren nicht mehr', 'Seite neu laden'], ['#b', 'the comments stopped working', 'Reload the page']]) {
    const alert = page.locator(`${id} [role=alert]`);
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(text));
    assert.equal(await page.locator(`${id} [role=alert] a`).innerText(), reload);
    assert.equal(await page.locator(`${id} button`).count(), 0, `${id}: no dead buttons left`);
  }
  assert.ok(page.problems.some((p) => p.includes('article-widget stopped') && p.includes('crash test')), page.problems.join('\n'));
  // The link reloads the page, and the widgets come back.
  await page.locator('#a [role=alert] a').click();
  await page.locator('#a h1').waitFor();
  await context.close();
});
