// Readers' own words end to end: edit and delete one's own comment within the window (tokens kept in
// localStorage, no cookies), tombstones, what other readers see, the window closing, and reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openPage, makeSite, until, ARTICLE } from './harness.mjs';

let api, browser;
before(async () => {
  const site = makeSite({
    'comments.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments"></div>`,
    // A backend without reports (a v1 server): its answer is 404.
    'no-reports.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments"
      data-endpoints='{"reports": "/no-such/{comment}"}'></div>`,
  });
  api = await startApi({ staticDir: site, args: ['--posts-per-minute', '100000'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

const comment = (page, text) => page.locator('article.aw-comment', { hasText: text });
const focused = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

async function post(page, body, { name = 'Ada', replyTo } = {}) {
  if (replyTo) {
    await comment(page, replyTo).getByRole('button', { name: 'Reply', exact: true }).click();
    await page.getByLabel('Reply', { exact: true }).fill(body);
    await page.getByRole('button', { name: 'Post reply' }).click();
  } else {
    await page.getByLabel('Name', { exact: true }).first().fill(name);
    await page.getByLabel('Comment', { exact: true }).fill(body);
    await page.getByRole('button', { name: 'Post comment' }).click();
  }
  await comment(page, body).getByRole('button', { name: /^Edit · \d+ min left$/ }).waitFor();
}

test('post, edit, reload, edit again; a refused edit keeps its text; Escape gives focus back', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/comments.html`);
  await post(page, 'Teh typo');
  const mine = comment(page, 'Teh typo');
  await mine.getByRole('button', { name: 'Edit · 15 min left' }).click();
  const field = page.getByLabel('Edit your comment');
  assert.equal(await field.inputValue(), 'Teh typo');
  assert.equal(await field.evaluate((el) => el === document.activeElement), true, 'the field takes the focus');

  // The composer's rule: an empty text is refused, and the text stays.
  await field.fill('   ');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Please write a comment.' }).waitFor();
  await field.fill('The typo, fixed');
  await page.getByRole('button', { name: 'Save' }).click();
  const fixed = comment(page, 'The typo, fixed');
  await fixed.getByText('(edited)').waitFor();
  await until(async () => (await focused(page)).startsWith('Edit ·'), 3000, 'focus back on Edit');
  await page.getByText('Comment updated.').waitFor({ state: 'attached' });

  await page.reload();
  await comment(page, 'The typo, fixed').getByRole('button', { name: /^Edit · / }).click();
  await page.getByLabel('Edit your comment').fill('never saved');
  await page.keyboard.press('Escape');
  await until(async () => (await page.getByLabel('Edit your comment').count()) === 0, 3000, 'the form closes');
  assert.match(await focused(page), /^Edit · /);
  await comment(page, 'The typo, fixed').getByRole('button', { name: /^Edit · / }).click();
  await page.getByLabel('Edit your comment').fill('Third time, **lucky**');
  await page.keyboard.press('Enter'); // a new line, not a submit
  await page.getByRole('button', { name: 'Save' }).click();
  await comment(page, 'Third time').locator('strong', { hasText: 'lucky' }).waitFor();
  const server = await api.get(`/articles/${ARTICLE}/comments?sort=newest&limit=1`);
  assert.equal(server.comments[0].body, 'Third time, **lucky**');
  assert.ok(server.comments[0].edited_at);
  // No cookie was involved: the grant lives in localStorage.
  assert.deepEqual(await context.cookies(), []);
  assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('article-widget:grants:'))));
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('delete: asked in place, a tombstone over replies, gone without; other readers see no controls', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/comments.html`);
  await post(page, 'Parent to delete');
  await post(page, 'Its reply', { replyTo: 'Parent to delete' });
  await post(page, 'Lonely one');
  const heading = async () => page.getByRole('heading', { level: 2 }).textContent();
  const before = Number((await heading()).match(/\d+/)[0]);

  // Keep it: nothing happens, the focus returns to Delete.
  await comment(page, 'Lonely one').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Delete this comment? This cannot be undone.').waitFor();
  assert.equal(await focused(page), 'Keep it');
  await page.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await focused(page), 'Delete');

  // With a reply: a tombstone, the reply kept below it.
  const parent = comment(page, 'Parent to delete');
  await parent.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('.aw-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('.aw-tombstone', { hasText: 'Comment deleted' }).waitFor();
  await comment(page, 'Its reply').waitFor();
  await page.getByText('Comment deleted.').waitFor({ state: 'attached' }); // announced
  await until(async () => (await heading()).includes(`(${before - 1})`), 3000, 'the count drops');

  // Another reader: no Edit or Delete anywhere, Report on every comment, the tombstone as it is.
  const other = await browser.newContext();
  const theirs = await openPage(other, `${api.url}/comments.html`);
  await comment(theirs, 'Its reply').waitFor();
  assert.equal(await theirs.getByRole('button', { name: /^Edit · / }).count(), 0);
  assert.equal(await theirs.getByRole('button', { name: 'Delete', exact: true }).count(), 0);
  assert.equal(await theirs.locator('.aw-tombstone', { hasText: 'Comment deleted' }).count(), 1);
  assert.equal(
    await theirs.getByRole('button', { name: 'Report', exact: true }).count(),
    await theirs.locator('article.aw-comment:not(.aw-tombstone)').count(),
  );
  await other.close();

  // The reply deleted: nothing is left to show below the tombstone, so both go.
  await comment(page, 'Its reply').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('.aw-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
  await until(async () => (await comment(page, 'Its reply').count()) === 0, 3000, 'the reply goes');
  assert.equal(await page.locator('.aw-tombstone').count(), 0);
  // Without replies: gone.
  await comment(page, 'Lonely one').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('.aw-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
  await until(async () => (await comment(page, 'Lonely one').count()) === 0, 3000, 'the comment goes');
  await until(async () => (await heading()).includes(`(${before - 3})`), 3000, 'the count drops');
  await page.reload();
  await page.getByRole('heading', { level: 2 }).filter({ hasText: `(${before - 3})` }).waitFor();
  assert.equal(await comment(page, 'Parent to delete').count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('reports: a reason is required, thanks once, a repeat is received too', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/comments.html`);
  await post(page, 'Buy cheap pills');
  const other = await browser.newContext();
  const theirs = await openPage(other, `${api.url}/comments.html`);
  const statuses = [];
  theirs.on('response', (r) => r.url().endsWith('/reports') && statuses.push(r.status()));
  for (let round = 0; round < 2; round++) {
    const spam = comment(theirs, 'Buy cheap pills');
    await spam.getByRole('button', { name: 'Report', exact: true }).click();
    await theirs.getByRole('group', { name: 'Why are you reporting this comment?' }).waitFor();
    assert.equal(await focused(theirs), '', 'the first reason (a radio button) has the focus');
    assert.equal(await theirs.evaluate(() => document.activeElement?.type), 'radio');
    await theirs.getByRole('button', { name: 'Send report' }).click();
    await theirs.getByRole('alert').filter({ hasText: 'Please choose a reason.' }).waitFor();
    await theirs.getByRole('radio', { name: 'Spam' }).check();
    await theirs.getByLabel('Note for the moderators (optional)').fill('Same link on every article.');
    await theirs.getByRole('button', { name: 'Send report' }).click();
    // Below the comment, where its form was.
    await theirs.locator('.aw-report-thanks', { hasText: 'Thanks — a moderator will look at it.' }).waitFor();
    assert.equal(await focused(theirs), 'Report');
    await theirs.reload();
  }
  assert.deepEqual(statuses, [202, 202]);
  assert.deepEqual(theirs.problems, []);
  await other.close();
  await context.close();
});

