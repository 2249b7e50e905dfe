//! Storefront pages kept in memory (issue #12): served again without rendering, with each
//! visitor's own form token and cart badge, and never older than the catalogue, the stock
//! customers can see, or the settings, on this instance or another one.

use std::time::Duration;

use comptoir::site::page_cache::PageCache;

use diesel::prelude::*;
use rocket::http::Status;
use rocket::local::blocking::Client;

use comptoir::auth::Role;
use comptoir::db::schema::{page_version, products, shop_settings};

use crate::helpers::{prepared_db, test_figment, Browser, Options, TestApp};

fn cache_stats(b: &Browser<'_>) -> serde_json::Value {
    let ready: serde_json::Value = serde_json::from_str(&b.get("/readyz").body).unwrap();
    ready["page_cache"].clone()
}

fn version(app: &TestApp) -> i64 {
    page_version::table
        .select(page_version::version)
        .first(&mut app.conn())
        .unwrap()
}

#[test]
fn anonymous_pages_are_served_again_with_each_visitors_token_and_cart() {
    let app = TestApp::spawn();
    let first = app.browser();
    let page = "/categories/epicerie-fine";
    let a = first.get(page);
    assert_eq!(a.status, Status::Ok);
    let before = cache_stats(&first);
    let again = first.get(page);
    let after = cache_stats(&first);
    assert_eq!(
        after["hits"].as_i64().unwrap(),
        before["hits"].as_i64().unwrap() + 1,
        "the second visit is served from memory"
    );
    assert_eq!(again.texts(".card-name"), a.texts(".card-name"));

    // Another visitor: the same page, with their own form token, which the shop accepts.
    let second = app.browser();
    let theirs = second.get(page);
    let (token_a, token_b) = (a.csrf().unwrap(), theirs.csrf().unwrap());
    assert_ne!(token_a, token_b, "each visitor has their own token");
    assert!(!theirs.body.contains('\u{1}'), "no hole left unfilled");
    let product = app.product_id("moutarde-de-dijon-a-l-ancienne").to_string();
    let added = second.submit(
        "/cart/add",
        &[("product_id", product.as_str()), ("quantity", "2")],
    );
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
    assert!(second
        .cookie(comptoir::site::page::CART_HINT_COOKIE)
        .is_some());
    // Their badge says 2 on the kept page; the first visitor's still says 0.
    let with_cart = second.get(page);
    assert_eq!(with_cart.texts(".badge"), vec!["2"]);
    assert_eq!(
        with_cart.texts(".cart-link .visually-hidden"),
        vec!["2 articles dans le panier"]
    );
    assert_eq!(first.get(page).texts(".badge"), vec!["0"]);

    // Signed in: never from the kept pages (the header names the account).
    let staff = app.login_as(Role::Staff);
    let hits = cache_stats(&first)["hits"].as_i64().unwrap();
    let signed_in = staff.get(page);
    assert!(signed_in.body.contains("/logout"));
    assert_eq!(cache_stats(&first)["hits"].as_i64().unwrap(), hits);
}

