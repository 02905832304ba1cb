//! `ArticleWidget`: the whole article page (article, reactions, comments) for one configuration.

use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;
use wasm_bindgen::JsCast;

use super::article_view::{article_dom, ArticleDom};
use super::built::Placed;
use super::dom::{add, element, set};
use super::kept::Kept;
use super::status::{fill_error_notice, fill_placeholder};
use super::{use_strings, CommentThread, Load, ReactionBar};
use crate::api::{ApiClient, Article, ArticleId};
use crate::config::{ReactionsPosition, WidgetConfig};
use crate::format::{self, page_locale};
use crate::i18n::{Msg, Strings};
use crate::platform;
use crate::ssr::Prerendered;
use crate::state::{client_for, use_article, use_prerendered_article, ThreadSlot};

/// The parts `config` asks for, each loading on its own.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use article_widget::{components::ArticleWidget, config::WidgetConfig};
/// let view = view! { <ArticleWidget config=WidgetConfig::new("/api", "openai-microsoft-aws") /> };
/// ```
#[component]
pub fn ArticleWidget(
    config: WidgetConfig,
    /// The client to use. Default: [`client_for`](crate::state::client_for) the configuration.
    #[prop(optional)]
    api: Option<ApiClient>,
    /// What a server rendered the widget with ([`crate::ssr`]), read from the page: the article and
    /// the first comments are shown from it at once, with no loading state and no request before
    /// them. Used only when it is this article's, and its comments only when in `config`'s order.
    /// Default: none (everything is loaded).
    #[prop(optional_no_strip)]
    prerendered: Option<Prerendered>,
) -> impl IntoView {
    let api = api.unwrap_or_else(|| client_for(&config));
    let WidgetConfig {
        article_id,
        parts,
        sort,
        page_size,
        poll_seconds,
        reaction_labels,
        locale,
        strings,
        reactions_position,
        ..
    } = config;
    // Every part of this widget uses these labels and strings.
    provide_context(reaction_labels);
    // The language of the widget's texts is marked on its root, so that screen readers speak it and
    // right-to-left languages lay it out from the right. (It is the catalogue's: with `he`, which has
    // none, the texts are English, while numbers and dates still follow `he`.)
    let strings = Strings::new(locale.or_else(page_locale).as_deref(), strings);
    let (lang, dir) = (strings.language().to_owned(), strings.direction());
    provide_context(strings.clone());
    let article_id = ArticleId::from(article_id);
    let (article, first_page) = match prerendered.filter(|p| p.article.id == article_id) {
        Some(Prerendered { article, comments, sort: made_in }) => (Some(article), comments.filter(|_| made_in == sort)),
        None => (None, None),
    };
    // The comment count under the headline follows the thread, when this widget shows one.
    provide_context(ThreadSlot::new());
    let needs_article = parts.article || parts.reactions;
    // Where the comment count under the headline takes the reader.
    let thread_box = NodeRef::<leptos::html::Div>::new();
    let article_part = needs_article.then(|| {
        let (api, article_id) = (api.clone(), article_id.clone());
        let thread = parts.comments.then_some(thread_box);
        view! {
            <ArticlePart api article_id show_article=parts.article show_reactions=parts.reactions
                position=reactions_position thread prerendered=article />
        }
    });
    view! {
        <div class="aw-widget" lang=lang dir=dir>
            {article_part}
            {parts.comments.then(|| view! {
                <div class="aw-thread" tabindex="-1" node_ref=thread_box>
                    <CommentThread api article_id sort page_size poll_seconds first_page />
                </div>
            })}
        </div>
    }
}

