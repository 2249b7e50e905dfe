//! Back-office discount codes: the list with their usage, a form to create one, pause and
//! resume. Every change is audited.

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, FromForm, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::discounts::model::{self, CreateError, Listed};
use crate::error::{AppError, AppResult};
use crate::ids::{CategoryId, CodeId};
use crate::site::admin::discount_form::CodeForm;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![list, create, set_active]
}

#[derive(Serialize)]
struct DiscountPage {
    codes: Vec<Listed>,
    departments: Vec<(CategoryId, String)>,
    #[serde(flatten)]
    form: FormView<CodeForm>,
}

async fn page(db: &DbRef, ctx: &PageCtx<'_>, form: FormView<CodeForm>) -> AppResult<Html> {
    let (codes, departments) = db
        .run(|c| -> diesel::QueryResult<_> { Ok((model::list(c)?, model::departments(c)?)) })
        .await?;
    Ok(ctx.render(
        "admin/discounts",
        DiscountPage {
            codes,
            departments,
            form,
        },
    ))
}

#[get("/discounts")]
async fn list(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    let form = CodeForm {
        kind: "percent".into(),
        scope: "basket".into(),
        ..CodeForm::default()
    };
    page(&db, &ctx, FormView::new(form)).await
}

#[post("/discounts", data = "<form>")]
async fn create(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    shop: &State<Arc<Shop>>,
    form: Protected<CodeForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let typed = form.0;
    let zone = shop.settings().zone().map_err(AppError::Internal)?;
    let mut checked = match typed.check(lang, zone) {
        Ok(checked) => checked,
        Err(errors) => {
            let view = FormView {
                values: typed,
                errors,
            };
            return Ok(Reply::Invalid(page(&db, &ctx, view).await?));
        }
    };
    let slugs = std::mem::take(&mut checked.product_slugs);
    let mut new = checked.code;
    let actor = staff.0.id;
    let created = db
        .run(
            move |c| -> Result<Result<CodeId, Vec<String>>, CreateError> {
                let (ids, missing) = model::products_by_slug(c, &slugs)?;
                if !missing.is_empty() {
                    return Ok(Err(missing));
                }
                new.products = ids;
                model::create(c, &new, actor).map(Ok)
            },
        )
        .await;
    let (field, message) = match created {
        Ok(Ok(_)) => {
            return Ok(Reply::Flash(Flash::success(
                Redirect::to(uri!("/admin", list)),
                lang.t("admin-discount-created"),
            )))
        }
        Ok(Err(missing)) => (
            "products",
            lang.t_args(
                "err-discount-unknown-products",
                &[("slugs", missing.join(", "))],
            ),
        ),
        Err(CreateError::Taken) => ("code", lang.t("err-discount-taken")),
        Err(CreateError::Db(e)) => return Err(e.into()),
    };
    let view = FormView::new(typed).error(field, message);
    Ok(Reply::Invalid(page(&db, &ctx, view).await?))
}

#[derive(Debug, FromForm)]
pub struct ActiveForm {
    pub active: bool,
}

#[post("/discounts/<id>/active", data = "<form>")]
async fn set_active(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: CodeId,
    form: Protected<ActiveForm>,
) -> AppResult<Flash<Redirect>> {
    let (active, actor) = (form.0.active, staff.0.id);
    let found = db
        .run(move |c| model::set_active(c, id, active, actor))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    let key = if active {
        "admin-discount-resumed"
    } else {
        "admin-discount-paused"
    };
    Ok(Flash::success(
        Redirect::to(uri!("/admin", list)),
        ctx.lang().t(key),
    ))
}