#[test]
fn a_change_made_anywhere_shows_on_the_next_visit() {
    let app = TestApp::spawn();
    let shop = app.browser();
    let page = "/products/moutarde-de-dijon-a-l-ancienne";
    assert!(shop.get(page).body.contains("Moutarde de Dijon"));
    shop.get(page);
    // Renamed straight in the database (another instance, a script): the trigger moves the
    // version, and this instance, without its background reader here, reads it on each visit.
    diesel::update(products::table.filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne")))
        .set(products::name.eq("Moutarde forte de Dijon"))
        .execute(&mut app.conn())
        .unwrap();
    assert!(shop.get(page).body.contains("Moutarde forte de Dijon"));

    // A setting: the shop's name in every header.
    diesel::insert_into(shop_settings::table)
        .values((
            shop_settings::key.eq("shop_name"),
            shop_settings::value.eq("Comptoir du Marché"),
            shop_settings::updated_at.eq(comptoir::db::now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let after = shop.get(page);
    assert!(
        after.body.contains("Comptoir du Marché"),
        "{:?} {:?}",
        after.texts(".brand"),
        comptoir::config::store::stored(&mut app.conn())
    );
}

#[test]
fn only_stock_changes_customers_can_see_move_the_version() {
    let app = TestApp::spawn();
    let slug = "moutarde-de-dijon-a-l-ancienne";
    app.set_stock(slug, 500);
    let v = version(&app);
    // A sale of a product with plenty left: the pages stay as they are.
    app.set_stock(slug, 499);
    assert_eq!(version(&app), v);
    // Down to what the quantity field and "only n left" show: the pages change.
    app.set_stock(slug, 99);
    assert!(version(&app) > v);
    let v = version(&app);
    app.set_stock(slug, 98);
    assert!(version(&app) > v);
}

/// Two instances on one database, each with its background reader: a change made through
/// one shows on the other within the reader's period.
#[test]
fn another_instance_follows_within_a_moment() {
    let db = prepared_db(&Options::default());
    let start = || {
        let figment = test_figment(&db, &Options::default()).merge(("background_tasks", true));
        Client::untracked(comptoir::app::build(figment).unwrap()).unwrap()
    };
    let (a, b) = (start(), start());
    let page = "/products/moutarde-de-dijon-a-l-ancienne";
    let body = |c: &Client| c.get(page).dispatch().into_string().unwrap_or_default();
    assert!(body(&b).contains("Moutarde de Dijon"));
    let mut conn = comptoir::db::connect(db.url()).unwrap();
    let before = comptoir::db::page_version(&mut conn).unwrap();
    diesel::update(products::table.filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne")))
        .set(products::name.eq("Moutarde douce de Dijon"))
        .execute(&mut conn)
        .unwrap();
    // Instance A, where nobody wrote either, and B: each reads the version on its own; the
    // page shows the change once its reader has seen the new version.
    for client in [&a, &b] {
        let cache = client
            .rocket()
            .state::<std::sync::Arc<PageCache>>()
            .expect("the page cache");
        let seen = cache.wait_newer(before, Duration::from_secs(10));
        assert!(seen > before, "the change never reached this instance");
        assert!(body(client).contains("Moutarde douce de Dijon"));
    }
}

/// A herd on a missing page makes one render (issue #29): the first request renders it, the
/// others wait for it and are served what it kept.
#[test]
fn a_herd_on_a_missing_page_renders_it_once() {
    use std::sync::{Arc, Barrier};
    const HERD: usize = 16;
    let server = crate::server::TestServer::start(Options::default());
    let client = server.client();
    // The shop's first page, so that the settings and version are read before the herd.
    assert_eq!(client.get("/").status, 200);
    let stored = |c: &crate::server::HttpClient| -> u64 {
        let ready: serde_json::Value = serde_json::from_str(&c.get("/readyz").body).unwrap();
        ready["page_cache"]["stored"].as_u64().unwrap()
    };
    let before = stored(&client);
    let barrier = Arc::new(Barrier::new(HERD));
    let pages: Vec<(u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..HERD)
            .map(|_| {
                let barrier = barrier.clone();
                let visitor = server.client();
                s.spawn(move || {
                    barrier.wait();
                    let page = visitor.get("/categories/epicerie-fine?sort=price_desc&herd=1");
                    (page.status, page.body)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(pages.iter().all(|(status, _)| *status == 200));
    let names = |body: &str| {
        let doc = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse(".card .card-name").unwrap();
        doc.select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    let first = names(&pages[0].1);
    assert!(!first.is_empty());
    assert!(pages.iter().all(|(_, body)| names(body) == first));
    assert_eq!(
        stored(&client) - before,
        1,
        "one render for {HERD} requests"
    );
}
