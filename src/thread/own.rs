//! What a reader may do to a comment besides replying, as plain state machines tested without a
//! browser:
//!
//! - **their own comments**, while the server's [`Grant`] lasts: edit in place (editing → saving →
//!   saved | failed, the text kept on failure) and delete after asking in place (asking → deleting →
//!   deleted | failed);
//! - **any comment**: report it (choosing a reason → sending → sent | failed).
//!
//! One panel is open per comment at a time ([`Panel`]). [`OwnWords`] holds the grants, the panels
//! and whether the server offers these endpoints at all; [`super::ThreadStore`] applies what the
//! server answered to the comments themselves (an edited body, a tombstone, a removal).

use rustc_hash::FxHashMap as HashMap;

use crate::api::limits::{self, Invalid};
use crate::api::{CommentId, NewReport, ReportReason};

/// The longest edit token kept: a longer one is not worth a header.
const MAX_TOKEN_BYTES: usize = 512;

/// The author's grant to change a comment: the token for `X-Edit-Token`, and until when it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub token: String,
    /// Milliseconds since the epoch.
    pub until_ms: f64,
}

impl Grant {
    /// The grant of a post's answer; `None` for a token that a header cannot carry (only visible
    /// ASCII, at most 512 bytes: anything else would make the browser refuse the request) or an
    /// unreadable time.
    ///
    /// ## Usage
    /// ```
    /// use article_widget::thread::Grant;
    /// let grant = Grant::from_wire("1795169700.abc", "2026-11-20T10:15:00Z").unwrap();
    /// assert!(grant.is_open(grant.until_ms - 1.0));
    /// assert_eq!(grant.minutes_left(grant.until_ms - 61_000.0), 2);
    /// assert_eq!(Grant::from_wire("line\nbreak", "2026-11-20T10:15:00Z"), None);
    /// ```
    pub fn from_wire(edit_token: &str, editable_until: &str) -> Option<Grant> {
        let sendable = !edit_token.is_empty()
            && edit_token.len() <= MAX_TOKEN_BYTES
            && edit_token.bytes().all(|b| (0x21..=0x7e).contains(&b));
        let until_ms = crate::format::parse_time(editable_until)?;
        sendable.then(|| Grant { token: edit_token.to_owned(), until_ms })
    }

    /// Whether it still holds at `now_ms`.
    pub fn is_open(&self, now_ms: f64) -> bool {
        now_ms < self.until_ms
    }

    /// Whole minutes left at `now_ms`, rounded up ("1 min left" until the end).
    pub fn minutes_left(&self, now_ms: f64) -> u64 {
        ((self.until_ms - now_ms) / 60_000.0).ceil().max(0.0) as u64
    }
}

/// What is open below a comment, besides its reply form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    #[default]
    Closed,
    /// Its text in an edit form, in place of its body.
    Editing,
    /// "Delete this comment?", in place.
    Deleting,
    /// The report form.
    Reporting,
    /// Reported: thanked, and not offered again.
    Reported,
    /// The comment's reply form (the thread's, not [`OwnWords`]': see
    /// [`ThreadStore::below`](super::ThreadStore::below)).
    Replying,
}

/// An open edit of an own comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// As typed (kept when a save fails).
    pub text: String,
    /// The comment's text when the edit opened: an edit still equal to it holds nothing to lose.
    pub original: String,
    pub saving: bool,
    /// Why the last save failed, or why the text is refused.
    pub error: Option<String>,
}

/// An open report form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportForm {
    pub reason: Option<ReportReason>,
    pub note: String,
    pub sending: bool,
    pub error: Option<String>,
}

/// What a report form can refuse before sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportInvalid {
    NoReason,
    NoteTooLong,
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    Editing(Edit),
    Deleting { busy: bool, error: Option<String> },
    Reporting(ReportForm),
    Reported,
}