test('a backend without reports: the failed one says so, and Report goes away', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/no-reports.html`);
  await post(page, 'Nobody can report me');
  await post(page, 'Nor me');
  await comment(page, 'Nor me').getByRole('button', { name: 'Report', exact: true }).click();
  await page.getByRole('radio', { name: 'Off topic' }).check();
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByRole('alert').filter({ hasText: 'this site does not take reports.' }).waitFor();
  await until(async () => (await page.getByRole('button', { name: 'Report', exact: true }).count()) === 0, 3000, 'Report hidden');
  await context.close();
});

test('when the window closes the controls go, an open edit keeps its text, and a forced request gets 403', async () => {
  const short = await startApi({ staticDir: makeSite(), args: ['--edit-window-seconds', '4'] });
  try {
    const context = await browser.newContext();
    const page = await openPage(context, short.url);
    await page.getByLabel('Name', { exact: true }).first().fill('Ada');
    await page.getByLabel('Comment', { exact: true }).fill('Quick thought');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const mine = comment(page, 'Quick thought');
    await mine.getByRole('button', { name: 'Edit · 1 min left' }).click();
    await page.getByLabel('Edit your comment').fill('Quick thought, amended');
    await until(async () => (await mine.getByRole('button', { name: /^Edit · / }).count()) === 0, 8000, 'controls gone');
    assert.equal(await mine.getByRole('button', { name: 'Delete', exact: true }).count(), 0);
    await page.getByRole('alert').filter({ hasText: 'the time to change this comment is over.' }).waitFor();
    assert.equal(await page.getByLabel('Edit your comment').inputValue(), 'Quick thought, amended', 'the text stays');
    assert.equal(await page.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled'), 'true');

    // The token, used directly: the server refuses it now.
    const [id, grant] = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('article-widget:grants:'));
      const all = key ? JSON.parse(localStorage.getItem(key)) : {};
      return Object.entries(all)[0] ?? [null, null];
    });
    assert.equal(id, null, 'the expired grant was dropped from storage');
    const listed = await short.get(`/articles/${ARTICLE}/comments?sort=newest&limit=1`);
    const commentId = listed.comments[0].id;
    // A fresh post's token from the server, then the clock runs out.
    const r = await fetch(`${short.url}/api/articles/${ARTICLE}/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Viewer-Id': 'forcer', 'Idempotency-Key': 'force-1' },
      body: JSON.stringify({ author_name: 'F', body: 'forced' }),
    });
    const posted = await r.json();
    await new Promise((ok) => setTimeout(ok, 4200));
    const forced = await fetch(`${short.url}/api/articles/${ARTICLE}/comments/${posted.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-Edit-Token': posted.edit_token },
      body: JSON.stringify({ body: 'too late' }),
    });
    assert.equal(forced.status, 403);
    assert.equal((await forced.json()).error.code, 'edit_window_closed');
    const wrong = await fetch(`${short.url}/api/articles/${ARTICLE}/comments/${commentId}`, {
      method: 'DELETE',
      headers: { 'X-Edit-Token': posted.edit_token },
    });
    assert.equal(wrong.status, 403, "another comment's token");
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await short.dispose();
  }
});
