// article-widget's loader: the one file a host page loads (dist/article-widget.js, an ES module).
// It finds the widgets and fetches the wasm only when one needs it:
//   - at once for a widget that shows the article part, or has data-loading="eager";
//   - otherwise when the widget comes within data-lazy-margin (default: one viewport) of the screen.
// A page that never scrolls near its comments fetches neither the wasm nor anything from the API.
// It also mounts widgets added later and tears down removed ones (single-page apps), defines the
// <article-widget> custom element, and exports mount(element, options). A reaction clicked in
// server-rendered markup before its widget runs is made again once it does.
// The wasm and its wasm-bindgen glue sit beside this file (scripts/bundle.sh), with the texts of each
// language but English (article-widget.de.json…), fetched alongside the wasm for a widget in it —
// unless a server-rendered fragment on the page carries them (`script[data-aw-texts]`, src/ssr.rs).

const here = import.meta.url;
const SELECTOR = '[data-article-widget]';
const DEFAULT_MARGIN = '100%';
// The options, as the custom element's attributes (data attributes without `data-`).
const OPTIONS = [
  'api-base', 'article-id', 'parts', 'sort', 'page-size', 'poll-seconds', 'credentials', 'headers',
  'reaction-labels', 'endpoints', 'theme', 'locale', 'strings', 'loading', 'lazy-margin', 'reactions-position',
];

// The languages with a catalogue file beside this one: set by scripts/bundle.sh from src/i18n/.
const LANGUAGES = typeof CATALOGUES === 'undefined' ? [] : CATALOGUES;

const KEY = Symbol.for('article-widget.loader');
// A second copy of this file on the page (another URL, a query string) leaves everything to the
// first: one wasm instance, one set of widgets.
const first = globalThis[KEY];
let core; // the glue module, once asked for
const catalogues = new Map(); // language → the promise of its catalogue file added (see `fetchCatalogue`)
const adopted = new Map(); // language → the promise of a fragment's texts added (see `adoptTexts`)
const widgets = new Map(); // element → its widget (see `schedule`)
const watchers = new Map(); // rootMargin → IntersectionObserver

/** Loads the glue and the wasm once; every widget waits on the same promise. */
function loadCore() {
  core ??= (async () => {
    // The wasm downloads while the glue does (one round trip, not two).
    const wasm = fetch(new URL('article-widget_bg.wasm', here));
    const glue = await import(new URL('article-widget-wasm.js', here).href);
    await glue.default({ module_or_path: wasm });
    return glue;
  })();
  // A failed load (the network) is tried again by the next widget that needs it.
  core.catch(() => { core = undefined; });
  return core;
}

/** The language the wasm will pick for `el`'s widget, as `src/config.rs` checks a locale. */
function languageOf(el, options) {
  const given = option(el, options, 'locale');
  // An invalid locale is the widget's to report (a configuration error): nothing to fetch for it.
  const locale = given == null ? document.documentElement.getAttribute('lang') : String(given);
  const tag = locale?.trim() ?? '';
  if (given != null && !/^[A-Za-z][A-Za-z0-9-]{1,34}$/.test(tag)) return null;
  return tag.split(/[-_]/)[0].toLowerCase();
}

/**
 * Adds, once, the catalogue of the language `el`'s widget is in, when the bundle has one. Resolves
 * once it is added, or could not be. A server-rendered fragment in that language (this widget's,
 * or another's on the page) brings its texts (`script[data-aw-texts]`): they serve the page's
 * widgets in that language, with no file fetched (the file only if they do not decode). Otherwise
 * the file is fetched: one that is missing or not a catalogue is given up on for the page (the
 * widgets in that language are in English, with one warning); a network failure is tried again by
 * the next widget in that language.
 */
function loadCatalogue(el, options) {
  let language;
  try {
    language = languageOf(el, options);
  } catch {
    return null;
  }
  if (!LANGUAGES.includes(language)) return null;
  // The widget's own fragment's texts first, then any other fragment's on the page.
  const carried = [...el.querySelectorAll(':scope > script[data-aw-texts]'), ...document.querySelectorAll('script[data-aw-texts]')]
    .find((s) => s.getAttribute('data-aw-texts') === language)?.textContent;
  const added = carried ? adoptTexts(language, carried) : (adopted.get(language) ?? fetchCatalogue(language));
  return added.catch(() => {});
}

/**
 * Hands texts a fragment carries to the wasm, once a page per language (a fetch of the file in
 * flight for an earlier widget is not waited for); the file when they do not decode.
 */
function adoptTexts(language, json) {
  let added = adopted.get(language);
  if (!added) {
    added = loadCore().then((glue) => {
      if (glue.addCatalogue(language, json)) return;
      adopted.delete(language);
      return fetchCatalogue(language);
    });
    adopted.set(language, added);
    // A wasm that fails to load is `start`'s to report; the next widget tries again.
    added.catch(() => { if (adopted.get(language) === added) adopted.delete(language); });
  }
  return added;
}

