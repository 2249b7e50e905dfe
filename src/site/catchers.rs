//! Error pages: 401 sends the visitor to the login page and back; the others render a page
//! in the visitor's language.

use rocket::http::Status;
use rocket::request::{Outcome, Request};
use rocket::response::Redirect;
use rocket::{catch, catchers, uri, Catcher};
use serde::Serialize;

use crate::site::error::Incident;
use crate::site::page::error_kind;
use crate::site::page::render_with;
use crate::site::page::Chrome;
use crate::site::page::Html;
use crate::site::page::PageCtx;

#[derive(Serialize)]
struct ErrorPage {
    code: u16,
    kind: &'static str,
    incident: Option<String>,
    needs_second_factor: bool,
}

async fn error_page(status: Status, req: &Request<'_>) -> Html {
    let incident = req.local_cache(Incident::default).0.clone();
    let page = ErrorPage {
        code: status.code,
        kind: error_kind(status),
        incident,
        needs_second_factor: req
            .local_cache(crate::site::visitor::NeedsSecondFactor::default)
            .0,
    };
    match req.guard::<PageCtx<'_>>().await {
        Outcome::Success(ctx) => ctx.render("errors/page", page),
        _ => render_with(&Chrome::fallback(req), "errors/page", page),
    }
}

#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Redirect {
    let next = req.uri().to_string();
    Redirect::to(uri!(crate::site::account::login::login_page(
        next = Some(next)
    )))
}

/// A sensitive action without a recent password confirmation: confirm, then come back (to
/// the page itself for a GET, to the page the form was on for a POST).
#[catch(428)]
fn confirm_first(req: &Request<'_>) -> Redirect {
    let next = if req.method() == rocket::http::Method::Get {
        req.uri().to_string()
    } else {
        req.headers()
            .get_one("Referer")
            .and_then(|r| rocket::http::uri::Absolute::parse(r).ok())
            .map(|u| u.path().to_string())
            .unwrap_or_else(|| "/admin".to_string())
    };
    Redirect::to(uri!(crate::site::account::two_factor::confirm_page(
        next = Some(crate::site::csrf::safe_next(Some(&next)))
    )))
}

#[catch(default)]
async fn default(status: Status, req: &Request<'_>) -> (Status, Html) {
    (status, error_page(status, req).await)
}

pub fn all() -> Vec<Catcher> {
    catchers![unauthorized, confirm_first, default]
}
