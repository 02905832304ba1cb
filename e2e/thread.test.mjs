// The comment thread end to end: replies, drafts, safe retries through a crash, paging, live updates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openPage, makeSite, until, crash, postComment, ARTICLE } from './harness.mjs';

let api, browser;
before(async () => {
  const site = makeSite({
    'live.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-poll-seconds="1"></div>`,
  });
  api = await startApi({ staticDir: site, args: ['--posts-per-minute', '100000'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

const name = (page) => page.getByLabel('Name', { exact: true }).first();
const serverComments = async () => (await api.get(`/articles/${ARTICLE}/comments?limit=100`));
const clearAll = async () => {
  // Each test starts from an empty thread: a fresh database.
  await api.stop();
  const { rmSync } = await import('node:fs');
  for (const f of [api.db, `${api.db}-wal`, `${api.db}-shm`]) rmSync(f, { force: true });
  await api.start();
};

test('a comment and two nested replies are in place after a reload', async () => {
  await clearAll();
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.getByText('Be the first to comment!').waitFor();
  await name(page).fill('Ada');
  await page.getByLabel('Comment', { exact: true }).fill('Top comment');
  await page.getByRole('button', { name: 'Post comment' }).click();
  const top = page.locator('.aw-comment', { hasText: 'Top comment' });
  await top.waitFor();

  await top.getByRole('button', { name: 'Reply' }).click();
  const replyBox = page.getByLabel('Reply', { exact: true });
  await replyBox.fill('First reply');
  await page.getByRole('button', { name: 'Post reply' }).click();
  const reply = page.locator('.aw-comment', { hasText: 'First reply' });
  await reply.waitFor();
  await reply.getByRole('button', { name: 'Reply' }).click();
  await page.getByLabel('Reply', { exact: true }).fill('Reply to the reply');
  await page.keyboard.press('Control+Enter');
  await page.locator('.aw-comment', { hasText: 'Reply to the reply' }).waitFor();
  await page.getByRole('heading', { name: 'Comments (3)' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: 'Comments (3)' }).waitFor();
  // Nesting: the reply to the reply is inside the first reply's list, inside the top comment's.
  const depthOf = (text) => page.locator('.aw-comment', { hasText: text }).evaluate((el) => {
    let d = 0;
    for (let n = el; n; n = n.parentElement) if (n.classList?.contains('aw-replies')) d++;
    return d;
  });
  assert.deepEqual([await depthOf('Top comment'), await depthOf('First reply'), await depthOf('Reply to the reply')], [0, 1, 2]);
  const server = await serverComments();
  assert.equal(server.total, 3);
  assert.equal(server.comments[0].replies[0].replies[0].body, 'Reply to the reply');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a draft survives a reload, in the right composer', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.locator('.aw-comment').first().waitFor();
  await name(page).fill('Ada');
  await page.getByLabel('Comment', { exact: true }).fill('Half a thought about Azure');
  await page.locator('.aw-comment').first().getByRole('button', { name: 'Reply' }).click();
  await page.getByLabel('Reply', { exact: true }).fill('A reply in progress');
  await page.reload();
  await page.locator('.aw-comment').first().waitFor();
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), 'Half a thought about Azure');
  assert.equal(await page.getByLabel('Reply', { exact: true }).inputValue(), 'A reply in progress');
  assert.equal(await name(page).inputValue(), 'Ada', 'the name is remembered too');
  // Cleared only when the server confirms.
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment', { hasText: 'Half a thought about Azure' }).waitFor();
  await page.reload();
  await page.locator('.aw-comment').first().waitFor();
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), '');
  await context.close();
});

test('the API dies with the answer in flight: "Not sent — Retry", then exactly one comment', async () => {
  await clearAll();
  // Answers are held back 3 s after the write, so the crash loses the answer, not the write.
  await api.stop();
  api.args = ['--posts-per-minute', '100000', '--delay-ms', '3000'];
  await api.start();
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.getByText('Be the first to comment!').waitFor({ timeout: 10_000 });
  await name(page).fill('Grace');
  await page.getByLabel('Comment', { exact: true }).fill('Posted exactly once, whatever happens');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-pending', { hasText: 'Sending…' }).waitFor();
  // The server writes it at once, holds the answer back, and dies before answering.
  await page.waitForTimeout(700);
  await crash(api);
  const pending = page.locator('.aw-pending');
  await pending.getByText('Not sent — the server could not be reached.').waitFor();
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), 'Posted exactly once, whatever happens');

  api.args = ['--posts-per-minute', '100000'];
  await api.start();
  assert.equal((await api.get(`/articles/${ARTICLE}`)).comment_count, 1, 'the first attempt did reach the server');
  await pending.getByRole('button', { name: 'Retry' }).click();
  await page.locator('.aw-comment:not(.aw-pending)', { hasText: 'Posted exactly once' }).waitFor();
  assert.equal(await page.locator('.aw-pending').count(), 0);
  const server = await serverComments();
  assert.equal(server.total, 1, 'exactly one comment on the server');
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), '');
  await page.reload();
  await page.getByRole('heading', { name: 'Comments (1)' }).waitFor();
  assert.equal(await page.locator('.aw-comment').count(), 1);
  await context.close();
});

