//! The legal pages on the storefront, each at its own address (`/cgv`, `/mentions-legales`,
//! …): the version in force, or an earlier one by its label (`/cgv?version=2026-11`, the link
//! an order, its email and its invoice carry).

use chrono::NaiveDateTime;
use rocket::{get, routes, Route};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::legal::{model, Page};
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;

pub fn routes() -> Vec<Route> {
    routes![show]
}

#[derive(Serialize)]
struct LegalPage {
    page: Page,
    path: &'static str,
    title: String,
    html: String,
    label: String,
    created_at: NaiveDateTime,
    is_current: bool,
}

/// Below every fixed path of the storefront; any other single segment is the shop's 404.
#[get("/<page>?<version>", rank = 30)]
async fn show(db: DbRef, ctx: PageCtx<'_>, page: &str, version: Option<String>) -> AppResult<Html> {
    let page = Page::from_path_segment(page).ok_or(AppError::NotFound)?;
    let wanted: Option<String> = version.map(|v| v.chars().take(40).collect());
    let (shown, current) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let current = model::current(c, page)?;
            let shown = match &wanted {
                Some(label) => model::by_label(c, page, label)?,
                None => current.clone(),
            };
            Ok((shown, current.map(|v| v.id)))
        })
        .await?;
    let shown = shown.ok_or(AppError::NotFound)?;
    let lang = ctx.lang().code();
    Ok(ctx.render(
        "legal/page",
        LegalPage {
            page,
            path: page.path(),
            title: shown.title(lang).to_string(),
            html: shown.html(lang).to_string(),
            is_current: current == Some(shown.id),
            label: shown.label,
            created_at: shown.created_at,
        },
    ))
}

/// A legal page's address segment (`cgv`, `mentions-legales`, …).
impl<'a> rocket::request::FromParam<'a> for Page {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        Page::from_path_segment(param).ok_or(param)
    }
}
