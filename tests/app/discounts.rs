//! Discount codes: staff create and pause them (audited); a customer applies one to the cart
//! and the order, the invoice and a later credit note carry its VAT per rate to the cent; each
//! reason a code does not apply is said on the cart page with the code kept; a code limited to
//! 10 uses gives exactly 10 orders among 100 at once.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{
    audit_log, discount_codes, discount_redemptions, invoices, order_lines, order_vat, orders,
    products,
};
use comptoir::discounts::model::{self as discounts, NewCode};
use comptoir::discounts::rules::{Kind, Scope};
use comptoir::money::{Money, VatRate};

use crate::concurrency::{confirm_at_once, product_id, ready_to_confirm};
use crate::helpers::{address, as_refs, set_stock_of, Browser, Options, Page, TestApp};
use crate::orders::{add, checkout, MUSTARD};
use crate::server::TestServer;

const WINE: &str = "cotes-du-rhone-villages-rouge-2022"; // 14,50 € at 20 %

fn euros(cents: i64) -> String {
    Money(cents).format("fr")
}

fn audit_actions(app: &TestApp) -> Vec<String> {
    audit_log::table
        .filter(audit_log::action.like("discount.%"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut app.conn())
        .unwrap()
}

fn create(staff: &Browser<'_>, fields: &[(&str, &str)]) -> crate::helpers::Page {
    staff.submit("/admin/discounts", fields)
}

/// A code straight into the database, as staff would create it.
fn code_in(
    conn: &mut comptoir::db::DbConn,
    actor: comptoir::ids::UserId,
    new: NewCode,
) -> comptoir::ids::CodeId {
    discounts::create(conn, &new, actor).expect("create code")
}

fn plain(code: &str, kind: Kind, value: i64) -> NewCode {
    NewCode {
        code: code.into(),
        kind,
        value,
        scope: Scope::Basket,
        category_id: None,
        products: Vec::new(),
        min_basket_cents: comptoir::money::Money::ZERO,
        starts_at: None,
        ends_at: None,
        max_uses: None,
        max_uses_per_customer: None,
        automatic: false,
    }
}

#[test]
fn a_customer_s_code_is_spread_over_the_lines_and_the_vat_holds_to_the_cent() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);

    // Bad input: the form again, with what was typed and a message per field.
    let bad = create(
        &staff,
        &[
            ("code", "a b"),
            ("kind", "percent"),
            ("value", "250"),
            ("scope", "basket"),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.attr("#f-code", "value").as_deref(), Some("a b"));
    assert_eq!(bad.attr("#f-value", "value").as_deref(), Some("250"));
    assert_eq!(bad.texts(".error-summary li").len(), 2, "{}", bad.body);
    assert_eq!(app.count("discount_codes"), 0);

    let fields = [
        ("code", "hiver10"),
        ("kind", "percent"),
        ("value", "10"),
        ("scope", "basket"),
        ("min_basket", "10"),
        ("max_uses", "10"),
        ("max_uses_per_customer", "1"),
    ];
    let made = create(&staff, &fields);
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let taken = create(&staff, &fields);
    assert_eq!(taken.status, Status::UnprocessableEntity);
    assert!(taken.body.contains("Ce code existe déjà"));
    assert_eq!(audit_actions(&app), vec!["discount.create"]);

    // 2 mustards (9,00 € at 5,5 %) and a wine (14,50 € at 20 %), 10 % off.
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, WINE, 1);
    let applied = b.submit("/cart/discount", &[("code", " Hiver10 ")]);
    assert_eq!(applied.status, Status::SeeOther, "{}", applied.body);
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".totals .discount td"), vec![euros(-235)]);
    assert_eq!(
        cart.texts(".totals .grand td"),
        vec![euros(2350 - 235)],
        "{}",
        cart.body
    );

    let placed = checkout(&b, &address("remise@example.fr"));
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let (number, id, code, total, vat): (String, i64, Option<String>, i64, i64) = orders::table
        .select((
            orders::number,
            orders::id,
            orders::discount_code,
            orders::total_cents,
            orders::vat_cents,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(code.as_deref(), Some("HIVER10"));
    assert_eq!(total, 2350 - 235 + 490);
    let lines: Vec<(i32, i64, i64)> = order_lines::table
        .filter(order_lines::order_id.eq(id))
        .select((
            order_lines::vat_rate_bp,
            order_lines::line_total_cents,
            order_lines::discount_cents,
        ))
        .load(&mut app.conn())
        .unwrap();
    let mut shares: Vec<(i32, i64)> = lines.iter().map(|l| (l.0, l.2)).collect();
    shares.sort();
    assert_eq!(shares, vec![(550, 90), (2000, 145)]);
    // Each rate's charge is its lines less their discount plus its share of shipping, and its
    // VAT is the VAT included in that: the rows add up to the order.
    let rates: Vec<(i32, i64, i64, i64)> = order_vat::table
        .filter(order_vat::order_id.eq(id))
        .select((
            order_vat::rate_bp,
            order_vat::gross_cents,
            order_vat::shipping_cents,
            order_vat::vat_cents,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rates.len(), 2);
    for (rate, gross, shipping, rate_vat) in &rates {
        let paid: i64 = lines
            .iter()
            .filter(|l| l.0 == *rate)
            .map(|l| l.1 - l.2)
            .sum();
        assert_eq!(*gross, paid + shipping, "rate {rate}");
        let r = VatRate::from_basis_points(*rate).unwrap();
        assert_eq!(*rate_vat, r.included_in(Money(*gross)).0);
    }
    assert_eq!(rates.iter().map(|r| r.1).sum::<i64>(), total);
    assert_eq!(rates.iter().map(|r| r.3).sum::<i64>(), vat);

    // The invoice: the lines at their price, the discount per rate, the same totals.
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    let doc = staff.get(&format!("/orders/{number}/documents/F{year}-000001"));
    assert_eq!(doc.status, Status::Ok);
    // Excluding tax, as the lines are (CGI art. 242 nonies A).
    let net = |rate: comptoir::money::VatRate, gross: i64| {
        gross - rate.included_in(comptoir::money::Money(gross)).0
    };
    assert_eq!(
        doc.texts(".discount-line .line-total"),
        vec![
            euros(-net(comptoir::money::VatRate::Standard, 145)),
            euros(-net(comptoir::money::VatRate::Reduced, 90))
        ]
    );
    assert_eq!(doc.texts(".invoice-total"), vec![euros(total)]);
    let listed: i64 = doc
        .texts(".line .line-total")
        .iter()
        .map(|t| {
            Money::parse_euros(t.trim_start_matches('-'))
                .map(|m| if t.starts_with('-') { -m.0 } else { m.0 })
                .unwrap()
        })
        .sum();
    // The lines are excluding tax, each rounded to the cent: they add up to the total
    // excluding tax within a cent a line (the VAT per rate below is the one charged).
    let lines = doc.texts(".line .line-total").len() as i64;
    let net_total = total - vat;
    assert!(
        (listed - net_total).abs() <= lines,
        "the document's lines add up to its total excluding tax: {listed} vs {net_total}"
    );
    let (inv_total, inv_vat): (i64, i64) = invoices::table
        .filter(invoices::kind.eq("invoice"))
        .select((invoices::total_cents, invoices::vat_cents))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((inv_total, inv_vat), (total, vat));
    let pdf = staff.get_bytes(&format!("/orders/{number}/documents/F{year}-000001.pdf"));
    assert_eq!(pdf.0, Status::Ok);

    // A credit note for the two mustards gives back what was paid for them: 8,10 € at 5,5 %.
    let mustard: i64 = order_lines::table
        .filter(order_lines::order_id.eq(id))
        .filter(order_lines::product_slug.eq(MUSTARD))
        .select(order_lines::id)
        .first(&mut app.conn())
        .unwrap();
    let qty = format!("qty[{mustard}]");
    let done = crate::refunds::refund(
        &staff,
        &number,
        &[(qty.as_str(), "2"), ("reason", "Pots cassés")],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let note: (i64, i64) = invoices::table
        .filter(invoices::kind.eq("credit_note"))
        .select((invoices::total_cents, invoices::vat_cents))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        note,
        (-810, -VatRate::Reduced.included_in(Money(810)).0),
        "what was paid for them, not their price"
    );

    // Used once by this address: a second order with it is refused at the review, which
    // shows the total without it; the order goes through at that total.
    let again = app.browser();
    add(&app, &again, WINE, 1);
    assert_eq!(
        again
            .submit("/cart/discount", &[("code", "HIVER10")])
            .status,
        Status::SeeOther,
        "the cart does not know who is buying yet"
    );
    let fields = address("remise@example.fr");
    let review = again.submit("/checkout", &as_refs(&fields));
    assert_eq!(review.status, Status::Ok);
    assert!(
        review
            .texts(".discount-error")
            .join(" ")
            .contains("déjà utilisé"),
        "{:?}",
        review.texts(".discount-error")
    );
    assert_eq!(review.texts(".totals .grand td"), vec![euros(1450 + 490)]);
    let key = review
        .attr("form[action='/checkout/confirm'] input[name=key]", "value")
        .unwrap();
    let mut all = as_refs(&fields);
    all.push(("key", key.as_str()));
    all.push(("accept_terms", "true"));
    all.push(("adult", "true"));
    assert_eq!(
        again.submit("/checkout/confirm", &all).status,
        Status::SeeOther
    );
    let totals: Vec<i64> = orders::table
        .order(orders::id)
        .select(orders::total_cents)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(totals, vec![total, 1450 + 490]);
    assert_eq!(app.count("discount_redemptions"), 1);

    // Staff see the use, and pause the code.
    let list = staff.get("/admin/discounts");
    assert_eq!(list.texts(".discount-usage").len(), 1);
    assert!(list.texts(".discount-usage")[0].starts_with("1 / 10"));
    let code_id: i64 = discount_codes::table
        .select(discount_codes::id)
        .first(&mut app.conn())
        .unwrap();
    let paused = staff.submit(
        &format!("/admin/discounts/{code_id}/active"),
        &[("active", "false")],
    );
    assert_eq!(paused.status, Status::SeeOther);
    assert_eq!(
        audit_actions(&app),
        vec!["discount.create", "discount.pause"]
    );
    let later = app.browser();
    add(&app, &later, WINE, 1);
    let refused = refused_code(&later, "hiver10");
    assert!(refused.body.contains("est suspendu"));
    let customer = app.login_as(Role::Customer);
    assert_eq!(customer.get("/admin/discounts").status, Status::Forbidden);
}

#[test]
fn each_refusal_says_why_on_the_cart_page_with_the_basket_and_the_code_kept() {
    let app = TestApp::spawn();
    let actor = app.create_user("marketing@example.fr", Role::Staff);
    let mut conn = app.conn();
    let day = chrono::Duration::days(1);
    let now = comptoir::db::now();
    let wine = app.product_id(WINE);
    let mustard_category: comptoir::ids::CategoryId = products::table
        .filter(products::slug.eq(MUSTARD))
        .select(products::category_id.assume_not_null())
        .first(&mut conn)
        .unwrap();
    let codes = [
        NewCode {
            ends_at: Some(now - day),
            ..plain("OLD", Kind::Percent, 1000)
        },
        NewCode {
            starts_at: Some(now + day),
            ..plain("SOON", Kind::Percent, 1000)
        },
        NewCode {
            min_basket_cents: comptoir::money::Money(10_000),
            ..plain("BIG", Kind::Amount, 1000)
        },
        NewCode {
            scope: Scope::Products,
            products: vec![wine],
            ..plain("WINEONLY", Kind::Percent, 1000)
        },
        NewCode {
            max_uses: Some(1),
            ..plain("ONCE", Kind::FreeShipping, 0)
        },
        NewCode {
            scope: Scope::Category,
            category_id: Some(mustard_category),
            ..plain("EPICERIE", Kind::Amount, 100)
        },
    ];
    for code in codes {
        code_in(&mut conn, actor, code);
    }
    diesel::update(discount_codes::table.filter(discount_codes::code.eq("ONCE")))
        .set(discount_codes::uses.eq(1))
        .execute(&mut conn)
        .unwrap();

    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    for (typed, says) in [
        ("nope", "« NOPE » n’existe pas"),
        ("", "Saisissez un code"),
        ("old", "a expiré"),
        ("soon", "pas encore valable"),
        ("big", "au moins 100,00"),
        ("wineonly", "ne s’applique à aucun article"),
        ("once", "a atteint son nombre d’utilisations"),
    ] {
        let page = refused_code(&b, typed);
        let error = page.texts("#e-code").join(" ");
        assert!(error.contains(says), "{typed}: {error}");
        assert_eq!(page.attr("#f-code", "value").as_deref(), Some(typed));
        assert_eq!(page.texts(".cart .line").len(), 1, "the basket is kept");
        assert!(page.texts(".totals .discount").is_empty());
    }
    // A department's code takes off the department's goods only.
    add(&app, &b, WINE, 1);
    assert_eq!(
        b.submit("/cart/discount", &[("code", "epicerie")]).status,
        Status::SeeOther
    );
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".totals .discount td"), vec![euros(-100)]);
    // Removing it.
    assert_eq!(
        b.submit("/cart/discount/remove", &[]).status,
        Status::SeeOther
    );
    assert!(b.get("/cart").texts(".totals .discount").is_empty());
}

