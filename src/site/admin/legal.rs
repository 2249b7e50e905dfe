//! The legal pages in the back-office, for admins only: each page's text in French and
//! English, and its versions. Saving publishes a new version (the old ones stay readable);
//! saving the same text again publishes nothing.

use rocket::response::{Flash, Redirect};
use std::sync::Arc;

use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::error::{AppError, AppResult};
use crate::legal::model::{self, Draft, LegalVersion, PublishError, VersionSummary};
use crate::legal::Page;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Admin;

pub fn routes() -> Vec<Route> {
    routes![list, edit, publish]
}

#[derive(Serialize)]
struct Row {
    page: Page,
    segment: &'static str,
    current: Option<LegalVersion>,
}

#[derive(Serialize)]
struct ListPage {
    pages: Vec<Row>,
}

#[get("/legal")]
async fn list(db: DbRef, ctx: PageCtx<'_>, _admin: Admin) -> AppResult<Html> {
    let pages = db
        .run(|c| -> diesel::QueryResult<Vec<Row>> {
            Page::ALL
                .into_iter()
                .map(|page| {
                    Ok(Row {
                        page,
                        segment: page.path().trim_start_matches('/'),
                        current: model::current(c, page)?,
                    })
                })
                .collect()
        })
        .await?;
    Ok(ctx.render("admin/legal/list", ListPage { pages }))
}

#[derive(Debug, Clone, FromForm, Serialize, Default)]
pub struct LegalForm {
    #[field(default = String::new())]
    title_fr: String,
    #[field(default = String::new())]
    body_fr: String,
    #[field(default = String::new())]
    title_en: String,
    #[field(default = String::new())]
    body_en: String,
}

impl LegalForm {
    fn draft(&self) -> Draft {
        Draft {
            title_fr: self.title_fr.trim().to_string(),
            body_fr: self.body_fr.replace("\r\n", "\n"),
            title_en: self.title_en.trim().to_string(),
            body_en: self.body_en.replace("\r\n", "\n"),
        }
    }

    /// The key of what is wrong, if anything.
    fn problem(&self) -> Option<&'static str> {
        let d = self.draft();
        let titles = [&d.title_fr, &d.title_en];
        let bodies = [&d.body_fr, &d.body_en];
        if titles
            .iter()
            .any(|t| t.is_empty() || t.chars().count() > 200)
        {
            return Some("legal-title-required");
        }
        if bodies.iter().any(|b| b.trim().is_empty()) {
            return Some("legal-body-required");
        }
        if bodies.iter().any(|b| b.chars().count() > 60_000) {
            return Some("legal-body-too-long");
        }
        None
    }
}

#[derive(Serialize)]
struct EditPage {
    page: Page,
    segment: &'static str,
    path: &'static str,
    form: Draft,
    error: Option<String>,
    history: Vec<VersionSummary>,
    /// The facts a text may name as `{{token}}`, filled in from the settings.
    tokens: String,
}

async fn edit_page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    page: Page,
    typed: Option<(Draft, String)>,
) -> AppResult<Html> {
    let (current, history) = db
        .run(move |c| -> diesel::QueryResult<_> {
            Ok((model::current(c, page)?, model::history(c, page)?))
        })
        .await?;
    let (form, error) = match typed {
        Some((draft, error)) => (draft, Some(error)),
        None => (
            current
                .map(|v| Draft {
                    title_fr: v.title_fr,
                    body_fr: v.body_fr,
                    title_en: v.title_en,
                    body_en: v.body_en,
                })
                .unwrap_or_default(),
            None,
        ),
    };
    Ok(ctx.render(
        "admin/legal/edit",
        EditPage {
            page,
            segment: page.path().trim_start_matches('/'),
            path: page.path(),
            tokens: crate::legal::facts::TOKENS
                .iter()
                .map(|t| format!("{{{{{t}}}}}"))
                .collect::<Vec<_>>()
                .join(" "),
            form,
            error,
            history,
        },
    ))
}

#[get("/legal/<page>")]
async fn edit(db: DbRef, ctx: PageCtx<'_>, _admin: Admin, page: Page) -> AppResult<Html> {
    edit_page(&db, &ctx, page, None).await
}

#[post("/legal/<page>", data = "<form>")]
async fn publish(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    page: Page,
    shop: &State<Arc<Shop>>,
    form: Protected<LegalForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let draft = form.draft();
    if let Some(key) = form.problem() {
        let html = edit_page(&db, &ctx, page, Some((draft, lang.t(key)))).await?;
        return Ok(Reply::Invalid(html));
    }
    let (actor, to_publish, shop) = (admin.0.id, draft.clone(), Arc::clone(shop));
    let published = db
        .run(move |c| {
            c.write_tx(|c| -> Result<Option<LegalVersion>, PublishError> {
                let unchanged = model::current(c, page)?.is_some_and(|v| {
                    v.title_fr == to_publish.title_fr
                        && v.body_fr == to_publish.body_fr
                        && v.title_en == to_publish.title_en
                        && v.body_en == to_publish.body_en
                });
                if unchanged {
                    return Ok(None);
                }
                model::publish(c, &shop.settings(), page, &to_publish, Some(actor)).map(Some)
            })
        })
        .await;
    let back = Redirect::to(format!(
        "/admin/legal/{}",
        page.path().trim_start_matches('/')
    ));
    match published {
        Ok(Some(v)) => Ok(Reply::Flash(Flash::success(
            back,
            lang.t_args("legal-published", &[("label", v.label)]),
        ))),
        Ok(None) => Ok(Reply::Flash(Flash::warning(
            back,
            lang.t("legal-unchanged"),
        ))),
        Err(PublishError::Conflict) => {
            let html = edit_page(&db, &ctx, page, Some((draft, lang.t("legal-conflict")))).await?;
            Ok(Reply::Invalid(html))
        }
        Err(PublishError::Db(e)) => Err(AppError::Db(e)),
    }
}
