//! Back-office products: list with search, filters, sort and pagination; create and edit;
//! show or hide; stock adjustments with their history; the low-stock list.

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route};
use serde::Serialize;
use validator::{Validate, ValidationError, ValidationErrors};

use crate::catalog::images::{self, ProductImage};
use crate::catalog::manage::{self, ProductData, ProductFilter, ProductSort, SaveError};
use crate::catalog::model::{self, Category, Product};
use crate::catalog::stock::{self, MovementView, StockError};
use crate::catalog::variants::{self, Variant};
use crate::error::{AppError, AppResult};
use crate::ids::{CategoryId, ProductId, VariantId};
use crate::money::{Money, VatRate};
use crate::site::admin::pager_base;
use crate::site::admin::variant_form::VariantForm;
use crate::site::csrf::Protected;
use crate::site::db::Db;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::page_number;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::page::Reply;
use crate::site::visitor::Staff;
use crate::text::slugify;

const PER_PAGE: i64 = 50;
/// The default threshold of the low-stock list.
pub const LOW_STOCK_DEFAULT: i32 = 5;

pub fn routes() -> Vec<Route> {
    routes![
        list,
        new,
        create,
        edit,
        update,
        set_active,
        adjust_stock,
        low_stock
    ]
}

/// The list's filters, as the query gives them and the form shows them again.
#[derive(Debug, Default, FromForm, Serialize)]
struct ListFilters {
    #[field(default = String::new())]
    q: String,
    category: Option<CategoryId>,
    #[field(default = String::new())]
    active: String,
    low: Option<i32>,
    #[field(default = String::new())]
    sort: String,
}

#[derive(Serialize)]
struct ProductList {
    filters: ListFilters,
    categories: Vec<Category>,
    products: Paged<Product>,
    pager_base: String,
}

#[get("/products?<page>&<filters..>")]
async fn list(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    mut filters: ListFilters,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    filters.q = filters.q.chars().take(100).collect();
    let filter = ProductFilter {
        text: Some(filters.q.clone()),
        category_id: filters.category,
        active: match filters.active.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        low_stock: filters.low.map(|l| l.clamp(0, 1_000_000)),
        sort: ProductSort::parse(&filters.sort),
    };
    let (categories, (items, total)) = db
        .run(move |c| -> diesel::QueryResult<_> {
            Ok((
                model::categories(c)?,
                manage::list(c, &filter, page, PER_PAGE)?,
            ))
        })
        .await?;
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let base = pager_base(&[
        ("q", Some(filters.q.clone())),
        ("category", filters.category.map(|c| c.to_string())),
        ("active", some(&filters.active)),
        ("low", filters.low.map(|l| l.to_string())),
        ("sort", some(&filters.sort)),
    ]);
    Ok(ctx.render(
        "admin/products/list",
        ProductList {
            filters,
            categories,
            products: Paged::new(items, page, PER_PAGE, total),
            pager_base: base,
        },
    ))
}

#[get("/stock/low?<threshold>")]
async fn low_stock(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    threshold: Option<i32>,
) -> AppResult<Html> {
    let threshold = threshold.unwrap_or(LOW_STOCK_DEFAULT).clamp(0, 1_000_000);
    let rows = db.run(move |c| stock::low(c, threshold, 500)).await?;
    #[derive(Serialize)]
    struct Low {
        threshold: i32,
        rows: Vec<LowView>,
    }
    #[derive(Serialize)]
    struct LowView {
        #[serde(flatten)]
        row: stock::LowRow,
        label: String,
    }
    let rows = rows
        .into_iter()
        .map(|row| LowView {
            label: variants::label_of(&row.option1, &row.option2),
            row,
        })
        .collect();
    Ok(ctx.render("admin/products/low", Low { threshold, rows }))
}

