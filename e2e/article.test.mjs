// The seed article page end to end: release build, real dev-api on a fresh database, headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openPage, ARTICLE } from './harness.mjs';

let api, browser;
before(async () => {
  api = await startApi();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

const like = (page) => page.locator('.aw-reaction[data-kind=like]');

test('the seed article renders with its reactions and an empty thread', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.locator('h1.aw-title').waitFor();
  assert.match(await page.locator('h1').innerText(), /^OpenAI cuts a deal with Microsoft to sell on AWS/);
  assert.equal(await page.locator('.aw-byline time').getAttribute('datetime'), '2026-11-20T09:30:00Z');
  assert.equal(await page.locator('.aw-article-body p').count(), 11);
  assert.equal(await like(page).getAttribute('aria-label'), 'Like, 8 reactions');
  assert.equal(await like(page).getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('.aw-reaction[data-kind=dislike]').getAttribute('aria-label'), 'Dislike, 0 reactions');
  await page.getByRole('heading', { name: 'Comments (0)' }).waitFor();
  await page.getByText('Be the first to comment!').waitFor();
  await page.getByLabel('Name', { exact: true }).waitFor();
  await page.getByLabel('Comment', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Post comment' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a like makes it 9, pressed, and survives a reload', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await like(page).click();
  assert.equal(await like(page).getAttribute('aria-pressed'), 'true');
  await page.locator('.aw-reaction[data-kind=like][aria-label="Like, 9 reactions"]').waitFor();
  // Wait for the server to have it, then reload.
  for (let i = 0; i < 100; i++) {
    const a = await api.get(`/articles/${ARTICLE}`);
    if (a.reactions[0].count === 9) break;
    await page.waitForTimeout(20);
  }
  await page.reload();
  await page.locator('.aw-reaction[data-kind=like][aria-pressed=true]').waitFor();
  assert.equal(await like(page).getAttribute('aria-label'), 'Like, 9 reactions');
  // Another browser (another viewer) sees 9, not pressed.
  const other = await browser.newContext();
  const page2 = await openPage(other, api.url);
  await page2.locator('.aw-reaction[data-kind=like][aria-label="Like, 9 reactions"]').waitFor();
  assert.equal(await like(page2).getAttribute('aria-pressed'), 'false');
  // Undo, so later tests start from the seed.
  await like(page).click();
  await page.locator('.aw-reaction[data-kind=like][aria-label="Like, 8 reactions"]').waitFor();
  assert.deepEqual([...page.problems, ...page2.problems], []);
  await context.close();
  await other.close();
});

test('a posted comment appears, counts, survives a reload, and hostile HTML stays text', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.getByText('Be the first to comment!').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Ada');
  await page.getByLabel('Comment', { exact: true }).fill('A *fine* article.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.aw-comment em', { hasText: 'fine' }).waitFor();
  await page.getByRole('heading', { name: 'Comments (1)' }).waitFor();
  assert.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), '');

  const hostile = '<img src=x onerror=alert(1)>';
  await page.getByLabel('Comment', { exact: true }).fill(hostile);
  await page.keyboard.press('Control+Enter');
  await page.getByRole('heading', { name: 'Comments (2)' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: 'Comments (2)' }).waitFor();
  const comments = page.locator('.aw-comment');
  assert.equal(await comments.count(), 2);
  assert.match(await comments.nth(0).innerText(), /Ada[\s\S]*A fine article\./);
  assert.equal(await comments.nth(1).locator('.aw-comment-body').innerText(), hostile);
  assert.equal(await page.locator('.aw-root img').count(), 0);
  await page.waitForTimeout(100);
  assert.deepEqual(page.problems, [], 'no alert dialog, no page error');
  const server = await api.get(`/articles/${ARTICLE}/comments`);
  assert.equal(server.total, 2);
  await context.close();
});

test('an over-long comment is refused on its field and the text is kept', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  await page.getByLabel('Name', { exact: true }).fill('A'.repeat(80));
  await page.getByLabel('Comment', { exact: true }).fill('x'.repeat(5001));
  await page.getByRole('button', { name: 'Post comment' }).click();
  const alert = page.locator('.aw-composer [role=alert]');
  await alert.waitFor();
  // The limit as the reader's locale writes numbers.
  assert.equal(await alert.innerText(), 'Your comment is too long (at most 5,000 characters).');
  assert.equal(await page.getByLabel('Comment', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal((await page.getByLabel('Comment', { exact: true }).inputValue()).length, 5001);
  await context.close();
});
