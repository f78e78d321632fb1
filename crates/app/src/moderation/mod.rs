//! Keeping the community's rules (DESIGN.md §6). Every place a person writes calls
//! [`App::screen`] before publishing; after publishing come reports and the review queue,
//! sanctions and appeals, and HR cases, each in its own module.

mod conduct;
mod hr;
mod images;
mod reports;
mod review;
mod rules;
mod sanctions;
mod screen;

pub use conduct::ConductView;
pub use hr::{AuditEntry, CaseDetail, CaseOutcome, CaseStatus, CaseSummary, HrOfficer, MyCase};
pub use images::{ImageCheck, preprocess as preprocess_image};
pub use reports::{ReportOutcome, ReportReason, ReportSubject};
pub use review::{ReviewAction, ReviewDecision, ReviewItem};
pub use rules::RulesView;
pub use sanctions::{AppealView, LogEntry, MyStanding, SanctionKind, SanctionView};
pub use screen::{Held, Place, Screened};

use crate::App;
use guildhall_domain::moderation::ContentCheck;
use std::sync::Arc;

/// The content check with the organisation's rules, loaded once and replaced when an admin
/// changes a rule (on this instance; others pick changes up when they restart).
#[derive(Default)]
pub struct CheckCache(std::sync::RwLock<Option<Arc<ContentCheck>>>);

impl CheckCache {
    fn get(&self) -> Option<Arc<ContentCheck>> {
        self.0.read().ok().and_then(|c| c.clone())
    }

    fn put(&self, check: Arc<ContentCheck>) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some(check);
        }
    }

    fn clear(&self) {
        if let Ok(mut slot) = self.0.write() {
            *slot = None;
        }
    }
}

impl App {
    pub(crate) fn moderation_settings(&self) -> &crate::settings::ModerationSettings {
        &self.settings().moderation
    }
}
