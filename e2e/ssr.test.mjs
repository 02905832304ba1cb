// Server-rendered first paint (src/ssr.rs, dev-api's GET /articles/{article}/html): the fragment
// placed inside the widget's element shows the article and its first comments without JavaScript,
// and the widget takes it over without moving anything, without a loading state and without asking
// the API for what is embedded first; under a strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApi, launchBrowser, openPage, serveFiles, hostPage, until, freePort, ROOT, ARTICLE } from './harness.mjs';

const VIEWER = 'ssr-viewer-0001';
let api, host, browser;
const files = {};

/** The host page: the fragment (for `query`) inside the widget's element, host content below it (and `before` above). */
async function ssrPage(name, attributes = '', query = '', before = '') {
  const fragment = await (await fetch(`${api.url}/api/articles/${ARTICLE}/html${query}`)).text();
  files[`/${name}`] = [hostPage(`${before}
    <div data-article-widget data-api-base="${api.url}/api" data-article-id="${ARTICLE}" data-poll-seconds="0" ${attributes}>${fragment}</div>
    <p id="below">Host content below the widget.</p>`), 'text/html; charset=utf-8'];
  return `${host.url}/${name}`;
}

async function post(body, parentId = null, viewer = 'writer') {
  const r = await fetch(`${api.url}/api/articles/${ARTICLE}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `k-${Math.random()}`, 'X-Viewer-Id': viewer },
    body: JSON.stringify({ author_name: 'Ada', body, parent_id: parentId }),
  });
  const answer = await r.json();
  return answer.comment ?? answer;
}

before(async () => {
  const hostPort = await freePort();
  const hostUrl = `http://127.0.0.1:${hostPort}`;
  api = await startApi({ staticDir: null, args: ['--cors', hostUrl, '--posts-per-minute', '1000'] });
  for (const f of ['article-widget.js', 'article-widget-wasm.js', 'article-widget_bg.wasm', 'article-widget.css', 'article-widget.de.json']) {
    files[`/${f}`] = join(ROOT, 'dist', f);
  }
  // The strict policy the README documents: no inline script or style, and the fragment's
  // scripts (JSON data, JSON-LD) need no exception.
  const csp = `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src ${api.url} 'self'; img-src 'self' data:`;
  host = await serveFiles(files, { 'content-security-policy': csp }, hostPort);
  browser = await launchBrowser();
  const first = await post('The **first** comment');
  await post('A reply to it', first.id);
  await post('Stays text: <script>alert(1)</script>\\\nafter a line break');
});
after(async () => {
  await browser?.close();
  await host?.close();
  await api?.dispose();
});

test('without JavaScript: the headline, the body, the first comments and JSON-LD are there', async () => {
  const url = await ssrPage('nojs.html');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url);
  assert.match(await page.locator('h1.aw-title').innerText(), /^OpenAI cuts a deal with Microsoft/);
  assert.ok(await page.getByText('Instead, they settled.').isVisible());
  assert.ok(await page.locator('.aw-reaction[data-kind=like][aria-label="Like, 8 reactions"]').isVisible());
  assert.equal(await page.locator('.aw-comments-heading').innerText(), 'Comments (3)');
  assert.equal(await page.locator('.aw-comment-body strong').innerText(), 'first');
  assert.ok(await page.locator('.aw-replies .aw-comment', { hasText: 'A reply to it' }).isVisible());
  assert.ok(await page.getByText('Stays text: <script>alert(1)</script>').isVisible(), 'hostile text is text');
  assert.equal(await page.locator('.aw-comment script').count(), 0);
  const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld['@type'], 'NewsArticle');
  assert.match(ld.headline, /^OpenAI cuts a deal/);
  assert.deepEqual(ld.interactionStatistic[0], { '@type': 'InteractionCounter', interactionType: 'https://schema.org/LikeAction', userInteractionCount: 8 });
  assert.deepEqual(ld.comment.map((c) => c.text), ['The first comment', 'Stays text: <script>alert(1)</script>\nafter a line break']);
  assert.equal(ld.comment[0].comment[0].text, 'A reply to it');
  assert.equal(ld.comment[0].author.name, 'Ada');
  await context.close();
});

/** A page that records layout shifts, loading states, CSP violations and API requests from the start. */
async function watchedPage(context, url) {
  await context.addInitScript(() => {
    window.__shifts = [];
    window.__loading = 0;
    window.__violations = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType === 1 && (n.matches('.aw-placeholder') || n.querySelector('.aw-placeholder'))) window.__loading++;
      }
    }).observe(document, { subtree: true, childList: true });
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const requests = [];
  context.on('request', (r) => { if (r.url().startsWith(api.url)) requests.push(`${r.method()} ${r.url().slice(api.url.length)}`); });
  const page = await openPage(context, url);
  return { page, requests };
}

