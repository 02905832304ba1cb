// The DOM builder: what the widget shows a great many of (comment bodies, comment cards) built from
// one JSON string per call, in JavaScript. From wasm every DOM call is a crossing, each string one
// more decode; a card took about 35 of them. Here it is one (see `build.rs`).
//
// Nothing here decides what is safe: the JSON is written by `build.rs` from the safe Markdown tree
// (`markdown.rs`), which is the security boundary. The allowlists below only make sure this file
// can never make anything else, whatever it is given. No HTML is ever parsed.

const TAGS = new Set([
  'p', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 'ul', 'ol',
  'li', 'a', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
]);
// The attributes each element may have, and what their values must look like.
const CLASS = /^(aw-align-(left|center|right)|aw-task)$/;
const ATTRIBUTES = {
  a: { href: /^(https?:\/\/|mailto:)/i, title: /^/, rel: /^nofollow ugc noopener noreferrer$/ },
  ol: { start: /^[0-9]{1,20}$/ },
  code: { class: /^language-[A-Za-z0-9_+-]+$/ },
  th: { class: CLASS },
  td: { class: CLASS },
  span: { class: CLASS },
};

/** Appends `nodes` (a string is a text node; `[tag, [[name, value]…], …children]` an element). */
function append(doc, parent, nodes) {
  for (const node of nodes) {
    if (typeof node === 'string') {
      parent.appendChild(doc.createTextNode(node));
      continue;
    }
    const [tag, attributes, ...children] = node;
    if (!TAGS.has(tag)) continue;
    const el = doc.createElement(tag);
    const allowed = ATTRIBUTES[tag];
    for (const [name, value] of attributes) {
      if (allowed && Object.hasOwn(allowed, name) && allowed[name].test(value)) el.setAttribute(name, value);
    }
    append(doc, el, children);
    parent.appendChild(el);
  }
}

/** Appends the Markdown nodes in `json` to `el`. */
export function appendNodes(el, json) {
  append(el.ownerDocument, el, JSON.parse(json));
}

/** Writes `text` into the empty text the card's copy has there (no node made), or else as its text. */
function write(el, text) {
  const node = el.firstChild;
  if (node && node.nodeType === 3 /* text: not Node.TEXT_NODE, a global a page can replace */ && !node.nextSibling) node.data = text;
  else el.textContent = text;
}

/**
 * Adds a card's replies toggle (controlling the list `controls`) to its `actions`, before Report
 * (their last button), and returns it: its text and `aria-expanded` are the caller's.
 */
export function addToggle(actions, controls) {
  const toggle = actions.ownerDocument.createElement('button');
  toggle.className = 'aw-button aw-button-quiet aw-toggle-replies';
  toggle.setAttribute('type', 'button');
  toggle.setAttribute('aria-controls', controls);
  return actions.insertBefore(toggle, actions.lastElementChild);
}

/** The exact date, as `format::exact_date_time` writes it (`dateFormat` is its formatter), or else the ISO text. */
function exactDate(dateFormat, when, datetime) {
  if (!dateFormat || !Number.isFinite(when) || Math.abs(when) > 8.64e15) return datetime;
  try {
    return dateFormat.format(when);
  } catch {
    return datetime; // a patched or polyfilled Intl
  }
}

// Times whose title (the exact date) is still to write: [time, dateFormat, when, datetime], flat.
// A title is only read on hover, and formatting a date costs Intl several microseconds: for a
// thread of thousands of cards that was about a fifteenth of its first render, so titles are
// written when the browser is idle, in the cards' order, right after the comments are shown.
const untitled = [];
let titled = 0; // how many of `untitled`'s entries (of 4) are written
let titling = false; // whether writeTitles is scheduled
// What one call of writeTitles may take: short enough for a click to wait on it unnoticed (and a
// count, should the clock not move).
const TITLES_MS = 8;
const TITLES_AT_MOST = 500;

/** Gives `time` its title when the browser is next idle (at once where nothing can be scheduled). */
function titleWhenIdle(time, dateFormat, spec) {
  untitled.push(time, dateFormat, spec.when, spec.datetime);
  if (!titling) {
    titling = true;
    if (!whenIdle(writeTitles)) writeAllTitles();
  }
}

