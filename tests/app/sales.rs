//! Sales (issue #27, code de la consommation art. L112-1-1): a product on sale shows its
//! reference price, the lowest of the 30 days before the sale, crossed out on listings, its
//! page and the cart; the order is charged the sale's price. The price history is kept by the
//! database whatever changes a price, and by the clock for the sales' own prices, across a
//! scheduled start and end (the clock is given its time: no waiting).

use chrono::{Duration, SubsecRound};
use diesel::prelude::*;
use rocket::http::Status;

use comptoir::catalog::sales::{self, NewSale, Reduction, SaleError};
use comptoir::db::now;
use comptoir::db::schema::{order_lines, orders, price_history, products};
use comptoir::money::Money;

use crate::helpers::{address, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const OIL: &str = "huile-d-olive-vierge-extra-de-provence-50-cl"; // 18,90 €

#[test]
fn the_demo_sale_shows_its_reference_price_everywhere_and_the_order_pays_the_sale_price() {
    let app = TestApp::spawn();
    comptoir::seed::demo_sale(&mut app.conn()).unwrap();
    let b = app.browser();

    let page = b.get(&format!("/products/{OIL}"));
    assert_eq!(page.status, Status::Ok);
    assert_eq!(
        page.texts(".price.big"),
        vec!["Prix de référence : 18,90\u{a0}€ −21\u{a0}% 14,90\u{a0}€"]
    );
    let reference = page.texts(".sale-reference").join(" ");
    assert!(
        reference.contains("Prix le plus bas des 30 derniers jours\u{a0}: 18,90\u{a0}€"),
        "{reference}"
    );
    let ld = page
        .attr("script[type=\"application/ld+json\"]", "type")
        .and(Some(page.body.clone()))
        .unwrap();
    assert!(ld.contains(r#""price":"14.90""#), "JSON-LD price");
    assert!(
        ld.contains(r#""priceValidUntil":""#),
        "JSON-LD priceValidUntil"
    );

    // Listings: its department and the home page's featured products.
    for path in ["/categories/epicerie-fine", "/"] {
        let listing = b.get(path);
        let card = listing
            .texts(".card")
            .into_iter()
            .find(|t| t.contains("Huile d'olive"))
            .unwrap_or_else(|| panic!("no oil on {path}"));
        assert!(card.contains("18,90\u{a0}€"), "{path}: {card}");
        assert!(card.contains("14,90\u{a0}€"), "{path}: {card}");
        assert_eq!(listing.texts(".card del.was").len(), 1, "{path}");
    }

    // The cart, and the order charged the sale's price.
    app.set_stock(OIL, 10);
    add(&app, &b, OIL, 2);
    let cart = b.get("/cart");
    assert!(
        cart.texts("td del.was").join(" ").contains("18,90"),
        "{}",
        cart.body
    );
    assert!(cart
        .texts(".sale-reference")
        .join(" ")
        .contains("18,90\u{a0}€"));
    assert!(cart.texts(".totals").join(" ").contains("29,80"));
    let placed = checkout(&b, &address("promo@example.fr"));
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let (unit, total): (i64, i64) = order_lines::table
        .inner_join(orders::table)
        .select((order_lines::unit_price_cents, order_lines::line_total_cents))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((unit, total), (1490, 2980));
    // The order's page keeps the reference the reduction was announced from.
    let order = b.get(placed.header("Location").unwrap());
    assert!(order.texts(".line del.was").join(" ").contains("18,90"));
    assert!(order
        .texts(".line .sale-reference")
        .join(" ")
        .contains("Prix le plus bas des 30 derniers jours\u{a0}: 18,90\u{a0}€"));

    // A product not on sale shows no reduction.
    let plain = b.get(&format!("/products/{MUSTARD}"));
    assert_eq!(plain.texts(".price.big"), vec!["4,50\u{a0}€"]);
    assert!(plain.texts(".sale-reference").is_empty());
    assert!(!plain.body.contains("priceValidUntil"));
}

/// The product's history as `(price, on sale)`, oldest first.
fn history(app: &TestApp, product: comptoir::ids::ProductId) -> Vec<(i64, bool)> {
    price_history::table
        .filter(price_history::product_id.eq(product))
        .order((price_history::valid_from, price_history::id))
        .select((
            price_history::price_cents,
            price_history::sale_id.is_not_null(),
        ))
        .load(&mut app.conn())
        .unwrap()
}

#[test]
fn a_scheduled_sale_starts_and_ends_by_the_clock_and_the_history_keeps_every_price() {
    let app = TestApp::spawn();
    let mustard = app.product_id(MUSTARD);
    let admin = app.create_user("sales@example.fr", comptoir::auth::Role::Admin);
    // PostgreSQL keeps microseconds.
    let t0 = now().trunc_subsecs(6);

    // Any change of price is kept, whoever makes it.
    diesel::update(products::table.find(mustard))
        .set(products::price_cents.eq(500_i64))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(history(&app, mustard), vec![(450, false), (500, false)]);

    // Scheduled in an hour for two hours, 20 % off: not yet.
    let sale = NewSale {
        name: "Semaine de la moutarde".into(),
        starts_at: t0 + Duration::hours(1),
        ends_at: t0 + Duration::hours(3),
        reduction: Reduction::Percent(2000),
        products: vec![mustard],
    };
    let first = sales::create(&mut app.conn(), &sale, Some(admin), t0).unwrap();
    assert!(sales::live(&mut app.conn(), &[mustard], t0)
        .unwrap()
        .is_empty());
    let b = app.browser();
    assert!(b
        .get(&format!("/products/{MUSTARD}"))
        .texts(".sale-badge")
        .is_empty());

    // Overlapping it is refused.
    let overlapping = NewSale {
        starts_at: t0 + Duration::hours(2),
        ends_at: t0 + Duration::hours(5),
        ..sale.clone()
    };
    assert_eq!(
        sales::create(&mut app.conn(), &overlapping, Some(admin), t0),
        Err(SaleError::Overlap("Moutarde de Dijon à l'ancienne".into()))
    );

    // Running: 4,00 € from a reference of 4,50 € (the lowest of the 30 days before).
    let during = t0 + Duration::hours(2);
    let running = sales::live(&mut app.conn(), &[mustard], during).unwrap()[&mustard];
    assert_eq!(
        (
            running.price_cents,
            running.reference_cents,
            running.percent_off
        ),
        (Money(400), Money(450), 11)
    );
    let next = sales::tick(&mut app.conn(), during).unwrap();
    assert_eq!(next, Some(t0 + Duration::hours(3)), "the end comes next");
    assert_eq!(
        history(&app, mustard),
        vec![(450, false), (500, false), (400, true)]
    );
    // The clock runs twice (two instances): the history is written once.
    sales::tick(&mut app.conn(), during).unwrap();
    assert_eq!(history(&app, mustard).len(), 3);

    // Over: the price is the product's again.
    let after = t0 + Duration::hours(4);
    assert_eq!(sales::tick(&mut app.conn(), after).unwrap(), None);
    assert!(sales::live(&mut app.conn(), &[mustard], after)
        .unwrap()
        .is_empty());
    let until: Option<chrono::NaiveDateTime> = price_history::table
        .filter(price_history::sale_id.eq(first))
        .select(price_history::valid_until)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(until, Some(t0 + Duration::hours(3)));

    // A later sale's reference counts the first sale's price: the lowest of its 30 days.
    let second = NewSale {
        name: "Seconde".into(),
        starts_at: t0 + Duration::hours(5),
        ends_at: t0 + Duration::hours(8),
        reduction: Reduction::Price(Money(420)),
        products: vec![mustard],
    };
    sales::create(&mut app.conn(), &second, Some(admin), t0).unwrap();
    let later =
        sales::live(&mut app.conn(), &[mustard], t0 + Duration::hours(6)).unwrap()[&mustard];
    assert_eq!(later.reference_cents, Money(400));
    assert!(!later.announced, "4,20 € is no reduction from 4,00 €");

    // Each way a sale can be wrong.
    let bad = |starts: i64, ends: i64, reduction: Reduction, products: Vec<_>| NewSale {
        name: "x".into(),
        starts_at: t0 + Duration::days(starts),
        ends_at: t0 + Duration::days(ends),
        reduction,
        products,
    };
    let oil = app.product_id(OIL);
    let create = |s: &NewSale| sales::create(&mut app.conn(), s, Some(admin), t0);
    assert_eq!(
        create(&bad(2, 1, Reduction::Percent(1000), vec![oil])),
        Err(SaleError::Dates)
    );
    assert_eq!(
        create(&bad(1, 2, Reduction::Price(Money(1890)), vec![oil])),
        Err(SaleError::NotLower(
            "Huile d'olive vierge extra de Provence 50 cl".into()
        ))
    );
    assert_eq!(
        create(&bad(1, 2, Reduction::Price(Money(100)), vec![oil, mustard])),
        Err(SaleError::PriceForMany)
    );
    assert_eq!(
        create(&bad(1, 2, Reduction::Percent(1000), vec![])),
        Err(SaleError::NoProduct)
    );
}

#[test]
fn staff_end_a_running_sale_and_withdraw_a_scheduled_one() {
    let app = TestApp::spawn();
    let oil = app.product_id(OIL);
    let mustard = app.product_id(MUSTARD);
    let admin = app.create_user("sales@example.fr", comptoir::auth::Role::Admin);
    let t0 = now();
    let running = sales::create(
        &mut app.conn(),
        &NewSale {
            name: "En cours".into(),
            starts_at: t0 - Duration::hours(1),
            ends_at: t0 + Duration::days(1),
            reduction: Reduction::Percent(1000),
            products: vec![oil],
        },
        Some(admin),
        t0,
    )
    .unwrap();
    let scheduled = sales::create(
        &mut app.conn(),
        &NewSale {
            name: "Plus tard".into(),
            starts_at: t0 + Duration::days(2),
            ends_at: t0 + Duration::days(3),
            reduction: Reduction::Percent(1000),
            products: vec![mustard],
        },
        Some(admin),
        t0,
    )
    .unwrap();
    let b = app.browser();
    assert_eq!(
        b.get(&format!("/products/{OIL}")).texts(".sale-badge"),
        vec!["−10\u{a0}%"]
    );
    let t1 = now();
    sales::end(&mut app.conn(), running, admin, t1).unwrap();
    sales::end(&mut app.conn(), scheduled, admin, t1).unwrap();
    assert!(b
        .get(&format!("/products/{OIL}"))
        .texts(".sale-badge")
        .is_empty());
    let listed = sales::all(&mut app.conn(), now()).unwrap();
    assert_eq!(listed.len(), 1, "the scheduled one is withdrawn");
    assert_eq!(listed[0].state, "over");
    assert_eq!(app.count("audit_log WHERE action LIKE 'sale.%'"), 4);
}

#[test]
fn staff_make_a_sale_over_a_department_from_the_back_office_and_bad_input_is_kept() {
    let app = TestApp::spawn();
    let staff = app.login_as(comptoir::auth::Role::Staff);
    let page = staff.get("/admin/sales");
    assert_eq!(page.status, Status::Ok);
    assert!(page
        .texts(".admin-nav a")
        .contains(&"Promotions".to_string()));
    let department: i64 = comptoir::db::schema::categories::table
        .filter(comptoir::db::schema::categories::slug.eq("epicerie-fine"))
        .select(comptoir::db::schema::categories::id)
        .first(&mut app.conn())
        .unwrap();
    let department = department.to_string();
    let paris = |hours: i64| {
        (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris) + Duration::hours(hours))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let tomorrow = paris(24);

    // Nothing said: each missing part named next to its field.
    let empty = staff.submit("/admin/sales", &[("name", "")]);
    assert_eq!(empty.status, Status::UnprocessableEntity);
    for id in ["#e-name", "#e-percent", "#e-products", "#e-ends"] {
        assert_eq!(empty.texts(id).len(), 1, "{id}");
    }
    // A price above the product's: refused, what was typed kept.
    let above = staff.submit(
        "/admin/sales",
        &[
            ("name", "Trop cher"),
            ("price", "25,00"),
            ("products", OIL),
            ("ends", tomorrow.as_str()),
        ],
    );
    assert_eq!(above.status, Status::UnprocessableEntity);
    assert_eq!(
        above.texts("#e-price"),
        vec!["Le prix promotionnel de « Huile d'olive vierge extra de Provence 50 cl » doit être inférieur à son prix."]
    );
    assert_eq!(above.attr("#f-price", "value"), Some("25,00".into()));
    assert_eq!(above.attr("#f-ends", "value"), Some(tomorrow.clone()));

    // "Soldes" only within the legal periods (Code de commerce L310-3): refused after the next
    // one, accepted within it.
    let (start, end) = comptoir::catalog::sales::next_soldes(chrono::Utc::now().naive_utc());
    let local = |at: chrono::NaiveDateTime| {
        at.and_utc()
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let (after, later) = (
        local(end + Duration::days(10)),
        local(end + Duration::days(20)),
    );
    let soldes = staff.submit(
        "/admin/sales",
        &[
            ("name", "Soldes de printemps"),
            ("percent", "30"),
            ("products", OIL),
            ("starts", after.as_str()),
            ("ends", later.as_str()),
        ],
    );
    assert_eq!(
        soldes.status,
        Status::UnprocessableEntity,
        "{}",
        soldes.body
    );
    let message = soldes.texts("#e-name").join("");
    assert!(
        message.contains("réservé aux périodes légales")
            && message.contains(
                &start
                    .and_utc()
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            ),
        "{message}"
    );
    assert_eq!(
        soldes.attr("#f-name", "value"),
        Some("Soldes de printemps".into())
    );
    // Goods in soldes were on sale a month before they start (L310-3 I).
    let created = |slug: &str, at: chrono::NaiveDateTime| {
        diesel::update(
            comptoir::db::schema::products::table
                .filter(comptoir::db::schema::products::slug.eq(slug)),
        )
        .set(comptoir::db::schema::products::created_at.eq(at))
        .execute(&mut app.conn())
        .unwrap();
    };
    created("fleur-de-sel-de-guerande-250-g", start - Duration::days(62));
    created(MUSTARD, start - Duration::days(10));
    let (in_start, in_end) = (
        local(start.max(chrono::Utc::now().naive_utc())),
        local(end - Duration::days(1)),
    );
    let legal = staff.submit(
        "/admin/sales",
        &[
            ("name", "Soldes d'hiver"),
            ("percent", "30"),
            ("products", "fleur-de-sel-de-guerande-250-g"),
            ("starts", in_start.as_str()),
            ("ends", in_end.as_str()),
        ],
    );
    let too_new = staff.submit(
        "/admin/sales",
        &[
            ("name", "Soldes d'hiver"),
            ("percent", "30"),
            ("products", MUSTARD),
            ("starts", in_start.as_str()),
            ("ends", in_end.as_str()),
        ],
    );
    assert_eq!(too_new.status, Status::UnprocessableEntity);
    assert_eq!(
        too_new.texts("#e-products"),
        vec!["« Moutarde de Dijon à l'ancienne » n’était pas en vente un mois avant le début des soldes : il ne peut pas être soldé (code de commerce, art. L310-3)."]
    );
    assert_eq!(legal.status, Status::SeeOther, "{}", legal.body);
    assert_eq!(legal.header("Location"), Some("/admin/sales"));

    // 10 % off the department, from now until tomorrow.
    let made = staff.submit(
        "/admin/sales",
        &[
            ("name", "Semaine de l'épicerie"),
            ("percent", "10"),
            ("category_id", department.as_str()),
            ("ends", tomorrow.as_str()),
        ],
    );
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let listed = staff.get("/admin/sales");
    assert_eq!(listed.texts(".sale-state"), vec!["Programmée", "En cours"]);
    assert!(listed
        .texts(".sale-row")
        .join(" ")
        .contains("Moutarde de Dijon"));
    let b = app.browser();
    assert_eq!(
        b.get(&format!("/products/{MUSTARD}")).texts(".price.big"),
        vec!["Prix de référence : 4,50\u{a0}€ −10\u{a0}% 4,05\u{a0}€"]
    );
    // The same products again at the same time: refused.
    let again = staff.submit(
        "/admin/sales",
        &[
            ("name", "Encore"),
            ("percent", "5"),
            ("products", MUSTARD),
            ("starts", paris(2).as_str()),
            ("ends", paris(30).as_str()),
        ],
    );
    assert_eq!(again.status, Status::UnprocessableEntity);
    assert!(again.texts("#e-products")[0].contains("déjà en promotion"));

    // Stopped now: prices are the products' own again.
    let id: i64 = comptoir::db::schema::sales::table
        .filter(comptoir::db::schema::sales::name.eq("Semaine de l'épicerie"))
        .select(comptoir::db::schema::sales::id)
        .first(&mut app.conn())
        .unwrap();
    let ended = staff.submit(&format!("/admin/sales/{id}/end"), &[]);
    assert_eq!(ended.status, Status::SeeOther);
    assert_eq!(
        staff.get("/admin/sales").texts(".sale-state"),
        vec!["Programmée", "Terminée"]
    );
    assert_eq!(
        b.get(&format!("/products/{MUSTARD}")).texts(".price.big"),
        vec!["4,50\u{a0}€"]
    );
}

#[test]
fn a_sale_that_ends_between_review_and_order_is_repriced_with_a_clear_message() {
    let app = TestApp::spawn();
    let oil = app.product_id(OIL);
    app.set_stock(OIL, 10);
    let admin = app.create_user("sales@example.fr", comptoir::auth::Role::Admin);
    let sale = sales::create(
        &mut app.conn(),
        &NewSale {
            name: "Courte".into(),
            starts_at: now() - Duration::hours(1),
            ends_at: now() + Duration::hours(1),
            reduction: Reduction::Price(Money(1490)),
            products: vec![oil],
        },
        Some(admin),
        now(),
    )
    .unwrap();
    let b = app.browser();
    add(&app, &b, OIL, 1);
    let fields = address("fin@example.fr");
    let review = b.submit("/checkout", &crate::helpers::as_refs(&fields));
    assert_eq!(review.status, Status::Ok);
    let key = review
        .attr("form.confirm input[name=key]", "value")
        .unwrap();
    let total = review
        .attr("form.confirm input[name=total]", "value")
        .unwrap();

    // The sale ends while the buyer reads the review.
    sales::end(&mut app.conn(), sale, admin, now()).unwrap();
    let confirm = |total: &str| {
        let mut all = crate::helpers::as_refs(&fields);
        all.push(("key", key.as_str()));
        all.push(("total", total));
        all.push(("accept_terms", "true"));
        b.submit("/checkout/confirm", &all)
    };
    let again = confirm(&total);
    assert_eq!(again.status, Status::UnprocessableEntity);
    assert_eq!(
        app.count("orders"),
        0,
        "nothing ordered at a price not reviewed"
    );
    assert!(again.texts(".total-changed")[0].contains("Le total a changé"));
    assert!(again.texts(".totals").join(" ").contains("18,90"));
    let new_total = again
        .attr("form.confirm input[name=total]", "value")
        .unwrap();
    assert_ne!(new_total, total);
    // Confirmed at the new total: the order is placed at the product's own price.
    let placed = confirm(&new_total);
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let unit: i64 = order_lines::table
        .select(order_lines::unit_price_cents)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(unit, 1890);
}

#[test]
fn sorting_and_filtering_by_price_follow_the_sale_price() {
    let app = TestApp::spawn();
    let oil = app.product_id(OIL);
    let b = app.browser();
    let cheapest = |b: &crate::helpers::Browser<'_>| {
        b.get("/categories/epicerie-fine?sort=price_asc")
            .texts(".card .card-name")
            .first()
            .cloned()
            .unwrap()
    };
    assert_ne!(cheapest(&b), "Huile d'olive vierge extra de Provence 50 cl");
    let under = |b: &crate::helpers::Browser<'_>| {
        b.get("/categories/epicerie-fine?max=2,50")
            .texts(".card .card-name")
    };
    assert!(under(&b).is_empty());
    sales::create(
        &mut app.conn(),
        &NewSale {
            name: "Huile à 2 €".into(),
            starts_at: now() - Duration::minutes(1),
            ends_at: now() + Duration::hours(1),
            reduction: Reduction::Price(Money(200)),
            products: vec![oil],
        },
        None,
        now(),
    )
    .unwrap();
    assert_eq!(cheapest(&b), "Huile d'olive vierge extra de Provence 50 cl");
    assert_eq!(
        under(&b),
        vec!["Huile d'olive vierge extra de Provence 50 cl"]
    );
}
