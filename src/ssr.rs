//! Server-rendered first paint: a widget's parts as HTML, written before any wasm runs, for a server
//! to place inside the widget's element. Crawlers, link previews and readers without JavaScript see
//! the article and its first comments; the widget, when it starts, takes the article part over from
//! the data embedded beside the HTML, without a request or a loading state.
//!
//! The fragment holds:
//! - the parts, in the markup the widget's own views make (the article part identically, so that
//!   taking it over moves nothing; the comments as plain cards, with absolute dates);
//! - the data they show, which a browser does not execute (a strict CSP needs no exception): the
//!   article as `<script type="application/json" data-aw-article>`, and the first page of comments as
//!   `<script type="application/json" data-aw-comments="oldest">`, the attribute naming its order;
//! - in a language other than English, its texts (the catalogue) as
//!   `<script type="application/json" data-aw-texts="de">`: the widget that takes over, and the
//!   loader, use them instead of fetching the language's file;
//! - schema.org JSON-LD: the article as a `NewsArticle`, its likes as an `interactionStatistic`, its
//!   first comments as `Comment`s.
//!
//! Plain Rust over the safe Markdown tree ([`markdown::to_html`]): no browser, no Leptos renderer, so
//! it is in every build, dev-api's included, with no feature to turn on. Every text is escaped; a
//! link keeps only an `http`, `https` or `mailto` address; the reply depth is the contract's.

use serde::Serialize;

use crate::api::limits::MAX_NAME_CHARS;
use crate::api::{Article, Comment, CommentId, CommentPage, Reaction, ReactionKind, Sort, MAX_REPLY_DEPTH};
use crate::components::MAX_INDENT;
use crate::config::{ReactionsPosition, WidgetConfig};
use crate::format::{self, ReactionLabels};
use crate::i18n::{Msg, Strings};
use crate::markdown::{self, escape_into as escape, safe_href};
use crate::thread::{each_comment, ThreadStore};

/// What a server rendered a widget with, which the widget takes over from: read from a fragment's
/// scripts, or given to [`ArticleWidget`](crate::components::ArticleWidget) by a Leptos app.
#[derive(Clone, Debug, PartialEq)]
pub struct Prerendered {
    pub article: Article,
    /// The first page of comments, when the fragment shows the thread.
    pub comments: Option<CommentPage>,
    /// The order of `comments`: a widget configured with another loads its own.
    pub sort: Sort,
}

/// The attribute of the `<script>` holding the article as JSON.
pub const ARTICLE_DATA: &str = "data-aw-article";
/// The attribute of the `<script>` holding the first page of comments as JSON; its value is the
/// page's order (`oldest`, `newest`, `top`).
pub const COMMENTS_DATA: &str = "data-aw-comments";
/// The attribute of the `<script>` holding the fragment's texts when they are not English (the
/// catalogue, as `src/i18n/de.json`); its value is their language. The widget that takes over adds
/// them when it has none in that language, so the page stays in its language without the loader
/// fetching the catalogue file, or when that fetch fails.
pub const TEXTS_DATA: &str = "data-aw-texts";

