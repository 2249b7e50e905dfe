//! How an [`AppError`] answers a request: a status, which the catchers render as a page.
//! Internal errors are logged with an incident id shown to the user.

use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

use crate::error::AppError;

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            AppError::NotFound | AppError::Db(diesel::result::Error::NotFound) => Status::NotFound,
            AppError::Forbidden => Status::Forbidden,
            AppError::Busy => Status::ServiceUnavailable,
            AppError::Db(e) if crate::db::is_unavailable(e) => Status::ServiceUnavailable,
            AppError::Db(_) | AppError::Mail(_) | AppError::Internal(_) => {
                Status::InternalServerError
            }
        }
    }
}

/// The id under which a 500 was logged, read back by the 500 catcher.
#[derive(Debug, Clone, Default)]
pub struct Incident(pub Option<String>);

pub fn new_incident_id() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{n:016x}")
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = self.status();
        if status == Status::InternalServerError {
            let id = new_incident_id();
            tracing::error!(
                incident = %id,
                request_id = %crate::site::logs::RequestId::of(req),
                method = %req.method(),
                path = %req.uri().path(),
                "incident {id}: {self}"
            );
            req.local_cache(|| Incident(Some(id)));
        }
        Err(status)
    }
}
