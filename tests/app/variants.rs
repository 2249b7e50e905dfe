//! Variants: a product sold in sizes is chosen on its page without JavaScript, each size has
//! its own SKU, price, stock and history through cart, order, cancellation and CSV; staff add
//! and change variants with bad input refused and kept; the last units of a size go to exactly
//! that many buyers at once; products from before variants migrate to one default variant.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, order_lines, product_variants, products, stock_movements};

use crate::concurrency::{confirm_at_once, ready_to_confirm_line};
use crate::helpers::{address, Browser, Options, TestApp};
use crate::orders::checkout;
use crate::server::TestServer;

pub const APRON: &str = "tablier-en-toile-de-coton"; // 35,00 €, sizes S/M (8) and L/XL (5)

/// `(id, sku, option1, stock, active)` of a product's variants, in their order.
pub fn variants_of(
    conn: &mut comptoir::db::DbConn,
    slug: &str,
) -> Vec<(i64, String, String, i32, bool)> {
    product_variants::table
        .inner_join(products::table)
        .filter(products::slug.eq(slug))
        .order((product_variants::position, product_variants::id))
        .select((
            product_variants::id,
            product_variants::sku,
            product_variants::option1,
            product_variants::stock,
            product_variants::active,
        ))
        .load(conn)
        .unwrap()
}

fn total_of(conn: &mut comptoir::db::DbConn, slug: &str) -> i32 {
    products::table
        .filter(products::slug.eq(slug))
        .select(products::stock)
        .first(conn)
        .unwrap()
}

/// Sets one variant's stock, and its product's total with it (as the shop keeps them).
pub fn set_variant_stock(conn: &mut comptoir::db::DbConn, variant: i64, stock: i32) {
    let product: i64 = product_variants::table
        .find(variant)
        .select(product_variants::product_id)
        .first(conn)
        .unwrap();
    diesel::update(product_variants::table.find(variant))
        .set(product_variants::stock.eq(stock))
        .execute(conn)
        .unwrap();
    let total: Option<i64> = product_variants::table
        .filter(product_variants::product_id.eq(product))
        .filter(product_variants::active.eq(true))
        .select(diesel::dsl::sum(product_variants::stock))
        .first(conn)
        .unwrap();
    diesel::update(products::table.find(product))
        .set(products::stock.eq(total.unwrap_or(0) as i32))
        .execute(conn)
        .unwrap();
}

fn add_variant(b: &Browser<'_>, variant: i64, quantity: i32, next: &str) -> Status {
    let (v, q) = (variant.to_string(), quantity.to_string());
    b.submit(
        "/cart/add",
        &[
            ("variant_id", v.as_str()),
            ("quantity", q.as_str()),
            ("next", next),
        ],
    )
    .status
}

