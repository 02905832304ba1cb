// End-to-end harness: a real dev-api (fresh SQLite file) serving the release build in dist/, and the
// system Chromium driven by playwright-core. No test tool downloads a browser.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const ARTICLE = 'openai-microsoft-aws';
const DEV_API = process.env.DEV_API_BIN ?? join(ROOT, 'target/debug/dev-api');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Starts dev-api; `stop()` ends it, `restart()` starts it again on the same port and database. */
export async function startApi({ staticDir = makeSite(), args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aw-e2e-'));
  const port = await freePort();
  const api = {
    args,
    url: `http://127.0.0.1:${port}`,
    db: join(dir, 'e2e.sqlite3'),
    proc: null,
    async start() {
      const serve = staticDir ? ['--static', staticDir] : [];
      this.proc = spawn(DEV_API, ['--addr', `127.0.0.1:${port}`, '--db', this.db, ...serve, ...this.args], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        try {
          const r = await fetch(`${this.url}/api/articles/${ARTICLE}`);
          if (r.ok) return this;
        } catch { /* not up yet */ }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`dev-api did not start on ${this.url}`);
    },
    async stop() {
      if (!this.proc || this.proc.exitCode !== null) return;
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    },
    async restart() {
      await this.stop();
      return this.start();
    },
    async dispose() {
      await this.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    /** GET an API path as JSON (as an anonymous viewer unless one is given). */
    async get(path, viewer) {
      const r = await fetch(`${this.url}/api${path}`, { headers: viewer ? { 'X-Viewer-Id': viewer } : {} });
      return r.json();
    },
  };
  return api.start();
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}

/** A new page that fails the test on any page error, and records console errors and dialogs. */
export async function openPage(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('console', (m) => {
    // A 404 for /favicon.ico is the host page's business.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

/** A host page that loads the embed bundle from `assets` (a URL prefix) and holds `body`. */
export function hostPage(body, { assets = '', head = '' } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>article-widget test page</title>
  <link rel="stylesheet" href="${assets}/article-widget.css">
  ${head}
  <script type="module" src="${assets}/article-widget.js"></script>
</head>
<body><main>${body}</main></body>
</html>`;
}

/**
 * A folder with the embed bundle (dist/, from `make dist`), an index.html showing the seed article,
 * and extra pages: `{ 'two.html': '<div data-article-widget …></div>' }`.
 */
export function makeSite(pages = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aw-site-'));
  cpSync(join(ROOT, 'dist'), dir, { recursive: true });
  const all = { 'index.html': `<div data-article-widget data-api-base="/api" data-article-id="${ARTICLE}"></div>`, ...pages };
  for (const [name, body] of Object.entries(all)) writeFileSync(join(dir, name), hostPage(body));
  return dir;
}

/** Waits until `check()` (async) is truthy, polling every 20 ms, up to `ms`. */
export async function until(check, ms = 5000, what = 'condition') {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Ends dev-api at once, as a crash would (no graceful shutdown: answers in flight are lost). */
export async function crash(api) {
  if (!api.proc || api.proc.exitCode !== null) return;
  const exited = new Promise((r) => api.proc.once('exit', r));
  api.proc.kill('SIGKILL');
  await exited;
}

/** POSTs a comment straight to the API, as another reader. */
export async function postComment(api, { viewer, body, parent = null, name = 'Someone', key = `${viewer}-${Math.random()}` }) {
  const r = await fetch(`${api.url}/api/articles/${ARTICLE}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Viewer-Id': viewer, 'Idempotency-Key': key },
    body: JSON.stringify({ author_name: name, body, parent_id: parent }),
  });
  if (r.status !== 201) throw new Error(`post failed: ${r.status} ${await r.text()}`);
  return r.json();
}

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/**
 * A static file server on its own origin (127.0.0.1 and `port`, by default a free one): `files` maps
 * URL paths to [content, type] or to a file path; `headers` go on every answer.
 */
export async function serveFiles(files, headers = {}, port = undefined) {
  const { createServer: createHttp } = await import('node:http');
  const { extname } = await import('node:path');
  port ??= await freePort();
  const server = createHttp((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const entry = files[path];
    if (!entry) { res.writeHead(404, headers); res.end('not found'); return; }
    const [body, type] = typeof entry === 'string' ? [readFileSync(entry), TYPES[extname(entry)]] : entry;
    res.writeHead(200, { 'content-type': type, ...headers });
    res.end(body);
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}
