//! The resource library: links, files, articles and videos people share, rated by readers,
//! kept fresh by their owners, and gathered into ordered learning paths.
//!
//! - [`resources`]: kinds, ratings, and what a valid resource says.
//! - [`freshness`]: when a resource is due for review or outdated, and when to ask its owner.
//! - [`collections`]: learning paths, progress along them, reordering.
//! - [`similar`]: similar questions and resources by meaning (embeddings) and words.
//! - [`duplicates`]: precision@k for the "asked before?" suggestions' benchmark.

pub mod collections;
pub mod duplicates;
pub mod freshness;
pub mod resources;
pub mod similar;

pub use collections::{
    CollectionFields, Progress, check_reorder, may_add, parse_collection, progress,
};
pub use duplicates::precision_at_k;
pub use freshness::{Freshness, freshness, owner_should_review};
pub use resources::{Rating, Resource, ResourceDraft, ResourceKind, may_rate, parse_resource};
