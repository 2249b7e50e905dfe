//! Back-office sales (issue #27): the list (to come, running, over), a form to make one over a
//! department or chosen products, by a percentage or, for one product, a price, from and until
//! a time in the shop's time zone, and "end now" (a sale not started is withdrawn). Audited by
//! the model.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, TimeZone};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, FromForm, Route, State};
use serde::Serialize;

use crate::catalog::sales::{self, NewSale, Reduction, SaleError, SaleSummary};
use crate::config::Shop;
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{CategoryId, SaleId};
use crate::money::Money;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::{Html, PageCtx, Reply};
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![list, create, end]
}

/// A sale as typed: times as `YYYY-MM-DDTHH:MM` in the shop's time zone (an empty start is
/// now), a percentage or a price, a department or products by address or slug.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct SaleForm {
    #[field(default = String::new())]
    pub name: String,
    #[field(default = String::new())]
    pub starts: String,
    #[field(default = String::new())]
    pub ends: String,
    #[field(default = String::new())]
    pub percent: String,
    #[field(default = String::new())]
    pub price: String,
    #[field(default = String::new())]
    pub category_id: String,
    #[field(default = String::new())]
    pub products: String,
}

/// What a checked form asks for: the sale, with its products still to be found.
struct Asked {
    sale: NewSale,
    department: Option<CategoryId>,
    slugs: Vec<String>,
}