/** Fetches and adds the catalogue file of `language`, once a page (see `loadCatalogue`). */
function fetchCatalogue(language) {
  let added = catalogues.get(language);
  if (!added) {
    const warn = (error) => console.warn(`article-widget: no ${language} texts, English instead:`, error);
    const forget = () => { if (catalogues.get(language) === added) catalogues.delete(language); };
    // A file that never comes is given up on after 10 s, as a network failure.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('no answer in 10 s')), 10_000);
    const text = fetch(new URL(`article-widget.${language}.json`, here), { signal: abort.signal })
      .then(async (r) => {
        // A passing fault (a busy or failing server) is tried again by the next widget; a missing
        // file is not.
        if (!r.ok) r.body?.cancel();
        if (r.status === 408 || r.status === 429 || r.status >= 500) throw new Error(`HTTP ${r.status}`);
        const json = r.ok ? await r.text() : '';
        // (A catalogue is a few KB: anything large is not one, and is not copied into the wasm.)
        if (json.length > 0 && json.length < 65_536) return json;
        warn(new Error(r.ok ? 'not a catalogue' : `HTTP ${r.status}`));
        return null;
      })
      .catch((error) => {
        forget();
        warn(error);
        return null;
      })
      .finally(() => clearTimeout(timer));
    added = Promise.all([loadCore(), text]).then(([glue, json]) => {
      if (json !== null && !glue.addCatalogue(language, json)) warn(new Error('not a catalogue'));
    });
    catalogues.set(language, added);
    // A wasm that fails to load is `start`'s to report; the next widget loads both again.
    added.catch(forget);
  }
  return added;
}

const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/** An option given in `options` (camelCase) or else as the element's data attribute. */
function option(el, options, name) {
  const v = options?.[camel(name)];
  return v ?? el.getAttribute(`data-${name}`);
}

/** Whether the widget loads at once rather than when it comes near. */
function eager(el, options) {
  const loading = option(el, options, 'loading');
  if (loading === 'eager') return true;
  const parts = option(el, options, 'parts') ?? 'article';
  // The article is the page's content: it must not wait for a scroll.
  return (Array.isArray(parts) ? parts : String(parts).split(/\s+/)).includes('article');
}

/** The IntersectionObserver for a margin (an invalid margin gets the default). */
function watcher(margin) {
  let io = watchers.get(margin);
  if (!io) {
    try {
      io = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) widgets.get(entry.target)?.start();
        }
      }, { rootMargin: margin });
    } catch {
      return watcher(DEFAULT_MARGIN);
    }
    watchers.set(margin, io);
  }
  return io;
}

/**
 * Gives `el` a widget, now or when it comes near, and returns its handle: `unmount()` tears it down
 * (or cancels it before it starts); `ready` resolves once it is mounted. `auto` widgets (found in
 * the document) are also torn down when their element leaves it; the others only by `unmount()`.
 */
function schedule(el, options, auto, now) {
  const known = widgets.get(el);
  // mount() wins over the loader's own find (which had no options), and starts it now.
  if (known && !auto && known.auto) known.handle.unmount();
  else if (known) return known.handle;
  let mounted = null;
  let done, fail;
  const widget = {
    auto,
    started: false,
    mounted: false,
    clicks: [], // reactions clicked in server-rendered markup before the widget ran (see `heldClick`)
    handle: {
      // Resolves once mounted (or at once when unmounted before); rejects when the wasm fails to load.
      ready: new Promise((resolve, reject) => { done = resolve; fail = reject; }),
      unmount() {
        if (widgets.get(el) !== widget) return;
        widgets.delete(el);
        for (const io of watchers.values()) io.unobserve(el);
        mounted?.unmount();
        mounted?.free();
        mounted = null;
        done();
      },
    },
    async start() {
      if (widget.started) return;
      widget.started = true;
      for (const io of watchers.values()) io.unobserve(el);
      try {
        // The texts download while the wasm does; once it is here, they may keep the widget
        // waiting 1.5 s at most (then it comes in English).
        const texts = loadCatalogue(el, options);
        const glue = await loadCore();
        await Promise.race([texts, new Promise((resolve) => setTimeout(resolve, 1500))]);
        if (widgets.get(el) !== widget) return; // unmounted while loading
        mounted = glue.mount(el, options);
        widget.mounted = true;
        // Once the widget's effects have built its cards.
        const clicks = widget.clicks.splice(0);
        if (clicks.length) setTimeout(() => { if (widgets.get(el) === widget) replay(el, clicks); });
        done();
      } catch (error) {
        console.error('article-widget: could not load', error);
        fail(error);
        if (widgets.get(el) !== widget) return;
        widgets.delete(el);
        const p = document.createElement('p');
        p.className = 'aw-error-message';
        p.setAttribute('role', 'alert');
        p.textContent = 'The comments could not be loaded. Reload the page to try again.';
        // Server-rendered markup stays readable: the notice goes after it.
        if (el.querySelector(':scope > script[data-aw-article]')) el.append(p);
        else el.replaceChildren(p);
      }
    },
  };
  widget.handle.ready.catch(() => {}); // a failed load is reported in the element and the console
  widgets.set(el, widget);
  if (now || eager(el, options)) widget.start();
  else watcher(option(el, options, 'lazy-margin') || DEFAULT_MARGIN).observe(el);
  return widget.handle;
}

