//! Back-office product facts (issue #27): a product's manufacturer, identifiers, warnings and
//! food information, a form of its own on the product's page; and the manufacturers and
//! responsible persons, entered once and chosen on many products (`catalog::facts`).

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route};
use serde::Serialize;

use crate::catalog::facts::{
    self, Manufacturer, ManufacturerData, ManufacturerError, EU_COUNTRIES,
};
use crate::catalog::manage;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{ManufacturerId, ProductId};
use crate::site::admin::facts_form::FactsForm;
use crate::site::admin::products::{edit_page, ProductForm, SubForm};
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::{Html, PageCtx, Reply};
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![save_facts, list, create, edit, update]
}

/// Field errors as a form shows them: through the validator's errors, so that the one rule of
/// `FormView::with_errors` (each field's first message, `err-<code>`) serves these forms too.
fn shown<T: Serialize>(values: T, errors: facts::FieldErrors, lang: Lang) -> FormView<T> {
    let mut wrong = validator::ValidationErrors::new();
    for (field, code) in errors {
        wrong.add(field, validator::ValidationError::new(code));
    }
    FormView::with_errors(values, &wrong, lang)
}

#[post("/products/<id>/facts", data = "<form>")]
async fn save_facts(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ProductId,
    form: Protected<FactsForm>,
) -> AppResult<Reply> {
    let typed = form.0;
    let (product, makers) = db
        .run(move |c| -> diesel::QueryResult<_> {
            Ok((manage::find(c, id)?, facts::manufacturers(c)?))
        })
        .await?;
    let manufacturer = match typed.manufacturer_id.trim() {
        "" => Ok(None),
        s => s
            .parse::<ManufacturerId>()
            .ok()
            .filter(|m| makers.iter().any(|k| k.id == *m))
            .map(Some)
            .ok_or(vec![("manufacturer_id", "choice")]),
    };
    let checked = manufacturer.and_then(|m| typed.input().check(m));
    let data = match checked {
        Ok(data) => data,
        Err(errors) => {
            let view = shown(typed, errors, ctx.lang());
            let form = FormView::new(ProductForm::from_product(&product, ctx.lang().code()));
            return Ok(Reply::Invalid(
                edit_page(
                    &db,
                    &ctx,
                    Some(product),
                    form,
                    SubForm::Facts(Box::new(view)),
                )
                .await?,
            ));
        }
    };
    let actor = staff.0.id;
    db.run(move |c| c.write_tx(|c| facts::save_in(c, id, &data, Some(actor))))
        .await?;
    Ok(Reply::Flash(Flash::success(
        Redirect::to(format!("/admin/products/{id}#facts")),
        ctx.lang().t("admin-saved"),
    )))
}

/// A manufacturer as typed.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct ManufacturerForm {
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub address: String,
    #[field(default = String::from("FR"))]
    pub country: String,
    #[field(default = String::new())]
    pub email: String,
    #[field(default = String::new())]
    pub contact_url: String,
    #[field(default = String::new())]
    pub responsible_id: String,
}

impl ManufacturerForm {
    fn of(m: &Manufacturer) -> ManufacturerForm {
        ManufacturerForm {
            name: m.name.clone(),
            address: m.address.clone(),
            country: m.country.clone(),
            email: m.email.clone(),
            contact_url: m.contact_url.clone(),
            responsible_id: m.responsible_id.map(|r| r.to_string()).unwrap_or_default(),
        }
    }

    fn data(&self) -> ManufacturerData {
        ManufacturerData {
            name: self.name.clone(),
            address: self.address.clone(),
            country: self.country.clone(),
            email: self.email.clone(),
            contact_url: self.contact_url.clone(),
            responsible_id: self.responsible_id.trim().parse().ok(),
        }
    }
}

#[derive(Serialize)]
struct ManufacturersPage {
    manufacturers: Vec<(Manufacturer, i64)>,
    /// The one being changed, if any.
    editing: Option<ManufacturerId>,
    form: FormView<ManufacturerForm>,
    /// Countries offered: the Union's, then others (`catalog::facts::EU_COUNTRIES`).
    eu_countries: &'static [&'static str],
    other_countries: &'static [&'static str],
}

/// Countries outside the Union the form offers besides the Union's: those a small shop's
/// suppliers are most often in (the CSV import and the model take any ISO code).
const OTHER_COUNTRIES: [&str; 13] = [
    "CH", "GB", "NO", "US", "CN", "JP", "KR", "TW", "IN", "VN", "TR", "MA", "TN",
];

async fn manufacturers_page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    editing: Option<ManufacturerId>,
    form: FormView<ManufacturerForm>,
) -> AppResult<Html> {
    let (all, counts) = db
        .run(|c| -> diesel::QueryResult<_> {
            Ok((facts::manufacturers(c)?, facts::product_counts(c)?))
        })
        .await?;
    let manufacturers = all
        .into_iter()
        .map(|m| {
            let n = counts.get(&m.id).copied().unwrap_or(0);
            (m, n)
        })
        .collect();
    Ok(ctx.render(
        "admin/manufacturers",
        ManufacturersPage {
            manufacturers,
            editing,
            form,
            eu_countries: &EU_COUNTRIES,
            other_countries: &OTHER_COUNTRIES,
        },
    ))
}

#[get("/manufacturers")]
async fn list(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    manufacturers_page(&db, &ctx, None, FormView::new(ManufacturerForm::default())).await
}

#[get("/manufacturers/<id>")]
async fn edit(db: DbRef, ctx: PageCtx<'_>, _staff: Staff, id: ManufacturerId) -> AppResult<Html> {
    let all = db.run(facts::manufacturers).await?;
    let found = all.iter().find(|m| m.id == id).ok_or(AppError::NotFound)?;
    let form = FormView::new(ManufacturerForm::of(found));
    manufacturers_page(&db, &ctx, Some(id), form).await
}

async fn save(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: Option<ManufacturerId>,
    typed: ManufacturerForm,
) -> AppResult<Reply> {
    let data = typed.data();
    let actor = staff.0.id;
    match db
        .run(move |c| facts::save_manufacturer(c, id, data, Some(actor)))
        .await
    {
        Ok(_) => Ok(Reply::Flash(Flash::success(
            Redirect::to("/admin/manufacturers"),
            ctx.lang().t("admin-saved"),
        ))),
        Err(ManufacturerError::Invalid(errors)) => {
            let view = shown(typed, errors, ctx.lang());
            Ok(Reply::Invalid(
                manufacturers_page(&db, &ctx, id, view).await?,
            ))
        }
        Err(ManufacturerError::NotFound) => Err(AppError::NotFound),
        Err(ManufacturerError::Db(e)) => Err(AppError::Db(e)),
    }
}

#[post("/manufacturers", data = "<form>")]
async fn create(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    form: Protected<ManufacturerForm>,
) -> AppResult<Reply> {
    save(db, ctx, staff, None, form.0).await
}

#[post("/manufacturers/<id>", data = "<form>")]
async fn update(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ManufacturerId,
    form: Protected<ManufacturerForm>,
) -> AppResult<Reply> {
    save(db, ctx, staff, Some(id), form.0).await
}