impl SaleForm {
    fn check(&self, lang: Lang, zone: chrono_tz::Tz) -> Result<Asked, BTreeMap<String, String>> {
        let mut errors = BTreeMap::new();
        let mut fail = |field: &str, key: &str| {
            errors.insert(field.to_string(), lang.t(key));
        };
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            fail("name", "err-required_100");
        }
        let time = |typed: &str| -> Result<Option<NaiveDateTime>, ()> {
            match typed.trim() {
                "" => Ok(None),
                t => {
                    let local = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
                        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
                        .map_err(|_| ())?;
                    zone.from_local_datetime(&local)
                        .earliest()
                        .map(|at| Some(at.naive_utc()))
                        .ok_or(())
                }
            }
        };
        let starts_at = time(&self.starts).unwrap_or_else(|_| {
            fail("starts", "err-sale-time");
            None
        });
        let ends_at = match time(&self.ends) {
            Ok(Some(at)) => Some(at),
            _ => {
                fail("ends", "err-sale-time");
                None
            }
        };
        let reduction = match (self.percent.trim(), self.price.trim()) {
            (p, "") if !p.is_empty() => match super::percent_basis_points(p) {
                Some(bp) if bp < 10_000 => Some(Reduction::Percent(bp as i32)),
                _ => {
                    fail("percent", "err-sale-percent");
                    None
                }
            },
            ("", p) if !p.is_empty() => match Money::parse_euros(p) {
                Some(m) if m.is_positive() => Some(Reduction::Price(m)),
                _ => {
                    fail("price", "err-price");
                    None
                }
            },
            _ => {
                fail("percent", "err-sale-reduction");
                None
            }
        };
        let department = self.category_id.trim().parse::<CategoryId>().ok();
        let slugs = super::product_slugs(&self.products);
        if department.is_none() && slugs.is_empty() {
            fail("products", "err-sale-products");
        }
        match (reduction, ends_at, errors.is_empty()) {
            (Some(reduction), Some(ends_at), true) => Ok(Asked {
                sale: NewSale {
                    name,
                    starts_at: starts_at.unwrap_or_else(now),
                    ends_at,
                    reduction,
                    products: Vec::new(),
                },
                department,
                slugs,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
struct SalesPage {
    sales: Vec<SaleSummary>,
    departments: Vec<(CategoryId, String)>,
    #[serde(flatten)]
    form: FormView<SaleForm>,
}

async fn page(db: &DbRef, ctx: &PageCtx<'_>, form: FormView<SaleForm>) -> AppResult<Html> {
    let (sales, departments) = db
        .run(|c| -> diesel::QueryResult<_> {
            Ok((
                sales::all(c, now())?,
                crate::discounts::model::departments(c)?,
            ))
        })
        .await?;
    Ok(ctx.render(
        "admin/sales",
        SalesPage {
            sales,
            departments,
            form,
        },
    ))
}

#[get("/sales")]
async fn list(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    page(&db, &ctx, FormView::new(SaleForm::default())).await
}

#[post("/sales", data = "<form>")]
async fn create(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    shop: &State<Arc<Shop>>,
    form: Protected<SaleForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let typed = form.0;
    let zone = shop.settings().zone().map_err(AppError::Internal)?;
    let asked = match typed.check(lang, zone) {
        Ok(asked) => asked,
        Err(errors) => {
            let view = FormView {
                values: typed,
                errors,
            };
            return Ok(Reply::Invalid(page(&db, &ctx, view).await?));
        }
    };
    let actor = staff.0.id;
    let made = db
        .run(move |c| -> Result<Result<SaleId, Vec<String>>, SaleError> {
            let Asked {
                mut sale,
                department,
                slugs,
            } = asked;
            let (mut ids, missing) = crate::discounts::model::products_by_slug(c, &slugs)?;
            if !missing.is_empty() {
                return Ok(Err(missing));
            }
            if let Some(department) = department {
                ids.extend(sales::products_in(c, department)?);
            }
            ids.sort();
            ids.dedup();
            sale.products = ids;
            sales::create(c, &sale, Some(actor), now()).map(Ok)
        })
        .await;
    let (field, message) = match made {
        Ok(Ok(_)) => {
            return Ok(Reply::Flash(Flash::success(
                Redirect::to(uri!("/admin", list)),
                lang.t("admin-sale-created"),
            )))
        }
        Ok(Err(missing)) => (
            "products",
            lang.t_args(
                "err-discount-unknown-products",
                &[("slugs", missing.join(", "))],
            ),
        ),
        Err(SaleError::Dates) => ("ends", lang.t("err-sale-dates")),
        Err(SaleError::NoProduct) => ("products", lang.t("err-sale-products")),
        Err(SaleError::PriceForMany) => ("price", lang.t("err-sale-price-for-many")),
        Err(SaleError::Overlap(name)) => (
            "products",
            lang.t_args("err-sale-overlap", &[("product", name)]),
        ),
        Err(SaleError::VariantPrices(name)) => (
            "products",
            lang.t_args("err-sale-variant-prices", &[("product", name)]),
        ),
        Err(SaleError::NotLower(name)) => (
            if typed.price.trim().is_empty() {
                "percent"
            } else {
                "price"
            },
            lang.t_args("err-sale-not-lower", &[("product", name)]),
        ),
        Err(SaleError::SoldesTooNew(name)) => (
            "products",
            lang.t_args("err-sale-soldes-too-new", &[("product", name)]),
        ),
        Err(SaleError::Soldes(start, end)) => {
            let local = |at: NaiveDateTime| {
                zone.from_utc_datetime(&at)
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            };
            (
                "name",
                lang.t_args(
                    "err-sale-soldes",
                    &[("start", local(start)), ("end", local(end))],
                ),
            )
        }
        Err(e @ (SaleError::NotFound | SaleError::Db(_))) => {
            return Err(AppError::Internal(e.to_string()))
        }
    };
    let view = FormView::new(typed).error(field, message);
    Ok(Reply::Invalid(page(&db, &ctx, view).await?))
}

#[post("/sales/<id>/end", data = "<_form>")]
async fn end(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: SaleId,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = staff.0.id;
    match db.run(move |c| sales::end(c, id, actor, now())).await {
        Ok(()) => Ok(Flash::success(
            Redirect::to(uri!("/admin", list)),
            ctx.lang().t("admin-sale-ended"),
        )),
        Err(SaleError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}
