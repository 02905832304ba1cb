// Benchmark: what the bundle's weight costs a reader on first visit. Headless Chromium, a cold cache
// each time, the bundle served gzip-compressed (its .gz files) by a small Node server that also
// answers the API from memory (an article like the seed's, and 20 comments). The
// baseline is the previous bundle, built from git (BASELINE_REF, default eb21873: the last with
// serde_json in the wasm) or taken from BASELINE_DIST, measured in the same run, alternating.
//
// For a page with one widget (article, reactions, comments), median of RUNS (default 7):
//   - bytes fetched for the bundle (every file of it the page asked for);
//   - time from the wasm request to the widget's first render;
//   - navigation start to the article's title on screen;
// each unthrottled and on a throttled line (10 Mbit/s down, 40 ms round trip). LOCALE=de puts the
// page in that language (`<html lang>`): a bundle that ships its catalogue apart then fetches it.
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launchBrowser, freePort, ROOT, ARTICLE } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const REF = process.env.BASELINE_REF ?? 'eb21873';

/** The previous bundle: BASELINE_DIST, or built once from REF in a worktree of its own. */
function baselineDist() {
  if (process.env.BASELINE_DIST) return process.env.BASELINE_DIST;
  const base = join(ROOT, 'target/bench-baseline', REF);
  const dist = join(base, 'dist');
  if (existsSync(join(dist, 'article-widget_bg.wasm'))) return dist;
  console.log(`building the baseline bundle from ${REF} (once; a few minutes)…`);
  if (!existsSync(join(base, 'src'))) {
    execFileSync('git', ['worktree', 'add', '--force', '--detach', join(base, 'src'), REF], { cwd: ROOT, stdio: 'inherit' });
  }
  execFileSync('bash', ['scripts/bundle.sh', dist], {
    cwd: join(base, 'src'),
    stdio: 'inherit',
    // This checkout's npm tools (wasm-opt); the worktree builds in its own target folder.
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
  });
  return dist;
}

// ---- the server ---------------------------------------------------------------------------------

const bundles = { new: join(ROOT, 'dist'), old: baselineDist() };
const ARTICLE_JSON = JSON.stringify({
  id: ARTICLE, title: 'OpenAI signs a multi-billion-dollar cloud deal with AWS', subtitle: 'The agreement ends Microsoft\'s exclusive hold on OpenAI\'s compute',
  author: { name: 'Staff reporter', url: null }, published_at: '2026-11-20T09:00:00Z', updated_at: null, tags: ['AI', 'Cloud'],
  body: 'OpenAI has signed an agreement with **Amazon Web Services**.\n\n'.repeat(12),
  reactions: [{ kind: 'like', count: 8, reacted: false }, { kind: 'dislike', count: 0, reacted: false }], reactions_exclusive: true, comment_count: 20,
});
const COMMENTS_JSON = JSON.stringify({
  comments: Array.from({ length: 20 }, (_, i) => ({
    id: String(i + 1), parent_id: null, author: { name: `Reader ${i}`, avatar_url: null }, body: `Comment *${i}* on the deal.`,
    created_at: '2026-11-21T10:00:00Z', edited_at: null, reactions: [{ kind: 'like', count: i, reacted: false }], replies: [], reply_count: 0,
  })),
  next_cursor: null, total: 20,
});

const LOCALE = process.env.LOCALE ?? 'en';
const page = (prefix) => `<!DOCTYPE html><html lang="${LOCALE}"><head><meta charset="utf-8"><title>load</title>
<link rel="stylesheet" href="/${prefix}/article-widget.css"><script type="module" src="/${prefix}/article-widget.js"></script></head>
<body><main><div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}" data-poll-seconds="0"></div></main></body></html>`;

const types = { js: 'text/javascript', wasm: 'application/wasm', css: 'text/css', json: 'application/json' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const send = (status, headers, body) => { res.writeHead(status, { 'cache-control': 'no-store', ...headers }); res.end(body); };
  const m = url.pathname.match(/^\/(new|old)\/(article-widget[\w.-]*\.(js|wasm|css|json))$/);
  if (url.pathname === '/new.html' || url.pathname === '/old.html') return send(200, { 'content-type': 'text/html' }, page(url.pathname.slice(1, 4)));
  if (m) {
    const file = join(bundles[m[1]], m[2]);
    if (!existsSync(file)) return send(404, {}, '');
    const body = existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`) : gzipSync(readFileSync(file), { level: 9 });
    return send(200, { 'content-type': types[m[3]], 'content-encoding': 'gzip' }, body);
  }
  if (url.pathname === `/api/articles/${ARTICLE}`) return send(200, { 'content-type': 'application/json' }, ARTICLE_JSON);
  if (url.pathname === `/api/articles/${ARTICLE}/comments`) return send(200, { 'content-type': 'application/json' }, COMMENTS_JSON);
  send(404, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'not_found', message: 'no' } }));
});
const port = await freePort();
await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${port}`;

// ---- measuring ----------------------------------------------------------------------------------

// Times (ms since navigation start) of the widget's first element and of the title, each after the
// frame that shows it.
const PROBE = () => {
  window.__t = {};
  const seen = (name) => {
    if (window.__t[name] !== undefined) return;
    window.__t[name] = -1;
    requestAnimationFrame(() => setTimeout(() => { window.__t[name] = performance.now(); }));
  };
  new MutationObserver(() => {
    if (document.querySelector('.aw-widget')) seen('render');
    if (document.querySelector('h1.aw-title')) seen('title');
  }).observe(document, { childList: true, subtree: true });
};

const browser = await launchBrowser();
async function once(which, throttled) {
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  const tab = await context.newPage();
  if (throttled) {
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 });
  }
  await tab.goto(`${origin}/${which}.html`);
  await tab.waitForFunction(() => window.__t.title > 0 && window.__t.render > 0, null, { timeout: 60_000 });
  const r = await tab.evaluate(() => {
    const bundle = performance.getEntriesByType('resource').filter((e) => /article-widget/.test(e.name));
    const wasm = bundle.find((e) => e.name.endsWith('.wasm'));
    return { bytes: bundle.reduce((n, e) => n + e.encodedBodySize, 0), wasmToRender: window.__t.render - wasm.startTime, title: window.__t.title };
  });
  await context.close();
  return r;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
console.log(`first visit to a page with one widget (article, reactions, comments), median of ${RUNS}, baseline ${process.env.BASELINE_DIST ?? REF}:`);
for (const throttled of [false, true]) {
  const runs = { new: [], old: [] };
  for (let i = 0; i < RUNS; i++) for (const which of i % 2 ? ['old', 'new'] : ['new', 'old']) runs[which].push(await once(which, throttled));
  const m = (which, key) => median(runs[which].map((r) => r[key]));
  const line = (label, key, unit) => console.log(`  ${label.padEnd(40)} now ${m('new', key).toFixed(0).padStart(7)} ${unit}, before ${m('old', key).toFixed(0).padStart(7)} ${unit}  → ${(m('new', key) / m('old', key)).toFixed(2)}×`);
  console.log(throttled ? '\n throttled (10 Mbit/s, 40 ms round trip):' : '\n unthrottled (local):');
  line('bundle bytes fetched (compressed)', 'bytes', 'B ');
  line('wasm request → first render', 'wasmToRender', 'ms');
  line('navigation start → article title on screen', 'title', 'ms');
}
await browser.close();
server.close();
