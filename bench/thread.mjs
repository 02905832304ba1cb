// Benchmark: big threads, the way a reader meets them. Headless Chromium, the release bundle (dist/),
// and an API that is not dev-api: a small Node server answering one page of comments from memory, so
// that only the browser side is measured. Each figure is a median, next to a baseline measured in the
// same run, alternating with it: a plain-JS page that fetches the same JSON from the same server and
// builds the same comments with createElement/textContent (the renderer a page would write by hand).
//
//   1. 1,000 comments (100 top-level × 9 replies, one page): navigation start to the last comment on
//      screen (in the DOM, then a frame painted).
//   2. 10,000 comments (100 × 99, one page): the same, the longest task (PerformanceObserver
//      "longtask", until the cards' exact-date titles, written in idle time, are all written), that
//      every comment is in the DOM, and the memory in use after loading.
//   3. Posting into the 1,000-comment thread: from the end of the POST answer to the comment on
//      screen.
//
// RUNS (default 11: medians of 5 swung from 1.48x to 1.81x at 1,000 comments within an hour) sets the runs per figure; ONLY=1000 keeps one size; BASELINE=folder also measures
// another bundle in the same runs (an A/B of a change). DIST (default dist/) is the bundle folder. PROFILE=1
// instead records a CPU profile of one widget load of 10,000 comments (PROFILE=1000: of 1,000) and prints the functions with
// the most self time (build the bundle with names kept: `wasm-bindgen --keep-debug`, `wasm-opt -g`).
// TRACE=1000 instead splits the main thread's busy time of a load (widget, plain JS, and the BASELINE
// bundle) into script, style, layout, paint and GC, from a Chromium trace. SERVE=1 only serves the
// pages, for a look by hand.
//
// A/B of two bundles: the page in the DIST place wins a few percent by its place alone (an A/A
// run measures 0.95-0.97). Measure both ways (BASELINE=b, then DIST=b BASELINE=dist) and take the
// geometric mean; at 10,000 comments a change shows clearest.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, freePort, ROOT } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 11);
// ONLY=1000 (or 10000) measures that size alone, for a quicker loop while working on one figure.
const SIZES = [[100, 9], [100, 99]].filter(([r, k]) => !process.env.ONLY || r * (k + 1) === Number(process.env.ONLY));

// ---- the API and the pages ----------------------------------------------------------------------

const when = (i) => new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + i * 60_000).toISOString().replace('.000Z', 'Z');
function comment(id, parent, i, body, replies = []) {
  return {
    id: String(id), parent_id: parent, author: { name: `Reader ${i % 50}`, avatar_url: null }, body,
    created_at: when(i), edited_at: null, reactions: [{ kind: 'like', count: i % 7, reacted: false }],
    replies, reply_count: replies.length,
  };
}
function pageOf(roots, replies) {
  let next = 1;
  const comments = [];
  for (let r = 0; r < roots; r++) {
    const rootId = next++;
    const children = [];
    for (let k = 0; k < replies; k++) {
      const id = next++;
      children.push(comment(id, String(rootId), id, `Reply ${k} to ${rootId}: *some* text that is long enough to wrap once or twice in the column of a phone.`));
    }
    comments.push(comment(rootId, null, rootId, `Top-level comment **${r}** with a [link](https://example.com/${r}).`, children));
  }
  return { comments, next_cursor: null, total: roots * (replies + 1) };
}
const pages = Object.fromEntries([[100, 9], [100, 99]].map(([r, k]) => [`bench-${r * (k + 1)}`, JSON.stringify(pageOf(r, k))]));