/// See the module documentation.
///
/// ## Usage
/// ```
/// use article_widget::api::CommentId;
/// use article_widget::thread::{Grant, OwnWords, Panel};
/// let mut own = OwnWords::default();
/// let id = CommentId::from("7");
/// own.add_grant(id.clone(), Grant { token: "t".into(), until_ms: 1e15 });
/// assert!(own.start_edit(&id, "Teh typo", 0.0));
/// own.edit_text(&id, "The typo".into());
/// let (token, body) = own.save_edit(&id).unwrap().unwrap();
/// assert_eq!((token.as_str(), body.as_str()), ("t", "The typo"));
/// own.edit_saved(&id); // the server answered
/// assert_eq!(own.panel(&id), Panel::Closed);
/// ```
#[derive(Clone, Debug, Default)]
pub struct OwnWords {
    grants: HashMap<CommentId, Grant>,
    open: HashMap<CommentId, State>,
    /// The server answered 404/405 to an edit or delete: it does not offer them.
    no_changes: bool,
    /// The server answered 404/405 to a report.
    no_reports: bool,
}

impl OwnWords {
    // ---- grants ---------------------------------------------------------------------------------

    pub fn grant(&self, id: &CommentId) -> Option<&Grant> {
        self.grants.get(id)
    }

    /// Until when this reader may edit or delete the comment (ms), if they may at `now_ms`.
    pub fn editable_until(&self, id: &CommentId, now_ms: f64) -> Option<f64> {
        if self.no_changes {
            return None;
        }
        self.grants.get(id).filter(|g| g.is_open(now_ms)).map(|g| g.until_ms)
    }

    pub fn add_grant(&mut self, id: CommentId, grant: Grant) {
        self.grants.insert(id, grant);
    }

    /// Forgets the grant: the server refused its token. An open edit stays open (with its text, for
    /// the reader to keep), but can no longer be saved.
    pub fn revoke(&mut self, id: &CommentId) {
        self.grants.remove(id);
    }

    /// Forgets every grant past its time at `now_ms` (an open edit stays, as for
    /// [`OwnWords::revoke`]; one on its way gets the server's word). Returns the comments that lost
    /// theirs.
    pub fn expire(&mut self, now_ms: f64) -> Vec<CommentId> {
        let gone: Vec<CommentId> =
            self.grants.iter().filter(|(_, g)| !g.is_open(now_ms)).map(|(id, _)| id.clone()).collect();
        for id in &gone {
            self.revoke(id);
        }
        gone
    }

    /// The comment's open edit or delete form, idle, says `message` (the grant ran out; another
    /// panel was asked for over a changed edit). One on its way gets the server's word instead.
    pub fn say(&mut self, id: &CommentId, message: String) {
        match self.open.get_mut(id) {
            Some(State::Editing(edit)) if !edit.saving => edit.error = Some(message),
            Some(State::Deleting { busy: false, error }) => *error = Some(message),
            _ => {}
        }
    }

    /// The server does not offer edit and delete: no comment offers them any more (an open form
    /// stays, to say so, and keeps its text).
    pub fn changes_unsupported(&mut self) {
        self.no_changes = true;
    }

    /// The server does not take reports: no comment offers it any more.
    pub fn reports_unsupported(&mut self) {
        self.no_reports = true;
    }

    /// Whether the comment's edit or delete can still be sent (its grant is held, the server offers
    /// them).
    pub fn can_send_change(&self, id: &CommentId) -> bool {
        !self.no_changes && self.grants.contains_key(id)
    }

    pub fn reports_supported(&self) -> bool {
        !self.no_reports
    }

    // ---- panels ---------------------------------------------------------------------------------

    pub fn panel(&self, id: &CommentId) -> Panel {
        match self.open.get(id) {
            None => Panel::Closed,
            Some(State::Editing(_)) => Panel::Editing,
            Some(State::Deleting { .. }) => Panel::Deleting,
            Some(State::Reporting(_)) => Panel::Reporting,
            Some(State::Reported) => Panel::Reported,
        }
    }

