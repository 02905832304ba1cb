// Embedding: the bundle from a second origin, the API on a third, under a strict CSP and a hostile
// host stylesheet; several widgets and parts; a single-page app adding and removing widgets; themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApi, launchBrowser, openPage, serveFiles, hostPage, makeSite, until, freePort, ROOT, ARTICLE } from './harness.mjs';

const OTHER = 'second-article';
let api, cdn, host, browser, site;

const HOSTILE_CSS = `
  button { all: unset; }
  * { box-sizing: content-box; }
  p, ol, li, h1, h2 { margin: 3em; padding: 2em; list-style: square; color: red; }
  section { display: inline; }
  textarea, input { border: 0; width: 10px; }
`;

before(async () => {
  // The API on its own origin, allowing the host page's origin.
  api = await startApi({ staticDir: null, args: ['--extra-article', OTHER, '--posts-per-minute', '1000'] });
  // The bundle on a CDN origin, under a path of its own.
  const dist = (f) => join(ROOT, 'dist', f);
  cdn = await serveFiles({
    '/assets/aw/article-widget.js': dist('article-widget.js'),
    '/assets/aw/article-widget-wasm.js': dist('article-widget-wasm.js'),
    '/assets/aw/article-widget_bg.wasm': dist('article-widget_bg.wasm'),
    '/assets/aw/article-widget.css': dist('article-widget.css'),
    '/assets/aw/article-widget.fr.json': dist('article-widget.fr.json'),
  }, { 'access-control-allow-origin': '*' });
  // The host page on a third origin, with the strict policy the README documents.
  const page = (body) => [hostPage(body, { assets: `${cdn.url}/assets/aw`, head: '<link rel="stylesheet" href="/hostile.css">' }), 'text/html; charset=utf-8'];
  const csp = (hostUrl) => `default-src 'none'; script-src ${cdn.url} 'wasm-unsafe-eval'; style-src ${cdn.url} ${hostUrl}; connect-src ${api.url} ${cdn.url}; img-src ${cdn.url} ${api.url} data:`;
  const hostPort = await freePort();
  const hostUrl = `http://127.0.0.1:${hostPort}`;
  host = await serveFiles({
    '/index.html': page(`<div data-article-widget data-api-base="${api.url}/api" data-article-id="${ARTICLE}" data-credentials="omit"></div>`),
    '/three.html': page(`
      <div id="a" data-article-widget data-api-base="${api.url}/api" data-article-id="${ARTICLE}" data-poll-seconds="0"></div>
      <div id="b" data-article-widget data-api-base="${api.url}/api" data-article-id="${OTHER}" data-poll-seconds="0"></div>
      <div id="c" data-article-widget data-api-base="${api.url}/api" data-article-id="${ARTICLE}" data-parts="reactions" data-locale="fr"></div>`),
    '/spa.html': page(`<div id="app"></div>`),
    '/hostile.css': [HOSTILE_CSS, 'text/css'],
  }, { 'content-security-policy': csp(hostUrl) }, hostPort);
  // The API allows the host page's origin.
  api.args = [...api.args, '--cors', hostUrl];
  await api.restart();
  browser = await launchBrowser();
  site = makeSite({
    'theme.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0"></div>`,
    'de.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-locale="de"></div>`,
  });
});
after(async () => {
  await browser?.close();
  await host?.close();
  await cdn?.close();
  await api?.dispose();
});

async function cspPage(context, path) {
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return openPage(context, `${host.url}${path}`);
}

