//! Back-office variants: add one to a product, change its SKU, options, price, weight or place,
//! put it on sale or take it off. Its stock moves through the product page's adjustments.

use rocket::response::{Flash, Redirect};
use rocket::{post, routes, Route};

use crate::catalog::manage;
use crate::catalog::model::Product;
use crate::catalog::variants::{self, VariantError};
use crate::error::{AppError, AppResult};
use crate::ids::{ProductId, VariantId};
use crate::site::admin::products::edit_page;
use crate::site::admin::products::ActiveForm;
use crate::site::admin::products::ProductForm;
use crate::site::admin::products::SubForm;
use crate::site::admin::variant_form::VariantForm;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![add, update, set_active]
}

/// The product page again, the variant's form with what was typed and its errors.
async fn invalid(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    product: Product,
    input: SubForm,
) -> AppResult<Reply> {
    let form = FormView::new(ProductForm::from_product(&product, ctx.lang().code()));
    Ok(Reply::Invalid(
        edit_page(db, ctx, Some(product), form, input).await?,
    ))
}

/// A unique rule broken, as the field's message.
fn taken(
    view: FormView<VariantForm>,
    e: VariantError,
    ctx: &PageCtx<'_>,
) -> AppResult<FormView<VariantForm>> {
    let lang = ctx.lang();
    match e {
        VariantError::SkuTaken => Ok(view.error("sku", lang.t("err-sku_taken"))),
        VariantError::OptionsTaken => Ok(view.error("option1", lang.t("err-options_taken"))),
        VariantError::Stock(crate::catalog::stock::StockError::Db(e)) | VariantError::Db(e) => {
            Err(AppError::Db(e))
        }
        VariantError::Stock(e) => Err(AppError::Internal(format!("a new variant's stock: {e}"))),
    }
}

#[post("/products/<id>/variants", data = "<form>")]
async fn add(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ProductId,
    form: Protected<VariantForm>,
) -> AppResult<Reply> {
    let product = db.run(move |c| manage::find(c, id)).await?;
    let mut form = form.0;
    let (data, stock) = match form.check(&product) {
        Ok(ok) => ok,
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, ctx.lang());
            return invalid(&db, &ctx, product, SubForm::New(view)).await;
        }
    };
    let actor = staff.0.id;
    match db
        .run(move |c| variants::add(c, id, &data, stock, actor))
        .await
    {
        Ok(_) => Ok(Reply::Flash(Flash::success(
            Redirect::to(format!("/admin/products/{id}#variants")),
            ctx.lang().t("admin-saved"),
        ))),
        Err(e) => {
            let view = taken(FormView::new(form), e, &ctx)?;
            invalid(&db, &ctx, product, SubForm::New(view)).await
        }
    }
}

#[post("/variants/<id>", data = "<form>")]
async fn update(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: VariantId,
    form: Protected<VariantForm>,
) -> AppResult<Reply> {
    let vid = id;
    let (variant, product) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let v = variants::find(c, vid)?;
            let p = manage::find(c, v.product_id)?;
            Ok((v, p))
        })
        .await?;
    let mut form = form.0;
    // Stock moves through adjustments, never by editing the number.
    form.stock = variant.stock.to_string();
    let (data, _) = match form.check(&product) {
        Ok(ok) => ok,
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, ctx.lang());
            return invalid(&db, &ctx, product, SubForm::Row(vid, view)).await;
        }
    };
    let actor = staff.0.id;
    match db
        .run(move |c| variants::update(c, vid, &data, actor))
        .await
    {
        Ok(()) => Ok(Reply::Flash(Flash::success(
            Redirect::to(format!("/admin/products/{}#variants", product.id)),
            ctx.lang().t("admin-saved"),
        ))),
        Err(e) => {
            let view = taken(FormView::new(form), e, &ctx)?;
            invalid(&db, &ctx, product, SubForm::Row(vid, view)).await
        }
    }
}

#[post("/variants/<id>/active", data = "<form>")]
async fn set_active(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: VariantId,
    form: Protected<ActiveForm>,
) -> AppResult<Flash<Redirect>> {
    let (active, actor) = (form.active, staff.0.id);
    let product_id = db
        .run(move |c| variants::set_active(c, id, active, actor))
        .await?;
    let key = if active {
        "admin-variant-shown"
    } else {
        "admin-variant-hidden"
    };
    Ok(Flash::success(
        Redirect::to(format!("/admin/products/{product_id}#variants")),
        ctx.lang().t(key),
    ))
}