/// 100 buyers confirm at once with a code limited to 10 uses: exactly 10 orders carry it, the
/// others are told on the review page, nothing fails.
#[test]
fn a_code_limited_to_ten_uses_gives_exactly_ten_orders_among_a_hundred() {
    const BUYERS: usize = 100;
    let server = TestServer::start(Options::default());
    let salt = "fleur-de-sel-de-guerande-250-g";
    set_stock_of(&mut server.conn(), salt, 1000);
    let actor = crate::helpers::create_user_in(&mut server.conn(), "m@example.fr", Role::Staff);
    code_in(
        &mut server.conn(),
        actor,
        NewCode {
            max_uses: Some(10),
            ..plain("DIX", Kind::Amount, 100)
        },
    );
    let product = product_id(&server, salt);
    let buyers: Vec<_> = (0..BUYERS)
        .map(|i| {
            let client = server.client();
            let added = client.submit(
                "/",
                "/cart/add",
                &[("product_id", product.as_str()), ("quantity", "1")],
            );
            assert_eq!(added.status, 303);
            let applied = client.submit("/cart", "/cart/discount", &[("code", "DIX")]);
            assert_eq!(applied.status, 303, "{}", applied.body);
            // Already in the cart: ready_to_confirm adds one more unit, and reviews.
            let (fields, key) = ready_to_confirm(&client, &product, &format!("b{i}@example.fr"));
            (client, fields, key)
        })
        .collect();
    let outcomes = confirm_at_once(&buyers);
    let placed = outcomes.iter().filter(|o| o.0 == 303).count();
    let told = outcomes.iter().filter(|o| o.0 == 422).count();
    assert_eq!(
        (placed, told),
        (10, BUYERS - 10),
        "{:?}",
        outcomes.iter().map(|o| o.0).collect::<Vec<_>>()
    );
    let mut conn = server.conn();
    let with_code: i64 = orders::table
        .filter(orders::discount_code.eq("DIX"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(with_code, 10);
    let uses: i32 = discount_codes::table
        .select(discount_codes::uses)
        .first(&mut conn)
        .unwrap();
    assert_eq!(uses, 10);
    let redeemed: i64 = discount_redemptions::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(redeemed, 10);
}

#[test]
fn an_automatic_promotion_applies_untyped_and_a_typed_code_replaces_it() {
    let app = TestApp::spawn();
    let actor = app.create_user("marketing@example.fr", Role::Staff);
    let mut conn = app.conn();
    let mustard_category: comptoir::ids::CategoryId = products::table
        .filter(products::slug.eq(MUSTARD))
        .select(products::category_id.assume_not_null())
        .first(&mut conn)
        .unwrap();
    let promotion = code_in(
        &mut conn,
        actor,
        NewCode {
            scope: Scope::Category,
            category_id: Some(mustard_category),
            automatic: true,
            ..plain("EPICERIE5", Kind::Percent, 500)
        },
    );
    code_in(&mut conn, actor, plain("DEUX", Kind::Amount, 200));

    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, WINE, 1);
    // 5 % of the mustards' 9,00 €, without typing anything.
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".totals .discount td"), vec![euros(-45)]);
    assert!(cart.texts(".discount-automatic")[0].contains("EPICERIE5"));
    // A code typed takes its place; removed, the promotion is back.
    assert_eq!(
        b.submit("/cart/discount", &[("code", "deux")]).status,
        Status::SeeOther
    );
    assert_eq!(
        b.get("/cart").texts(".totals .discount td"),
        vec![euros(-200)]
    );
    b.submit("/cart/discount/remove", &[]);
    assert_eq!(
        b.get("/cart").texts(".totals .discount td"),
        vec![euros(-45)]
    );

    assert_eq!(
        checkout(&b, &address("auto@example.fr")).status,
        Status::SeeOther
    );
    let (code, total): (Option<String>, i64) = orders::table
        .select((orders::discount_code, orders::total_cents))
        .first(&mut conn)
        .unwrap();
    assert_eq!(code.as_deref(), Some("EPICERIE5"));
    assert_eq!(total, 2350 - 45 + 490);
    let uses: i32 = discount_codes::table
        .find(promotion)
        .select(discount_codes::uses)
        .first(&mut conn)
        .unwrap();
    assert_eq!(uses, 1);
    assert_eq!(app.count("discount_redemptions"), 1);

    // Paused, it no longer applies.
    discounts::set_active(&mut conn, promotion, false, actor).unwrap();
    let later = app.browser();
    add(&app, &later, MUSTARD, 1);
    assert!(later.get("/cart").texts(".totals .discount").is_empty());
}