/// The fragment for `config`'s parts of `article`, with `comments` (the first page in `config`'s
/// order) when the thread is one of them. Its texts are in `config.locale` (English without one).
///
/// ## Usage
/// ```
/// use article_widget::{api::Article, config::WidgetConfig, ssr};
/// # fn article() -> Article { article_widget::api::json::from_str(r#"{"id":"my-post","title":"Hello","subtitle":null,
/// #   "author":{"name":"Ada"},"published_at":"2026-11-20T09:30:00Z","updated_at":null,"body":"Hi *there*",
/// #   "tags":[],"reactions":[],"reactions_exclusive":true,"comment_count":0}"#).unwrap() }
/// let config = WidgetConfig::new("/api", "my-post");
/// let html = ssr::render(&config, &article(), None);
/// assert!(html.contains(r#"<h1 class="aw-title">Hello</h1>"#));
/// // Placed inside the widget's element: <div data-article-widget …>{html}</div>
/// ```
pub fn render(config: &WidgetConfig, article: &Article, comments: Option<&CommentPage>) -> String {
    let strings = Strings::new(config.locale.as_deref(), config.strings.clone());
    let texts = Texts {
        group: strings.get(Msg::ReactionsGroup),
        reply: strings.get(Msg::CommentReply),
        report: strings.get(Msg::CommentReport),
        edited: strings.get(Msg::CommentEdited),
    };
    let page = Page { config, strings: &strings, labels: &config.reaction_labels, texts, buttons: Default::default() };
    let mut out = String::with_capacity(article.body.len() * 2 + 4096);
    // (The language may be one a Rust host added, `i18n::add_catalogue`: escaped like any text.)
    out.push_str(r#"<div class="aw-widget" lang=""#);
    escape(strings.language(), &mut out);
    out.push_str(&format!(r#"" dir="{}">"#, strings.direction()));
    let parts = config.parts;
    // A copy nested no deeper than the contract's cap: the page may come from anywhere, and what
    // follows recurses once per level.
    let comments = comments.filter(|_| parts.comments).map(|page| CommentPage {
        comments: capped(&page.comments, 0),
        next_cursor: page.next_cursor.clone(),
        total: page.total,
    });
    if parts.article || parts.reactions {
        page.article_part(article, comments.as_ref().map_or(article.comment_count, |c| c.total), &mut out);
    }
    if let Some(comments) = &comments {
        page.thread(comments, &mut out);
    }
    out.push_str("</div>");
    script(&mut out, &format!(r#"type="application/json" {ARTICLE_DATA}"#), article);
    if let Some(comments) = &comments {
        script(&mut out, &format!(r#"type="application/json" {COMMENTS_DATA}="{}""#, config.sort.as_str()), comments);
    }
    if let Some(texts) = strings.catalogue() {
        let mut language = String::new();
        escape(strings.language(), &mut language);
        script(&mut out, &format!(r#"type="application/json" {TEXTS_DATA}="{language}""#), texts);
    }
    script(&mut out, r#"type="application/ld+json""#, &json_ld(article, comments.as_ref()));
    out
}

/// `comments` (at `depth`) with their replies nested as the contract's decoder nests them: down to
/// [`MAX_REPLY_DEPTH`], deeper replies flattened in thread order into their ancestor at the cap, each
/// keeping its own `parent_id`. Recurses no deeper than the cap, whatever the input's depth.
fn capped(comments: &[Comment], depth: usize) -> Vec<Comment> {
    comments
        .iter()
        .map(|c| {
            let replies =
                if depth + 1 < MAX_REPLY_DEPTH { capped(&c.replies, depth + 1) } else { flattened(&c.replies) };
            Comment { replies, ..shallow(c) }
        })
        .collect()
}

/// Every comment of `replies` and below, in thread order, without their replies.
fn flattened(replies: &[Comment]) -> Vec<Comment> {
    let mut out = Vec::new();
    each_comment(replies, |c| out.push(shallow(c)));
    out
}

/// `c` without its replies (a `clone` would copy the whole subtree, recursing as deep as it goes).
fn shallow(c: &Comment) -> Comment {
    Comment {
        id: c.id.clone(),
        parent_id: c.parent_id.clone(),
        author: c.author.clone(),
        body: c.body.clone(),
        created_at: c.created_at.clone(),
        edited_at: c.edited_at.clone(),
        reactions: c.reactions.clone(),
        replies: Vec::new(),
        reply_count: c.reply_count,
        deleted: c.deleted,
    }
}

/// What every part of one fragment writes with.
struct Page<'a> {
    config: &'a WidgetConfig,
    strings: &'a Strings,
    labels: &'a ReactionLabels,
    /// Texts every card repeats, made once: the catalogue's lookups and plurals cost more than
    /// writing the card.
    texts: Texts,
    /// A reaction button's accessible name and shown count, by kind and count.
    buttons: std::cell::RefCell<Vec<(ReactionKind, u64, String, String)>>,
}

struct Texts {
    group: String,
    reply: String,
    report: String,
    edited: String,
}

impl Page<'_> {
    /// `ArticlePart` and `ArticleView` (components/article_widget.rs, article_view.rs), as loaded.
    /// `comment_count`: what the count under the headline shows (the thread's total, with a thread).
    fn article_part(&self, a: &Article, comment_count: u64, out: &mut String) {
        let (parts, strings) = (self.config.parts, self.strings);
        out.push_str(r#"<article class="aw-article">"#);
        // As ArticlePart: the line under the headline is the reaction bar's (with the comment count);
        // without the bar, there is none.
        let top = parts.article && parts.reactions && self.config.reactions_position == ReactionsPosition::Top;
        if parts.article {
            out.push_str(r#"<header class="aw-article-header"><h1 class="aw-title">"#);
            escape(&a.title, out);
            out.push_str("</h1>");
            if top {
                out.push_str(r#"<div class="aw-headline-line">"#);
                self.reaction_bar(&a.reactions, out);
                self.comment_count(comment_count, out);
                out.push_str("</div>");
            }
            if let Some(subtitle) = &a.subtitle {
                out.push_str(r#"<p class="aw-subtitle">"#);
                escape(subtitle, out);
                out.push_str("</p>");
            }
            out.push_str(r#"<p class="aw-byline">"#);
            escape(&strings.get(Msg::ArticleBy), out);
            out.push(' ');
            match a.author.url.as_deref().and_then(safe_href) {
                Some(href) => {
                    out.push_str(r#"<a class="aw-author" href=""#);
                    escape(&href, out);
                    out.push_str(r#"" rel="author noopener">"#);
                    escape(&a.author.name, out);
                    out.push_str("</a>");
                }
                None => {
                    out.push_str(r#"<span class="aw-author">"#);
                    escape(&a.author.name, out);
                    out.push_str("</span>");
                }
            }
            out.push_str(" · ");
            self.date_time(&a.published_at, out);
            if let Some(updated) = &a.updated_at {
                out.push_str(" · ");
                escape(&strings.get(Msg::ArticleUpdated), out);
                out.push(' ');
                self.date_time(updated, out);
            }
            out.push_str("</p>");
            if !a.tags.is_empty() {
                out.push_str(r#"<ul class="aw-tags" aria-label=""#);
                escape(&strings.get(Msg::ArticleTags), out);
                out.push_str(r#"">"#);
                for tag in &a.tags {
                    out.push_str(r#"<li class="aw-tag">"#);
                    escape(tag, out);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
            out.push_str(r#"</header><div class="aw-article-body aw-prose"><div>"#);
            out.push_str(&body_html(&a.body));
            out.push_str("</div></div>");
        }
        if parts.reactions && !top {
            self.reaction_bar(&a.reactions, out);
        }
        out.push_str("</article>");
    }

    /// `ReactionBar`'s group of buttons, none pressed (a server does not know the reader).
    fn reaction_bar(&self, reactions: &[Reaction], out: &mut String) {
        out.push_str(r#"<div class="aw-reactions" role="group" aria-label=""#);
        escape(&self.texts.group, out);
        out.push_str(r#"">"#);
        for r in reactions {
            out.push_str(r#"<button class="aw-reaction" type="button" data-kind=""#);
            escape(r.kind.as_str(), out);
            out.push_str(r#"" aria-pressed="false" aria-label=""#);
            self.button_texts(&r.kind, r.count, |label, count| {
                escape(label, out);
                out.push_str(r#""><span class="aw-reaction-label">"#);
                escape(&self.labels.label(r.kind.as_str()), out);
                out.push_str(r#"</span><span class="aw-reaction-count">"#);
                escape(count, out);
            });
            out.push_str("</span></button>");
        }
        out.push_str("</div>");
    }

    /// Calls `f` with a reaction button's accessible name ("Like, 3 reactions") and count ("3").
    fn button_texts(&self, kind: &ReactionKind, n: u64, f: impl FnOnce(&str, &str)) {
        // Counts repeat from card to card; at most 64 are kept (a page of all different counts
        // would make the search cost more than the texts).
        let mut made = self.buttons.borrow_mut();
        if let Some((.., label, count)) = made.iter().find(|(k, count, ..)| k == kind && *count == n) {
            return f(label, count);
        }
        let name = crate::components::reaction_name(self.labels, self.strings, kind);
        let label = self.strings.plural(Msg::ReactionsButton, n, &[("name", &name)]);
        let count = format::count(n, self.strings.locale());
        f(&label, &count);
        if made.len() < 64 {
            made.push((kind.clone(), n, label, count));
        }
    }

    /// `CommentCount`: "💬 3", a button to the thread when the widget shows one.
    fn comment_count(&self, count: u64, out: &mut String) {
        let locale = self.strings.locale();
        let name = self.strings.fmt(Msg::CommentsCount, &[("count", &format::full_count(count, locale))]);
        let shown = format::count(count, locale);
        if self.config.parts.comments {
            out.push_str(r#"<button class="aw-button aw-button-quiet aw-comment-count" type="button" aria-label=""#);
            escape(&name, out);
            out.push_str(r#""><span aria-hidden="true">💬 "#);
            escape(&shown, out);
            out.push_str("</span></button>");
        } else {
            out.push_str(r#"<span class="aw-comment-count"><span aria-hidden="true">💬 "#);
            escape(&shown, out);
            out.push_str(r#"</span><span class="aw-visually-hidden">"#);
            escape(&name, out);
            out.push_str("</span></span>");
        }
    }

    /// `DateTime`: the date in the locale's words (English, or the ISO date, on a server without
    /// the locale's calendar names), the value itself as its title.
    fn date_time(&self, iso: &str, out: &mut String) {
        out.push_str(r#"<time datetime=""#);
        escape(iso, out);
        out.push_str(r#"" title=""#);
        escape(iso, out);
        out.push_str(r#"">"#);
        escape(&format::long_date(iso, self.strings.locale()), out);
        out.push_str("</time>");
    }

    /// `CommentThread` as it is once its first page is shown: the same store lays the page out
    /// ([`ThreadStore`]: order, nesting at the cap, reply counts, "Show N more replies"), and the same
    /// markup shows it, so taking it over moves nothing. Its controls are there, the form's disabled
    /// until the widget runs (typing into a form about to be replaced would be lost); times are
    /// dates, which the widget turns into "3 minutes ago".
    fn thread(&self, page: &CommentPage, out: &mut String) {
        let strings = self.strings;
        let sort = self.config.sort;
        let mut store = ThreadStore::new(sort);
        let generation = store.begin_load(sort);
        store.loaded(generation, page.clone());
        store.reveal(usize::MAX);
        let ids = Ids::new(&self.config.article_id);
        out.push_str(r#"<div class="aw-thread" tabindex="-1"><section class="aw-comments" aria-labelledby=""#);
        escape(&ids.of("heading"), out);
        out.push_str(r#""><div class="aw-comments-bar"><h2 class="aw-comments-heading" id=""#);
        escape(&ids.of("heading"), out);
        out.push_str(r#"">"#);
        let total = format::full_count(store.total(), strings.locale());
        escape(&strings.fmt(Msg::CommentsHeading, &[("count", &total)]), out);
        out.push_str(r#"</h2><div class="aw-sort"><label for=""#);
        escape(&ids.of("sort"), out);
        out.push_str(r#"">"#);
        escape(&strings.get(Msg::CommentsSort), out);
        out.push_str(r#"</label><select class="aw-select" disabled id=""#);
        escape(&ids.of("sort"), out);
        out.push_str(r#"">"#);
        for option in Sort::ALL {
            out.push_str(r#"<option value=""#);
            out.push_str(option.as_str());
            out.push_str(if option == sort { r#"" selected>"# } else { r#"">"# });
            escape(&strings.get(Msg::sort(option)), out);
            out.push_str("</option>");
        }
        out.push_str(r#"</select></div></div><div class="aw-live" aria-live="polite"></div><p class="aw-visually-hidden" role="status"></p>"#);
        if store.is_empty() {
            out.push_str(r#"<p class="aw-empty">"#);
            escape(&strings.get(Msg::CommentsEmpty), out);
            out.push_str("</p>");
        } else {
            let thread = Thread { page: self, store: &store, ids: &ids };
            thread.list(None, 0, out);
        }
        if store.next_cursor().is_some() {
            out.push_str(r#"<button type="button" class="aw-button aw-load-more">"#);
            escape(&strings.get(Msg::CommentsMore), out);
            out.push_str("</button>");
        }
        self.composer(&ids, out);
        out.push_str("</section></div>");
    }

    /// `Composer`'s top-level form, disabled.
    fn composer(&self, ids: &Ids, out: &mut String) {
        let strings = self.strings;
        out.push_str(r#"<form class="aw-composer" novalidate><div class="aw-field"><label for=""#);
        escape(&ids.of("name"), out);
        out.push_str(r#"">"#);
        escape(&strings.get(Msg::ComposerName), out);
        out.push_str(r#"</label><input id=""#);
        escape(&ids.of("name"), out);
        out.push_str(&format!(
            r#"" name="author_name" type="text" autocomplete="name" maxlength="{MAX_NAME_CHARS}" aria-invalid="false" disabled></div><div class="aw-field"><label for=""#
        ));
        escape(&ids.of("body"), out);
        out.push_str(r#"">"#);
        escape(&strings.get(Msg::ComposerComment), out);
        out.push_str(r#"</label><textarea id=""#);
        escape(&ids.of("body"), out);
        out.push_str(r#"" name="body" rows="4" aria-invalid="false" disabled></textarea></div><div class="aw-composer-actions"><button type="submit" class="aw-button aw-button-primary" aria-disabled="false" disabled>"#);
        escape(&strings.get(Msg::ComposerPost), out);
        out.push_str("</button></div></form>");
    }
}

/// A document's ids for one fragment, from its article: `aw-{article}-heading`. (The widget makes
/// its own when it takes over.)
struct Ids(String);

impl Ids {
    fn new(article_id: &str) -> Ids {
        // Only characters that need no thought in an id, a `for` or an `aria-*` list; the hash tells
        // apart the ids they would make the same ("a.b", "a_b").
        let article: String =
            article_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        Ids(format!("aw-{article}-{:x}", hash(article_id) & 0xffff_ffff))
    }

    fn of(&self, part: &str) -> String {
        format!("{}-{part}", self.0)
    }
}

/// FNV-1a: the same in every build and on every platform (ids in cached HTML), unlike std's hashers.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The comments of a thread laid out by its store, written as `CommentList` and `CommentView`
/// write them.
struct Thread<'a> {
    page: &'a Page<'a>,
    store: &'a ThreadStore,
    ids: &'a Ids,
}

impl Thread<'_> {
    /// The list below `parent` (the top level: `None`), its comments at `depth`. Recurses once per
    /// level: the store nests no deeper than the contract's cap.
    fn list(&self, parent: Option<&CommentId>, depth: usize, out: &mut String) {
        out.push_str(match (parent, depth >= MAX_INDENT) {
            (None, _) => r#"<ol class="aw-comment-list">"#,
            (Some(_), false) => r#"<ol class="aw-replies" id=""#,
            (Some(_), true) => r#"<ol class="aw-replies aw-replies-flat" id=""#,
        });
        if let Some(parent) = parent {
            escape(&self.replies_id(parent), out);
            out.push_str(r#"">"#);
        }
        for id in self.store.shown_children(parent) {
            let Some(comment) = self.store.comment(&id) else { continue };
            out.push_str("<li>");
            let replies = self.store.reply_count(&id);
            if comment.deleted {
                out.push_str(r#"<article class="aw-comment aw-tombstone" data-comment-id=""#);
                escape(id.as_str(), out);
                out.push_str(r#"" tabindex="-1"><p class="aw-comment-deleted">"#);
                escape(&self.page.strings.get(Msg::CommentDeleted), out);
                out.push_str(r#"</p><div class="aw-comment-actions">"#);
                self.toggle(&id, replies, out);
                out.push_str("</div></article>");
            } else {
                self.card(comment, depth, replies, out);
            }
            if replies > 0 || self.store.has_shown_below(&id) {
                self.list(Some(&id), depth + 1, out);
            }
            let missing = if replies > 0 { self.store.missing_replies(&id) } else { 0 };
            if missing > 0 {
                out.push_str(r#"<div class="aw-more-replies"><button type="button" class="aw-button aw-button-quiet" aria-disabled="false" aria-busy="false">"#);
                escape(&self.page.strings.plural(Msg::CommentMoreReplies, missing, &[]), out);
                out.push_str("</button></div>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }

    /// Another reader's card (components/comment_card.rs and build.js).
    fn card(&self, c: &Comment, depth: usize, replies: u64, out: &mut String) {
        let strings = self.page.strings;
        out.push_str(r#"<article class="aw-comment" tabindex="-1" data-comment-id=""#);
        escape(c.id.as_str(), out);
        out.push_str(r#""><header class="aw-comment-header"><span class="aw-comment-author" dir="auto">"#);
        escape(&c.author.name, out);
        out.push_str("</span> · ");
        self.page.date_time(&c.created_at, out);
        if c.edited_at.is_some() {
            out.push_str(r#"<span class="aw-edited"> "#);
            escape(&self.page.texts.edited, out);
            out.push_str("</span>");
        }
        // Indented no further than its parent: who it answers.
        let parent_author = c.parent_id.as_ref().filter(|_| depth >= MAX_INDENT).and_then(|p| self.store.comment(p));
        if let Some(parent) = parent_author {
            out.push_str(r#"<span class="aw-reply-to"> · "#);
            escape(&strings.fmt(Msg::CommentInReplyTo, &[("name", &parent.author.name)]), out);
            out.push_str("</span>");
        }
        out.push_str(r#"</header><div class="aw-comment-body aw-prose" dir="auto">"#);
        out.push_str(&body_html(&c.body));
        out.push_str(r#"</div><div class="aw-comment-actions">"#);
        if !c.reactions.is_empty() {
            self.page.reaction_bar(&c.reactions, out);
        }
        out.push_str(r#"<button class="aw-button aw-button-quiet" type="button" aria-expanded="false">"#);
        escape(&self.page.texts.reply, out);
        out.push_str("</button>");
        self.toggle(&c.id, replies, out);
        out.push_str(
            r#"<button class="aw-button aw-button-quiet aw-report-button" type="button" aria-expanded="false">"#,
        );
        escape(&self.page.texts.report, out);
        out.push_str("</button></div></article>");
    }

    /// "Hide 3 replies", when there are replies.
    fn toggle(&self, id: &CommentId, replies: u64, out: &mut String) {
        if replies == 0 {
            return;
        }
        out.push_str(r#"<button class="aw-button aw-button-quiet aw-toggle-replies" type="button" aria-controls=""#);
        escape(&self.replies_id(id), out);
        out.push_str(r#"" aria-expanded="true">"#);
        escape(&self.page.strings.plural(Msg::CommentHide, replies, &[]), out);
        out.push_str("</button>");
    }

    /// The `id` of the list of `comment`'s replies.
    fn replies_id(&self, comment: &CommentId) -> String {
        self.ids.of(&format!("replies-{:x}", hash(comment.as_str())))
    }
}

/// A body as the widget builds it from the safe Markdown tree. `to_html` writes a line break as
/// `<br />` and a newline, as CommonMark's examples do; a comment's paragraphs keep newlines
/// (`white-space: pre-line`), where that newline would be one more line than the widget shows. (Text
/// is escaped: `<br />` is only ever the element.)
fn body_html(source: &str) -> String {
    markdown::to_html(&markdown::parse(source)).replace("<br />\n", "<br />")
}

/// A body's text for JSON-LD: its words without markup, a line break as a newline, blocks apart.
fn text_of(source: &str) -> String {
    fn walk(nodes: &[markdown::Node], out: &mut String) {
        for node in nodes {
            match node {
                markdown::Node::Text(text) => out.push_str(text),
                markdown::Node::Element(element, children) => {
                    let tag = element.tag().unwrap_or("");
                    if tag == "br" {
                        out.push('\n');
                    }
                    walk(children, out);
                    if matches!(tag, "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "pre" | "blockquote" | "tr") {
                        out.push_str(if tag == "li" || tag == "tr" { "\n" } else { "\n\n" });
                    }
                }
            }
        }
    }
    let mut out = String::new();
    walk(&markdown::parse(source), &mut out);
    out.trim().to_owned()
}

/// schema.org: the article as a `NewsArticle` with its likes and its first comments.
fn json_ld(a: &Article, comments: Option<&CommentPage>) -> serde_json::Value {
    use serde_json::json;
    // As the page shows it: the thread's total, with a thread.
    let comment_count = comments.map_or(a.comment_count, |page| page.total);
    fn comment(c: &Comment) -> Option<serde_json::Value> {
        (!c.deleted).then(|| {
            json!({
                "@type": "Comment",
                "author": { "@type": "Person", "name": c.author.name },
                "dateCreated": c.created_at,
                "text": text_of(&c.body),
                "comment": c.replies.iter().filter_map(comment).collect::<Vec<_>>(),
            })
        })
    }
    let mut author = json!({ "@type": "Person", "name": a.author.name });
    if let Some(url) = a.author.url.as_deref().and_then(safe_href) {
        author["url"] = url.into();
    }
    let likes: u64 = a.reactions.iter().filter(|r| r.kind.as_str() == "like").map(|r| r.count).sum();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "author": author,
        "datePublished": a.published_at,
        "articleBody": text_of(&a.body),
        "commentCount": comment_count,
        "interactionStatistic": [
            { "@type": "InteractionCounter", "interactionType": "https://schema.org/LikeAction", "userInteractionCount": likes },
            { "@type": "InteractionCounter", "interactionType": "https://schema.org/CommentAction", "userInteractionCount": comment_count },
        ],
    });
    if let Some(subtitle) = &a.subtitle {
        ld["alternativeHeadline"] = subtitle.as_str().into();
    }
    if let Some(updated) = &a.updated_at {
        ld["dateModified"] = updated.as_str().into();
    }
    if !a.tags.is_empty() {
        ld["keywords"] = a.tags.join(", ").into();
    }
    if let Some(page) = comments {
        ld["comment"] = page.comments.iter().filter_map(comment).collect::<Vec<_>>().into();
    }
    ld
}

/// `<script {attributes}>` holding `value` as JSON. `<`, `>` and `&` are written as `\u003c`… (they
/// occur only inside JSON strings, where the escape means the same), so no text can end the script
/// or open a comment in it.
fn script(out: &mut String, attributes: &str, value: &impl Serialize) {
    out.push_str("<script ");
    out.push_str(attributes);
    out.push('>');
    // Serializing these types cannot fail (string keys, no maps with other keys).
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str("</script>");
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn article(title: &str, body: &str) -> Article {
        contract::json::from_str(&serde_json::json!({
            "id": "my-post", "title": title, "subtitle": null,
            "author": { "name": "Newsroom", "url": "https://example.com/newsroom" },
            "published_at": "2026-11-20T09:30:00Z", "updated_at": null, "body": body, "tags": ["AI", "Cloud"],
            "reactions": [{ "kind": "like", "count": 8, "reacted": false }, { "kind": "dislike", "count": 0, "reacted": false }],
            "reactions_exclusive": true, "comment_count": 2,
        }).to_string())
        .unwrap()
    }

    fn comment(id: usize, parent: Option<usize>, body: &str, replies: Vec<serde_json::Value>) -> serde_json::Value {
        serde_json::json!({
            "id": id.to_string(), "parent_id": parent.map(|p| p.to_string()), "author": { "name": format!("Reader {id}") },
            "body": body, "created_at": "2026-11-21T10:00:00Z", "edited_at": null,
            "reactions": [{ "kind": "like", "count": id, "reacted": false }], "reply_count": replies.len(), "replies": replies,
        })
    }

    fn page(comments: Vec<serde_json::Value>) -> CommentPage {
        contract::json::from_str(
            &serde_json::json!({ "comments": comments, "next_cursor": null, "total": 2 }).to_string(),
        )
        .unwrap()
    }

    /// The content of the one `<script {attributes}>` of `html`.
    fn script_of<'a>(html: &'a str, attributes: &str) -> &'a str {
        let start = html.find(&format!("<script {attributes}>")).unwrap() + attributes.len() + 9;
        &html[start..start + html[start..].find("</script>").unwrap()]
    }

    /// The article and the comments (in oldest-first order) a fragment embeds.
    fn embedded(html: &str) -> (Article, Option<CommentPage>) {
        let article = contract::json::from_str(script_of(html, r#"type="application/json" data-aw-article"#)).unwrap();
        let comments = html.contains("data-aw-comments").then(|| {
            contract::json::from_str(script_of(html, r#"type="application/json" data-aw-comments="oldest""#)).unwrap()
        });
        (article, comments)
    }

    #[test]
    fn the_article_part_is_the_markup_the_widget_makes() {
        let html = render(&WidgetConfig::new("/api", "my-post"), &article("Big <news>", "One *two*\n\nThree"), None);
        for part in [
            r#"<div class="aw-widget" lang="en" dir="ltr"><article class="aw-article"><header class="aw-article-header"><h1 class="aw-title">Big &lt;news&gt;</h1><div class="aw-headline-line"><div class="aw-reactions" role="group" aria-label="Reactions">"#,
            r#"<button class="aw-reaction" type="button" data-kind="like" aria-pressed="false" aria-label="Like, 8 reactions"><span class="aw-reaction-label">👍</span><span class="aw-reaction-count">8</span></button>"#,
            r#"<button class="aw-button aw-button-quiet aw-comment-count" type="button" aria-label="Comments, 2"><span aria-hidden="true">💬 2</span></button>"#,
            r#"<p class="aw-byline">By <a class="aw-author" href="https://example.com/newsroom" rel="author noopener">Newsroom</a> · <time datetime="2026-11-20T09:30:00Z" title="2026-11-20T09:30:00Z">November 20, 2026</time></p>"#,
            r#"<ul class="aw-tags" aria-label="Tags"><li class="aw-tag">AI</li><li class="aw-tag">Cloud</li></ul>"#,
            "<p>One <em>two</em></p>\n<p>Three</p>",
        ] {
            assert!(html.contains(part), "{part}\nin\n{html}");
        }
        // No thread without its first page.
        assert!(!html.contains("aw-thread"));
    }

    #[test]
    fn comments_nest_as_the_thread_nests_them_and_the_data_comes_back_whole() {
        let config = WidgetConfig { locale: Some("de".into()), ..WidgetConfig::new("/api", "my-post") };
        let a = article("T", "B");
        let p = page(vec![comment(1, None, "Hi **there**", vec![comment(2, Some(1), "Reply", vec![])])]);
        let html = render(&config, &a, Some(&p));
        for part in [
            r#"<div class="aw-comments-bar"><h2 class="aw-comments-heading" id="aw-my-post-"#,
            r#"-heading">Kommentare (2)</h2>"#,
            r#"<select class="aw-select" disabled id="aw-my-post-"#,
            r#"-sort"><option value="oldest" selected>Älteste</option>"#,
            r#"<ol class="aw-comment-list"><li><article class="aw-comment" tabindex="-1" data-comment-id="1"><header class="aw-comment-header"><span class="aw-comment-author" dir="auto">Reader 1</span> · <time datetime="2026-11-21T10:00:00Z" title="2026-11-21T10:00:00Z">2026-11-21</time></header><div class="aw-comment-body aw-prose" dir="auto"><p>Hi <strong>there</strong></p>"#,
            r#"<button class="aw-button aw-button-quiet" type="button" aria-expanded="false">Antworten</button><button class="aw-button aw-button-quiet aw-toggle-replies" type="button" aria-controls="aw-my-post-"#,
            r#"</article><ol class="aw-replies" id="aw-my-post-"#,
            r#"<li><article class="aw-comment" tabindex="-1" data-comment-id="2">"#,
            r#"-body" name="body" rows="4" aria-invalid="false" disabled></textarea>"#,
        ] {
            assert!(html.contains(part), "{part}\nin\n{html}");
        }
        assert_eq!(embedded(&html), (a, Some(p)));
    }

    #[test]
    fn a_language_a_host_added_is_escaped_in_lang() {
        // `language()` is what a host passed to `add_catalogue`, not a fixed list.
        assert!(crate::i18n::add_catalogue(r#"x"><b"#, r#"{"retry": "Again"}"#));
        let config = WidgetConfig { locale: Some(r#"x"><b-1"#.into()), ..WidgetConfig::new("/api", "my-post") };
        let html = render(&config, &article("T", "B"), None);
        assert!(html.starts_with(r#"<div class="aw-widget" lang="x&quot;&gt;&lt;b" dir="ltr">"#), "{html}");
    }

    #[test]
    fn a_fragment_not_in_english_carries_its_texts() {
        let english = render(&WidgetConfig::new("/api", "my-post"), &article("T", "B"), None);
        assert!(!english.contains(TEXTS_DATA), "English needs none: {english}");
        let config = WidgetConfig { locale: Some("de-AT".into()), ..WidgetConfig::new("/api", "my-post") };
        let html = render(&config, &article("T", "B"), None);
        let texts = script_of(&html, &format!(r#"type="application/json" {TEXTS_DATA}="de""#));
        let german: std::collections::BTreeMap<String, String> = contract::json::from_str(texts).unwrap();
        assert_eq!(german.get("comments.empty").map(String::as_str), Some("Schreib den ersten Kommentar!"));
        // What the widget does with it: the same texts as the file the loader would fetch.
        let file: std::collections::BTreeMap<String, String> =
            contract::json::from_str(include_str!("i18n/de.json")).unwrap();
        assert_eq!(german, file);
        // A language a host added is escaped in the attribute too.
        assert!(crate::i18n::add_catalogue(r#"y"><i"#, r#"{"retry": "Again"}"#));
        let config = WidgetConfig { locale: Some(r#"y"><i-1"#.into()), ..WidgetConfig::new("/api", "my-post") };
        let html = render(&config, &article("T", "B"), None);
        assert!(html.contains(&format!(r#"{TEXTS_DATA}="y&quot;&gt;&lt;i">{{"retry":"Again"}}</script>"#)), "{html}");
    }

    #[test]
    fn the_parts_asked_for_and_no_others() {
        let mut config = WidgetConfig::new("/api", "my-post");
        config.parts = crate::config::Parts { article: false, reactions: false, comments: true };
        let html = render(&config, &article("Headline", "B"), Some(&page(vec![])));
        assert!(!html.contains(r#"class="aw-article""#) && !html.contains("Headline</h1>"));
        assert!(html.contains(r#"<p class="aw-empty">Be the first to comment!</p>"#), "{html}");
        config.parts = crate::config::Parts { article: true, reactions: false, comments: true };
        let html = render(&config, &article("Headline", "B"), Some(&page(vec![])));
        assert!(
            html.contains(r#"<h1 class="aw-title">Headline</h1><p class="aw-byline">"#),
            "no line under it: {html}"
        );
        config.parts = crate::config::Parts { article: false, reactions: true, comments: false };
        let html = render(&config, &article("Headline", "B"), Some(&page(vec![])));
        assert!(html.contains(r#"<article class="aw-article"><div class="aw-reactions""#), "{html}");
        assert!(!html.contains("aw-thread") && !html.contains("aw-title"));
    }

    #[test]
    fn json_ld_describes_the_article_its_likes_and_its_comments() {
        let p = page(vec![comment(1, None, "First", vec![comment(2, Some(1), "Second", vec![])])]);
        let html = render(&WidgetConfig::new("/api", "my-post"), &article("Headline", "Body"), Some(&p));
        let ld: serde_json::Value = serde_json::from_str(script_of(&html, r#"type="application/ld+json""#)).unwrap();
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "NewsArticle");
        assert_eq!(ld["headline"], "Headline");
        assert_eq!(
            ld["author"],
            serde_json::json!({ "@type": "Person", "name": "Newsroom", "url": "https://example.com/newsroom" })
        );
        assert_eq!(ld["datePublished"], "2026-11-20T09:30:00Z");
        assert_eq!(ld["keywords"], "AI, Cloud");
        assert_eq!(ld["articleBody"], "Body");
        let two = render(&WidgetConfig::new("/api", "my-post"), &article("H", "One *two*  \nthree\n\nFour"), None);
        let ld2: serde_json::Value = serde_json::from_str(script_of(&two, r#"type="application/ld+json""#)).unwrap();
        assert_eq!(ld2["articleBody"], "One two\nthree\n\nFour");
        let likes = &ld["interactionStatistic"][0];
        assert_eq!(
            (&likes["@type"], &likes["interactionType"], &likes["userInteractionCount"]),
            (&"InteractionCounter".into(), &"https://schema.org/LikeAction".into(), &8.into())
        );
        let first = &ld["comment"][0];
        assert_eq!(
            (&first["@type"], &first["author"]["name"], &first["text"]),
            (&"Comment".into(), &"Reader 1".into(), &"First".into())
        );
        assert_eq!(first["comment"][0]["text"], "Second");
    }

    #[test]
    fn hostile_text_stays_text() {
        let mut a = article(
            "<img src=x onerror=alert(1)>",
            "</script><script>alert(1)</script> [x](javascript:alert(1)) <b>raw</b>",
        );
        a.author.url = Some("javascript:alert(1)".into());
        a.tags = vec!["\"><script>alert(1)</script>".into()];
        let p = page(vec![comment(1, None, "<!-- </script> --> <iframe src=javascript:alert(1)>", vec![])]);
        let html = render(&WidgetConfig::new("/api", "my-post"), &a, Some(&p));
        assert_eq!(html.matches("<script").count(), 3, "{html}");
        assert_eq!(html.matches("</script").count(), 3, "{html}");
        assert!(!html.contains("<img") && !html.contains("<iframe") && !html.contains("<b>") && !html.contains("<!--"));
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains(r#"<span class="aw-author">Newsroom</span>"#), "an unsafe author link is no link");
    }

    #[test]
    fn a_chain_of_any_depth_renders_without_recursing_past_the_cap() {
        // 20,000 replies, each to the one before: built from the innermost out.
        let n = 20_000;
        let mut chain = Comment {
            replies: Vec::new(),
            ..page(vec![comment(n, Some(n - 1), "deepest", vec![])]).comments.remove(0)
        };
        for id in (1..n).rev() {
            let mut c = page(vec![comment(id, (id > 1).then(|| id - 1), "x", vec![])]).comments.remove(0);
            c.replies = vec![chain];
            chain = c;
        }
        let p = CommentPage { comments: vec![chain], next_cursor: None, total: n as u64 };
        let html = render(&WidgetConfig::new("/api", "my-post"), &article("T", "B"), Some(&p));
        assert_eq!(html.matches("<article class=\"aw-comment\"").count(), n);
        assert_eq!(html.matches("<ol").count(), MAX_REPLY_DEPTH + 1, "nested down to the cap, flat below it");
        assert!(html.contains("deepest"));
        assert_eq!(embedded(&html).1.map(|p| p.total), Some(n as u64));
        // The input's own drop recurses once per level: let it go on a thread with room.
        std::thread::Builder::new().stack_size(256 << 20).spawn(move || drop(p)).unwrap().join().unwrap();
    }

    #[test]
    fn a_line_break_is_one_line_and_ids_stay_apart() {
        let p = page(vec![comment(1, None, "one  \ntwo\\\nthree", vec![])]);
        let html = render(&WidgetConfig::new("/api", "a.b"), &article("T", "B"), Some(&p));
        assert!(html.contains("<p>one<br />two<br />three</p>"), "{html}");
        let other = render(&WidgetConfig::new("/api", "a_b"), &article("T", "B"), Some(&p));
        let heading =
            |html: &str| html.split("aria-labelledby=\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_owned);
        assert_ne!(heading(&html), heading(&other));
        assert!(heading(&html).is_some_and(|id| id.starts_with("aw-a_b-")));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever the texts, the fragment holds exactly its three scripts, no element the texts name,
        /// and data that decodes to what was rendered.
        #[test]
        fn any_text_stays_inside_its_element(title in ".*", body in ".*", name in ".*", text in ".*") {
            let mut a = article(&title, &body);
            a.author.name = name.clone();
            let mut p = page(vec![comment(1, None, &text, vec![])]);
            p.comments[0].author.name = name;
            let html = render(&WidgetConfig::new("/api", "my-post"), &a, Some(&p));
            prop_assert_eq!(html.matches("<script").count(), 3);
            prop_assert_eq!(html.matches("</script").count(), 3);
            prop_assert_eq!(embedded(&html), (a, Some(p)));
        }
    }
}