test('cross-origin bundle and API under a strict CSP and a hostile stylesheet: renders, reacts, posts', async () => {
  const context = await browser.newContext();
  const page = await cspPage(context, '/index.html');
  await page.locator('h1.aw-title').waitFor();
  const like = page.locator('.aw-article .aw-reaction[data-kind=like]');
  await like.click();
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-label="Like, 9 reactions"]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Host reader');
  await page.getByLabel('Comment', { exact: true }).fill('Posted across three origins');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment', { hasText: 'Posted across three origins' }).waitFor();
  await page.reload();
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=true]').waitFor();

  // The host's `button { all: unset }` and `* { box-sizing: content-box }` do not reach inside.
  const style = await like.evaluate((el) => {
    const s = getComputedStyle(el);
    return { box: s.boxSizing, border: s.borderTopStyle, padding: s.paddingLeft, cursor: s.cursor, display: s.display };
  });
  // (A flex item's display computes to flex.)
  assert.deepEqual(style, { box: 'border-box', border: 'solid', padding: '14.4px', cursor: 'pointer', display: 'flex' });
  const textareaWidth = await page.getByLabel('Comment', { exact: true }).evaluate((el) => el.getBoundingClientRect().width);
  assert.ok(textareaWidth > 200, `the comment field keeps its width (${textareaWidth}px)`);

  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(page.problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('three widgets on a page: two articles and a reactions-only part, kept in step', async () => {
  const context = await browser.newContext();
  const page = await cspPage(context, '/three.html');
  await page.locator('#a h1').waitFor();
  await page.locator('#b h1').waitFor();
  assert.equal(await page.locator('#b h1').innerText(), `Article ${OTHER}`);
  assert.equal(await page.locator('#c h1, #c .aw-comments').count(), 0, 'only the reactions');
  const cLike = page.locator('#c .aw-reaction[data-kind=like]');
  // In French: its texts fetched from the CDN under the strict policy.
  await until(async () => /^J’aime, \d+ réactions?$/.test(await cLike.getAttribute('aria-label')), 5000, 'French texts');
  const before = await page.locator('#a .aw-article .aw-reaction[data-kind=like]').getAttribute('aria-label');
  await cLike.click();
  await until(async () => (await page.locator('#a .aw-article .aw-reaction[data-kind=like]').getAttribute('aria-label')) !== before, 5000, 'widget a to follow c');
  assert.equal(await page.locator('#b .aw-reaction[data-kind=like]').getAttribute('aria-label'), 'Like, 0 reactions', 'the other article is untouched');
  await cLike.click();
  await until(async () => (await page.locator('#a .aw-article .aw-reaction[data-kind=like]').getAttribute('aria-label')) === before, 5000, 'back');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a single-page app adds, removes and re-adds a widget 20 times: no duplicates, errors or timers left', async () => {
  const context = await browser.newContext();
  const page = await cspPage(context, '/spa.html');
  const polls = [];
  page.on('request', (r) => { if (r.method() === 'GET' && r.url().endsWith(`/articles/${ARTICLE}`)) polls.push(Date.now()); });
  await page.waitForFunction(() => document.querySelector('script[type=module]'));
  for (let i = 0; i < 20; i++) {
    await page.evaluate(([apiBase, id]) => {
      const el = document.createElement('div');
      el.id = 'w';
      el.dataset.articleWidget = '';
      el.dataset.apiBase = apiBase;
      el.dataset.articleId = id;
      el.dataset.pollSeconds = '1';
      document.getElementById('app').append(el);
    }, [`${api.url}/api`, ARTICLE]);
    await page.locator('#w .aw-comments-heading').waitFor();
    assert.equal(await page.locator('.aw-widget').count(), 1, `one widget (round ${i + 1})`);
    if (i % 5 === 4) await page.waitForTimeout(1100); // let a poll timer fire now and then
    await page.evaluate(() => document.getElementById('w').remove());
  }
  // Re-add once more through the JS API; mounting twice is a no-op.
  const count = await page.evaluate(async ([apiBase, id, assets]) => {
    const { mount } = await import(`${assets}/article-widget.js`);
    const el = document.createElement('div');
    document.getElementById('app').append(el);
    const handle = mount(el, { apiBase, articleId: id, parts: ['reactions'], pollSeconds: 0 });
    mount(el, { apiBase, articleId: id });
    await new Promise((r) => setTimeout(r, 500));
    const widgets = el.querySelectorAll('.aw-widget').length;
    handle.unmount();
    return [widgets, el.childElementCount];
  }, [`${api.url}/api`, ARTICLE, `${cdn.url}/assets/aw`]);
  assert.deepEqual(count, [1, 0], 'one widget, and nothing left after unmount()');
  // Every widget is gone: no poll may fire any more.
  const settled = polls.length;
  await page.waitForTimeout(3000);
  assert.equal(polls.length - settled, 0, 'no poll requests after removal');
  assert.equal(await page.locator('.aw-root').count(), 0);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test('the theme follows the host: a dark class on <html> switches it live, data-theme pins it', async () => {
  const local = await startApi({ staticDir: site });
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await openPage(context, `${local.url}/theme.html`);
  const heading = page.locator('.aw-comments-heading');
  await heading.waitFor();
  const color = () => heading.evaluate((el) => getComputedStyle(el).color);
  const light = await color();
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  const dark = await color();
  assert.notEqual(dark, light, 'html.dark turns it dark');
  assert.equal(dark, 'rgb(230, 232, 235)');
  await page.evaluate(() => document.querySelector('.aw-root').setAttribute('data-theme', 'light'));
  assert.equal(await color(), light, 'data-theme="light" on the widget wins');
  await page.evaluate(() => { document.querySelector('.aw-root').removeAttribute('data-theme'); document.documentElement.classList.remove('dark'); document.documentElement.dataset.theme = 'dark'; });
  assert.equal(await color(), dark, 'html[data-theme=dark] too');
  // The OS preference when the host says nothing.
  await page.evaluate(() => delete document.documentElement.dataset.theme);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await color(), dark, 'prefers-color-scheme: dark');
  await page.evaluate(() => document.documentElement.classList.add('light'));
  assert.equal(await color(), light, 'a host marked light stays light');
  await context.close();
  await local.dispose();
});

test('German strings with data-locale="de"', async () => {
  const local = await startApi({ staticDir: site });
  const context = await browser.newContext();
  const page = await openPage(context, `${local.url}/de.html`);
  await page.getByRole('heading', { name: 'Kommentare (0)' }).waitFor();
  await page.getByText('Schreib den ersten Kommentar!').waitFor();
  assert.equal(await page.locator('.aw-article .aw-reaction[data-kind=like]').getAttribute('aria-label'), 'Gefällt mir, 8 Reaktionen');
  assert.match(await page.locator('.aw-byline time').innerText(), /^20\. November 2026$/);
  await page.getByRole('button', { name: 'Kommentar senden' }).click();
  await page.getByText('Bitte gib deinen Namen ein.').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
  await local.dispose();
});