/// Standard delivery is free from the shop's threshold, counted on the goods after the
/// discount; the pages say so; a threshold typed wrong gets its message.
#[test]
fn standard_shipping_is_free_from_the_threshold_counted_after_the_discount() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let mut fields = crate::admin_staff::settings_fields("de89 3704 0044 0532 0130 00", "Comptoir");
    fields.push(("free_shipping_from", "-3"));
    let bad = admin.submit("/admin/settings", &fields);
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.texts("#e-free_shipping_from").len(), 1);
    assert_eq!(
        bad.attr("input[name=free_shipping_from]", "value")
            .as_deref(),
        Some("-3")
    );
    fields.pop();
    fields.push(("free_shipping_from", "20"));
    let ok = admin.submit("/admin/settings", &fields);
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let actor = app.create_user("marketing@example.fr", Role::Staff);
    code_in(&mut app.conn(), actor, plain("CINQ", Kind::Amount, 500));

    // 23,50 € of goods: standard delivery is free.
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, WINE, 1);
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".free-shipping-from").len(), 1);
    assert_eq!(
        checkout(&b, &address("seuil@example.fr")).status,
        Status::SeeOther
    );
    // The same less 5,00 € is below 20,00 €: the shop's standard price (5,50 €) applies.
    let c = app.browser();
    add(&app, &c, MUSTARD, 2);
    add(&app, &c, WINE, 1);
    assert_eq!(
        c.submit("/cart/discount", &[("code", "cinq")]).status,
        Status::SeeOther
    );
    let review = c.submit("/checkout", &as_refs(&address("seuil2@example.fr")));
    assert_eq!(
        review.texts(".totals .grand td"),
        vec![euros(2350 - 500 + 550)]
    );
    assert_eq!(
        checkout(&c, &address("seuil2@example.fr")).status,
        Status::SeeOther
    );
    let shipping: Vec<(i64, i64)> = orders::table
        .order(orders::id)
        .select((orders::shipping_cents, orders::total_cents))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(shipping, vec![(0, 2350), (550, 2350 - 500 + 550)]);
}

