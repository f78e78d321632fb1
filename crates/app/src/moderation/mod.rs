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

/// How long a loaded set of rules is trusted: a rule changed on another instance applies here
/// within this time (on this instance, at once).
const RULES_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// The content check with the organisation's rules, loaded on first use and again after an
/// admin's change or [`RULES_TTL`].
#[derive(Default)]
pub struct CheckCache(std::sync::RwLock<Option<(std::time::Instant, Arc<ContentCheck>)>>);

impl CheckCache {
    fn get(&self) -> Option<Arc<ContentCheck>> {
        let slot = self.0.read().ok()?;
        let (loaded, check) = slot.as_ref()?;
        (loaded.elapsed() < RULES_TTL).then(|| check.clone())
    }

    fn put(&self, check: Arc<ContentCheck>) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some((std::time::Instant::now(), check));
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
