// Accessibility end to end: axe-core (WCAG 2.2 A and AA rules) on the widget in every state a reader
// meets — light, dark, right to left, forced colours, more contrast, a failed part, an open reply form,
// a validation error, a pending post and a failed post — and the main flows done with the keyboard
// alone: react, reply, post, retry, sort, load more, show new comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startApi, launchBrowser, openPage, makeSite, postComment, ARTICLE, ROOT } from './harness.mjs';

const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
let api, browser;
before(async () => {
  const site = makeSite({
    'ar.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-locale="ar"></div>`,
    'live.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="1"></div>`,
  });
  api = await startApi({ staticDir: site, args: ['--posts-per-minute', '100000'] });
  const top = await postComment(api, { viewer: 'a11y', name: 'Ada', body: 'A comment with a [link](https://example.com).' });
  await postComment(api, { viewer: 'a11y2', name: 'Grace', body: 'A reply.', parent: top.id });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

/** axe's violations inside the widget, as "rule (n nodes): summary" lines. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run('.aw-root', {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.failureSummary?.split('\n')[1]?.trim() ?? v.help} — ${v.nodes[0]?.target}`);
  });
  return result;
}

/** Controls in the widget under 24×24 CSS px (WCAG 2.2, 2.5.8), as "TAG text w×h". */
const smallTargets = (page) => page.evaluate(() => [...document.querySelectorAll('.aw-root button, .aw-root select, .aw-root input, .aw-root textarea')]
  .map((el) => ({ el, r: el.getBoundingClientRect() }))
  .filter(({ r }) => r.width > 0 && (r.width < 24 || r.height < 24))
  .map(({ el, r }) => `${el.tagName} ${el.textContent.trim()} ${r.width}×${r.height}`));

async function expectClean(page, state) {
  const found = await violations(page);
  assert.deepEqual(found, [], `axe violations in the ${state} state`);
  assert.deepEqual(await smallTargets(page), [], `targets under 24×24 in the ${state} state`);
}

const ready = (page) => page.locator('.aw-comment', { hasText: 'A comment with a' }).waitFor();

test('axe: light, dark, more contrast and forced colours', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await ready(page);
  await page.locator('.aw-article h1').waitFor();
  await expectClean(page, 'light');
  // A dark host: the class on <html>, and its own dark background.
  await page.evaluate(() => { document.documentElement.classList.add('dark'); document.body.style.background = '#0d1117'; });
  await expectClean(page, 'dark');
  await page.emulateMedia({ contrast: 'more' });
  await expectClean(page, 'dark, more contrast');
  await page.evaluate(() => { document.documentElement.classList.remove('dark'); document.body.style.background = ''; });
  await expectClean(page, 'light, more contrast');
  await page.emulateMedia({ contrast: 'no-preference', forcedColors: 'active' });
  // The pressed state and the focus ring stay visible without colour: a pressed reaction has a
  // thicker edge than an unpressed one, and the focused control an outline.
  const like = page.locator('.aw-article .aw-reaction[data-kind=like]');
  const dislike = page.locator('.aw-article .aw-reaction[data-kind=dislike]');
  await like.click();
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=true]').waitFor();
  // To the next button with the keyboard, so that the focus ring is the keyboard's (:focus-visible).
  await page.keyboard.press('Tab');
  assert.equal(await dislike.evaluate((b) => b === document.activeElement), true);
  const edge = (b) => b.evaluate((el) => {
    const s = getComputedStyle(el);
    return { width: s.borderTopWidth, style: s.borderTopStyle, outline: s.outlineStyle };
  });
  const [pressed, focusedPlain] = [await edge(like), await edge(dislike)];
  assert.equal(pressed.width, '2px', 'the pressed reaction has a 2px edge in forced colours');
  assert.equal(focusedPlain.width, '1px', 'an unpressed one keeps 1px');
  assert.equal(focusedPlain.style, 'solid', 'buttons keep their edges in forced colours');
  assert.equal(focusedPlain.outline, 'solid', 'a focus ring in forced colours');
  await expectClean(page, 'forced colours');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('axe: right to left, in Arabic', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/ar.html`);
  await ready(page);
  const root = page.locator('.aw-widget');
  assert.equal(await root.getAttribute('dir'), 'rtl');
  assert.equal(await root.getAttribute('lang'), 'ar');
  // Arabic plural forms from Intl.PluralRules: one reply reads "إخفاء الرد".
  await page.getByRole('button', { name: 'إخفاء الرد' }).waitFor();
  // Replies indent from the right: the reply list's start border is on the right.
  const side = await page.locator('.aw-replies').first().evaluate((ol) => {
    const s = getComputedStyle(ol);
    return { right: s.borderRightWidth, left: s.borderLeftWidth };
  });
  assert.notEqual(side.right, '0px');
  assert.equal(side.left, '0px');
  // A comment in another script keeps its own direction.
  assert.equal(await page.locator('.aw-comment-body').first().getAttribute('dir'), 'auto');
  await expectClean(page, 'right to left');
  await context.close();
});

test('axe: a failed part, an open reply form, a validation error, a pending and a failed post', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The article fails; the comments work.
  await page.route(`**/api/articles/${ARTICLE}`, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' }));
  await page.goto(api.url);
  await page.locator('.aw-article .aw-error').waitFor();
  await ready(page);
  await expectClean(page, 'failed part');
  await page.unroute(`**/api/articles/${ARTICLE}`);

  await page.locator('.aw-comment', { hasText: 'A comment with a' }).getByRole('button', { name: 'Reply', exact: true }).first().click();
  await page.locator('.aw-reply-composer textarea').waitFor();
  await expectClean(page, 'open reply form');
  await page.getByRole('button', { name: 'Cancel' }).click();

  const form = page.locator('.aw-comments > .aw-composer');
  await form.getByLabel('Name').fill('');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await form.getByRole('alert').waitFor();
  await expectClean(page, 'validation error');

  // A post held on its way, then one that fails.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/api/articles/*/comments', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await held;
    return route.abort('connectionrefused');
  });
  await form.getByLabel('Name').fill('Ada');
  await form.getByLabel('Comment', { exact: true }).fill('Held on its way');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-pending', { hasText: 'Sending…' }).waitFor();
  await expectClean(page, 'pending post');
  release();
  await page.locator('.aw-pending .aw-post-failed').waitFor();
  await expectClean(page, 'failed post');
  assert.equal(await page.locator('.aw-comments [role=alert]').count(), 1, 'the failure is announced once');

  // A 429: the reason is said once (on the post, with the wait), not again in the form.
  await page.unroute('**/api/articles/*/comments');
  await page.route('**/api/articles/*/comments', (route) => route.request().method() !== 'POST' ? route.continue()
    : route.fulfill({ status: 429, headers: { 'Retry-After': '3' }, contentType: 'application/json', body: '{"error":{"code":"rate_limited","message":"slow down"}}' }));
  await form.getByLabel('Comment', { exact: true }).fill('Too fast');
  await form.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-pending', { hasText: 'Too fast' }).locator('.aw-post-failed').waitFor();
  assert.equal(await page.locator('.aw-comments [role=alert]').count(), 1, 'a 429 is announced once');
  await expectClean(page, 'rate limited');
  await context.close();
});

/** Presses Tab until the focused element matches `selector` (and `text`, if given). */
async function tabTo(page, selector, text) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(([selector, text]) => {
      const el = document.activeElement;
      return !!el && el.matches(selector) && (!text || el.textContent.includes(text) || (el.getAttribute('aria-label') ?? '').includes(text));
    }, [selector, text]);
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ''}`);
}
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el?.tagName, text: el?.textContent?.trim(), label: el?.getAttribute('aria-label'), name: el?.getAttribute('name') };
});

