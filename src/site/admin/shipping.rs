//! Back-office shipping, for admins: the shop's delivery methods by zone with their bands of
//! weight or basket value, and its pickup locations with their opening hours. Audited.

use rocket::response::{Flash, Redirect};
use std::sync::Arc;

use rocket::{get, post, routes, uri, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::ids::{MethodId, PickupId};
use crate::shipping::model;
use crate::shipping::rates::{bands_text, Method, Pickup};
use crate::shipping::Zone;
use crate::site::admin::products::ActiveForm;
use crate::site::admin::shipping_form::MethodForm;
use crate::site::admin::shipping_form::PickupForm;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::page_cache::PageCache;
use crate::site::visitor::Admin;

pub fn routes() -> Vec<Route> {
    routes![
        show,
        create_method,
        set_method_active,
        create_pickup,
        set_pickup_active
    ]
}

#[derive(Serialize)]
struct MethodRow {
    #[serde(flatten)]
    method: Method,
    bands_text: String,
}

#[derive(Serialize)]
struct ShippingPage {
    methods: Vec<MethodRow>,
    pickups: Vec<Pickup>,
    zones: Vec<&'static str>,
    method_form: FormView<MethodForm>,
    pickup_form: FormView<PickupForm>,
}

async fn page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    method_form: FormView<MethodForm>,
    pickup_form: FormView<PickupForm>,
) -> AppResult<Html> {
    let table = db.run(|c| model::table(c, true)).await?;
    Ok(ctx.render(
        "admin/shipping",
        ShippingPage {
            methods: table
                .methods
                .into_iter()
                .map(|m| MethodRow {
                    bands_text: bands_text(&m.bands, m.basis),
                    method: m,
                })
                .collect(),
            pickups: table.pickups,
            zones: Zone::ALL.iter().map(|z| z.as_str()).collect(),
            method_form,
            pickup_form,
        },
    ))
}

fn new_method_form() -> FormView<MethodForm> {
    FormView::new(MethodForm {
        zone: "mainland".into(),
        basis: "weight".into(),
        ..MethodForm::default()
    })
}

#[get("/shipping")]
async fn show(db: DbRef, ctx: PageCtx<'_>, _admin: Admin) -> AppResult<Html> {
    page(
        &db,
        &ctx,
        new_method_form(),
        FormView::new(PickupForm::default()),
    )
    .await
}

/// Makes a change, puts the ways to receive an order in force again (footers, product pages)
/// and goes back to the page.
async fn change(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    shop: &Arc<Shop>,
    cache: &Arc<PageCache>,
    write: impl FnOnce(&mut DbConn) -> diesel::QueryResult<()> + Send + 'static,
) -> AppResult<Reply> {
    let (shop, cache) = (Arc::clone(shop), Arc::clone(cache));
    db.run(move |c| {
        write(c)?;
        crate::legal::model::refresh(c, &shop.settings())?;
        cache.publish_delivery(c, &shop)
    })
    .await?;
    Ok(Reply::Flash(Flash::success(
        Redirect::to(uri!("/admin", show)),
        ctx.lang().t("admin-saved"),
    )))
}

#[post("/shipping/methods", data = "<form>")]
async fn create_method(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<PageCache>>,
    form: Protected<MethodForm>,
) -> AppResult<Reply> {
    let mut form = form.0;
    match form.check() {
        Ok(method) => {
            let actor = admin.0.id;
            change(&db, &ctx, shop, cache, move |c| {
                model::create_method(c, &method, Some(actor)).map(drop)
            })
            .await
        }
        Err((errors, band)) => {
            let lang = ctx.lang();
            let mut view = FormView::with_errors(form, &errors, lang);
            if let Some((line, key)) = band {
                view = view.error("bands", lang.t_args(key, &[("line", line.to_string())]));
            }
            Ok(Reply::Invalid(
                page(&db, &ctx, view, FormView::new(PickupForm::default())).await?,
            ))
        }
    }
}

#[post("/shipping/methods/<id>/active", data = "<form>")]
async fn set_method_active(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<PageCache>>,
    id: MethodId,
    form: Protected<ActiveForm>,
) -> AppResult<Reply> {
    let (active, actor) = (form.active, admin.0.id);
    change(&db, &ctx, shop, cache, move |c| {
        model::set_method_active(c, id, active, actor)
    })
    .await
}

#[post("/shipping/pickups", data = "<form>")]
async fn create_pickup(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<PageCache>>,
    form: Protected<PickupForm>,
) -> AppResult<Reply> {
    let mut form = form.0;
    match form.check() {
        Ok(pickup) => {
            let actor = admin.0.id;
            change(&db, &ctx, shop, cache, move |c| {
                model::create_pickup(c, &pickup, Some(actor)).map(drop)
            })
            .await
        }
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, ctx.lang());
            Ok(Reply::Invalid(
                page(&db, &ctx, new_method_form(), view).await?,
            ))
        }
    }
}

#[post("/shipping/pickups/<id>/active", data = "<form>")]
async fn set_pickup_active(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<PageCache>>,
    id: PickupId,
    form: Protected<ActiveForm>,
) -> AppResult<Reply> {
    let (active, actor) = (form.active, admin.0.id);
    change(&db, &ctx, shop, cache, move |c| {
        model::set_pickup_active(c, id, active, actor)
    })
    .await
}
