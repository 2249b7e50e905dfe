//! One error type for the shop: what went wrong, never how it is shown (the web wing gives
//! each a status and a page: `site::error`).

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("too many requests at once")]
    Busy,
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("mail error: {0}")]
    Mail(String),
    #[error("internal error: {0}")]
    Internal(String),
}