#[test]
fn the_apron_is_bought_in_two_sizes_and_each_size_keeps_its_own_stock() {
    let app = TestApp::spawn();
    let sizes = variants_of(&mut app.conn(), APRON);
    let [(sm, sm_sku, _, 8, true), (lxl, lxl_sku, _, 5, true)] = sizes.as_slice() else {
        panic!("the demo apron comes in two sizes: {sizes:?}");
    };
    assert_eq!(total_of(&mut app.conn(), APRON), 13);
    let b = app.browser();

    // The page offers each size as a link that shows it; the form adds the size shown.
    let page = b.get(&format!("/products/{APRON}"));
    assert_eq!(page.texts(".variants a.variant"), vec!["S/M", "L/XL"]);
    assert_eq!(page.texts(".variants [aria-current]"), vec!["S/M"]);
    assert_eq!(
        page.attr("form.add-to-cart input[name=variant_id]", "value"),
        Some(sm.to_string())
    );
    let large = b.get(&format!("/products/{APRON}?variant={lxl}"));
    assert_eq!(large.status, Status::Ok);
    assert_eq!(large.texts(".variant-chosen"), vec!["L/XL"]);
    assert_eq!(
        large.attr("form.add-to-cart input[name=variant_id]", "value"),
        Some(lxl.to_string())
    );
    assert_eq!(
        large.attr("form.add-to-cart input[name=quantity]", "max"),
        Some("5".into())
    );
    // A variant that is not this product's, or not a number, shows the page as it comes.
    assert_eq!(
        b.get(&format!("/products/{APRON}?variant=999999"))
            .texts(".variants [aria-current]"),
        vec!["S/M"]
    );
    assert_eq!(
        b.get(&format!("/products/{APRON}?variant=abc")).status,
        Status::Ok
    );

    // The product alone is not enough: which size is asked, with the cart untouched.
    let id = app.product_id(APRON).to_string();
    let next = format!("/products/{APRON}");
    let alone = b.submit(
        "/cart/add",
        &[("product_id", &id), ("quantity", "1"), ("next", &next)],
    );
    assert_eq!(alone.status, Status::SeeOther);
    assert!(b
        .get(&next)
        .texts(".flash")
        .join(" ")
        .contains("Choisissez une taille"));
    assert_eq!(app.count("cart_lines"), 0);

    assert_eq!(add_variant(&b, *sm, 2, "/cart"), Status::SeeOther);
    assert_eq!(add_variant(&b, *lxl, 1, "/cart"), Status::SeeOther);
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".line-variant"), vec!["S/M", "L/XL"]);
    assert_eq!(cart.texts(".badge"), vec!["3"]);
    // Each line changes on its own.
    let changed = b.submit(
        "/cart/update",
        &[("variant_id", &lxl.to_string()), ("quantity", "2")],
    );
    assert_eq!(changed.status, Status::SeeOther);
    assert_eq!(b.get("/cart").texts(".badge"), vec!["4"]);

    let done = checkout(&b, &address("tablier@example.fr"));
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let lines: Vec<(String, String, Option<i64>, i32)> = order_lines::table
        .order(order_lines::id)
        .select((
            order_lines::product_name,
            order_lines::sku,
            order_lines::variant_id,
            order_lines::quantity,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        lines,
        vec![
            (
                "Tablier en toile de coton (S/M)".to_string(),
                sm_sku.clone(),
                Some(*sm),
                2
            ),
            (
                "Tablier en toile de coton (L/XL)".to_string(),
                lxl_sku.clone(),
                Some(*lxl),
                2
            ),
        ]
    );
    let after: Vec<i32> = variants_of(&mut app.conn(), APRON)
        .iter()
        .map(|v| v.3)
        .collect();
    assert_eq!(after, vec![6, 3]);
    assert_eq!(total_of(&mut app.conn(), APRON), 9);
    let order_page = b.get(done.header("Location").unwrap());
    assert!(order_page
        .texts("tr.line td")
        .contains(&"Tablier en toile de coton (L/XL)".to_string()));

    // Staff cancel it: each size gets its units back, each return in its own history.
    let number: String = comptoir::db::schema::orders::table
        .select(comptoir::db::schema::orders::number)
        .first(&mut app.conn())
        .unwrap();
    let staff = app.login_as(Role::Staff);
    let cancelled = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "cancel")],
    );
    assert_eq!(cancelled.status, Status::SeeOther, "{}", cancelled.body);
    let back: Vec<i32> = variants_of(&mut app.conn(), APRON)
        .iter()
        .map(|v| v.3)
        .collect();
    assert_eq!(back, vec![8, 5]);
    assert_eq!(total_of(&mut app.conn(), APRON), 13);
    let history: Vec<(Option<i64>, i32, i32, String)> = stock_movements::table
        .order(stock_movements::id)
        .select((
            stock_movements::variant_id,
            stock_movements::delta,
            stock_movements::resulting_stock,
            stock_movements::reason,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        history,
        vec![
            (Some(*sm), -2, 6, "order".to_string()),
            (Some(*lxl), -2, 3, "order".to_string()),
            (Some(*sm), 2, 8, "order cancelled".to_string()),
            (Some(*lxl), 2, 5, "order cancelled".to_string()),
        ]
    );
    // The back-office history says which SKU moved.
    let edit = staff.get(&format!("/admin/products/{}", app.product_id(APRON)));
    assert!(edit.texts(".history td").contains(lxl_sku));
}