#[derive(Debug, Clone, FromForm, Validate, Serialize, Default)]
pub struct ProductForm {
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 200, code = "required_200"))]
    pub name: String,
    #[field(default = String::new())]
    pub slug: String,
    #[field(default = String::new())]
    #[validate(length(max = 5000, code = "too_long"))]
    pub description: String,
    /// In English (optional: English visitors read the French where it is empty).
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub name_en: String,
    #[field(default = String::new())]
    #[validate(length(max = 5000, code = "too_long"))]
    pub description_en: String,
    #[field(default = String::new())]
    pub price: String,
    #[field(default = String::from("2000"))]
    pub vat_rate: String,
    #[field(default = String::new())]
    pub category_id: String,
    #[field(default = String::from("0"))]
    pub stock: String,
    #[field(default = false)]
    pub active: bool,
    #[field(default = false)]
    pub featured: bool,
    /// An alcoholic beverage (health mention, buyer's age at checkout).
    #[field(default = false)]
    pub alcoholic: bool,
    /// The names of its options ("Taille", "Couleur"); empty: none.
    #[field(default = String::new())]
    #[validate(length(max = 40, code = "max_40"))]
    pub option1_name: String,
    #[field(default = String::new())]
    #[validate(length(max = 40, code = "max_40"))]
    pub option2_name: String,
    /// Their names in English ("Size"); empty: English visitors read the French.
    #[field(default = String::new())]
    #[validate(length(max = 40, code = "max_40"))]
    pub option1_name_en: String,
    #[field(default = String::new())]
    #[validate(length(max = 40, code = "max_40"))]
    pub option2_name_en: String,
    /// Its net quantity as typed ("1,5") and its unit (`catalog::quantity::TYPED_UNITS`).
    #[field(default = String::new())]
    pub net_quantity: String,
    #[field(default = String::new())]
    pub net_unit: String,
    /// Its brand and GTIN (barcode number), optional.
    #[field(default = String::new())]
    #[validate(length(max = 100, code = "max_100"))]
    pub brand: String,
    #[field(default = String::new())]
    pub gtin: String,
    /// Grams, for shipping by weight.
    #[field(default = String::from("0"))]
    pub weight: String,
}

impl ProductForm {
    pub(super) fn from_product(p: &Product, lang: &str) -> ProductForm {
        let net = p.net().map(|n| n.input()).unwrap_or_default();
        ProductForm {
            name: p.name.clone(),
            slug: p.slug.clone(),
            description: p.description.clone(),
            name_en: p.name_en.clone(),
            description_en: p.description_en.clone(),
            price: p.price_cents.input_value(lang),
            vat_rate: p.vat_rate_bp.to_string(),
            category_id: p.category_id.map(|c| c.to_string()).unwrap_or_default(),
            stock: p.stock.to_string(),
            active: p.active,
            featured: p.featured,
            alcoholic: p.alcoholic,
            option1_name: p.option1_name.clone(),
            option2_name: p.option2_name.clone(),
            option1_name_en: p.option1_name_en.clone(),
            option2_name_en: p.option2_name_en.clone(),
            brand: p.brand.clone(),
            gtin: p.gtin.clone(),
            net_quantity: net.0,
            net_unit: net.1.to_string(),
            weight: p.weight_grams.to_string(),
        }
    }