test('with JavaScript: taken over with no layout shift, no loading state, the API asked once in the background; like and post work', async () => {
  const url = await ssrPage('takeover.html', 'data-loading="eager"');
  // Tall enough that the host content below the widget is on screen: a shift of it would count.
  const context = await browser.newContext({ viewport: { width: 1000, height: 3000 } });
  const { page, requests } = await watchedPage(context, url);
  assert.ok(await page.locator('#below').evaluate((el) => el.getBoundingClientRect().bottom < innerHeight), 'on screen');
  // Taken over: the widget's own element holds the root, and its own controls are live.
  await page.locator('.aw-root .aw-composer textarea:not([disabled])').waitFor();
  await until(() => requests.length >= 2, 5000, 'the background refreshes');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__shifts), [], 'no layout shift (CLS 0)');
  assert.equal(await page.evaluate(() => window.__loading), 0, 'no loading state');
  assert.deepEqual(requests.sort(), [
    `GET /api/articles/${ARTICLE}`,
    `GET /api/articles/${ARTICLE}/comments?sort=oldest&limit=20`,
  ], 'each embedded part asked for once, for this viewer, after it was shown');
  assert.equal(await page.locator('.aw-comment').count(), 3);
  assert.equal(await page.locator('script[type="application/ld+json"]').count(), 1, 'the JSON-LD stays');

  await page.locator('.aw-article .aw-reaction[data-kind=like]').click();
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=true][aria-label="Like, 9 reactions"]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Reader');
  await page.getByLabel('Comment', { exact: true }).fill('Posted after a takeover');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment', { hasText: 'Posted after a takeover' }).waitFor();
  await page.locator('.aw-comments-heading', { hasText: 'Comments (4)' }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
  assert.deepEqual(page.problems, []);
  // Undo the article's like for the tests below.
  await page.locator('.aw-article .aw-reaction[data-kind=like]').click();
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=false]').waitFor();
  await context.close();
});

