//! Security headers Rocket's Shield lacks: a Content-Security-Policy that allows only the
//! shop's own resources (no inline script at all), and a Permissions-Policy.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";

pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, _req: &'r Request<'_>, res: &mut Response<'r>) {
        // A page that needs more (the payment page) sets its own.
        if !res.headers().contains("Content-Security-Policy") {
            res.set_header(Header::new("Content-Security-Policy", CSP));
        }
        res.set_header(Header::new(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()",
        ));
    }
}

/// Removes NUL characters (`%00`) from query strings before routing, for the same reason
/// forms drop them: nothing can use one, and PostgreSQL refuses them in text.
pub struct StripNul;

#[rocket::async_trait]
impl Fairing for StripNul {
    fn info(&self) -> Info {
        Info {
            name: "Strip NUL from queries",
            kind: Kind::Request,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _data: &mut rocket::Data<'_>) {
        let Some(query) = req.uri().query() else {
            return;
        };
        let raw = query.as_str();
        if !raw.contains("%00") {
            return;
        }
        let cleaned = raw.replace("%00", "");
        let uri = format!("{}?{}", req.uri().path(), cleaned);
        if let Ok(origin) = rocket::http::uri::Origin::parse_owned(uri) {
            req.set_uri(origin);
        }
    }
}