#[test]
fn a_size_sold_out_between_page_and_cart_or_review_says_so_by_its_name() {
    let app = TestApp::spawn();
    let sizes = variants_of(&mut app.conn(), APRON);
    let (sm, lxl) = (sizes[0].0, sizes[1].0);
    let b = app.browser();
    let page = format!("/products/{APRON}?variant={lxl}");
    assert_eq!(b.get(&page).status, Status::Ok);
    set_variant_stock(&mut app.conn(), lxl, 0);
    assert_eq!(add_variant(&b, lxl, 1, &page), Status::SeeOther);
    let told = b.get(&page);
    assert!(
        told.texts(".flash")
            .join(" ")
            .contains("« Tablier en toile de coton (L/XL) » n'est plus disponible"),
        "{:?}",
        told.texts(".flash")
    );
    assert_eq!(app.count("cart_lines"), 0);
    // The sold-out size's page offers the alert for that size, the other size stays on sale.
    assert_eq!(
        told.attr("form.stock-alert input[name=variant_id]", "value"),
        Some(lxl.to_string())
    );
    assert!(b
        .get(&format!("/products/{APRON}"))
        .attr("form.add-to-cart input[name=variant_id]", "value")
        .is_some_and(|v| v == sm.to_string()));

    // Between review and order: nothing is ordered and the review names the size.
    assert_eq!(add_variant(&b, sm, 2, "/cart"), Status::SeeOther);
    let fields = address("court@example.fr");
    let review = b.submit("/checkout", &crate::helpers::as_refs(&fields));
    assert_eq!(review.status, Status::Ok);
    let key = review
        .attr("form[action='/checkout/confirm'] input[name=key]", "value")
        .unwrap();
    set_variant_stock(&mut app.conn(), sm, 1);
    let mut all = crate::helpers::as_refs(&fields);
    all.push(("key", &key));
    all.push(("accept_terms", "true"));
    let refused = b.submit("/checkout/confirm", &all);
    assert_eq!(refused.status, Status::SeeOther);
    assert_eq!(app.count("orders"), 0);
    let cart = b.get("/cart");
    assert!(
        cart.texts(".flash")
            .join(" ")
            .contains("« Tablier en toile de coton (S/M) »"),
        "{:?}",
        cart.texts(".flash")
    );
    assert_eq!(variants_of(&mut app.conn(), APRON)[0].3, 1);
}

fn product_form<'a>(name: &'a str, options: &'a str, weight: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("price", "19,90"),
        ("vat_rate", "2000"),
        ("stock", "4"),
        ("active", "true"),
        ("option1_name", options),
        ("weight", weight),
    ]
}

fn variant_form<'a>(
    sku: &'a str,
    option1: &'a str,
    price: &'a str,
    weight: &'a str,
    stock: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("sku", sku),
        ("option1", option1),
        ("price", price),
        ("weight", weight),
        ("position", "1"),
        ("stock", stock),
    ]
}

