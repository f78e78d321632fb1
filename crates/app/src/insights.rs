//! Care, not surveillance (DESIGN.md §7): signals that someone may need help are raised where
//! they happen (`raise`), routed only to the people who can help — partners, the facilitators of
//! the space, coaches — who claim and act on them (`care`), and every member sees everything
//! kept about them, who may see it and who looked (`mine`).

mod care;
mod dashboards;
mod mine;
mod monitor;
mod raise;
mod report;
mod voice;

pub use care::{CareAction, CareDetail, CareItem, Expert};
pub(crate) use dashboards::DashboardCache;
pub use dashboards::{Dashboard, WeekRow};
pub use mine::{MyInsights, MySignal, MyWeek, SignalView};
pub use monitor::{Monitor, MonitorScope, WatchItem, WatchKind};
pub(crate) use raise::{
    EFFECTS, note_answer, note_check_in, note_own_words, note_rudeness_towards, record,
};
pub use report::ReportMonth;

/// How a signal's status reads on pages.
fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "Nobody has taken this yet",
        "claimed" => "Someone is reaching out",
        "reached_out" => "Reached out",
        "resolved" => "Resolved",
        "not_needed" => "Not needed",
        _ => "Unknown",
    }
}