/// The article and/or its reaction bar, from one load of the article. With both, the bar sits under
/// the headline with the comment count (`position` top, as on the seed page) or after the body.
/// Plain DOM ([`PartDom`]) kept in step by one effect ([`Kept`]); the bar is placed in it as a view.
#[component]
fn ArticlePart(
    api: ApiClient,
    article_id: ArticleId,
    show_article: bool,
    show_reactions: bool,
    position: ReactionsPosition,
    /// The thread the comment count takes the reader to, when this widget shows one.
    thread: Option<NodeRef<leptos::html::Div>>,
    /// The article as a server rendered it into the page, if it did.
    prerendered: Option<Article>,
) -> impl IntoView {
    let strings = use_strings();
    let article = match prerendered {
        Some(a) => use_prerendered_article(api.clone(), a, strings.clone(), show_reactions),
        None => use_article(api.clone(), article_id.clone(), strings.clone()),
    };
    // The comment count under the headline follows the thread, when this widget shows one.
    let slot = use_context::<ThreadSlot>();
    // The part's owner: the bar lives under it (held weakly, see `Placed`).
    let owner = Owner::current().map(|owner| owner.downgrade());
    let spec =
        PartSpec { api, article_id, show_article, show_reactions, position, strings, to_thread: thread.is_some() };
    let dom = Kept::new(
        move || PartShown { article: article.get(), total: slot.and_then(|slot| slot.total()) },
        |dom: &mut PartDom, was, now| dom.update(Some(was), now),
    );
    let spec = StoredValue::new_local(Some(spec));
    let fill = move |el: leptos::tachys::renderer::types::Element| {
        let el: web_sys::Element = el.unchecked_into();
        dom.make(|now| {
            let (spec, owner) = (spec.try_update_value(Option::take).flatten()?, owner.clone()?);
            el.set_text_content(None);
            let mut part =
                PartDom { spec, owner, el: el.clone(), shown: Vec::new(), bar: None, retry: None, count: None };
            part.update(None, now);
            Some(part)
        });
    };
    view! {
        <article class="aw-article" on:click=move |ev| {
            let Some(button) = platform::clicked_button(&ev) else { return };
            let hit = |d: &PartDom| (d.retry.as_ref() == Some(&button), d.count_button() == Some(&button));
            match dom.with(|d| Some(hit(d))) {
                Some((true, _)) => article.load(),
                Some((_, true)) => {
                    if let Some(el) = thread.and_then(|t| t.get_untracked()) {
                        platform::reveal_and_focus(&el);
                    }
                }
                _ => {}
            }
        } use:fill></article>
    }
}

/// What an [`ArticlePart`] is made with.
struct PartSpec {
    api: ApiClient,
    article_id: ArticleId,
    show_article: bool,
    show_reactions: bool,
    position: ReactionsPosition,
    strings: Strings,
    /// The comment count is a button to the thread.
    to_thread: bool,
}

/// What an [`ArticlePart`] shows that changes: the article's load, and the thread's total.
#[derive(Clone, PartialEq)]
struct PartShown {
    article: Load<Article>,
    total: Option<u64>,
}

/// An article part's elements.
struct PartDom {
    spec: PartSpec,
    owner: WeakOwner,
    el: web_sys::Element,
    /// What is shown for the load: the placeholder, the error or the article (taken out on a change).
    shown: Vec<web_sys::Element>,
    bar: Option<Placed>,
    /// The error's Retry.
    retry: Option<web_sys::Element>,
    count: Option<CountDom>,
}

/// "💬 0" beside the reactions under the headline: the article's comment count, named "Comments,
/// 0", and a way to the thread when the widget shows one (a button). With a thread, its total once
/// loaded (a post or a delete moves it); until then, the count as the article came.
struct CountDom {
    /// The button, or the `<span>` without a thread.
    el: web_sys::Element,
    shown: web_sys::Element,
    /// Where the name is said without a button (a visually hidden `<span>`).
    name: Option<web_sys::Element>,
    /// As the article came.
    count: u64,
    /// The count shown (written only when it changes: the part hears every change of the thread).
    shown_count: std::cell::Cell<Option<u64>>,
}

impl PartDom {
    /// Brings the part from showing `was` (nothing: `None`) to showing `now`.
    fn update(&mut self, was: Option<&PartShown>, now: &PartShown) {
        if was.is_none_or(|was| was.article != now.article) {
            self.show(&now.article);
        }
        if let Some(count) = &self.count {
            count.show(now.total, &self.spec.strings);
        }
    }