#[test]
fn staff_sell_a_t_shirt_in_sizes_and_bad_input_is_refused_and_kept() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);

    // Bad product fields: a negative or absurd weight, a second option without a first.
    let bad = staff.submit("/admin/products", &product_form("T-shirt", "", "-5"));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Un poids en grammes, de 0 à 100 000."));
    assert_eq!(bad.attr("#f-weight", "value"), Some("-5".into()));
    let mut second_only = product_form("T-shirt", "", "180");
    second_only.push(("option2_name", "Couleur"));
    let bad = staff.submit("/admin/products", &second_only);
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad
        .body
        .contains("Nommez la première option avant la seconde."));

    let made = staff.submit(
        "/admin/products",
        &product_form("T-shirt coton bio", "Taille", "180"),
    );
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let edit_path = made.header("Location").unwrap().to_string();
    let slug = "t-shirt-coton-bio";
    let first = variants_of(&mut app.conn(), slug);
    assert_eq!(first.len(), 1, "a new product has its default variant");
    let small = first[0].0;
    let saved = staff.submit(
        &format!("/admin/variants/{small}"),
        &variant_form("ts-bio-s", "S", "", "", "0"),
    );
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let added = staff.submit(
        &format!("{edit_path}/variants"),
        &variant_form("TS-BIO-M", "M", "21,90", "200", "3"),
    );
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
    let sizes = variants_of(&mut app.conn(), slug);
    assert_eq!(
        sizes
            .iter()
            .map(|v| (v.1.as_str(), v.2.as_str(), v.3))
            .collect::<Vec<_>>(),
        vec![("TS-BIO-S", "S", 4), ("TS-BIO-M", "M", 3)]
    );
    assert_eq!(total_of(&mut app.conn(), slug), 7);
    let medium = sizes[1].0;

    // Each way a variant can be wrong, said next to its field with what was typed kept.
    let bad = staff.submit(
        &format!("{edit_path}/variants"),
        &variant_form("TS BIO!", "", "-3", "999999", "x"),
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    for message in [
        "1 à 64 lettres, chiffres, tirets, points ou soulignés.",
        "Donnez une valeur pour chaque option du produit",
        "Un poids en grammes, de 0 à 100 000.",
        "Saisissez un stock entier positif.",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert_eq!(bad.attr("#nv-sku", "value"), Some("TS BIO!".into()));
    assert_eq!(bad.attr("#nv-weight", "value"), Some("999999".into()));
    let taken = staff.submit(
        &format!("{edit_path}/variants"),
        &variant_form("TS-BIO-M", "L", "", "", "1"),
    );
    assert_eq!(taken.status, Status::UnprocessableEntity);
    assert!(taken.body.contains("Cette référence est déjà utilisée."));
    let same = staff.submit(
        &format!("{edit_path}/variants"),
        &variant_form("TS-BIO-M2", "M", "", "", "1"),
    );
    assert_eq!(same.status, Status::UnprocessableEntity);
    assert!(same
        .body
        .contains("Une autre variante de ce produit a ces options."));
    let row = staff.submit(
        &format!("/admin/variants/{medium}"),
        &variant_form("TS-BIO-M", "M", "abc", "", "0"),
    );
    assert_eq!(row.status, Status::UnprocessableEntity);
    assert_eq!(
        row.attr(&format!("#v{medium}-price"), "value"),
        Some("abc".into())
    );
    assert_eq!(variants_of(&mut app.conn(), slug).len(), 2);

    // The storefront shows each size at its price.
    let b = app.browser();
    let page = b.get(&format!("/products/{slug}?variant={medium}"));
    assert_eq!(page.texts(".price.big"), vec!["21,90\u{a0}€"]);
    assert_eq!(page.texts(".variants a.variant"), vec!["S", "M"]);

    // Stock per size: never below zero, each change in the history with its SKU.
    let id = app.product_id(slug).to_string();
    let m = medium.to_string();
    let below = staff.submit(
        &format!("/admin/products/{id}/stock"),
        &[("variant_id", &m), ("delta", "-5"), ("reason", "casse")],
    );
    assert_eq!(below.status, Status::SeeOther);
    assert_eq!(variants_of(&mut app.conn(), slug)[1].3, 3);
    let more = staff.submit(
        &format!("/admin/products/{id}/stock"),
        &[("variant_id", &m), ("delta", "+2"), ("reason", "livraison")],
    );
    assert_eq!(more.status, Status::SeeOther);
    assert_eq!(variants_of(&mut app.conn(), slug)[1].3, 5);
    assert_eq!(total_of(&mut app.conn(), slug), 9);
    // Without saying which size, a product in sizes is not adjusted.
    let which = staff.submit(
        &format!("/admin/products/{id}/stock"),
        &[("delta", "1"), ("reason", "?")],
    );
    assert_eq!(which.status, Status::SeeOther);
    assert_eq!(total_of(&mut app.conn(), slug), 9);
    // Another product's variant is not this product's.
    let other = variants_of(&mut app.conn(), APRON)[0].0.to_string();
    let foreign = staff.submit(
        &format!("/admin/products/{id}/stock"),
        &[("variant_id", &other), ("delta", "1"), ("reason", "?")],
    );
    assert_eq!(foreign.status, Status::NotFound);

    // Taking a size off sale takes its stock out of the product's and off the page.
    let off = staff.submit(&format!("/admin/variants/{small}/active"), &[]);
    assert_eq!(off.status, Status::SeeOther);
    assert_eq!(total_of(&mut app.conn(), slug), 5);
    assert_eq!(
        b.get(&format!("/products/{slug}"))
            .texts(".variants a.variant"),
        vec!["M"]
    );
    assert_eq!(add_variant(&b, small, 1, "/cart"), Status::NotFound);
    let on = staff.submit(
        &format!("/admin/variants/{small}/active"),
        &[("active", "true")],
    );
    assert_eq!(on.status, Status::SeeOther);
    assert_eq!(total_of(&mut app.conn(), slug), 9);

    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.like("variant.%"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actions,
        vec![
            "variant.update",
            "variant.create",
            "variant.deactivate",
            "variant.activate"
        ]
    );
}

#[test]
fn products_in_sizes_round_trip_through_csv_one_row_a_size() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let export = staff.get("/admin/products.csv");
    let mut reader = csv::Reader::from_reader(export.body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == APRON)
        .collect();
    assert_eq!(rows.len(), 2, "one row a size");
    assert_eq!(&rows[0][column("option1")], "S/M");
    assert_eq!(&rows[1][column("option1")], "L/XL");
    assert_eq!(&rows[1][column("stock")], "5");

    // The same rows with L/XL restocked and an XXL at its own price.
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    w.write_record(&rows[0]).unwrap();
    let mut lxl: Vec<String> = rows[1].iter().map(str::to_string).collect();
    lxl[column("stock")] = "9".into();
    w.write_record(&lxl).unwrap();
    let mut xxl = lxl.clone();
    xxl[column("sku")] = "TABLIER-XXL".into();
    xxl[column("option1")] = "XXL".into();
    xxl[column("variant_price")] = "39.00".into();
    xxl[column("stock")] = "2".into();
    w.write_record(&xxl).unwrap();
    let good = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "sizes.csv",
        "text/csv",
        good.as_bytes(),
    );
    assert_eq!(preview.status, Status::Ok, "{}", preview.body);
    assert!(
        preview.texts(".row-errors").is_empty(),
        "{:?}",
        preview.texts(".row-errors")
    );
    let upload = preview.attr("input[name=upload]", "value").unwrap();
    let applied = staff.submit("/admin/products/import/apply", &[("upload", &upload)]);
    assert_eq!(applied.status, Status::SeeOther, "{}", applied.body);
    let sizes = variants_of(&mut app.conn(), APRON);
    assert_eq!(
        sizes
            .iter()
            .map(|v| (v.1.as_str(), v.2.as_str(), v.3))
            .collect::<Vec<_>>(),
        vec![
            ("TABLIER-EN-TOILE-DE-COTON-S-M", "S/M", 8),
            ("TABLIER-EN-TOILE-DE-COTON-L-XL", "L/XL", 9),
            ("TABLIER-XXL", "XXL", 2),
        ]
    );
    assert_eq!(total_of(&mut app.conn(), APRON), 19);
    let xxl_price: Option<i64> = product_variants::table
        .filter(product_variants::sku.eq("TABLIER-XXL"))
        .select(product_variants::price_cents)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(xxl_price, Some(3900));

    // A row without SKU for a product in sizes cannot say which size: refused, nothing written.
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let mut vague = lxl.clone();
    vague[column("sku")] = String::new();
    vague[column("stock")] = "1".into();
    w.write_record(&vague).unwrap();
    let bad = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "bad.csv",
        "text/csv",
        bad.as_bytes(),
    );
    assert!(preview
        .texts(".row-errors")
        .join(" ")
        .contains("référence nécessaire"));
    assert!(preview.attr("input[name=upload]", "value").is_none());
}