    /// The product's data, or the errors by field. The slug comes from the name when empty.
    fn check(&mut self) -> Result<(ProductData, i32), ValidationErrors> {
        self.name = self.name.trim().to_string();
        self.name_en = self.name_en.trim().to_string();
        self.slug = slugify(if self.slug.trim().is_empty() {
            &self.name
        } else {
            &self.slug
        });
        let mut errors = self.validate().err().unwrap_or_default();
        let price = Money::parse_euros(&self.price);
        if price.is_none() {
            errors.add("price", ValidationError::new("price"));
        }
        let vat = self
            .vat_rate
            .parse()
            .ok()
            .and_then(VatRate::from_basis_points);
        if vat.is_none() {
            errors.add("vat_rate", ValidationError::new("choice"));
        }
        let category = match self.category_id.trim() {
            "" => Ok(None),
            s => s.parse::<CategoryId>().map(Some),
        };
        if category.is_err() {
            errors.add("category_id", ValidationError::new("choice"));
        }
        let stock = stock::parse_stock(&self.stock);
        if stock.is_none() {
            errors.add("stock", ValidationError::new("stock"));
        }
        if self.slug.is_empty() || self.slug.len() > 120 {
            errors.add("slug", ValidationError::new("slug"));
        }
        self.option1_name = self.option1_name.trim().to_string();
        self.option2_name = self.option2_name.trim().to_string();
        self.option1_name_en = self.option1_name_en.trim().to_string();
        self.option2_name_en = self.option2_name_en.trim().to_string();
        if self.option1_name.is_empty() && !self.option2_name.is_empty() {
            errors.add("option1_name", ValidationError::new("option_first"));
        }
        // An English name translates a French one: none without it.
        for (field, fr, en) in [
            ("option1_name_en", &self.option1_name, &self.option1_name_en),
            ("option2_name_en", &self.option2_name, &self.option2_name_en),
        ] {
            if fr.is_empty() && !en.is_empty() {
                errors.add(field, ValidationError::new("option_french_first"));
            }
        }
        let net = crate::catalog::quantity::NetQuantity::parse(&self.net_quantity, &self.net_unit);
        if net.is_err() {
            let field = if self.net_unit.trim().is_empty() {
                "net_unit"
            } else {
                "net_quantity"
            };
            errors.add(field, ValidationError::new("net_quantity"));
        }
        let gtin = crate::catalog::gtin::normalize(&self.gtin);
        if gtin.is_err() {
            errors.add("gtin", ValidationError::new("gtin"));
        }
        // Left empty, a product weighs nothing (shipping by weight then counts it as 0 g).
        let weight = variants::parse_weight(&self.weight).map(|w| Some(w.unwrap_or(0)));
        if weight.is_none() {
            errors.add("weight", ValidationError::new("weight"));
        }
        match (price, vat, category, stock, weight) {
            (Some(price), Some(vat), Ok(category_id), Some(stock), Some(Some(weight_grams)))
                if errors.is_empty() =>
            {
                Ok((
                    ProductData {
                        name: self.name.clone(),
                        slug: self.slug.clone(),
                        description: self.description.trim().to_string(),
                        name_en: self.name_en.clone(),
                        description_en: self.description_en.trim().to_string(),
                        price_cents: price,
                        vat_rate_bp: vat.basis_points(),
                        category_id,
                        active: self.active,
                        featured: self.featured,
                        option1_name: self.option1_name.clone(),
                        option2_name: self.option2_name.clone(),
                        option1_name_en: self.option1_name_en.clone(),
                        option2_name_en: self.option2_name_en.clone(),
                        net_quantity: net.ok().flatten(),
                        brand: self.brand.trim().to_string(),
                        gtin: gtin.unwrap_or_default(),
                        weight_grams,
                        alcoholic: self.alcoholic,
                    },
                    stock,
                ))
            }
            _ => Err(errors),
        }
    }
}

/// A variant on the product's page, with its form (what was typed, when it came back).
#[derive(Serialize)]
struct VariantRow {
    variant: Variant,
    label: String,
    form: FormView<VariantForm>,
}

/// A variant form that came back with errors, to show where it was typed.
/// A form of the product's page other than the product's own that came back with errors.
pub enum SubForm {
    None,
    New(FormView<VariantForm>),
    Row(VariantId, FormView<VariantForm>),
    Facts(Box<FormView<crate::site::admin::facts_form::FactsForm>>),
}

#[derive(Serialize)]
struct EditPage {
    product: Option<Product>,
    form: FormView<ProductForm>,
    variants: Vec<VariantRow>,
    new_variant: FormView<VariantForm>,
    categories: Vec<Category>,
    vat_rates: Vec<i32>,
    history: Vec<MovementView>,
    images: Vec<ProductImage>,
    /// Confirmed back-in-stock alerts waiting for this product.
    alerts_waiting: i64,
    /// Its composition and safety facts, the manufacturers to choose from and the allergen
    /// groups (`catalog::facts`).
    facts: FormView<crate::site::admin::facts_form::FactsForm>,
    manufacturers: Vec<crate::catalog::facts::Manufacturer>,
    allergens: &'static [&'static str],
}