test('the keyboard alone: react, reply, post, retry, sort, load more, show new comments', async () => {
  for (let i = 0; i < 22; i++) await postComment(api, { viewer: `kb${i}`, body: `Bulk comment ${i}` });
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/live.html`);
  await ready(page);

  // React: Tab to the first comment's like, Space.
  await tabTo(page, '.aw-comment .aw-reaction');
  await page.keyboard.press('Space');
  await page.locator('.aw-comment .aw-reaction[aria-pressed=true]').first().waitFor();

  // Reply: Tab to Reply, Enter opens the form with the focus in it; Ctrl+Enter posts; the focus
  // comes back to the Reply button.
  await tabTo(page, '.aw-comment-actions button', 'Reply');
  await page.keyboard.press('Enter');
  await page.locator('.aw-reply-composer textarea:focus').waitFor();
  await page.keyboard.type('Typed with the keyboard');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('Kay');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+Enter');
  await page.locator('.aw-comment:not(.aw-pending)', { hasText: 'Typed with the keyboard' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Reply', null, { timeout: 2000 });
  assert.match(await page.getByRole('status').filter({ hasText: 'posted' }).first().innerText(), /Reply posted/);

  // Post, and retry after a failure: the first attempt fails, Retry (by keyboard) posts it once.
  await page.route('**/api/articles/*/comments', (route) => route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue());
  await tabTo(page, '.aw-comments > .aw-composer input[name=author_name]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Kay');
  await page.keyboard.press('Tab');
  await page.keyboard.type('A top-level comment by keyboard');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Post comment');
  await page.keyboard.press('Enter');
  await page.locator('.aw-pending .aw-post-failed').waitFor();
  await page.unroute('**/api/articles/*/comments');
  await tabTo(page, '.aw-pending button', 'Retry');
  await page.keyboard.press('Enter');
  await page.locator('.aw-comment:not(.aw-pending)', { hasText: 'A top-level comment by keyboard' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.name === 'body', null, { timeout: 2000 });
  assert.equal((await focused(page)).name, 'body', 'after posting, the focus is in the comment field again');

  // Load more: 20 per page, more remain.
  const before = await page.locator('.aw-comments > ol > li > .aw-comment').count();
  await tabTo(page, '.aw-load-more');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.aw-comments > ol > li > .aw-comment').length > n, before);
  // The focus stays in the thread: on "Load more" while more remain, else on the new page's first
  // comment, or (not made yet) on the comment it follows.
  await page.waitForFunction((n) => {
    const more = document.querySelector('.aw-load-more');
    const active = document.activeElement;
    if (more) return active === more && more.getAttribute('aria-disabled') === 'false';
    const row = [...document.querySelectorAll('.aw-comments > ol > li')].indexOf(active?.parentElement);
    return active?.matches('article') === true && (row === n || row === n - 1);
  }, before, { timeout: 2000 });

  // Sort: the select takes arrow keys.
  await tabTo(page, '.aw-sort select');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('.aw-sort select').value === 'newest');
  // Newest first: the keyboard's own comment, the last posted, leads.
  await page.waitForFunction(() => document.querySelector('.aw-comments > ol > li > .aw-comment:not(.aw-pending) .aw-comment-body')?.textContent === 'A top-level comment by keyboard');

  // Show new comments: another reader posts; the banner's Show is reached with Tab.
  await postComment(api, { viewer: 'late', name: 'Late', body: 'Arrived while reading' });
  await page.locator('.aw-new-comments').waitFor({ timeout: 5000 });
  assert.deepEqual(await smallTargets(page), [], 'the banner\'s Show is a 24×24 target too');
  await tabTo(page, '.aw-new-comments button');
  await page.keyboard.press('Enter');
  await page.locator('.aw-comment', { hasText: 'Arrived while reading' }).waitFor();
  // Show went with its banner: the focus is on the thread's heading, not the page.
  await page.waitForFunction(() => document.activeElement?.matches('.aw-comments-heading') === true, null, { timeout: 2000 });
  // The one failure is the one this test made.
  assert.deepEqual(page.problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED')), []);
  await context.close();
});