/// Many buyers at once for the last units of one size: exactly that many orders, the other
/// size untouched by the losers, the product's total the sum of its sizes (SQLite, and
/// PostgreSQL with `COMPTOIR_TEST_POSTGRES`).
#[test]
fn the_last_units_of_a_size_go_to_exactly_that_many_buyers() {
    const BUYERS: usize = 12;
    const UNITS: i32 = 3;
    let server = TestServer::start(Options::default());
    let sizes = variants_of(&mut server.conn(), APRON);
    let (sm, lxl) = (sizes[0].0, sizes[1].0);
    set_variant_stock(&mut server.conn(), lxl, UNITS);
    set_variant_stock(&mut server.conn(), sm, 50);
    let (sm, lxl) = (sm.to_string(), lxl.to_string());
    let buyers: Vec<_> = (0..BUYERS)
        .map(|i| {
            let client = server.client();
            // Half the carts also hold the other size, added first: locks taken in both orders.
            if i % 2 == 0 {
                let added = client.submit(
                    "/",
                    "/cart/add",
                    &[("variant_id", sm.as_str()), ("quantity", "1")],
                );
                assert_eq!(added.status, 303);
            }
            let (fields, key) = ready_to_confirm_line(
                &client,
                &[("variant_id", lxl.as_str()), ("quantity", "1")],
                &format!("size{i}@example.fr"),
            );
            (client, fields, key)
        })
        .collect();
    let outcomes = confirm_at_once(&buyers);
    let statuses: Vec<u16> = outcomes.iter().map(|o| o.0).collect();
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let won: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| o.1.starts_with("/orders/"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(won.len(), UNITS as usize);
    let after = variants_of(&mut server.conn(), APRON);
    assert_eq!(after[1].3, 0, "L/XL sold out, never below");
    let small_sold = won.iter().filter(|i| *i % 2 == 0).count() as i32;
    assert_eq!(after[0].3, 50 - small_sold, "S/M taken only by the winners");
    assert_eq!(
        total_of(&mut server.conn(), APRON),
        after[0].3 + after[1].3,
        "the product's total is its sizes' sum"
    );
}

#[test]
fn each_size_shows_its_own_pictures_first_and_not_the_others() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let sizes = variants_of(&mut app.conn(), APRON);
    let (sm, lxl) = (sizes[0].0, sizes[1].0);
    let url = format!("/admin/products/{}/images", app.product_id(APRON));
    let png = crate::admin_catalog::png(400, 400);
    for (alt, variant) in [
        ("Le tablier", String::new()),
        ("Le tablier en L/XL", lxl.to_string()),
    ] {
        let sent = staff.upload(
            &url,
            &[("alt", alt), ("variant_id", &variant)],
            "t.png",
            "image/png",
            &png,
        );
        assert_eq!(sent.status, Status::SeeOther, "{}", sent.body);
    }
    // Another product's variant is refused.
    let foreign = variants_of(&mut app.conn(), crate::orders::MUSTARD)[0]
        .0
        .to_string();
    let refused = staff.upload(
        &url,
        &[("alt", "?"), ("variant_id", &foreign)],
        "t.png",
        "image/png",
        &png,
    );
    assert_eq!(refused.status, Status::NotFound);
    let b = app.browser();
    let alts = |variant: i64| {
        b.get(&format!("/products/{APRON}?variant={variant}"))
            .attrs(".gallery img", "alt")
    };
    assert_eq!(alts(lxl), vec!["Le tablier en L/XL", "Le tablier"]);
    assert_eq!(alts(sm), vec!["Le tablier"]);
}

