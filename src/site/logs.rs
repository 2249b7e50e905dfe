//! Every request gets an id: the reverse proxy's `X-Request-Id` when one is trusted and well
//! formed, else one made here. It goes back as `X-Request-Id`, on the request's access line and
//! on any incident the request leads to, so one id finds everything about a request.

use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Data, Request, Response};

/// The id of the request being served.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

struct Started {
    id: RequestId,
    at: Instant,
}

impl RequestId {
    /// The id of `req` (made by the fairing; a request it did not see gets "-").
    pub fn of<'r>(req: &'r Request<'_>) -> &'r str {
        req.local_cache(|| Started {
            id: RequestId("-".into()),
            at: Instant::now(),
        })
        .id
        .0
        .as_str()
    }
}

/// An id a proxy may hand us: short, and nothing a log line would have to escape.
fn well_formed(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn new_id() -> String {
    let n: u128 = rand::random();
    format!("{:016x}", (n >> 64) as u64 ^ n as u64)
}

/// Gives each request its id and writes its access line.
pub struct RequestLog {
    /// A reverse proxy is trusted (`trusted_ip_header` set): its ids are kept.
    pub trust_proxy: bool,
}

#[rocket::async_trait]
impl Fairing for RequestLog {
    fn info(&self) -> Info {
        Info {
            name: "Request ids and access log",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        let given = req
            .headers()
            .get_one("X-Request-Id")
            .filter(|id| self.trust_proxy && well_formed(id))
            .map(str::to_string);
        let id = RequestId(given.unwrap_or_else(new_id));
        tracing::debug!(
            target: "access",
            request_id = %id.0,
            method = %req.method(),
            path = %req.uri().path(),
            "started",
        );
        req.local_cache(|| Started {
            id,
            at: Instant::now(),
        });
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let id = RequestId::of(req).to_string();
        let started = req.local_cache(|| Started {
            id: RequestId(id.clone()),
            at: Instant::now(),
        });
        let ms = started.at.elapsed().as_secs_f64() * 1000.0;
        // The path only: queries carry signed links and tokens.
        tracing::info!(
            target: "access",
            request_id = %id,
            method = %req.method(),
            path = %req.uri().path(),
            status = res.status().code,
            ms = (ms * 10.0).round() / 10.0,
        );
        res.set_header(Header::new("X-Request-Id", id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_taken_from_a_proxy() {
        assert!(well_formed("4f1c2a9b-77e0-4c1e"));
        assert!(!well_formed("short"));
        assert!(!well_formed("with space inside it"));
        assert!(!well_formed("line\nbreak-injected"));
        assert!(!well_formed(&"x".repeat(65)));
        assert_eq!(new_id().len(), 16);
        assert_ne!(new_id(), new_id());
    }
}
