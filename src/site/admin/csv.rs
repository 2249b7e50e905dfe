//! CSV: export orders and products; import products with a preview (dry run) that shows every
//! row's errors before anything is written.

use rocket::form::{Form, FromForm};
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header};
use rocket::response::{Flash, Redirect};
use rocket::tokio::io::AsyncReadExt;
use rocket::{get, post, routes, Responder, Route};
use serde::Serialize;

use crate::auth::new_token;
use crate::catalog::csv_io::{self, ImportError, ImportPlan};
use crate::error::{AppError, AppResult};
use crate::orders::model as orders;
use crate::site::csrf::MultipartCsrf;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Fresh;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![
        products_csv,
        orders_csv,
        import_page,
        import_preview,
        import_apply
    ]
}

#[derive(Responder)]
pub struct CsvFile {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

fn csv_file(name: &str, body: String) -> CsvFile {
    CsvFile {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
    }
}

#[get("/products.csv")]
async fn products_csv(db: DbRef, _staff: Staff, _fresh: Fresh) -> AppResult<CsvFile> {
    let body = db.run(csv_io::export).await.map_err(AppError::Internal)?;
    Ok(csv_file("products.csv", body))
}

#[get("/orders.csv")]
async fn orders_csv(db: DbRef, _staff: Staff, _fresh: Fresh) -> AppResult<CsvFile> {
    let body = db
        .run(orders::export_csv)
        .await
        .map_err(AppError::Internal)?;
    Ok(csv_file("orders.csv", body))
}

#[derive(Serialize, Default)]
struct ImportPage {
    plan: Option<ImportPlan>,
    upload: Option<String>,
    error: Option<String>,
}

#[get("/products/import")]
async fn import_page(ctx: PageCtx<'_>, _staff: Staff) -> Html {
    ctx.render("admin/import", ImportPage::default())
}

#[derive(FromForm)]
pub struct ImportUpload<'r> {
    #[field(name = "_csrf", default = String::new())]
    pub csrf: String,
    pub file: Option<TempFile<'r>>,
}

fn valid_upload_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The dry run: reads the file, checks every row, shows what would happen; keeps the file
/// (in the database, where every instance finds it) for the "apply" step.
#[post("/products/import", data = "<form>")]
async fn import_preview(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    csrf: MultipartCsrf<'_>,
    form: Form<ImportUpload<'_>>,
) -> AppResult<Reply> {
    if !csrf.matches(&form.csrf) {
        return Err(AppError::Forbidden);
    }
    let lang = ctx.lang();
    let mut bytes = Vec::new();
    if let Some(file) = form.file.as_ref().filter(|f| f.len() > 0) {
        file.open()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let page = ImportPage {
            error: Some(lang.t("admin-import-not-utf8")),
            ..Default::default()
        };
        return Ok(Reply::Invalid(ctx.render("admin/import", page)));
    };
    let input = text.clone();
    let plan = db.run(move |c| csv_io::plan(c, &input)).await?;
    let plan = match plan {
        Ok(p) if !p.rows.is_empty() => p,
        Ok(_) => {
            let page = ImportPage {
                error: Some(lang.t("admin-import-empty")),
                ..Default::default()
            };
            return Ok(Reply::Invalid(ctx.render("admin/import", page)));
        }
        Err(e) => {
            let page = ImportPage {
                error: Some(e),
                ..Default::default()
            };
            return Ok(Reply::Invalid(ctx.render("admin/import", page)));
        }
    };
    let upload = if plan.errors == 0 {
        let id: String = new_token()
            .0
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(32)
            .collect();
        let (token, actor) = (id.clone(), staff.0.id);
        db.run(move |c| csv_io::keep_pending(c, &token, &text, actor))
            .await?;
        Some(id)
    } else {
        None
    };
    let invalid = plan.errors > 0;
    let page = ctx.render(
        "admin/import",
        ImportPage {
            plan: Some(plan),
            upload,
            error: None,
        },
    );
    Ok(if invalid {
        Reply::Invalid(page)
    } else {
        Reply::Page(page)
    })
}

#[derive(Debug, FromForm)]
pub struct ApplyForm {
    #[field(default = String::new())]
    pub upload: String,
}

#[post("/products/import/apply", data = "<form>")]
async fn import_apply(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    form: Protected<ApplyForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let back = Redirect::to("/admin/products/import");
    if !valid_upload_id(&form.upload) {
        return Ok(Flash::error(back, lang.t("admin-import-expired")));
    }
    let token = form.upload.clone();
    let Some(text) = db.run(move |c| csv_io::take_pending(c, &token)).await? else {
        return Ok(Flash::error(back, lang.t("admin-import-expired")));
    };
    let actor = staff.0.id;
    let result = db.run(move |c| csv_io::apply(c, &text, actor)).await;
    match result {
        Ok(plan) => Ok(Flash::success(
            Redirect::to("/admin/products"),
            lang.t_args(
                "admin-import-done",
                &[
                    ("creates", plan.creates.to_string()),
                    ("updates", plan.updates.to_string()),
                ],
            ),
        )),
        Err(ImportError::Invalid) | Err(ImportError::Unreadable(_)) => {
            Ok(Flash::error(back, lang.t("admin-import-changed")))
        }
        Err(ImportError::Save(crate::catalog::manage::SaveError::Db(e))) => Err(e.into()),
        Err(ImportError::Variant(crate::catalog::variants::VariantError::Db(e))) => Err(e.into()),
        Err(ImportError::Save(_)) | Err(ImportError::Stock(_)) | Err(ImportError::Variant(_)) => {
            Ok(Flash::error(back, lang.t("admin-import-changed")))
        }
    }
}