pub(super) async fn edit_page(
    db: &Db,
    ctx: &PageCtx<'_>,
    product: Option<Product>,
    form: FormView<ProductForm>,
    input: SubForm,
) -> AppResult<Html> {
    let id = product.as_ref().map(|p| p.id);
    let (categories, history, images, alerts_waiting, variants, (facts, manufacturers)) = db
        .run(move |c| -> diesel::QueryResult<_> {
            // A new product has no facts form yet (nor manufacturers to choose).
            let (history, images, waiting, variants, (facts, manufacturers)) = match id {
                Some(id) => (
                    stock::history(c, id, 50)?,
                    images::for_product(c, id)?,
                    crate::catalog::alerts::waiting_for(c, id)?,
                    variants::of_product(c, id)?,
                    (
                        crate::catalog::facts::of_product(c, id)?,
                        crate::catalog::facts::manufacturers(c)?,
                    ),
                ),
                None => Default::default(),
            };
            Ok((
                model::categories(c)?,
                history,
                images,
                waiting,
                variants,
                (facts, manufacturers),
            ))
        })
        .await?;
    let lang = ctx.lang().code();
    // A new variant goes after the others unless staff say otherwise.
    let next_position = variants.iter().map(|v| v.position + 1).max().unwrap_or(0);
    let fresh = || VariantForm {
        position: next_position.to_string(),
        stock: "0".into(),
        ..VariantForm::default()
    };
    let mut facts_view = None;
    let (mut typed_row, new_variant) = match input {
        SubForm::None => (None, FormView::new(fresh())),
        SubForm::Facts(view) => {
            facts_view = Some(*view);
            (None, FormView::new(fresh()))
        }
        SubForm::New(view) => (None, view),
        SubForm::Row(id, view) => (Some((id, view)), FormView::new(fresh())),
    };
    let variants = variants
        .into_iter()
        .map(|variant| {
            let form = match typed_row.take_if(|(id, _)| *id == variant.id) {
                Some((_, view)) => view,
                None => FormView::new(VariantForm::of(&variant, lang)),
            };
            VariantRow {
                label: variant.label(),
                variant,
                form,
            }
        })
        .collect();
    Ok(ctx.render(
        "admin/products/edit",
        EditPage {
            product,
            form,
            variants,
            new_variant,
            categories,
            vat_rates: VatRate::ALL.iter().map(|r| r.basis_points()).collect(),
            history,
            images,
            alerts_waiting,
            facts: facts_view.unwrap_or_else(|| {
                FormView::new(crate::site::admin::facts_form::FactsForm::of(&facts))
            }),
            manufacturers,
            allergens: &crate::catalog::facts::ALLERGENS,
        },
    ))
}

#[get("/products/new")]
async fn new(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    let form = ProductForm {
        vat_rate: "2000".into(),
        stock: "0".into(),
        weight: "0".into(),
        active: true,
        ..ProductForm::default()
    };
    edit_page(&db, &ctx, None, FormView::new(form), SubForm::None).await
}

fn save_error(
    form: ProductForm,
    e: SaveError,
    ctx: &PageCtx<'_>,
) -> AppResult<FormView<ProductForm>> {
    let lang = ctx.lang();
    match e {
        SaveError::SlugTaken => Ok(FormView::new(form).error("slug", lang.t("err-slug_taken"))),
        SaveError::UnknownCategory => {
            Ok(FormView::new(form).error("category_id", lang.t("err-choice")))
        }
        SaveError::Db(e) => Err(AppError::Db(e)),
    }
}

#[post("/products", data = "<form>")]
async fn create(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    form: Protected<ProductForm>,
) -> AppResult<Reply> {
    let mut form = form.0;
    let (data, stock) = match form.check() {
        Ok(ok) => ok,
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, ctx.lang());
            return Ok(Reply::Invalid(
                edit_page(&db, &ctx, None, view, SubForm::None).await?,
            ));
        }
    };
    let actor = staff.0.id;
    match db
        .run(move |c| manage::create(c, &data, stock, actor))
        .await
    {
        Ok(id) => Ok(Reply::Flash(Flash::success(
            Redirect::to(format!("/admin/products/{id}")),
            ctx.lang().t("admin-saved"),
        ))),
        Err(e) => {
            let view = save_error(form, e, &ctx)?;
            Ok(Reply::Invalid(
                edit_page(&db, &ctx, None, view, SubForm::None).await?,
            ))
        }
    }
}

