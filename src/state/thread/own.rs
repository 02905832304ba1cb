//! The thread's controller for edit, delete and report (the state machines are
//! [`OwnWords`](crate::thread::OwnWords)): it runs their requests, keeps the reader's grants in
//! storage ([`Grants`](crate::grants::Grants)) and closes them when their time is up. Views read
//! through it and call its actions, as for the rest of the thread.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::ThreadHandle;
use crate::api::{error_code, limits, ApiError, Comment, CommentId, NewReport, ReportReason};
use crate::i18n::Msg;
use crate::platform::{self, spawn_local};
use crate::thread::{Edit, Grant, OwnWords, Panel, ReportForm, ReportInvalid};

/// What a comment's panel sends.
enum Change {
    Edit { token: String, body: String },
    Delete { token: String },
    Report(NewReport),
}

impl ThreadHandle {
    // ---- reading (tracked on the comment's part of the thread) ----------------------------------

    /// The comment as it is now (edited, or a tombstone).
    pub fn content(&self, id: &CommentId) -> Option<Arc<Comment>> {
        self.track_node(Some(id));
        self.with(|s| s.comment(id).cloned()).flatten()
    }

    /// What is open below the comment besides its reply form (an edit in place of its text, too).
    pub fn panel(&self, id: &CommentId) -> Panel {
        self.track_node(Some(id));
        self.with(|s| s.own().panel(id)).unwrap_or_default()
    }

    /// Until when (ms since the epoch) this reader may edit or delete the comment; `None` when they
    /// may not.
    pub fn editable_until(&self, id: &CommentId) -> Option<f64> {
        self.track_node(Some(id));
        self.with(|s| s.own().editable_until(id, platform::now_ms())).flatten()
    }

    /// Whether the comment's open edit or delete can still be sent.
    pub fn can_send_change(&self, id: &CommentId) -> bool {
        self.track_node(Some(id));
        self.with(|s| s.own().can_send_change(id)).unwrap_or(false)
    }

    pub fn edit(&self, id: &CommentId) -> Option<Edit> {
        self.track_node(Some(id));
        self.with(|s| s.own().edit(id).cloned()).flatten()
    }

    /// Whether a delete is on its way, and why the last one failed.
    pub fn deleting(&self, id: &CommentId) -> Option<(bool, Option<String>)> {
        self.track_node(Some(id));
        self.with(|s| s.own().deleting(id).map(|(busy, e)| (busy, e.map(str::to_owned)))).flatten()
    }

    pub fn report_form(&self, id: &CommentId) -> Option<ReportForm> {
        self.track_node(Some(id));
        self.with(|s| s.own().report(id).cloned()).flatten()
    }

    /// Whether comments offer Report (the server has not said it takes none).
    pub fn takes_reports(&self) -> bool {
        self.track_meta();
        self.with(|s| s.own().reports_supported()).unwrap_or(false)
    }

    // ---- edit -----------------------------------------------------------------------------------

    pub fn start_edit(self, id: &CommentId) {
        let now = platform::now_ms();
        self.update(|s| {
            let body = s.comment(id).map(|c| c.body.clone()).unwrap_or_default();
            s.own_change(id, |o| o.start_edit(id, &body, now))
        });
    }

    /// The reader typed in the edit form (kept for a failed save; no view re-renders).
    pub fn edit_text(self, id: &CommentId, text: String) {
        self.store.try_update_value(|s| s.own_typing(|o| o.edit_text(id, text)));
    }

    /// Closes the comment's edit, delete or report form (Cancel, Escape).
    pub fn close_panel(self, id: &CommentId) {
        self.update(|s| s.own_change(id, |o| o.close(id)));
    }

    /// Saves the edit: checked as the composer checks a comment, then sent with the grant's token.
    pub fn save_edit(self, id: &CommentId) {
        let Some(Some(request)) = self.update(|s| s.own_change(id, |o| o.save_edit(id))) else { return };
        match request {
            Ok((token, body)) => self.send_change(id, Change::Edit { token, body }),
            Err(invalid) => {
                let message = self.strings().invalid(invalid);
                self.update(|s| s.own_change(id, |o| o.edit_failed(id, message)));
            }
        }
    }

    // ---- delete ---------------------------------------------------------------------------------

    /// Asks "Delete this comment?" in place (an edit with changed text stays, and says so).
    pub fn ask_delete(self, id: &CommentId) {
        let now = platform::now_ms();
        self.open_over_edit(id, |o| {
            o.ask_delete(id, now);
        });
    }