/// A cancelled order gives its code's use back: a code for one order serves again.
#[test]
fn a_cancelled_order_gives_its_code_s_use_back() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let actor = app.create_user("marketing@example.fr", Role::Staff);
    code_in(
        &mut app.conn(),
        actor,
        NewCode {
            max_uses: Some(1),
            ..plain("UNIQUE", Kind::Amount, 100)
        },
    );
    let order_with_code = |email: &str| {
        let b = app.browser();
        add(&app, &b, WINE, 1);
        b.submit("/cart/discount", &[("code", "unique")]);
        assert_eq!(checkout(&b, &address(email)).status, Status::SeeOther);
        let (number, code): (String, Option<String>) = orders::table
            .order(orders::id.desc())
            .select((orders::number, orders::discount_code))
            .first(&mut app.conn())
            .unwrap();
        (number, code)
    };
    let (first, code) = order_with_code("premier@example.fr");
    assert_eq!(code.as_deref(), Some("UNIQUE"));
    let used_up = app.browser();
    add(&app, &used_up, WINE, 1);
    refused_code(&used_up, "unique");

    let cancelled = staff.submit(
        &format!("/admin/orders/{first}/step"),
        &[("step", "cancel")],
    );
    assert_eq!(cancelled.status, Status::SeeOther);
    let uses: i32 = discount_codes::table
        .select(discount_codes::uses)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(uses, 0);
    assert_eq!(app.count("discount_redemptions"), 0);
    let (_, code) = order_with_code("second@example.fr");
    assert_eq!(code.as_deref(), Some("UNIQUE"), "the code serves again");
}

