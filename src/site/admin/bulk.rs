//! Back-office bulk edits: a preview of the change on the selected products, then apply.

use rocket::response::{Flash, Redirect};
use rocket::{post, routes, FromForm, Route};
use serde::Serialize;

use crate::catalog::bulk::{self, BulkError, Change};
use crate::error::AppResult;
use crate::ids::ProductId;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![bulk_preview, bulk_apply]
}

#[derive(Debug, FromForm)]
pub struct BulkForm {
    pub ids: Vec<ProductId>,
    #[field(default = String::new())]
    pub field: String,
    #[field(default = String::new())]
    pub value: String,
}

#[derive(Serialize)]
struct BulkPage {
    rows: Vec<bulk::BulkRow>,
    field: String,
    value: String,
}

fn bulk_refused(lang: crate::i18n::Lang, e: BulkError) -> AppResult<Reply> {
    let key = match e {
        BulkError::Selection => "admin-bulk-selection",
        BulkError::UnknownCategory => "err-choice",
        BulkError::Db(e) => return Err(e.into()),
    };
    Ok(Reply::Flash(Flash::error(
        Redirect::to("/admin/products"),
        lang.t(key),
    )))
}

/// The preview: what the change does to each selected product, before anything is written.
#[post("/products/bulk", data = "<form>")]
async fn bulk_preview(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    form: Protected<BulkForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let Some(change) = Change::parse(&form.field, &form.value) else {
        return Ok(Reply::Flash(Flash::error(
            Redirect::to("/admin/products"),
            lang.t("admin-bulk-bad-value"),
        )));
    };
    let ids = form.ids.clone();
    match db.run(move |c| bulk::preview(c, &ids, &change)).await {
        Ok(rows) => Ok(Reply::Page(ctx.render(
            "admin/products/bulk",
            BulkPage {
                rows,
                field: form.field.clone(),
                value: form.value.clone(),
            },
        ))),
        Err(e) => bulk_refused(lang, e),
    }
}

#[post("/products/bulk/apply", data = "<form>")]
async fn bulk_apply(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    form: Protected<BulkForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let Some(change) = Change::parse(&form.field, &form.value) else {
        return Ok(Reply::Flash(Flash::error(
            Redirect::to("/admin/products"),
            lang.t("admin-bulk-bad-value"),
        )));
    };
    let (ids, actor) = (form.ids.clone(), staff.0.id);
    match db.run(move |c| bulk::apply(c, &ids, &change, actor)).await {
        Ok(n) => Ok(Reply::Flash(Flash::success(
            Redirect::to("/admin/products"),
            lang.t_args("admin-bulk-done", &[("count", n.to_string())]),
        ))),
        Err(e) => bulk_refused(lang, e),
    }
}