test('the sort changes while a post is in flight: the post ends confirmed, once', async () => {
  await clearAll();
  await postComment(api, { viewer: 'other', body: 'An older comment' });
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.locator('.aw-comment', { hasText: 'An older comment' }).waitFor();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // The post reaches the server only after 800 ms. The newest-first page is read at once (so without
  // the post) but answered after 1,600 ms: the post's answer lands in the middle of the reload.
  await page.route('**/api/articles/*/comments*', async (route) => {
    const request = route.request();
    if (request.method() === 'POST') {
      await sleep(800);
      return route.continue();
    }
    if (request.url().includes('sort=newest')) {
      const response = await route.fetch();
      await sleep(1600);
      return route.fulfill({ response });
    }
    return route.continue();
  });
  await name(page).fill('Ada');
  await page.getByLabel('Comment', { exact: true }).fill('Sent while the order changed');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-pending', { hasText: 'Sending…' }).waitFor();
  await page.getByLabel('Sort by').selectOption('newest');
  const mine = page.locator('.aw-comment:not(.aw-pending)', { hasText: 'Sent while the order changed' });
  await mine.waitFor({ timeout: 10_000 });
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.aw-pending').count(), 0, 'not left "Sending…"');
  assert.equal(await mine.count(), 1, 'shown once');
  const order = await page.locator('.aw-comment-body').allTextContents();
  assert.deepEqual(order, ['Sent while the order changed', 'An older comment'], 'newest first');
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), '', 'the draft is cleared');
  assert.equal((await serverComments()).total, 2, 'stored once');
  await page.unroute('**/api/articles/*/comments*');
  await page.reload();
  await page.getByRole('heading', { name: 'Comments (2)' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a full storage: the reader is told the draft is not kept, and posting still works', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
  });
  const page = await openPage(context, api.url);
  await page.locator('.aw-comments').waitFor();
  await name(page).fill('Noor');
  await page.getByLabel('Comment', { exact: true }).fill('Written without storage');
  const note = page.locator('.aw-composer [role=status]');
  await note.waitFor();
  assert.match(await note.innerText(), /does not keep your draft/);
  assert.equal(await page.locator('.aw-composer [role=status]').count(), 1, 'said once');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment:not(.aw-pending)', { hasText: 'Written without storage' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('120 comments page in with "Load more comments", none twice', async () => {
  await clearAll();
  for (let i = 1; i <= 120; i++) await postComment(api, { viewer: `bulk-${i % 7}`, body: `Comment number ${i}` });
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.getByRole('heading', { name: 'Comments (120)' }).waitFor();
  const more = page.locator('.aw-load-more');
  assert.equal(await more.innerText(), 'Load more comments');
  let clicks = 0;
  while (await more.count()) {
    const before = await page.locator('.aw-comment').count();
    await more.click();
    clicks++;
    // While a page loads the button stays, disabled, as "Loading…".
    await until(async () => (await page.locator('.aw-comment').count()) > before, 5000, 'the next page');
  }
  const ids = await page.locator('.aw-comment').evaluateAll((els) => els.map((e) => e.dataset.commentId));
  assert.equal(ids.length, 120);
  assert.equal(new Set(ids).size, 120, 'no duplicates');
  // textContent: comments far below the viewport skip rendering (content-visibility), so innerText is empty there.
  const bodies = await page.locator('.aw-comment-body').allTextContents();
  assert.deepEqual(bodies, Array.from({ length: 120 }, (_, i) => `Comment number ${i + 1}`), 'oldest first, in order');
  assert.equal(clicks, 5, '20 per page');
  await context.close();
});

test('a comment from another browser arrives through the "new comments" banner', async () => {
  await clearAll();
  const reader = await browser.newContext();
  const page = await openPage(reader, `${api.url}/live.html`);
  await page.getByText('Be the first to comment!').waitFor();
  // The reader's own post is not "new".
  await name(page).fill('Reader');
  await page.getByLabel('Comment', { exact: true }).fill('Mine');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment', { hasText: 'Mine' }).waitFor();
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('.aw-new-comments').count(), 0);

  const scrollBefore = await page.evaluate(() => window.scrollY);
  const other = await browser.newContext();
  const page2 = await openPage(other, api.url);
  await page2.getByText('Mine').waitFor();
  await name(page2).fill('Someone else');
  await page2.getByLabel('Comment', { exact: true }).fill('Hello from another browser');
  await page2.getByRole('button', { name: 'Post comment' }).click();
  await page2.locator('.aw-comment', { hasText: 'Hello from another browser' }).waitFor();

  const banner = page.locator('.aw-new-comments');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.innerText(), /^1 new comment —\s*Show$/);
  assert.equal(await page.evaluate(() => window.scrollY), scrollBefore, 'the banner moves nothing');
  await banner.getByRole('button', { name: 'Show' }).click();
  await page.locator('.aw-comment', { hasText: 'Hello from another browser' }).waitFor();
  await page.getByRole('heading', { name: 'Comments (2)' }).waitFor();
  assert.equal(await page.locator('.aw-new-comments').count(), 0);
  assert.deepEqual(page.problems, []);
  await reader.close();
  await other.close();
});