/// Types a code that does not apply: the form redirects to the cart page (a reload does not
/// post again), which says why with the code kept; that page, after checking the redirect.
fn refused_code(b: &Browser<'_>, typed: &str) -> Page {
    let posted = b.submit("/cart/discount", &[("code", typed)]);
    assert_eq!(posted.status, Status::SeeOther, "{typed}");
    let to = posted.location.clone().expect("a redirect");
    assert!(to.starts_with("/cart"), "{to}");
    let page = b.get(&to);
    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.attr("#f-code", "value").as_deref(), Some(typed.trim()));
    assert!(
        !page.texts("#e-code").is_empty(),
        "{typed}: a reason is given"
    );
    page
}

#[test]
fn a_refused_code_is_not_posted_again_and_a_long_one_is_cut() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let long = "X".repeat(3000);
    let posted = b.submit("/cart/discount", &[("code", &long)]);
    assert_eq!(posted.status, Status::SeeOther);
    let to = posted.location.clone().expect("a redirect");
    assert!(
        to.len() < 200,
        "the typed code is cut before it travels: {to}"
    );
    let page = b.get(&to);
    let kept = page.attr("#f-code", "value").unwrap_or_default();
    assert_eq!(kept.chars().count(), 64);
    let error = page.texts("#e-code").join(" ");
    assert!(error.contains("n’existe pas"), "{error}");
    assert!(error.chars().count() < 200, "{error}");
    // Reading the page writes nothing: no code is set on the cart.
    assert!(page.texts(".totals .discount").is_empty());
    assert!(b.get("/cart").texts("#e-code").is_empty());
}

#[test]
fn the_demo_s_codes_work_as_the_readme_says() {
    let app = TestApp::spawn();
    let owner = app.create_user("demo@example.fr", Role::Admin);
    assert_eq!(
        comptoir::seed::demo_discounts(&mut app.conn(), owner),
        Ok(3)
    );
    assert_eq!(
        comptoir::seed::demo_discounts(&mut app.conn(), owner),
        Ok(0),
        "once"
    );
    let b = app.browser();
    add(&app, &b, WINE, 2);
    // 29,00 € of goods: below BIENVENUE10's 30,00 €.
    refused_code(&b, "BIENVENUE10");
    add(&app, &b, MUSTARD, 1);
    assert_eq!(
        b.submit("/cart/discount", &[("code", "bienvenue10")])
            .status,
        Status::SeeOther
    );
    assert_eq!(
        b.get("/cart").texts(".totals .discount td"),
        vec![euros(-335)]
    );
    // CAVE5 needs 40,00 € and takes off the cellar's bottles only.
    refused_code(&b, "CAVE5");
}
