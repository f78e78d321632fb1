//! The knowledge library: resources (threads of kind `resource` with a side table), their
//! ratings and freshness, collections as learning paths with progress, and "similar questions
//! and resources" by meaning.

mod collections;
mod ratings;
mod resources;
mod similar;

pub use collections::{CollectionItem, CollectionPage, CollectionSummary};
pub use resources::{LibraryItem, LibraryPage, LibraryQuery, ResourceInput, ResourceView};
pub use similar::SimilarThread;

pub(crate) use resources::{opening_edited, record_link_resource};
pub(crate) use similar::{EFFECTS, enqueue_embedding};