    /// Closes what is open below the comment (Cancel, Escape), unless it is on its way (its answer
    /// has something to say); a report once sent stays thanked.
    pub fn close(&mut self, id: &CommentId) {
        if !self.busy(id) && !matches!(self.open.get(id), Some(State::Reported)) {
            self.open.remove(id);
        }
    }

    /// The edit was saved: its form closes (an edit opened since, or none, is left alone).
    pub fn edit_saved(&mut self, id: &CommentId) {
        if matches!(self.open.get(id), Some(State::Editing(Edit { saving: true, .. }))) {
            self.open.remove(id);
        }
    }

    /// Whether the comment's edit form holds text the reader changed: another panel must not
    /// replace it.
    pub fn edit_changed(&self, id: &CommentId) -> bool {
        matches!(self.open.get(id), Some(State::Editing(edit)) if edit.text != edit.original || edit.saving)
    }

    // ---- edit -----------------------------------------------------------------------------------

    pub fn edit(&self, id: &CommentId) -> Option<&Edit> {
        match self.open.get(id) {
            Some(State::Editing(edit)) => Some(edit),
            _ => None,
        }
    }

    /// Opens the edit form with the comment's `body`, if the reader may edit it at `now_ms` (an
    /// edit already open stays as it is).
    pub fn start_edit(&mut self, id: &CommentId, body: &str, now_ms: f64) -> bool {
        if self.editable_until(id, now_ms).is_none()
            || self.busy(id)
            || self.edit(id).is_some()
            || self.report_filled(id)
        {
            return false;
        }
        let edit = Edit { text: body.to_owned(), original: body.to_owned(), saving: false, error: None };
        self.open.insert(id.clone(), State::Editing(edit));
        true
    }

    /// The reader typed (no view needs to hear of it: the form holds the text).
    pub fn edit_text(&mut self, id: &CommentId, text: String) {
        if let Some(State::Editing(edit)) = self.open.get_mut(id) {
            edit.text = text;
        }
    }

    /// Saves the edit: the token and the trimmed text to send, or why the text is refused (the
    /// composer's rule). `None` when no edit is open, one is on its way, or the grant is gone.
    pub fn save_edit(&mut self, id: &CommentId) -> Option<Result<(String, String), Invalid>> {
        if !self.can_send_change(id) {
            return None;
        }
        let token = self.grants.get(id)?.token.clone();
        let Some(State::Editing(edit)) = self.open.get_mut(id) else { return None };
        if edit.saving {
            return None;
        }
        match limits::validate_body(&edit.text) {
            Ok(body) => {
                let body = body.to_owned();
                edit.saving = true;
                edit.error = None;
                Some(Ok((token, body)))
            }
            Err(invalid) => Some(Err(invalid)),
        }
    }

    /// The edit's text was refused (before sending or by the server), or the save failed: the form
    /// stays open with its text and says why.
    pub fn edit_failed(&mut self, id: &CommentId, message: String) {
        if let Some(State::Editing(edit)) = self.open.get_mut(id) {
            edit.saving = false;
            edit.error = Some(message);
        }
    }

    // ---- delete ---------------------------------------------------------------------------------

    /// Why the last delete failed, and whether one is on its way.
    pub fn deleting(&self, id: &CommentId) -> Option<(bool, Option<&str>)> {
        match self.open.get(id) {
            Some(State::Deleting { busy, error }) => Some((*busy, error.as_deref())),
            _ => None,
        }
    }

    /// Asks "Delete this comment?", if the reader may delete it at `now_ms`.
    pub fn ask_delete(&mut self, id: &CommentId, now_ms: f64) -> bool {
        if self.editable_until(id, now_ms).is_none() || self.busy(id) || self.edit_changed(id) || self.report_filled(id)
        {
            return false;
        }
        // Asked already: the question stays as it is (with what it says).
        if !matches!(self.open.get(id), Some(State::Deleting { .. })) {
            self.open.insert(id.clone(), State::Deleting { busy: false, error: None });
        }
        true
    }