/**
 * A click on a reaction in server-rendered markup (src/ssr.rs) whose widget is not running yet: the
 * widget starts at once, and the click is made again on the widget's own button once it is mounted
 * (`replay`), so that a reader who likes before the wasm arrives is not ignored.
 */
function heldClick(event) {
  const button = event.target.closest?.('.aw-reaction');
  if (!button) return;
  for (const [el, widget] of widgets) {
    if (widget.mounted || !el.contains(button)) continue;
    const comment = button.closest('.aw-comment')?.getAttribute('data-comment-id') ?? null;
    const kind = button.getAttribute('data-kind');
    // A second click takes the first back, as it would on the widget's button: only an odd number
    // of clicks is made again.
    const at = widget.clicks.findIndex((c) => c.comment === comment && c.kind === kind);
    if (at >= 0) widget.clicks.splice(at, 1);
    else widget.clicks.push({ comment, kind });
    // Seen at once: the button shows the reader's wish until the widget takes over.
    button.setAttribute('aria-pressed', String(button.getAttribute('aria-pressed') !== 'true'));
    widget.start();
    return;
  }
}

/** Clicks, in `el`'s mounted widget, the reactions `clicks` name (the article's, or a comment's). */
function replay(el, clicks) {
  for (const { comment, kind } of clicks) {
    const scope = comment === null
      ? el.querySelector('.aw-article')
      : [...el.querySelectorAll('.aw-comment')].find((c) => c.getAttribute('data-comment-id') === comment);
    const buttons = scope ? [...scope.querySelectorAll('.aw-reaction')] : [];
    buttons.find((b) => b.getAttribute('data-kind') === kind && b.closest('.aw-comment, .aw-article') === scope)?.click();
  }
}

/**
 * Mounts a widget on `element` now. `options` mirrors the data attributes in camelCase
 * (`{ apiBase: "/api", articleId: "my-post", parts: ["comments"] }`) and wins over them. Returns
 * `{ unmount(), ready }`; mounting an element twice returns the same handle.
 */
export function mount(element, options) {
  return first ? first.mount(element, options) : schedule(element, options, false, true);
}

/** Schedules every widget element in `root` (itself included). */
function scan(root) {
  if (root.nodeType !== 1) return;
  if (root.matches(SELECTOR)) schedule(root, undefined, true);
  for (const el of root.querySelectorAll(SELECTOR)) schedule(el, undefined, true);
}

function watchDocument() {
  scan(document.documentElement);
  new MutationObserver((records) => {
    let removed = false;
    for (const record of records) {
      // A widget's own rendering is not the host's business.
      if (record.target.closest?.('.aw-root')) continue;
      record.addedNodes.forEach(scan);
      removed ||= record.removedNodes.length > 0;
    }
    if (!removed) return;
    for (const [el, widget] of widgets) {
      if (widget.auto && !el.isConnected) widget.handle.unmount();
    }
  }).observe(document, { childList: true, subtree: true });
}

/** `<article-widget api-base="…" article-id="…">`: the options as attributes, without `data-`. */
class ArticleWidgetElement extends HTMLElement {
  static observedAttributes = OPTIONS;

  #handle = null;

  connectedCallback() {
    const options = {};
    for (const name of OPTIONS) {
      const value = this.getAttribute(name);
      if (value !== null) options[camel(name)] = value;
    }
    this.#handle = schedule(this, options, false);
  }

  disconnectedCallback() {
    // A move (disconnected, then connected again in the same task) keeps the widget.
    queueMicrotask(() => { if (!this.isConnected) this.#unmount(); });
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#handle || before === after) return;
    this.#unmount();
    this.connectedCallback();
  }

  #unmount() {
    this.#handle?.unmount();
    this.#handle = null;
  }
}

if (!first) {
  // The wasm's start function mounts nothing itself while a loader is in charge.
  globalThis[KEY] = { mount };
  document.addEventListener('click', heldClick, true);
  if (!customElements.get('article-widget')) customElements.define('article-widget', ArticleWidgetElement);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watchDocument, { once: true });
  else watchDocument();
}
