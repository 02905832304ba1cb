// Benchmark: time to render a page of 1,000 loaded comments (100 top-level comments with 9 replies
// each, one API answer) in headless Chromium, release build, real dev-api. Measured from the end of
// the API answer (Resource Timing) to the 1,000th comment in the DOM, and to the next frame.
// Baseline, same page and run: plain DOM code building the same 1,000 comments from the same JSON.
import { startApi, launchBrowser, makeSite, postComment, ARTICLE } from '../e2e/harness.mjs';

const ROOTS = 100;
const REPLIES = Number(process.env.REPLIES ?? 9); // per root: 9 → 1,000 comments
const RUNS = Number(process.env.RUNS ?? 5);
const TOTAL = ROOTS * (REPLIES + 1);

const site = makeSite({
  'bench.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-parts="comments" data-page-size="100" data-poll-seconds="0"></div>`,
});
const api = await startApi({ staticDir: site, args: ['--posts-per-minute', '1000000'] });
const browser = await launchBrowser();
try {
  const t0 = Date.now();
  const roots = [];
  for (let i = 0; i < ROOTS; i += 10) {
    roots.push(...await Promise.all(Array.from({ length: 10 }, (_, j) =>
      postComment(api, { viewer: `r${i + j}`, body: `Top-level comment **${i + j}** with a [link](https://example.com/${i + j}).` }))));
  }
  for (const root of roots) {
    await Promise.all(Array.from({ length: REPLIES }, (_, k) =>
      postComment(api, { viewer: `v${k}`, parent: root.id, body: `Reply ${k} to ${root.id}: *some* text that is long enough to wrap once or twice in the column of a phone.` })));
  }
  console.log(`seeded ${TOTAL} comments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const page = await browser.newPage();
  await page.goto(`${api.url}/bench.html`);
  await page.getByRole('heading', { name: `Comments (${TOTAL.toLocaleString('en-US')})` }).waitFor({ timeout: 60_000 });
  await page.waitForFunction((n) => document.querySelectorAll('.aw-comment').length === n, TOTAL, { timeout: 60_000 });

  const widget = [];
  for (let run = 0; run < RUNS; run++) {
    // Switch the order: the thread reloads its first page (1,000 comments) and renders it anew.
    const sort = run % 2 === 0 ? 'newest' : 'oldest';
    widget.push(await page.evaluate(async ([sort, total]) => {
      performance.clearResourceTimings();
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
      const done = new Promise((resolve) => {
        const check = () => document.querySelectorAll('.aw-comment').length === total && !document.querySelector('.aw-placeholder');
        const obs = new MutationObserver(() => { if (check()) { obs.disconnect(); resolve(performance.now()); } });
        obs.observe(document.body, { childList: true, subtree: true });
      });
      const select = document.querySelector('.aw-sort select');
      select.value = sort;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const inDom = await done;
      const painted = await frame();
      const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes('/comments?')).pop();
      return { dom: inDom - entry.responseEnd, paint: painted - entry.responseEnd };
    }, [sort, TOTAL]));
  }

  const baseline = [];
  for (let run = 0; run < RUNS; run++) {
    baseline.push(await page.evaluate(async (url) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
      const data = await (await fetch(url)).json();
      const start = performance.now();
      const render = (comments) => {
        const ol = document.createElement('ol');
        for (const c of comments) {
          const li = document.createElement('li');
          const art = document.createElement('article');
          const head = document.createElement('header');
          head.textContent = `${c.author.name} · ${new Date(c.created_at).toLocaleString()}`;
          const body = document.createElement('p');
          body.textContent = c.body;
          const like = document.createElement('button');
          like.textContent = `👍 ${c.reactions[0]?.count ?? 0}`;
          const reply = document.createElement('button');
          reply.textContent = 'Reply';
          art.append(head, body, like, reply);
          li.append(art, render(c.replies));
          ol.append(li);
        }
        return ol;
      };
      const host = document.createElement('div');
      host.append(render(data.comments));
      document.body.append(host);
      const inDom = performance.now();
      const painted = await frame();
      host.remove();
      return { dom: inDom - start, paint: painted - start };
    }, `${api.url}/api/articles/${ARTICLE}/comments?limit=100`));
  }

  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
  const w = { dom: median(widget.map((x) => x.dom)), paint: median(widget.map((x) => x.paint)) };
  const b = { dom: median(baseline.map((x) => x.dom)), paint: median(baseline.map((x) => x.paint)) };
  console.log(`render ${TOTAL} loaded comments (one API page: ${ROOTS} top-level × ${REPLIES} replies), median of ${RUNS} runs:`);
  console.log(`  widget    ${w.dom.toFixed(1)} ms to the DOM, ${w.paint.toFixed(1)} ms to the next frame`);
  console.log(`  baseline  ${b.dom.toFixed(1)} ms to the DOM, ${b.paint.toFixed(1)} ms to the next frame — plain DOM code, same JSON`);
  console.log(`  ratio     ${(w.dom / b.dom).toFixed(1)}× to the DOM, ${(w.paint / b.paint).toFixed(1)}× to the next frame`);
} finally {
  await browser.close();
  await api.dispose();
}