    /// The reader confirmed: the token to send, unless a delete is on its way already.
    pub fn confirm_delete(&mut self, id: &CommentId) -> Option<String> {
        if !self.can_send_change(id) {
            return None;
        }
        let token = self.grants.get(id)?.token.clone();
        match self.open.get_mut(id) {
            Some(State::Deleting { busy, error }) if !*busy => {
                *busy = true;
                *error = None;
                Some(token)
            }
            _ => None,
        }
    }

    pub fn delete_failed(&mut self, id: &CommentId, message: String) {
        if let Some(State::Deleting { busy, error }) = self.open.get_mut(id) {
            *busy = false;
            *error = Some(message);
        }
    }

    /// The comment is deleted: its grant and panel go.
    pub fn deleted(&mut self, id: &CommentId) {
        self.grants.remove(id);
        self.open.remove(id);
    }

    // ---- report ---------------------------------------------------------------------------------

    pub fn report(&self, id: &CommentId) -> Option<&ReportForm> {
        match self.open.get(id) {
            Some(State::Reporting(form)) => Some(form),
            _ => None,
        }
    }

    /// Opens the report form (not over a changed edit, nor anything on its way, nor once reported).
    pub fn open_report(&mut self, id: &CommentId) -> bool {
        if self.no_reports
            || self.busy(id)
            || self.edit_changed(id)
            || matches!(self.open.get(id), Some(State::Reported | State::Reporting(_)))
        {
            return false;
        }
        self.open.insert(id.clone(), State::Reporting(ReportForm::default()));
        true
    }

    pub fn choose_reason(&mut self, id: &CommentId, reason: ReportReason) {
        if let Some(State::Reporting(form)) = self.open.get_mut(id) {
            form.reason = Some(reason);
            form.error = None;
        }
    }

    /// The reader typed a note (the form holds it; no view needs to hear of it).
    pub fn report_note(&mut self, id: &CommentId, note: String) {
        if let Some(State::Reporting(form)) = self.open.get_mut(id) {
            form.note = note;
        }
    }

    /// Sends the report: the body, or why the form refuses it. `None` when no form is open or it is
    /// on its way.
    pub fn send_report(&mut self, id: &CommentId) -> Option<Result<NewReport, ReportInvalid>> {
        let Some(State::Reporting(form)) = self.open.get_mut(id) else { return None };
        if form.sending || self.no_reports {
            return None;
        }
        let Some(reason) = form.reason else { return Some(Err(ReportInvalid::NoReason)) };
        let note = form.note.trim();
        if note.chars().count() > limits::MAX_REPORT_NOTE_CHARS {
            return Some(Err(ReportInvalid::NoteTooLong));
        }
        form.sending = true;
        form.error = None;
        Some(Ok(NewReport { reason, note: (!note.is_empty()).then(|| note.to_owned()) }))
    }

    pub fn report_failed(&mut self, id: &CommentId, message: String) {
        if let Some(State::Reporting(form)) = self.open.get_mut(id) {
            form.sending = false;
            form.error = Some(message);
        }
    }

    /// Whether the report form holds something the reader chose or typed.
    pub fn report_filled(&self, id: &CommentId) -> bool {
        matches!(self.open.get(id), Some(State::Reporting(f)) if f.reason.is_some() || !f.note.trim().is_empty())
    }

    /// The report on its way was received.
    pub fn report_sent(&mut self, id: &CommentId) {
        if matches!(self.open.get(id), Some(State::Reporting(ReportForm { sending: true, .. }))) {
            self.open.insert(id.clone(), State::Reported);
        }
    }

