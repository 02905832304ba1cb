// Reactions end to end: rapid clicks, exclusive kinds, keyboard, two widgets for one article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openPage, makeSite, until, ARTICLE } from './harness.mjs';

let api, browser, site;
before(async () => {
  site = makeSite({
    'two.html': `
      <div id="top" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="reactions"></div>
      <div id="main" data-article-widget data-api-base="/api" data-article-id="${ARTICLE}"></div>`,
  });
  api = await startApi({ staticDir: site });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.dispose();
});

const articleButton = (page, kind, scope = '') => page.locator(`${scope} .aw-article .aw-reaction[data-kind=${kind}]`);
const serverReactions = async (viewer) => (await api.get(`/articles/${ARTICLE}`, viewer)).reactions;
const viewerOf = (page) => page.evaluate(() => localStorage.getItem('article-widget:viewer-id'));

async function settled(page) {
  // The widget is idle when what it shows equals what the server has for this viewer.
  const viewer = await viewerOf(page);
  return until(async () => {
    const server = await serverReactions(viewer);
    const shown = await page.locator('.aw-article .aw-reaction').evaluateAll((els) =>
      els.map((e) => [e.dataset.kind, e.getAttribute('aria-pressed'), e.getAttribute('aria-label')]));
    const expected = server.map((r) => [r.kind, String(r.reacted), `${r.kind === 'like' ? 'Like' : 'Dislike'}, ${r.count} ${r.count === 1 ? 'reaction' : 'reactions'}`]);
    return JSON.stringify(shown) === JSON.stringify(expected) ? server : false;
  }, 10_000, 'the widget to match the server');
}

for (const clicks of [10, 11]) {
  test(`${clicks} rapid clicks leave the ${clicks % 2 ? 'reaction toggled' : 'count unchanged'}, on screen and on the server`, async () => {
    const context = await browser.newContext();
    const page = await openPage(context, api.url);
    const like = articleButton(page, 'like');
    await like.waitFor();
    const before = (await serverReactions())[0].count;
    for (let i = 0; i < clicks; i++) await like.click({ delay: 0 });
    const server = await settled(page);
    const expectOn = clicks % 2 === 1;
    assert.equal(server[0].reacted, expectOn);
    assert.equal(server[0].count, before + (expectOn ? 1 : 0));
    await page.reload();
    await page.locator(`.aw-article .aw-reaction[data-kind=like][aria-pressed=${expectOn}]`).waitFor();
    assert.equal(await like.getAttribute('aria-label'), `Like, ${before + (expectOn ? 1 : 0)} reactions`);
    if (expectOn) { await like.click(); await settled(page); }
    assert.deepEqual(page.problems, []);
    await context.close();
  });
}

test('a dislike while liked moves the reaction, on screen at once and on the server', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  const [like, dislike] = [articleButton(page, 'like'), articleButton(page, 'dislike')];
  await like.click();
  await settled(page);
  const [likes] = await serverReactions();
  await dislike.click();
  // Both buttons change together (that this happens before the answer is a browser test's job).
  assert.equal(await like.getAttribute('aria-pressed'), 'false');
  assert.equal(await dislike.getAttribute('aria-pressed'), 'true');
  const server = await settled(page);
  assert.deepEqual(server.map((r) => [r.kind, r.count, r.reacted]), [['like', likes.count - 1, false], ['dislike', 1, true]]);
  await dislike.click();
  await settled(page);
  await context.close();
});

test('the keyboard alone reacts: Tab reaches the button, Space and Enter toggle, focus stays', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, api.url);
  const like = articleButton(page, 'like');
  await like.waitFor();
  // Tab from the top of the page until the like button has focus.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await like.evaluate((el) => el === document.activeElement)) break;
  }
  assert.ok(await like.evaluate((el) => el === document.activeElement), 'Tab reaches the like button');
  const focusVisible = await like.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.equal(focusVisible, 'solid', 'focus is visible');
  await page.keyboard.press('Space');
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=true]').waitFor();
  assert.ok(await like.evaluate((el) => el === document.activeElement), 'focus stays on the button');
  await settled(page);
  await page.keyboard.press('Enter');
  await page.locator('.aw-article .aw-reaction[data-kind=like][aria-pressed=false]').waitFor();
  assert.ok(await like.evaluate((el) => el === document.activeElement));
  await settled(page);
  await context.close();
});

test('two widgets for one article on one page stay in step', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${api.url}/two.html`);
  const topLike = articleButton(page, 'like', '#top');
  const mainLike = articleButton(page, 'like', '#main');
  await topLike.waitFor();
  await mainLike.waitFor();
  const start = await mainLike.getAttribute('aria-label');
  await topLike.click();
  await page.locator('#main .aw-article .aw-reaction[data-kind=like][aria-pressed=true]').waitFor();
  assert.notEqual(await mainLike.getAttribute('aria-label'), start);
  assert.equal(await mainLike.getAttribute('aria-label'), await topLike.getAttribute('aria-label'));
  // And back, from the other widget; an exclusive move shows in both.
  await articleButton(page, 'dislike', '#main').click();
  await page.locator('#top .aw-article .aw-reaction[data-kind=dislike][aria-pressed=true]').waitFor();
  assert.equal(await topLike.getAttribute('aria-pressed'), 'false');
  assert.equal(await topLike.getAttribute('aria-label'), start);
  await articleButton(page, 'dislike', '#top').click();
  await page.locator('#main .aw-article .aw-reaction[data-kind=dislike][aria-pressed=false]').waitFor();
  // data-parts="reactions" rendered no article text and no thread.
  assert.equal(await page.locator('#top h1, #top .aw-comments').count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});