// The plain-JS renderer: the same JSON, the same structure and class names, no framework.
const PLAIN = `<script type="module">
const article = new URLSearchParams(location.search).get('article');
const data = await (await fetch('/api/articles/' + article + '/comments?sort=oldest&limit=100')).json();
const render = (comments) => {
  const ol = document.createElement('ol');
  for (const c of comments) {
    const li = document.createElement('li');
    const art = document.createElement('article');
    art.className = 'aw-comment';
    const head = document.createElement('header');
    head.textContent = c.author.name + ' · ' + new Date(c.created_at).toLocaleString();
    const body = document.createElement('p');
    body.textContent = c.body;
    const like = document.createElement('button');
    like.textContent = '👍 ' + (c.reactions[0]?.count ?? 0);
    const reply = document.createElement('button');
    reply.textContent = 'Reply';
    art.append(head, body, like, reply);
    li.append(art, render(c.replies));
    ol.append(li);
  }
  return ol;
};
document.querySelector('main').append(render(data.comments));
</script>`;
const page = (body, dir = '') => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<link rel="stylesheet" href="${dir}/article-widget.css"><script type="module" src="${dir}/article-widget.js"></script></head>
<body><main>${body}</main></body></html>`;
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const files = {
  '/article-widget.js': ['text/javascript', readFileSync(join(DIST, 'article-widget.js'))],
  '/article-widget-wasm.js': ['text/javascript', readFileSync(join(DIST, 'article-widget-wasm.js'))],
  '/article-widget_bg.wasm': ['application/wasm', readFileSync(join(DIST, 'article-widget_bg.wasm'))],
  '/article-widget.css': ['text/css', readFileSync(join(ROOT, 'style/article-widget.css'))],
  // BASELINE=folder: another bundle (say, main's), measured in the same runs under /b/.
  ...(process.env.BASELINE ? Object.fromEntries(['article-widget.js', 'article-widget-wasm.js', 'article-widget_bg.wasm', 'article-widget.css'].map((f) => [
    `/b/${f}`, [f.endsWith('.wasm') ? 'application/wasm' : f.endsWith('.css') ? 'text/css' : 'text/javascript', readFileSync(join(process.env.BASELINE, f))],
  ])) : {}),
  '/plain.html': ['text/html', `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>plain</title></head><body><main></main>${PLAIN}</body></html>`],
};
let posted = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  // The bundle is cacheable, as from any CDN (so the browser keeps the compiled wasm between pages);
  // pages and API answers are not.
  const send = (status, type, body, cache = 'no-store') => { res.writeHead(status, { 'content-type': type, 'cache-control': cache }); res.end(body); };
  if (url.pathname === '/widget.html' || url.pathname === '/baseline.html') {
    const article = url.searchParams.get('article');
    const dir = url.pathname === '/baseline.html' ? '/b' : '';
    return send(200, 'text/html', page(`<div data-article-widget data-api-base="/api" data-article-id="${article}" data-parts="comments" data-page-size="100" data-poll-seconds="0" data-loading="eager"></div>`, dir));
  }
  if (files[url.pathname]) return send(200, ...files[url.pathname], url.pathname.endsWith('.html') ? 'no-store' : 'max-age=3600');
  const m = url.pathname.match(/^\/api\/articles\/([^/]+)\/comments$/);
  if (m && req.method === 'GET' && pages[m[1]]) return send(200, 'application/json', pages[m[1]]);
  if (m && req.method === 'POST') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const sent = JSON.parse(body);
      posted += 1;
      send(201, 'application/json', JSON.stringify({ ...comment(`p${posted}`, sent.parent_id, 0, sent.body), author: { name: sent.author_name, avatar_url: null } }));
    });
    return;
  }
  send(404, 'application/json', JSON.stringify({ error: { code: 'not_found', message: 'no' } }));
});
const port = await freePort();
await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${port}`;
// SERVE=1: only serve the pages (widget.html, plain.html, ?article=bench-1000), for a look by hand.
if (process.env.SERVE) {
  console.log(`${origin}/widget.html?article=bench-1000`);
  await new Promise(() => {});
}

// ---- measuring ------------------------------------------------------------------------------------