    fn count_button(&self) -> Option<&web_sys::Element> {
        self.count.as_ref().filter(|_| self.spec.to_thread).map(|c| &c.el)
    }

    /// Shows `article`'s load in place of what was shown.
    fn show(&mut self, article: &Load<Article>) {
        for el in self.shown.drain(..) {
            el.remove();
        }
        (self.bar, self.retry, self.count) = (None, None, None);
        let (Some(document), Some(owner)) = (self.el.owner_document(), self.owner.upgrade()) else { return };
        let strings = self.spec.strings.clone();
        let box_ = |document: &web_sys::Document| element(document, "div", "");
        match article {
            Load::Loading => {
                if let Some(el) = box_(&document) {
                    fill_placeholder(&el, &strings.get(Msg::ArticleLoading), 6);
                    self.add(el);
                }
            }
            Load::Failed(message) => {
                if let Some(el) = box_(&document) {
                    self.retry = fill_error_notice(&el, message, &strings.get(Msg::Retry));
                    self.add(el);
                }
            }
            Load::Ready(a) => self.show_article(&document, &owner, a),
        }
    }

    fn show_article(&mut self, document: &web_sys::Document, owner: &Owner, a: &Article) {
        let spec = &self.spec;
        let bar = spec.show_reactions.then(|| {
            let (api, article_id, reactions, exclusive) =
                (spec.api.clone(), spec.article_id.clone(), a.reactions.clone(), a.reactions_exclusive);
            move || view! { <ReactionBar api article_id reactions exclusive /> }.into_any()
        });
        let under_headline = spec.show_article && spec.position == ReactionsPosition::Top;
        let article = spec.show_article.then(|| article_dom(document, a, &spec.strings)).flatten();
        match (article, bar) {
            (Some(ArticleDom { header, body, headline }), Some(bar)) if under_headline => {
                if let Some(line) = element(document, "div", "aw-headline-line") {
                    let _ = header.insert_before(&line, headline.next_sibling().as_ref());
                    self.bar = Some(Placed::new(owner, &line, None, bar));
                    self.count = CountDom::new(document, &line, spec.to_thread, a.comment_count);
                }
                self.add(header);
                self.add(body);
            }
            (article, bar) => {
                if let Some(ArticleDom { header, body, .. }) = article {
                    self.add(header);
                    self.add(body);
                }
                self.bar = bar.map(|bar| Placed::new(owner, &self.el, None, bar));
            }
        }
    }

    /// Shows `el` at the end of the part.
    fn add(&mut self, el: web_sys::Element) {
        add(&self.el, &el);
        self.shown.push(el);
    }
}

impl CountDom {
    /// The count, at the end of `line`.
    fn new(document: &web_sys::Document, line: &web_sys::Element, to_thread: bool, count: u64) -> Option<CountDom> {
        let shown = element(document, "span", "")?;
        set(&shown, "aria-hidden", "true");
        let (el, name) = match to_thread {
            true => {
                let button = element(document, "button", "aw-button aw-button-quiet aw-comment-count")?;
                set(&button, "type", "button");
                (button, None)
            }
            false => {
                (element(document, "span", "aw-comment-count")?, Some(element(document, "span", "aw-visually-hidden")?))
            }
        };
        add(&el, &shown);
        if let Some(name) = &name {
            add(&el, name);
        }
        add(line, &el);
        Some(CountDom { el, shown, name, count, shown_count: Default::default() })
    }

    /// Shows the thread's `total`, else the count the article came with.
    fn show(&self, total: Option<u64>, strings: &Strings) {
        let count = total.unwrap_or(self.count);
        if self.shown_count.replace(Some(count)) == Some(count) {
            return;
        }
        let locale = strings.locale();
        self.shown.set_text_content(Some(&format!("💬 {}", format::count(count, locale))));
        let name = strings.fmt(Msg::CommentsCount, &[("count", &format::full_count(count, locale))]);
        match &self.name {
            Some(hidden) => hidden.set_text_content(Some(&name)),
            None => set(&self.el, "aria-label", &name),
        }
    }
}