#[test]
fn the_low_stock_list_names_the_size_that_runs_out() {
    let app = TestApp::spawn();
    let sizes = variants_of(&mut app.conn(), APRON);
    set_variant_stock(&mut app.conn(), sizes[1].0, 1);
    let staff = app.login_as(Role::Staff);
    let low = staff.get("/admin/stock/low?threshold=3");
    let rows = low.texts("tbody tr td:first-child");
    assert!(
        rows.contains(&"Tablier en toile de coton (L/XL)".to_string()),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains("(S/M)")));
}

#[test]
fn a_bulk_stock_is_set_for_each_size() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let apron = app.product_id(APRON).to_string();
    let mustard = app.product_id(crate::orders::MUSTARD).to_string();
    let fields = [
        ("ids", apron.as_str()),
        ("ids", mustard.as_str()),
        ("field", "stock"),
        ("value", "10"),
    ];
    let preview = staff.submit("/admin/products/bulk", &fields);
    assert_eq!(preview.status, Status::Ok, "{}", preview.body);
    assert_eq!(
        preview.texts(".bulk-preview td.before"),
        vec!["24", "8", "5"]
    );
    assert!(preview
        .texts(".bulk-preview td")
        .contains(&"Tablier en toile de coton (L/XL)".to_string()));
    let applied = staff.submit("/admin/products/bulk/apply", &fields);
    assert_eq!(applied.status, Status::SeeOther);
    let stocks: Vec<i32> = variants_of(&mut app.conn(), APRON)
        .iter()
        .map(|v| v.3)
        .collect();
    assert_eq!(stocks, vec![10, 10]);
    assert_eq!(total_of(&mut app.conn(), APRON), 20);
    assert_eq!(app.stock(crate::orders::MUSTARD), 10);
    let bulk_moves: i64 = stock_movements::table
        .filter(stock_movements::reason.eq("bulk edit"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(bulk_moves, 3, "one movement a variant");
}

#[test]
fn an_alert_for_a_size_waits_for_that_size_only() {
    use comptoir::db::schema::email_outbox;
    let app = TestApp::spawn();
    let sizes = variants_of(&mut app.conn(), APRON);
    let (sm, lxl) = (sizes[0].0, sizes[1].0);
    set_variant_stock(&mut app.conn(), lxl, 0);
    let visitor = app.browser();
    let page = format!("/products/{APRON}?variant={lxl}");
    assert!(visitor
        .get(&page)
        .texts("form.stock-alert")
        .join(" ")
        .contains("(L/XL)"));
    let asked = visitor.submit(
        &format!("/products/{APRON}/alert"),
        &[
            ("email", "taille@example.test"),
            ("variant_id", &lxl.to_string()),
        ],
    );
    assert_eq!(asked.status, Status::SeeOther, "{}", asked.body);
    assert_eq!(asked.location.as_deref(), Some(page.as_str()));
    // Asking for the size on sale is answered at once: nothing to wait for.
    let on_sale = visitor.submit(
        &format!("/products/{APRON}/alert"),
        &[
            ("email", "taille@example.test"),
            ("variant_id", &sm.to_string()),
        ],
    );
    assert!(visitor
        .get(on_sale.location.as_deref().unwrap())
        .texts(".flash")
        .join(" ")
        .contains("de nouveau disponible"));
    let token = crate::helpers::link_token(&app, "stock_alert_confirm", "taille@example.test");
    let confirmed = visitor.submit("/alerts/confirm", &[("token", &token)]);
    assert_eq!(confirmed.status, Status::SeeOther, "{}", confirmed.body);

    // The other size selling and coming back sends nothing; this size coming back does, once.
    set_variant_stock(&mut app.conn(), sm, 20);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    set_variant_stock(&mut app.conn(), lxl, 2);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 1);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    let body: String = email_outbox::table
        .filter(email_outbox::kind.eq("stock_alert"))
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .unwrap();
    assert!(body.contains("Tablier en toile de coton (L/XL)"), "{body}");
    assert!(body.contains(&format!("?variant={lxl}")), "{body}");
}
