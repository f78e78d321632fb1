//! The knowledge library: resources (the side table of `resource` threads) and their ratings
//! (`resources`), learning paths with each member's progress (`collections`), and the sentence
//! embeddings behind "similar questions and resources" (`embeddings`).

pub mod collections;
pub mod embeddings;
pub mod resources;

/// Whether the viewer (`$VIEWER`, replaced by the caller's placeholder) may read threads of the
/// space aliased `s`: open spaces, and spaces they are an active member of. The same rule as
/// search's `VISIBLE` clause and `SpaceView::can_read`.
pub(crate) fn readable(viewer_placeholder: &str) -> String {
    format!(
        "(s.visibility = 'open' OR EXISTS (SELECT 1 FROM space_members m \
         WHERE m.space_id = s.id AND m.user_id = {viewer_placeholder} AND m.status = 'active'))"
    )
}