    /// An edit, a delete or a report of this comment is on its way: nothing else opens over it
    /// (its answer has a form to land in).
    pub fn busy(&self, id: &CommentId) -> bool {
        matches!(
            self.open.get(id),
            Some(
                State::Editing(Edit { saving: true, .. })
                    | State::Deleting { busy: true, .. }
                    | State::Reporting(ReportForm { sending: true, .. })
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_with_grant(until_ms: f64) -> (OwnWords, CommentId) {
        let mut own = OwnWords::default();
        let id = CommentId::from("7");
        own.add_grant(id.clone(), Grant { token: "tok".into(), until_ms });
        (own, id)
    }

    #[test]
    fn grants_from_the_wire_must_fit_in_a_header() {
        let until = "2026-11-20T10:15:00Z";
        assert!(Grant::from_wire("1795.abc-_", until).is_some());
        for bad in ["", "with space", "tab\t", "é", "nul\0", &"x".repeat(513)] {
            assert_eq!(Grant::from_wire(bad, until), None, "{bad:?}");
        }
        assert_eq!(Grant::from_wire("ok", "tomorrow"), None);
        let g = Grant::from_wire("ok", until).unwrap();
        assert_eq!(g.minutes_left(g.until_ms - 12.0 * 60_000.0), 12);
        assert_eq!(g.minutes_left(g.until_ms - 1.0), 1);
        assert_eq!(g.minutes_left(g.until_ms + 1.0), 0);
    }

    #[test]
    fn an_edit_keeps_its_text_through_a_refusal_and_a_failure() {
        let (mut own, id) = own_with_grant(1000.0);
        assert!(!own.start_edit(&id, "body", 1000.0), "the window is closed at its end");
        assert!(own.start_edit(&id, "body", 0.0));
        own.edit_text(&id, "   ".into());
        assert_eq!(own.save_edit(&id), Some(Err(Invalid::BodyEmpty)));
        own.edit_failed(&id, "Please write a comment.".into());
        own.edit_text(&id, " fixed ".into());
        assert_eq!(own.save_edit(&id), Some(Ok(("tok".into(), "fixed".into()))));
        assert_eq!(own.save_edit(&id), None, "one save at a time");
        assert!(!own.ask_delete(&id, 0.0), "no delete over a save on its way");
        assert!(!own.open_report(&id), "no report over a save on its way");
        own.close(&id);
        assert_eq!(own.panel(&id), Panel::Editing, "no Cancel while on its way");
        own.edit_failed(&id, "the server could not be reached.".into());
        let edit = own.edit(&id).unwrap();
        assert_eq!(
            (edit.text.as_str(), edit.saving, edit.error.as_deref()),
            (" fixed ", false, Some("the server could not be reached."))
        );
        own.close(&id);
        assert_eq!(own.panel(&id), Panel::Closed);
    }

    #[test]
    fn what_the_reader_typed_is_not_replaced_by_another_panel() {
        let (mut own, id) = own_with_grant(1000.0);
        assert!(own.start_edit(&id, "body", 0.0));
        assert!(own.open_report(&id), "an untouched edit may give way");
        own.close(&id);
        assert!(own.start_edit(&id, "body", 0.0));
        own.edit_text(&id, "typed".into());
        assert!(!own.start_edit(&id, "body", 0.0), "Edit again keeps the text");
        assert_eq!(own.edit(&id).unwrap().text, "typed");
        assert!(!own.ask_delete(&id, 0.0) && !own.open_report(&id));
        assert_eq!(own.edit(&id).unwrap().text, "typed");
        // Saved: only the edit that was on its way closes.
        own.edit_saved(&id);
        assert_eq!(own.panel(&id), Panel::Editing, "not saving: stays");
        own.save_edit(&id);
        own.edit_saved(&id);
        assert_eq!(own.panel(&id), Panel::Closed);
    }

    #[test]
    fn a_report_on_its_way_or_filled_in_is_not_replaced() {
        let (mut own, id) = own_with_grant(1000.0);
        assert!(own.open_report(&id));
        own.report_note(&id, "why".into());
        assert!(!own.start_edit(&id, "b", 0.0) && !own.ask_delete(&id, 0.0), "a note typed stays");
        own.choose_reason(&id, ReportReason::Spam);
        own.send_report(&id);
        assert!(!own.start_edit(&id, "b", 0.0) && !own.ask_delete(&id, 0.0));
        // A received answer lands only on the report that was sent.
        own.report_failed(&id, "offline".into());
        own.close(&id);
        assert!(own.ask_delete(&id, 0.0));
        own.report_sent(&id);
        assert_eq!(own.panel(&id), Panel::Deleting, "a stray answer changes nothing");
    }

    #[test]
    fn a_delete_is_asked_then_sent_once() {
        let (mut own, id) = own_with_grant(1000.0);
        assert_eq!(own.confirm_delete(&id), None, "not asked yet");
        assert!(own.ask_delete(&id, 0.0));
        assert_eq!(own.panel(&id), Panel::Deleting);
        assert_eq!(own.confirm_delete(&id).as_deref(), Some("tok"));
        assert_eq!(own.confirm_delete(&id), None, "on its way");
        own.delete_failed(&id, "no".into());
        assert_eq!(own.deleting(&id), Some((false, Some("no"))));
        assert!(own.confirm_delete(&id).is_some());
        own.deleted(&id);
        assert_eq!((own.panel(&id), own.grant(&id)), (Panel::Closed, None));
        assert!(!own.ask_delete(&id, 0.0), "no grant, no delete");
    }

    #[test]
    fn expiry_closes_what_is_not_on_its_way() {
        let (mut own, id) = own_with_grant(1000.0);
        let other = CommentId::from("8");
        own.add_grant(other.clone(), Grant { token: "t2".into(), until_ms: 1000.0 });
        assert!(own.start_edit(&id, "a", 0.0));
        assert!(own.ask_delete(&other, 0.0));
        own.confirm_delete(&other);
        assert_eq!(own.expire(1000.0).len(), 2);
        assert_eq!(own.panel(&id), Panel::Editing, "an edit stays open with its text");
        assert_eq!(own.save_edit(&id), None, "but cannot be saved");
        assert_eq!(own.panel(&other), Panel::Deleting, "a delete on its way waits for the server");
        assert_eq!(own.editable_until(&id, 0.0), None);
    }

    #[test]
    fn reports_need_a_reason_and_a_short_note_and_are_thanked_once() {
        let mut own = OwnWords::default();
        let id = CommentId::from("9");
        assert!(own.open_report(&id), "any comment, no grant needed");
        assert_eq!(own.send_report(&id), Some(Err(ReportInvalid::NoReason)));
        own.choose_reason(&id, ReportReason::OffTopic);
        own.report_note(&id, "x".repeat(501));
        assert_eq!(own.send_report(&id), Some(Err(ReportInvalid::NoteTooLong)));
        own.report_note(&id, "  ".into());
        assert_eq!(own.send_report(&id), Some(Ok(NewReport { reason: ReportReason::OffTopic, note: None })));
        assert_eq!(own.send_report(&id), None, "on its way");
        own.report_failed(&id, "offline".into());
        assert_eq!(
            own.report(&id).map(|f| (f.reason, f.error.clone())),
            Some((Some(ReportReason::OffTopic), Some("offline".into())))
        );
        assert!(own.send_report(&id).unwrap().is_ok());
        own.close(&id);
        assert_eq!(own.panel(&id), Panel::Reporting, "no Cancel while on its way");
        own.report_sent(&id);
        own.close(&id);
        assert_eq!(own.panel(&id), Panel::Reported);
        assert!(!own.open_report(&id));
    }

    #[test]
    fn a_server_without_the_endpoints_turns_them_off() {
        let (mut own, id) = own_with_grant(1000.0);
        assert!(own.start_edit(&id, "a", 0.0));
        own.changes_unsupported();
        assert_eq!((own.panel(&id), own.editable_until(&id, 0.0)), (Panel::Editing, None), "the text stays");
        assert_eq!(own.save_edit(&id), None);
        own.close(&id);
        assert!(!own.start_edit(&id, "a", 0.0));
        assert!(own.open_report(&id));
        own.choose_reason(&id, ReportReason::Spam);
        own.reports_unsupported();
        assert_eq!(own.send_report(&id), None);
        own.close(&id);
        assert!(!own.open_report(&id) && !own.reports_supported());
    }
}
