// Benchmark: the server-rendered first paint (src/ssr.rs) against the widget rendering everything
// itself, measured in the same run, alternating, with a cold cache each time. dev-api serves both
// pages and the bundle (dist/); the article has 20 comments. For each path, the median of RUNS
// (default 11):
//   - navigation start to the article's title on screen (the frame after it is in the document);
//   - navigation start to the widget running (its element gets `aw-root`);
//   - cumulative layout shift, with host content below the widget.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, launchBrowser, makeSite, hostPage, ARTICLE } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 11);

const site = makeSite();
const api = await startApi({ staticDir: site, args: ['--posts-per-minute', '100000'] });
for (let i = 0; i < 20; i++) {
  await fetch(`${api.url}/api/articles/${ARTICLE}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${i}`, 'X-Viewer-Id': 'bench' },
    body: JSON.stringify({ author_name: 'Reader', body: `Comment ${i} on the deal, with *some* Markdown.` }),
  });
}
const fragment = await (await fetch(`${api.url}/api/articles/${ARTICLE}/html`)).text();
const element = (inside) => `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0">${inside}</div>
  <p>Host content below the widget.</p>`;
writeFileSync(join(site, 'server.html'), hostPage(element(fragment)));
writeFileSync(join(site, 'browser.html'), hostPage(element('')));

const browser = await launchBrowser();
const paths = { server: [], browser: [] };
for (let run = 0; run < RUNS; run++) {
  for (const name of run % 2 ? ['browser', 'server'] : ['server', 'browser']) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    await context.addInitScript(() => {
      window.__figures = { cls: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__figures.cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
      const seen = () => {
        const f = window.__figures;
        if (f.title === undefined && document.querySelector('h1.aw-title')) {
          f.title = -1;
          requestAnimationFrame(() => { f.title = performance.now(); });
        }
        if (f.running === undefined && document.querySelector('.aw-root')) f.running = performance.now();
      };
      new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    });
    const page = await context.newPage();
    await page.goto(`${api.url}/${name}.html`);
    await page.waitForFunction(() => window.__figures.title > 0 && window.__figures.running > 0 && document.querySelector('.aw-comment'));
    await page.waitForTimeout(300);
    paths[name].push(await page.evaluate(() => window.__figures));
    await context.close();
  }
}
await browser.close();
await api.dispose();

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const fig = (name, key) => median(paths[name].map((f) => f[key]));
console.log(`server-rendered first paint vs rendering in the browser (20 comments), medians of ${RUNS}, alternating:`);
for (const [key, label] of [['title', "the article's title on screen"], ['running', 'the widget running']]) {
  const [s, b] = [fig('server', key), fig('browser', key)];
  console.log(`  ${label.padEnd(32)} server ${s.toFixed(0).padStart(5)} ms   browser ${b.toFixed(0).padStart(5)} ms   → ${(s / b).toFixed(2)}×`);
}
console.log(`  cumulative layout shift          server ${fig('server', 'cls').toFixed(3)}      browser ${fig('browser', 'cls').toFixed(3)}`);