// Runs in every page before its own scripts: records long tasks, and resolves `window.__done` with
// the time (ms since navigation start) when `n` comments are in the DOM and a frame has been painted.
const PROBE = () => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({ type: 'longtask', buffered: true });
  // Comments are counted as they are added (each added subtree is walked once, so each page pays
  // for its own DOM once), and the count is checked once per frame, before it renders. Once every
  // comment is in the DOM, the time is taken after that frame's style, layout and paint: a task
  // queued from its animation-frame callback runs after them.
  const counted = new WeakSet();
  let count = 0;
  const add = (el) => { if (!counted.has(el) && !el.classList.contains('aw-pending')) { counted.add(el); count++; } };
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.classList.contains('aw-comment')) add(node);
        for (const el of node.getElementsByClassName('aw-comment')) add(el);
      }
    }
  }).observe(document, { childList: true, subtree: true });
  window.__frames = [];
  window.__waitFor = (n) => new Promise((resolve) => {
    const check = () => {
      window.__frames.push(`${Math.round(performance.now())}:${count}`);
      if (count >= n) {
        const inDom = performance.now();
        setTimeout(() => resolve({ inDom, painted: performance.now() }));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;

/** Memory in use: the JS heap, the wasm memory (found through the CDP) and the DOM node count. */
async function memory(page, context) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const wasm = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId, returnByValue: true,
    functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
  });
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  return { js: usedSize, wasm: wasm.result.value, nodes };
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));

  /** One navigation: time to the last comment on screen, the longest task, and (optionally) memory. */
  async function load(url, n, withMemory = false, untilTitled = false) {
    await tab.goto(url);
    const { inDom, painted } = await tab.evaluate((n) => window.__waitFor(n), n);
    // untilTitled: the cards' exact-date titles are written in idle time after, so the long tasks
    // are read once they are all written (NaN: not within 5 s), and those chunks count too.
    const titled = untilTitled && await tab.evaluate(async () => {
      const untitled = () => document.querySelector('.aw-comment time:not([title])');
      for (const start = performance.now(); untitled() && performance.now() - start < 5000;) await new Promise((r) => setTimeout(r, 20));
      return untitled() ? NaN : performance.now();
    });
    const result = { inDom, painted, titled, longest: await tab.evaluate(() => window.__longest), count: await tab.evaluate(() => document.querySelectorAll('.aw-comment').length) };
    if (withMemory) result.memory = await memory(tab, context);
    if (process.env.TIMELINE) {
      console.log(url, JSON.stringify({ inDom: Math.round(inDom), painted: Math.round(painted) }), (await tab.evaluate(() => performance.getEntriesByType('resource').map((e) => `${e.name.split('/').pop()} ${Math.round(e.startTime)}–${Math.round(e.responseEnd)}`))).join(', '));
      console.log('  frames (ms:comments):', (await tab.evaluate(() => window.__frames)).join(' '), 'fill:', await tab.evaluate(() => [globalThis.__fill, globalThis.__fills]));
    }
    return result;
  }

  // NODES=1: the DOM of one reply's row, and the page's element and comment-node counts.
  if (process.env.NODES) {
    await load(`${origin}/widget.html?article=bench-1000`, 1000);
    console.log(await tab.evaluate(() => {
      const show = (n, depth, out) => {
        const pad = '  '.repeat(depth);
        if (n.nodeType === 1) out.push(`${pad}<${n.tagName.toLowerCase()}${n.className ? '.' + n.className.replaceAll(' ', '.') : ''}>`);
        else out.push(`${pad}${n.nodeType === 3 ? JSON.stringify(n.data.slice(0, 24)) : `<!--${n.data}-->`}`);
        for (const c of n.childNodes) show(c, depth + 1, out);
        return out;
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ALL);
      const kinds = {};
      while (walker.nextNode()) kinds[walker.currentNode.nodeType] = (kinds[walker.currentNode.nodeType] ?? 0) + 1;
      return `${show(document.querySelectorAll('.aw-replies > li')[3], 0, []).join('\n')}\nnodes by type (1 element, 3 text, 8 comment): ${JSON.stringify(kinds)}`;
    }));
    process.exit(0);
  }

  if (process.env.PROFILE) {
    const n = Number(process.env.PROFILE) > 1 ? Number(process.env.PROFILE) : 10_000;
    // PAGE=plain profiles the plain-JS page instead.
    const profiled = `${origin}/${process.env.PAGE ?? 'widget'}.html?article=bench-${n}`;
    await load(profiled, n);
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const r = await load(profiled, n);
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const dt = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    console.log(`one load of ${n} comments: ${r.painted.toFixed(0)} ms; self time by function:`);
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40))) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
    // Total time (self and callees) of the widget's own functions.
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const total = new Map();
    profile.samples.forEach((id, i) => {
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
        if (!(process.env.ALL || name.startsWith('article_widget::')) || seen.has(name)) continue;
        seen.add(name);
        total.set(name, (total.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
      }
    });
    console.log('total time of the widget\'s functions:');
    for (const [name, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOTALS ?? 30))) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
    // BUCKETS=1: the first 120 ms after the profile starts, 2 ms at a time, by what ran most.
    if (process.env.BUCKETS) {
      let t = profile.startTime;
      const buckets = new Map();
      profile.samples.forEach((id, i) => {
        t += dt[i] ?? 0;
        const b = Math.floor((t - profile.startTime) / 2000);
        let name = '';
        for (let at = id; at !== undefined; at = parent.get(at)) {
          const f = byId.get(at).callFrame.functionName;
          if (f.startsWith('article_widget::') || f.startsWith('leptos::') || f === 'mount' || f === 'start') { name = f.replace(/::h[0-9a-f]{16}$/, '').slice(0, 80); break; }
        }
        if (!name) name = byId.get(id).callFrame.functionName || byId.get(id).callFrame.url.split('/').pop() || '?';
        const m = buckets.get(b) ?? new Map();
        m.set(name, (m.get(name) ?? 0) + 1);
        buckets.set(b, m);
      });
      for (const [b, m] of [...buckets].sort((x, y) => x[0] - y[0])) console.log(`  ${b * 2} ms: ${[...m].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([n, c]) => `${n} ×${c}`).join(', ')}`);
    }
    // CALLERS=name: who calls the functions whose name contains it, by self time spent in them.
    if (process.env.CALLERS) {
      const callers = new Map();
      profile.samples.forEach((id, i) => {
        if (!byId.get(id).callFrame.functionName.includes(process.env.CALLERS)) return;
        let at = parent.get(id);
        const chain = [];
        for (; at !== undefined && chain.length < Number(process.env.DEPTH ?? 2); at = parent.get(at)) chain.push(byId.get(at).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '').slice(0, 90));
        const key = chain.join(' <- ');
        callers.set(key, (callers.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      console.log(`callers of ${process.env.CALLERS}:`);
      for (const [name, ms] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
    }
    SIZES.length = 0;
  }

  // TRACE=1000: where the main thread's time goes in one load, widget against plain JS (and the
  // BASELINE bundle), from a Chromium trace: medians over RUNS loads of the busy time of its tasks,
  // and of its style, layout, paint and GC; "script" is the rest.
  if (process.env.TRACE) {
    const n = Number(process.env.TRACE);
    if (!pages[`bench-${n}`]) throw new Error('TRACE is 1000 or 10000 (the sizes served)');
    const names = ['widget', 'plain', ...(process.env.BASELINE ? ['baseline'] : [])];
    const rows = Object.fromEntries(names.map((p) => [p, []]));
    const KIND = {
      UpdateLayoutTree: 'style', Layout: 'layout', Paint: 'paint', PrePaint: 'paint', Layerize: 'paint',
      MinorGC: 'gc', MajorGC: 'gc', 'V8.GC_SCAVENGER': 'gc', 'BlinkGC.AtomicPhase': 'gc',
      ParseHTML: 'parse', 'v8.wasm.compiledModule': 'compile', 'v8.wasm.streamFromResponseCallback': 'compile',
    };
    for (const p of names) await load(`${origin}/${p}.html?article=bench-${n}`, n);
    for (let run = 0; run < RUNS; run++) {
      for (const p of names) {
        await browser.startTracing(tab, { categories: ['toplevel', 'devtools.timeline'] });
        await load(`${origin}/${p}.html?article=bench-${n}`, n);
        const trace = JSON.parse((await browser.stopTracing()).toString());
        const events = trace.traceEvents ?? trace;
        const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.tid === e.tid && x.name === 'ParseHTML'));
        const sums = { tasks: 0, style: 0, layout: 0, paint: 0, gc: 0, parse: 0, compile: 0 };
        // Tasks nest (a task's event inside another's): only the outermost count.
        let end = 0;
        for (const e of events.filter((e) => main && e.tid === main.tid && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts)) {
          if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') {
            if (e.ts >= end) { sums.tasks += e.dur / 1000; end = e.ts + e.dur; }
          } else if (KIND[e.name]) sums[KIND[e.name]] += e.dur / 1000;
        }
        sums.script = sums.tasks - sums.style - sums.layout - sums.paint - sums.gc - sums.parse;
        rows[p].push(sums);
      }
    }
    console.log(`main thread of one load of ${n} comments, medians of ${RUNS} (ms):`);
    for (const p of names) {
      const m = (k) => median(rows[p].map((r) => r[k])).toFixed(1).padStart(7);
      console.log(`  ${p.padEnd(9)} tasks ${m('tasks')}  script ${m('script')}  style ${m('style')}  layout ${m('layout')}  paint ${m('paint')}  gc ${m('gc')}  parse ${m('parse')}`);
    }
    process.exit(0);
  }

  for (const [roots, replies] of SIZES) {
    const n = roots * (replies + 1);
    const article = `bench-${n}`;
    // One warm-up each: the wasm and its compiled code are cached afterwards, as on a second article.
    await load(`${origin}/widget.html?article=${article}`, n);
    await load(`${origin}/plain.html?article=${article}`, n);
    const widget = [];
    const plain = [];
    const baseline = [];
    if (process.env.BASELINE) await load(`${origin}/baseline.html?article=${article}`, n);
    for (let run = 0; run < RUNS; run++) {
      const memory = run === 0 && n >= Number(process.env.MEMORY_FROM ?? 10_000);
      // With a BASELINE, the two bundles take turns in going first (what ran just before a page
      // weighs on it).
      if (process.env.BASELINE && run % 2) baseline.push(await load(`${origin}/baseline.html?article=${article}`, n, false, true));
      widget.push(await load(`${origin}/widget.html?article=${article}`, n, memory, true));
      plain.push(await load(`${origin}/plain.html?article=${article}`, n, memory, true));
      if (process.env.BASELINE && !(run % 2)) baseline.push(await load(`${origin}/baseline.html?article=${article}`, n, false, true));
    }
    const w = { painted: median(widget.map((r) => r.painted)), longest: median(widget.map((r) => r.longest)) };
    const p = { painted: median(plain.map((r) => r.painted)), longest: median(plain.map((r) => r.longest)) };
    console.log(`\n${n.toLocaleString('en-US')} comments in one page (${roots} top-level × ${replies} replies), median of ${RUNS} navigations:`);
    console.log(`  navigation start to the last comment on screen: widget ${fmt(w.painted)}, plain JS ${fmt(p.painted)}  → ${(w.painted / p.painted).toFixed(2)}×`);
    if (baseline.length) {
      const b = median(baseline.map((r) => r.painted));
      console.log(`  the same, BASELINE bundle:                      ${fmt(b)}  → ${(b / p.painted).toFixed(2)}× plain JS; widget / baseline ${(w.painted / b).toFixed(3)}`);
    }
    // The Long Tasks API reports tasks of 50 ms and more: 0 means none.
    const task = (ms) => (ms > 0 ? fmt(ms) : '  < 50 ms (no long task)');
    console.log(`  longest task (until the titles are written):    widget ${task(w.longest)}, plain JS ${task(p.longest)}`);
    const titled = widget.map((r) => r.titled).filter(Number.isFinite);
    const late = widget.length - titled.length;
    console.log(`  every exact-date title written (idle time):     widget ${titled.length ? fmt(median(titled)) : '      -'}${late ? ` (not within 5 s in ${late} of ${widget.length})` : ''} (the plain JS page writes its dates at once)`);
    console.log(`  comments in the DOM at the end:                 widget ${Math.min(...widget.map((r) => r.count))}, plain JS ${Math.min(...plain.map((r) => r.count))} (of ${n})`);
    const mem = widget.find((r) => r.memory)?.memory;
    const pmem = plain.find((r) => r.memory)?.memory;
    if (mem && pmem) {
      const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
      console.log(`  memory after loading:                           widget JS heap ${mb(mem.js)} + wasm memory ${mb(mem.wasm)} = ${mb(mem.js + mem.wasm)}, ${mem.nodes} DOM nodes;`);
      console.log(`                                                  plain JS heap ${mb(pmem.js)}, ${pmem.nodes} DOM nodes`);
    }
  }

  // Posting into the 1,000-comment thread.
  const n = 1000;
  if (process.env.PROFILE) process.exit(0);
  await load(`${origin}/widget.html?article=bench-${n}`, n);
  await tab.getByLabel('Name', { exact: true }).last().fill('Bench');
  const toScreen = [];
  for (let run = 0; run < RUNS; run++) {
    const text = `Posted comment number ${run}`;
    await tab.getByLabel('Comment', { exact: true }).last().fill(text);
    toScreen.push(await tab.evaluate(async (text) => {
      performance.clearResourceTimings();
      const shown = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          const el = [...document.querySelectorAll('.aw-comment:not(.aw-pending) .aw-comment-body')].find((b) => b.textContent.includes(text));
          if (el) { obs.disconnect(); const t = performance.now(); requestAnimationFrame(() => resolve({ inDom: t, frame: performance.now() })); }
        });
        obs.observe(document, { childList: true, subtree: true });
      });
      document.querySelector('form.aw-composer button[type=submit]').click();
      const { inDom, frame } = await shown;
      const answer = performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch' && e.name.endsWith('/comments')).pop();
      return { inDom: inDom - answer.responseEnd, frame: frame - answer.responseEnd };
    }, text));
  }
  const dom = median(toScreen.map((r) => r.inDom));
  const frame = median(toScreen.map((r) => r.frame));
  console.log(`\nposting into a ${n.toLocaleString('en-US')}-comment thread, median of ${RUNS} posts:`);
  console.log(`  POST answer to the comment in the DOM: ${dom.toFixed(1)} ms; to the next frame: ${frame.toFixed(1)} ms (one frame is 16.7 ms)`);
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  server.close();
}