/** Calls `f(deadline)` when the browser is idle, or soon where it cannot tell; false when it cannot. */
function whenIdle(f) {
  try {
    // The timeout: a page that is never idle still gets its titles, a chunk a second.
    requestIdleCallback(f, { timeout: 1000 });
    return true;
  } catch {
    // no requestIdleCallback (Safari), or a host page's that throws
  }
  try {
    setTimeout(f, 1);
    return true;
  } catch {
    return false;
  }
}

/** Writes titles for at most TITLES_MS (and the idle time left), at least one. */
function writeTitles(deadline) {
  try {
    let left = TITLES_MS;
    try {
      if (typeof deadline?.timeRemaining === 'function' && !deadline.didTimeout) left = Math.min(left, deadline.timeRemaining());
    } catch {
      // a polyfill's deadline: TITLES_MS
    }
    const stop = clock() + left;
    for (let n = 0; titled * 4 < untitled.length && n < TITLES_AT_MOST; n++) {
      writeNextTitle();
      if (clock() >= stop) break;
    }
  } finally {
    if (titled * 4 >= untitled.length) doneTitling();
    else if (!whenIdle(writeTitles)) writeAllTitles();
  }
}

/** Writes every title left, now: where nothing can be scheduled. */
function writeAllTitles() {
  try {
    while (titled * 4 < untitled.length) writeNextTitle();
  } finally {
    doneTitling();
  }
}

/** The queue is written: empty it, and let the next title schedule writeTitles again. */
function doneTitling() {
  untitled.length = 0;
  titled = 0;
  titling = false;
}

/** The time in ms; NaN where a host page broke `performance` (then only TITLES_AT_MOST bounds a call). */
function clock() {
  try {
    return performance.now();
  } catch {
    return NaN;
  }
}

function writeNextTitle() {
  const at = titled * 4;
  const time = untitled[at];
  titled += 1;
  untitled[at] = null; // let go of written cards at once
  // Written even on a card not in the document now: a widget may be detached and put back.
  time.setAttribute('title', exactDate(untitled[at + 1], untitled[at + 2], untitled[at + 3]));
}

/**
 * A comment card: a copy of the card `card` (an `<article class="aw-comment">`, see
 * `comment_card.rs`: header, body, actions with the reaction bar, if any, then Reply and Report),
 * filled in as `json` says; with `toggle` (its text), the replies toggle too. `dateFormat` (an
 * `Intl.DateTimeFormat`, or null) writes the time's title, when the browser is next idle.
 */
export function fillCard(card, json, dateFormat) {
  const doc = card.ownerDocument;
  const spec = JSON.parse(json);
  const article = card.cloneNode(true);
  article.setAttribute('data-comment-id', spec.id);
  const header = article.firstElementChild;
  const body = header.nextElementSibling;
  const actions = body.nextElementSibling;
  const author = header.firstElementChild;
  const time = author.nextElementSibling;
  const report = actions.lastElementChild;
  const reply = report.previousElementSibling;
  write(author, spec.author);
  time.setAttribute('datetime', spec.datetime);
  titleWhenIdle(time, dateFormat, spec);
  write(time, spec.time);
  for (const [text, className] of [[spec.edited, 'aw-edited'], [spec.replyTo, 'aw-reply-to']]) {
    if (text == null) continue;
    const span = doc.createElement('span');
    span.className = className;
    span.textContent = text;
    header.appendChild(span);
  }
  append(doc, body, spec.body);
  const bar = reply.previousElementSibling;
  let button = bar?.firstElementChild;
  for (const [count, label, pressed] of spec.bar) {
    if (!button) break;
    button.setAttribute('aria-label', label);
    if (pressed) button.setAttribute('aria-pressed', 'true');
    write(button.lastElementChild, count);
    button = button.nextElementSibling;
  }
  if (spec.replying) reply.setAttribute('aria-expanded', 'true');
  if (spec.toggle != null) {
    const toggle = addToggle(actions, spec.toggleControls);
    toggle.setAttribute('aria-expanded', String(spec.toggleExpanded));
    toggle.textContent = spec.toggle;
  }
  return article;
}