    /// Opens another panel of the comment with `open`, unless its edit holds changed text: that
    /// edit stays, and says so.
    fn open_over_edit(self, id: &CommentId, open: impl FnOnce(&mut OwnWords)) {
        let first = self.strings().get(Msg::EditOpen);
        self.update(|s| {
            s.own_change(id, |o| {
                if o.edit_changed(id) {
                    o.say(id, first);
                } else {
                    open(o);
                }
            });
            s.panel_to_front(id);
        });
    }

    /// The reader confirmed: the delete is sent with the grant's token.
    pub fn confirm_delete(self, id: &CommentId) {
        if let Some(Some(token)) = self.update(|s| s.own_change(id, |o| o.confirm_delete(id))) {
            self.send_change(id, Change::Delete { token });
        }
    }

    /// Sends an edit, a delete or a report. One request for the three (one piece of code in the
    /// bundle); [`ThreadHandle::change_answered`] applies the answer.
    fn send_change(self, id: &CommentId, change: Change) {
        let Some((api, article_id)) = self.api() else { return };
        let id = id.clone();
        spawn_local(async move {
            let answer = match &change {
                Change::Edit { token, body } => api.edit_comment(&article_id, &id, token, body).await.map(Some),
                Change::Delete { token } => api.delete_comment(&article_id, &id, token).await.map(|()| None),
                Change::Report(report) => api.report_comment(&article_id, &id, report).await.map(|_| None),
            };
            self.change_answered(&id, &change, answer);
        });
    }

    #[inline(never)]
    fn change_answered(self, id: &CommentId, change: &Change, answer: Result<Option<Comment>, ApiError>) {
        let strings = self.strings();
        match (change, answer) {
            // The answer is about another comment: not applied.
            (Change::Edit { .. }, Ok(Some(edited))) if edited.id != *id => {
                let reason = strings.fmt(Msg::ErrorFormat, &[("detail", "another comment")]);
                let message = strings.fmt(Msg::EditFailed, &[("reason", &reason)]);
                self.update(|s| s.own_change(id, |o| o.edit_failed(id, message)));
            }
            (Change::Edit { .. }, Ok(edited)) => {
                if let Some(edited) = edited {
                    self.update(|s| s.comment_edited(edited));
                }
                self.announce(strings.get(Msg::EditSaved));
            }
            // Deleted already (another tab): as good as done.
            (Change::Delete { .. }, Err(ApiError::Http { status: 404, code: Some(code), .. }))
                if code == error_code::COMMENT_DELETED =>
            {
                self.change_answered(id, change, Ok(None));
            }
            (Change::Delete { .. }, Ok(_)) => {
                self.update(|s| s.comment_deleted(id));
                if let Some(grants) = self.grants() {
                    grants.remove(id, platform::now_ms());
                }
                self.announce(strings.get(Msg::DeleteDone));
            }
            (Change::Report(_), Ok(_)) => {
                self.update(|s| s.own_change(id, |o| o.report_sent(id)));
                self.announce(strings.get(Msg::ReportThanks));
            }
            (Change::Report(_), Err(e)) => {
                let reason = match &e {
                    ApiError::Http { status: 404, code: Some(code), .. } if code == error_code::COMMENT_DELETED => {
                        strings.get(Msg::CommentGone)
                    }
                    // A server without reports (a v1 one).
                    ApiError::Http { status: 404 | 405, .. } => {
                        self.update(|s| s.reports_unsupported());
                        strings.get(Msg::ReportUnsupported)
                    }
                    _ => strings.reason(&e),
                };
                let message = strings.fmt(Msg::ComposerNotSent, &[("reason", &reason)]);
                self.update(|s| {
                    s.own_change(id, |o| o.report_failed(id, message));
                    s.panel_to_front(id);
                });
            }
            (Change::Edit { .. }, Err(e)) => {
                let reason = self.change_refused(id, &e);
                let message = strings.fmt(Msg::EditFailed, &[("reason", &reason)]);
                self.update(|s| s.own_change(id, |o| o.edit_failed(id, message)));
            }
            (Change::Delete { .. }, Err(e)) => {
                let reason = self.change_refused(id, &e);
                let message = strings.fmt(Msg::DeleteFailed, &[("reason", &reason)]);
                self.update(|s| {
                    s.own_change(id, |o| o.delete_failed(id, message));
                    s.panel_to_front(id);
                });
            }
        }
    }

