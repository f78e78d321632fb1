//! Catches, in debug builds, a query on the pool while the same task holds a transaction open.
//!
//! On PostgreSQL such a query waits for a second connection while the transaction may hold row
//! locks: once writers outnumber the pool's connections, every connection belongs to a writer
//! waiting on a lock whose holder waits for a connection, and nothing moves until the acquire
//! timeout. On SQLite a second `begin` in the same task waits forever on the write gate. The
//! static check (`shared/tools/tx-pool-reads.py`) sees only `self.db()` written inside the
//! transaction's block; this sees every path the tests run, however deep the call.
//!
//! Release builds compile it away: the bookkeeping is a global lock per query.

#[cfg(debug_assertions)]
mod tracking {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    use tokio::task::Id;

    /// Open transactions per task. Tasks, not threads: a task moves between worker threads.
    static OPEN: LazyLock<Mutex<HashMap<Id, usize>>> = LazyLock::new(Mutex::default);

    fn with_open<T>(f: impl FnOnce(&mut HashMap<Id, usize>) -> T) -> T {
        f(&mut OPEN.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Held by a [`Tx`](crate::Tx) for as long as it is open; forgets it when dropped, whichever
    /// task drops it.
    #[derive(Debug)]
    pub struct OpenTx(Option<Id>);

    impl OpenTx {
        pub fn new() -> OpenTx {
            let task = tokio::task::try_id();
            if let Some(task) = task {
                with_open(|open| *open.entry(task).or_default() += 1);
            }
            OpenTx(task)
        }
    }

    impl Drop for OpenTx {
        fn drop(&mut self) {
            let Some(task) = self.0 else { return };
            with_open(|open| {
                if let Some(count) = open.get_mut(&task) {
                    *count -= 1;
                    if *count == 0 {
                        open.remove(&task);
                    }
                }
            });
        }
    }

    /// Panics when the current task holds a transaction: the caller must read through it, or
    /// before beginning it.
    #[track_caller]
    pub fn assert_no_open_tx() {
        let Some(task) = tokio::task::try_id() else {
            return;
        };
        if with_open(|open| open.contains_key(&task)) {
            let place = std::panic::Location::caller();
            tracing::error!(%place, "pool used while this task holds a transaction");
            panic!(
                "pool used at {place} while this task holds a transaction open: read through \
                 the transaction, or before it begins"
            );
        }
    }
}

#[cfg(not(debug_assertions))]
mod tracking {
    #[derive(Debug)]
    pub struct OpenTx;

    impl OpenTx {
        pub fn new() -> OpenTx {
            OpenTx
        }
    }

    #[inline(always)]
    pub fn assert_no_open_tx() {}
}

pub use tracking::{OpenTx, assert_no_open_tx};
