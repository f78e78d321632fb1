use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique key already holds this value: a domain-level clash, never a 500.
    #[error("a record with this key already exists")]
    Conflict,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("the database is closing")]
    Closed,
    #[error("stored value is malformed: {0}")]
    Malformed(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Conflict,
            _ => StoreError::Database(error),
        }
    }
}
