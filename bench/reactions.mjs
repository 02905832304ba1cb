// Benchmark: time from a click on the like button to the updated count in the DOM (and to the next
// frame), median over 100 clicks in headless Chromium, against the release build and a real dev-api.
// The baseline, measured in the same page and run, is a plain DOM button whose click handler sets its
// own text: the floor the browser itself imposes.
import { startApi, launchBrowser, ARTICLE } from '../e2e/harness.mjs';

const CLICKS = Number(process.env.CLICKS ?? 100);
const api = await startApi();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(api.url);
  await page.locator('.aw-article .aw-reaction[data-kind=like]').waitFor();
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'baseline';
    b.innerHTML = '<span class="n">0</span>';
    b.addEventListener('click', () => { const n = b.querySelector('.n'); n.textContent = String(Number(n.textContent) + 1); });
    document.body.append(b);
  });
  const measure = (button, count, clicks) => page.evaluate(async ([button, count, clicks]) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const dom = [], paint = [];
    for (let i = 0; i < clicks; i++) {
      const btn = document.querySelector(button);
      const target = document.querySelector(count);
      const changed = new Promise((resolve) => {
        const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now()); });
        obs.observe(target, { childList: true, characterData: true, subtree: true });
      });
      const t0 = performance.now();
      btn.click();
      const t1 = await changed;
      const t2 = await frame();
      dom.push(t1 - t0);
      paint.push(t2 - t0);
      await sleep(40); // let the server answer before the next click
    }
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
    return { dom: median(dom), paint: median(paint), max: Math.max(...dom) };
  }, [button, count, clicks]);

  const widget = await measure('.aw-article .aw-reaction[data-kind=like]', '.aw-article .aw-reaction[data-kind=like] .aw-reaction-count', CLICKS);
  const baseline = await measure('#baseline', '#baseline .n', CLICKS);
  const server = (await api.get(`/articles/${ARTICLE}`)).reactions[0];
  const f = (x) => x.toFixed(3);
  console.log(`click → count in the DOM, median of ${CLICKS} clicks (headless Chromium, release build):`);
  console.log(`  widget    ${f(widget.dom)} ms  (to next frame ${f(widget.paint)} ms, slowest DOM update ${f(widget.max)} ms)`);
  console.log(`  baseline  ${f(baseline.dom)} ms  (to next frame ${f(baseline.paint)} ms) — a plain DOM button`);
  console.log(`  ratio     ${(widget.dom / baseline.dom).toFixed(1)}× the baseline for the DOM update, ${(widget.paint / baseline.paint).toFixed(2)}× to the next frame`);
  console.log(`  server after ${CLICKS} clicks: like count ${server.count} (seed 8, ${CLICKS % 2 ? 'odd' : 'even'} clicks)`);
} finally {
  await browser.close();
  await api.dispose();
}
