// The loader (dist/article-widget.js): the wasm only when a widget needs it, no layout shift when it
// arrives, data-loading="eager", the <article-widget> custom element through SPA churn, and the
// language catalogues fetched only for the widgets in those languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openPage, makeSite, until, ARTICLE } from './harness.mjs';

let api, browser;

// Three viewports of host text above the widget, and host content below it.
const below = (widget) => `
  <div id="above" style="height: 300vh">The article's host page.</div>
  ${widget}
  <footer id="footer" style="height: 50vh">Host footer</footer>`;

before(async () => {
  const site = makeSite({
    'below.html': below(`<div id="w" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0"></div>`),
    'eager.html': below(`<div id="w" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0" data-loading="eager"></div>`),
    'article-below.html': below(`<div id="w" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0"></div>`),
    'element.html': `<div id="app"></div>`,
    // German from the page's language (two widgets), French from the option.
    'german.html': `<script>document.documentElement.lang = 'de-AT';</script>
      <div id="a" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0"></div>
      <div id="b" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0"></div>`,
    'french.html': `<div id="a" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="0" data-locale="fr-CA"></div>`,
    // A second copy of the loader (another URL): still one widget per element.
    'two-loaders.html': `<div id="w" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0"></div>
      <script type="module" src="/article-widget.js?copy=2"></script>`,
  });
  api = await startApi({ staticDir: site });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

/** A page that records every request it makes (path only) and the layout shifts it sees. */
async function recordingPage(path) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const page = await openPage(context, `${api.url}${path}`);
  return { context, page, requests };
}

const fetchedWasm = (requests) => requests.some((p) => p.endsWith('.wasm') || p.endsWith('-wasm.js'));
const askedApi = (requests) => requests.some((p) => p.startsWith('/api/'));

test('a comments widget three screens down fetches no wasm and asks the API nothing until the reader comes near', async () => {
  const { context, page, requests } = await recordingPage('/below.html');
  await page.waitForLoadState('load');
  await page.waitForTimeout(1500);
  assert.ok(requests.some((p) => p.endsWith('/article-widget.js')), 'the loader');
  assert.ok(requests.some((p) => p.endsWith('/article-widget.css')), 'the stylesheet');
  assert.ok(!fetchedWasm(requests), `no wasm yet: ${requests.join(' ')}`);
  assert.ok(!askedApi(requests), `no API request yet: ${requests.join(' ')}`);

  // Scroll to within one viewport of the widget (not onto it): it loads and renders off screen.
  await page.evaluate(() => window.scrollTo(0, document.getElementById('w').offsetTop - 1.5 * innerHeight));
  await page.locator('#w .aw-comments-heading').waitFor({ state: 'attached' });
  assert.ok(fetchedWasm(requests) && askedApi(requests));
  // It finishes arriving (the thread and the composer) while still off screen.
  await page.locator('#w textarea').waitFor({ state: 'attached' });
  await page.getByText('Be the first to comment!').waitFor({ state: 'attached' });
  // Then onto it: nothing the reader sees moves.
  await page.evaluate(() => document.getElementById('w').scrollIntoView());
  await page.locator('#w .aw-comments-heading').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__shift), 0, 'no layout shift');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('data-loading="eager", and a widget showing the article, load at once wherever they are', async () => {
  for (const path of ['/eager.html', '/article-below.html']) {
    const { context, page, requests } = await recordingPage(path);
    await page.locator('#w .aw-comments-heading').waitFor({ state: 'attached' });
    assert.ok(fetchedWasm(requests), path);
    assert.equal(await page.evaluate(() => window.scrollY), 0, `${path}: nothing scrolled`);
    assert.deepEqual(page.problems, []);
    await context.close();
  }
});

test('<article-widget>: attributes are the options; changing one remounts; removing it unmounts, 10 times over', async () => {
  const { context, page, requests } = await recordingPage('/element.html');
  for (let i = 0; i < 10; i++) {
    await page.evaluate((id) => {
      const el = document.createElement('article-widget');
      el.id = 'w';
      el.setAttribute('api-base', '/api');
      el.setAttribute('article-id', id);
      el.setAttribute('parts', 'comments');
      el.setAttribute('poll-seconds', '1');
      document.getElementById('app').append(el);
    }, ARTICLE);
    await page.locator('#w .aw-comments-heading').waitFor();
    assert.equal(await page.locator('.aw-widget').count(), 1, `one widget (round ${i + 1})`);
    assert.equal(await page.locator('#w').evaluate((el) => getComputedStyle(el).display), 'block');
    if (i === 0) {
      // A changed attribute: the widget comes back with the new option.
      await page.evaluate(() => document.getElementById('w').setAttribute('parts', 'reactions'));
      await page.locator('#w .aw-reaction[data-kind=like]').waitFor();
      assert.equal(await page.locator('#w .aw-comments-heading').count(), 0, 'remounted with parts=reactions');
      // An invalid one is named, like a data attribute.
      await page.evaluate(() => document.getElementById('w').setAttribute('loading', 'soon'));
      await page.getByText('data-loading must be lazy or eager').waitFor();
      await page.evaluate(() => { const el = document.getElementById('w'); el.removeAttribute('loading'); el.setAttribute('parts', 'comments'); });
      await page.locator('#w .aw-comments-heading').waitFor();
    }
    await page.evaluate(() => document.getElementById('w').remove());
    assert.equal(await page.locator('.aw-root').count(), 0);
  }
  // Every widget is gone: no poll may fire any more.
  const polls = () => requests.filter((p) => p.startsWith('/api/')).length;
  const settled = polls();
  await page.waitForTimeout(2500);
  assert.equal(polls() - settled, 0, 'no requests after removal');
  assert.deepEqual(page.problems.filter((p) => !p.includes('data-loading')), []);
  await context.close();
});

test('mount() from the loader: a handle at once, ready when mounted; unmount before the wasm arrives cancels', async () => {
  const { context, page } = await recordingPage('/element.html');
  const result = await page.evaluate(async (id) => {
    const { mount } = await import('/article-widget.js');
    const early = document.createElement('div');
    const kept = document.createElement('div');
    document.getElementById('app').append(early, kept);
    const cancelled = mount(early, { apiBase: '/api', articleId: id, parts: ['reactions'] });
    cancelled.unmount();
    // A detached element stays mounted until its handle says otherwise.
    const handle = mount(kept, { apiBase: '/api', articleId: id, parts: ['reactions'], pollSeconds: 0 });
    const again = mount(kept, { apiBase: '/api', articleId: id });
    kept.remove();
    document.getElementById('app').append(document.createElement('p'));
    await handle.ready;
    await new Promise((r) => setTimeout(r, 300));
    const out = [handle === again, early.childElementCount, kept.querySelectorAll('.aw-widget').length];
    handle.unmount();
    return [...out, kept.childElementCount];
  }, ARTICLE);
  assert.deepEqual(result, [true, 0, 1, 0]);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a second copy of the loader on the page mounts nothing twice', async () => {
  const { context, page, requests } = await recordingPage('/two-loaders.html');
  await page.locator('#w .aw-comments-heading').waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.aw-widget').count(), 1);
  assert.equal(requests.filter((p) => p.endsWith('.wasm')).length, 1, 'one wasm');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('mount() on an element the loader found already: the options given win', async () => {
  const { context, page } = await recordingPage('/element.html');
  await page.evaluate(async (id) => {
    const { mount } = await import('/article-widget.js');
    const el = document.createElement('div');
    el.id = 'w';
    el.dataset.articleWidget = '';
    document.getElementById('app').append(el);
    await new Promise((r) => setTimeout(r)); // the loader's observer finds it first, without options
    await mount(el, { apiBase: '/api', articleId: id, parts: ['reactions'], pollSeconds: 0 }).ready;
  }, ARTICLE);
  await page.locator('#w .aw-reaction[data-kind=like]').waitFor();
  assert.equal(await page.locator('#w [role=alert]').count(), 0, 'no configuration error');
  assert.equal(await page.locator('.aw-widget').count(), 1);
  await context.close();
});

test('<article-widget theme="dark">: removing the attribute brings the theme back to auto', async () => {
  const { context, page } = await recordingPage('/element.html');
  await page.evaluate((id) => {
    const el = document.createElement('article-widget');
    el.id = 'w';
    for (const [k, v] of Object.entries({ 'api-base': '/api', 'article-id': id, parts: 'reactions', theme: 'dark' })) el.setAttribute(k, v);
    document.getElementById('app').append(el);
  }, ARTICLE);
  await page.locator('#w .aw-reaction[data-kind=like]').waitFor();
  assert.equal(await page.locator('#w').getAttribute('data-theme'), 'dark');
  await page.evaluate(() => document.getElementById('w').removeAttribute('theme'));
  await until(async () => (await page.locator('#w').getAttribute('data-theme')) === null, 5000, 'data-theme to go');
  await page.locator('#w .aw-reaction[data-kind=like]').waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('languages: English fetches no catalogue; two German widgets fetch theirs once; a failed fetch leaves English and is tried again; a wrong or missing file is given up on; a hanging one is not waited for', async () => {
  const catalogues = (requests) => requests.filter((p) => p.endsWith('.json'));
  // (In the page:) a comments widget in `locale`, added to the document for the loader to find.
  const addWidget = ({ id, locale }) => {
    const el = document.createElement('div');
    el.id = id;
    Object.assign(el.dataset, { articleWidget: '', apiBase: '/api', articleId: 'openai-microsoft-aws', parts: 'comments', pollSeconds: '0', locale });
    document.querySelector('main').append(el);
  };
  let { context, page, requests } = await recordingPage('/index.html');
  await page.getByRole('heading', { name: 'Comments (0)' }).waitFor();
  assert.deepEqual(catalogues(requests), [], 'English is in the wasm');
  await context.close();

  ({ context, page, requests } = await recordingPage('/german.html'));
  await page.locator('#a').getByRole('heading', { name: 'Kommentare (0)' }).waitFor();
  await page.locator('#b').getByRole('heading', { name: 'Kommentare (0)' }).waitFor();
  assert.equal(await page.locator('#a .aw-widget').getAttribute('lang'), 'de');
  assert.equal(await page.locator('#a .aw-article .aw-reaction[data-kind=like]').getAttribute('aria-label'), 'Gefällt mir, 8 Reaktionen');
  assert.deepEqual(catalogues(requests), ['/article-widget.de.json'], 'once for both');
  assert.deepEqual(page.problems, []);
  await context.close();

  // The French file cannot be fetched (a network failure): the widget comes in English, with a
  // warning; a widget added later asks again, and gets it.
  const failing = await browser.newContext();
  await failing.route('**/article-widget.fr.json', (route) => route.abort());
  const warnings = [];
  failing.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  page = await openPage(failing, `${api.url}/french.html`);
  await page.locator('#a').getByRole('heading', { name: 'Comments (0)' }).waitFor();
  assert.equal(await page.locator('#a .aw-widget').getAttribute('lang'), 'en');
  await until(() => warnings.some((w) => /no fr texts, English instead/.test(w)), 5000, 'a warning');
  await failing.unroute('**/article-widget.fr.json');
  await page.evaluate(addWidget, { id: 'b', locale: 'fr' });
  await page.locator('#b').getByRole('heading', { name: 'Commentaires (0)' }).waitFor();
  // (Chromium logs the aborted request itself.)
  assert.deepEqual(page.problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await failing.close();

  // A file that is not a catalogue (an error page answered 200): English, one warning, and no
  // second request for the page's other widgets. mount() with the locale in an array, as options
  // may give it.
  const wrong = await browser.newContext();
  let asked = 0;
  await wrong.route('**/article-widget.fr.json', (route) => {
    asked++;
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"message": "Not Found"}' });
  });
  const wrongWarnings = [];
  wrong.on('console', (m) => { if (m.type() === 'warning') wrongWarnings.push(m.text()); });
  page = await openPage(wrong, `${api.url}/french.html`);
  await page.locator('#a').getByRole('heading', { name: 'Comments (0)' }).waitFor();
  await page.evaluate(addWidget, { id: 'b', locale: 'fr-FR' });
  await page.locator('#b').getByRole('heading', { name: 'Comments (0)' }).waitFor();
  await page.evaluate(async (article) => {
    const { mount } = await import('/article-widget.js');
    const el = Object.assign(document.createElement('div'), { id: 'c' });
    document.querySelector('main').append(el);
    await mount(el, { apiBase: '/api', articleId: article, parts: ['comments'], pollSeconds: 0, locale: ['de'] }).ready;
  }, ARTICLE);
  await page.locator('#c').getByRole('heading', { name: 'Kommentare (0)' }).waitFor();
  assert.equal(await page.locator('#a .aw-widget').getAttribute('lang'), 'en');
  assert.equal(asked, 1, 'given up on for the page');
  assert.equal(wrongWarnings.filter((w) => /no fr texts/.test(w)).length, 1, wrongWarnings.join('\n'));
  assert.deepEqual(page.problems, []);
  await wrong.close();

  // No file (404): given up on too. A file that never comes: the widget does not wait for it
  // beyond 1.5 s past the wasm.
  for (const answer of ['missing', 'never']) {
    const context = await browser.newContext();
    let asks = 0;
    await context.route('**/article-widget.fr.json', (route) => {
      asks++;
      if (answer === 'missing') return route.fulfill({ status: 404, body: 'not found' });
      return new Promise(() => {}); // never answered
    });
    page = await openPage(context, `${api.url}/french.html`);
    await page.locator('#a').getByRole('heading', { name: 'Comments (0)' }).waitFor({ timeout: 8000 });
    if (answer === 'missing') {
      await page.evaluate(addWidget, { id: 'b', locale: 'fr' });
      await page.locator('#b').getByRole('heading', { name: 'Comments (0)' }).waitFor();
      assert.equal(asks, 1, 'a missing file is not asked for again');
    }
    assert.deepEqual(page.problems.filter((p) => !/Failed to load resource/.test(p)), [], answer);
    await context.close();
  }
});