    /// What an edit's or delete's failure means beyond its sentence, and the sentence: a refused
    /// token is forgotten; a server without these endpoints (404, 405) turns them off everywhere.
    fn change_refused(self, id: &CommentId, e: &ApiError) -> String {
        let strings = self.strings();
        match e {
            ApiError::Http { status: 403, code, .. } => {
                self.update(|s| s.own_change(id, |o| o.revoke(id)));
                if let Some(grants) = self.grants() {
                    grants.remove(id, platform::now_ms());
                }
                match code.as_deref() {
                    Some(error_code::EDIT_WINDOW_CLOSED) => strings.get(Msg::EditClosed),
                    _ => strings.get(Msg::EditForbidden),
                }
            }
            // Deleted meanwhile (in another tab): the grant has nothing left to open.
            ApiError::Http { status: 404, code: Some(code), .. } if code == error_code::COMMENT_DELETED => {
                self.update(|s| s.own_change(id, |o| o.revoke(id)));
                if let Some(grants) = self.grants() {
                    grants.remove(id, platform::now_ms());
                }
                strings.get(Msg::CommentGone)
            }
            // A grant means a v1.1 server: a plain 404 or a 405 means the way to it (a proxy, a
            // gateway) does not pass these requests.
            ApiError::Http { status: 404 | 405, .. } => {
                self.update(|s| s.changes_unsupported());
                strings.get(Msg::EditUnsupported)
            }
            _ => strings.reason(e),
        }
    }

    // ---- report ---------------------------------------------------------------------------------

    /// Opens the report form (an edit with changed text stays, and says so).
    pub fn open_report(self, id: &CommentId) {
        self.open_over_edit(id, |o| {
            o.open_report(id);
        });
    }

    pub fn choose_reason(self, id: &CommentId, reason: ReportReason) {
        self.update(|s| s.own_change(id, |o| o.choose_reason(id, reason)));
    }

    /// The reader typed a note (kept in the form; no view re-renders).
    pub fn report_note(self, id: &CommentId, note: String) {
        self.store.try_update_value(|s| s.own_typing(|o| o.report_note(id, note)));
    }

    pub fn send_report(self, id: &CommentId) {
        let Some(Some(request)) = self.update(|s| s.own_change(id, |o| o.send_report(id))) else { return };
        match request {
            Ok(report) => self.send_change(id, Change::Report(report)),
            Err(invalid) => {
                let strings = self.strings();
                let message = match invalid {
                    ReportInvalid::NoReason => strings.get(Msg::ReportChoose),
                    ReportInvalid::NoteTooLong => strings.fmt(
                        Msg::ReportNoteLong,
                        &[("max", &crate::format::full_count(limits::MAX_REPORT_NOTE_CHARS as u64, strings.locale()))],
                    ),
                };
                self.update(|s| s.own_change(id, |o| o.report_failed(id, message)));
            }
        }
    }

    // ---- grants ---------------------------------------------------------------------------------

    /// Keeps a new grant (in storage too) and closes it when its time is up.
    pub(super) fn keep_grant(self, id: &CommentId, grant: &Grant) {
        if let Some(grants) = self.grants() {
            grants.add(id, grant, platform::now_ms());
        }
        self.expire_at(grant.until_ms);
    }

    /// The grants kept from before a reload.
    pub(super) fn restore_grants(self) {
        let Some(grants) = self.grants() else { return };
        let kept = grants.load(platform::now_ms());
        for (_, grant) in &kept {
            self.expire_at(grant.until_ms);
        }
        self.update(|s| s.restore_grants(kept));
    }

    /// At `until_ms`, the grants past their time go, and an open form says why it can no longer be
    /// sent.
    fn expire_at(self, until_ms: f64) {
        // A timer waits at most 2^31 - 1 ms (about 24 days; longer would throw): a grant due later
        // (a long window, or a hostile value) waits in steps.
        const LONGEST_WAIT_MS: f64 = 2_000_000_000.0;
        let wait = (until_ms - platform::now_ms()).max(0.0) + 50.0;
        if wait > LONGEST_WAIT_MS {
            platform::after(Duration::from_millis(LONGEST_WAIT_MS as u64), move || self.expire_at(until_ms));
            return;
        }
        platform::after(Duration::from_millis(wait as u64), move || {
            let closed = self.strings().get(Msg::EditClosed);
            if let Some(grants) = self.grants() {
                grants.prune(platform::now_ms());
            }
            self.update(|s| {
                for id in s.expire_grants(platform::now_ms()) {
                    s.own_change(&id, |o| o.say(&id, closed.clone()));
                }
            });
        });
    }
}