test("this viewer's reactions, which the server-rendered page cannot know, arrive after the takeover", async () => {
  const [first] = (await api.get('/articles/' + ARTICLE + '/comments')).comments;
  for (const path of [`/articles/${ARTICLE}/reactions/like`, `/articles/${ARTICLE}/comments/${first.id}/reactions/like`]) {
    const r = await fetch(`${api.url}/api${path}`, { method: 'PUT', headers: { 'X-Viewer-Id': VIEWER } });
    assert.equal(r.status, 200);
  }
  const url = await ssrPage('mine.html', 'data-loading="eager"');
  const context = await browser.newContext();
  await context.addInitScript((id) => localStorage.setItem('article-widget:viewer-id', id), VIEWER);
  const { page } = await watchedPage(context, url);
  assert.ok(!files['/mine.html'][0].includes('aria-pressed="true"'), 'served the same to every reader');
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=true]').waitFor();
  await page.locator(`.aw-comment[data-comment-id="${first.id}"] .aw-reaction[data-kind=like][aria-pressed=true]`).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('with the API down, the taken-over widget still shows everything, and no error', async () => {
  const url = await ssrPage('offline.html', 'data-loading="eager"');
  const context = await browser.newContext();
  await context.route(`${api.url}/**`, (route) => route.abort());
  const { page } = await watchedPage(context, url);
  await page.locator('.aw-root .aw-composer textarea:not([disabled])').waitFor();
  await page.waitForTimeout(500);
  assert.match(await page.locator('h1.aw-title').innerText(), /^OpenAI cuts a deal/);
  assert.equal(await page.locator('.aw-comment').count(), files['/offline.html'][0].match(/<article class="aw-comment"/g).length);
  assert.equal(await page.locator('[role=alert]').count(), 0);
  assert.equal(await page.evaluate(() => window.__loading), 0);
  await context.close();
});

test('reactions clicked before the widget runs are made once it does', async () => {
  const url = await ssrPage('early.html', 'data-loading="eager"');
  const [first] = (await api.get(`/articles/${ARTICLE}/comments`)).comments;
  const likes = async () => (await api.get(`/articles/${ARTICLE}`)).reactions.find((r) => r.kind === 'like').count;
  const before = await likes();
  const context = await browser.newContext();
  // The wasm arrives only after the reader clicked.
  let release;
  const clicked = new Promise((ok) => { release = ok; });
  await context.route('**/article-widget_bg.wasm', async (route) => { await clicked; await route.continue(); });
  const page = await openPage(context, url);
  await page.locator('.aw-article .aw-reaction[data-kind=like]').click();
  await page.locator(`.aw-comment[data-comment-id="${first.id}"] .aw-reaction[data-kind=like]`).click();
  // Dislike, then taken back: nothing to make.
  await page.locator('.aw-article .aw-reaction[data-kind=dislike]').click();
  await page.locator('.aw-article .aw-reaction[data-kind=dislike]').click();
  assert.equal(await page.locator('.aw-article .aw-reaction[data-kind=like]').getAttribute('aria-pressed'), 'true', 'seen at once');
  assert.equal(await page.locator('.aw-root').count(), 0, 'clicked before the widget ran');
  release();
  await page.locator(`.aw-root .aw-article .aw-reaction[data-kind=like][aria-pressed=true][aria-label="Like, ${before + 1} reactions"]`).waitFor();
  await page.locator(`.aw-root .aw-comment[data-comment-id="${first.id}"] .aw-reaction[data-kind=like][aria-pressed=true]`).waitFor();
  await until(async () => (await likes()) === before + 1, 5000, 'the like stored');
  await page.waitForTimeout(500);
  assert.equal(await likes(), before + 1, 'once');
  const dislikes = (await api.get(`/articles/${ARTICLE}`)).reactions.find((r) => r.kind === 'dislike').count;
  assert.equal(dislikes, 0, 'a click taken back is not made');
  assert.deepEqual(page.problems, []);
  await context.close();
});

/**
 * The widget's element as layout sees it: elements with their attributes, and their text; without
 * what differs on purpose and moves nothing (ids and what names them, titles, `disabled`, comments,
 * scripts, a time's words: a date on the server, "3 minutes ago" in the widget).
 */
function shape() {
  const skip = new Set(['id', 'for', 'aria-labelledby', 'aria-controls', 'aria-describedby', 'title', 'disabled']);
  // Children, with the text between elements as one string (a view may write it in several nodes).
  const children = (n) => {
    const out = [];
    let text = '';
    for (const c of n.childNodes) {
      if (c.nodeType === 3) { text += c.data; continue; }
      if (c.nodeType !== 1) continue;
      if (text.trim()) out.push(JSON.stringify(text.replace(/\s+/g, ' ').trim()));
      text = '';
      out.push(element(c));
    }
    if (text.trim()) out.push(JSON.stringify(text.replace(/\s+/g, ' ').trim()));
    return out.join('');
  };
  const element = (n) => {
    if (n.localName === 'script') return '';
    const attributes = [...n.attributes].filter((a) => !skip.has(a.name)).map((a) => `${a.name}="${a.value}"`).sort();
    const inside = n.localName === 'time' ? '' : children(n);
    return `<${[n.localName, ...attributes].join(' ')}>${inside}</${n.localName}>\n`;
  };
  return children(document.querySelector('[data-article-widget]'));
}

test('a German fragment carries its texts: German at takeover, for a second German widget too, with no file fetched', async () => {
  // The second widget, without a fragment, comes first in the page: it need not fetch the file either.
  const url = await ssrPage('de-texts.html', 'data-loading="eager" data-locale="de"', '?locale=de', `
    <div id="second" data-article-widget data-api-base="${api.url}/api" data-article-id="${ARTICLE}" data-poll-seconds="0"
      data-parts="comments" data-loading="eager" data-locale="de"></div>`);
  const context = await browser.newContext();
  let fetched = 0;
  await context.route('**/article-widget.de.json', (route) => {
    fetched += 1;
    return route.fulfill({ status: 404, body: 'Not Found' });
  });
  const fragment = await (await fetch(`${api.url}/api/articles/${ARTICLE}/html?locale=de`)).text();
  assert.match(fragment, /<script type="application\/json" data-aw-texts="de">\{"/, 'served with the fragment');
  const warnings = [];
  context.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const { page } = await watchedPage(context, url);
  await page.locator('.aw-root .aw-composer textarea:not([disabled])').first().waitFor();
  await page.locator('.aw-root .aw-composer textarea:not([disabled])').nth(1).waitFor();
  assert.match(await page.locator('[data-article-widget]:not(#second) .aw-comments-heading').innerText(), /^Kommentare \(\d+\)$/);
  await page.locator('#second .aw-comments-heading', { hasText: /^Kommentare/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Kommentar senden' }).count(), 2, 'the widgets\' own controls in German');
  assert.equal(await page.locator('[data-article-widget] script[data-aw-texts]').count(), 0, 'taken in, not left in the page');
  assert.equal(fetched, 0, 'the loader fetched no file');
  assert.deepEqual(warnings, []);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the server markup is the markup the widget takes over with, for each set of options', async () => {
  for (const [name, attributes, query] of [
    ['shape-default.html', '', ''],
    ['shape-article-comments.html', 'data-parts="article comments"', '?parts=article+comments'],
    ['shape-de-bottom.html', 'data-locale="de" data-reactions-position="bottom"', '?locale=de&reactions-position=bottom'],
    ['shape-reactions.html', 'data-parts="reactions"', '?parts=reactions'],
  ]) {
    const url = await ssrPage(name, `data-loading="eager" ${attributes}`, query);
    const context = await browser.newContext({ viewport: { width: 1000, height: 3000 } });
    let release;
    const held = new Promise((ok) => { release = ok; });
    await context.route('**/article-widget_bg.wasm', async (route) => { await held; await route.continue(); });
    const { page } = await watchedPage(context, url);
    await page.locator('[data-article-widget] > .aw-widget').waitFor();
    const served = await page.evaluate(shape);
    const below = await page.locator('#below').evaluate((el) => el.getBoundingClientRect().top);
    release();
    await page.locator('.aw-root').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(shape), served, name);
    assert.equal(await page.locator('#below').evaluate((el) => el.getBoundingClientRect().top), below, `${name}: nothing below moved`);
    assert.deepEqual(await page.evaluate(() => window.__shifts), [], `${name}: no layout shift`);
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});