#[get("/products/<id>")]
async fn edit(db: DbRef, ctx: PageCtx<'_>, _staff: Staff, id: ProductId) -> AppResult<Html> {
    let product = db.run(move |c| manage::find(c, id)).await?;
    let form = ProductForm::from_product(&product, ctx.lang().code());
    edit_page(&db, &ctx, Some(product), FormView::new(form), SubForm::None).await
}

#[post("/products/<id>", data = "<form>")]
async fn update(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ProductId,
    form: Protected<ProductForm>,
) -> AppResult<Reply> {
    let product = db.run(move |c| manage::find(c, id)).await?;
    let mut form = form.0;
    // Stock is changed through adjustments, never by editing the number.
    form.stock = product.stock.to_string();
    let (data, _) = match form.check() {
        Ok(ok) => ok,
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, ctx.lang());
            return Ok(Reply::Invalid(
                edit_page(&db, &ctx, Some(product), view, SubForm::None).await?,
            ));
        }
    };
    let actor = staff.0.id;
    match db.run(move |c| manage::update(c, id, &data, actor)).await {
        Ok(()) => Ok(Reply::Flash(Flash::success(
            Redirect::to(format!("/admin/products/{id}")),
            ctx.lang().t("admin-saved"),
        ))),
        Err(e) => {
            let view = save_error(form, e, &ctx)?;
            Ok(Reply::Invalid(
                edit_page(&db, &ctx, Some(product), view, SubForm::None).await?,
            ))
        }
    }
}

#[derive(Debug, FromForm)]
pub struct ActiveForm {
    #[field(default = false)]
    pub active: bool,
}

#[post("/products/<id>/active", data = "<form>")]
async fn set_active(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ProductId,
    form: Protected<ActiveForm>,
) -> AppResult<Flash<Redirect>> {
    let (active, actor) = (form.active, staff.0.id);
    db.run(move |c| manage::set_active(c, id, active, actor))
        .await?;
    let key = if active {
        "admin-product-shown"
    } else {
        "admin-product-hidden"
    };
    Ok(Flash::success(
        Redirect::to(format!("/admin/products/{id}")),
        ctx.lang().t(key),
    ))
}

#[derive(Debug, FromForm)]
pub struct StockForm {
    /// Which variant (none: the product's only one).
    pub variant_id: Option<VariantId>,
    #[field(default = String::new())]
    pub delta: String,
    #[field(default = String::new())]
    pub reason: String,
}

#[post("/products/<id>/stock", data = "<form>")]
async fn adjust_stock(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: ProductId,
    form: Protected<StockForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let back = Redirect::to(format!("/admin/products/{id}"));
    let delta = form
        .delta
        .trim()
        .trim_start_matches('+')
        .parse::<i32>()
        .ok()
        .filter(|d| *d != 0 && d.abs() <= 1_000_000);
    let reason = form.reason.trim().to_string();
    let Some(delta) = delta else {
        return Ok(Flash::error(back, lang.t("admin-stock-bad-delta")));
    };
    if reason.chars().count() > 200 {
        return Ok(Flash::error(back, lang.t("err-too_long")));
    }
    if reason.is_empty() {
        return Ok(Flash::error(back, lang.t("admin-stock-reason-required")));
    }
    let (actor, variant_id) = (staff.0.id, form.variant_id);
    match db
        .run(move |c| variants::adjust(c, id, variant_id, delta, &reason, actor))
        .await
    {
        Ok(left) => Ok(Flash::success(
            back,
            lang.t_args("admin-stock-adjusted", &[("stock", left.to_string())]),
        )),
        Err(StockError::BelowZero) => Ok(Flash::error(back, lang.t("admin-stock-below-zero"))),
        Err(StockError::ChooseVariant) => Ok(Flash::error(back, lang.t("cart-choose-variant"))),
        Err(StockError::Db(e)) => Err(e.into()),
    }
}
