//! Rough edges a customer or a shop owner met (issue #26), each with its test: the checkout's
//! sign-in hint reads as one sentence, a collected order does not call the customer's address
//! a delivery address, emails end on a link not on a dangling label, English emails use English
//! punctuation, and the dashboard's revenue is what the shop keeps after refunds.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, orders};

use crate::helpers::{address, TestApp};
use crate::orders::{add, checkout, MUSTARD};

fn last_order(app: &TestApp) -> (String, i64) {
    orders::table
        .order(orders::id.desc())
        .select((orders::number, orders::total_cents))
        .first(&mut app.conn())
        .unwrap()
}

fn confirmation(app: &TestApp, to: &str) -> (String, String) {
    email_outbox::table
        .filter(email_outbox::kind.eq("order_confirmation"))
        .filter(email_outbox::to_address.eq(to))
        .select((email_outbox::body_text, email_outbox::body_html))
        .first(&mut app.conn())
        .unwrap()
}

#[test]
fn the_checkout_hint_reads_as_one_sentence() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let page = b.get("/checkout");
    let hint = page.texts(".hint").join(" | ");
    assert!(
        hint.contains("Commandez sans compte, ou connectez-vous"),
        "{hint}"
    );
}

#[test]
fn a_collected_order_shows_the_customer_s_details_not_a_delivery_address() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let mut fields = address("collects@example.fr");
    for (k, v) in fields.iter_mut() {
        match *k {
            "shipping" => *v = "pickup".into(),
            "payment" => *v = "on_pickup".into(),
            _ => {}
        }
    }
    let placed = checkout(&b, &fields);
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let page = b.get(placed.location.as_deref().unwrap());
    assert_eq!(page.texts(".address-heading"), vec!["Vos coordonnées"]);
    let (text, html) = confirmation(&app, "collects@example.fr");
    assert!(
        text.contains("Vos coordonnées (commande à retirer) :"),
        "{text}"
    );
    assert!(!text.contains("Adresse de livraison"));
    // The email's link is a link, not a label left hanging.
    assert!(html.contains(">Suivre votre commande</a>"), "{html}");
    let (number, _) = last_order(&app);
    let staff = app.login_as(Role::Staff);
    assert_eq!(
        staff
            .get(&format!("/admin/orders/{number}"))
            .texts(".address-heading"),
        vec!["Coordonnées du client (retrait)"]
    );

    // A delivered one keeps its delivery address; in English, English punctuation.
    let en = app.browser();
    en.submit("/lang", &[("lang", "en"), ("next", "/")]);
    add(&app, &en, MUSTARD, 1);
    let placed = checkout(&en, &address("delivered@example.com"));
    let page = en.get(placed.location.as_deref().unwrap());
    assert_eq!(page.texts(".address-heading"), vec!["Shipping address"]);
    let (text, html) = confirmation(&app, "delivered@example.com");
    assert!(text.contains("Shipping address:\n"), "{text}");
    assert!(html.contains(">Follow your order</a>"));
}

#[test]
fn the_dashboard_s_revenue_is_what_the_shop_keeps_after_refunds() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    assert_eq!(
        checkout(&b, &address("refunded-in-part@example.fr")).status,
        Status::SeeOther
    );
    let (number, total) = last_order(&app);
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    let revenue = |staff: &crate::helpers::Browser<'_>| -> Vec<String> {
        staff.get("/admin").texts(".period-1 .revenue")
    };
    let euros = |cents: i64| comptoir::money::Money(cents).format("fr");
    assert_eq!(revenue(&staff), vec![euros(total)]);
    // One jar of two refunded: the day's revenue falls by what was given back.
    let line: i64 = comptoir::db::schema::order_lines::table
        .inner_join(orders::table)
        .filter(orders::number.eq(&number))
        .select(comptoir::db::schema::order_lines::id)
        .first(&mut app.conn())
        .unwrap();
    let refunded = crate::refunds::refund(&staff, &number, &[(&format!("qty[{line}]"), "1")]);
    assert_eq!(refunded.status, Status::SeeOther, "{}", refunded.body);
    let given: i64 = comptoir::db::schema::refunds::table
        .select(comptoir::db::schema::refunds::total_cents)
        .first(&mut app.conn())
        .unwrap();
    assert!(given > 0);
    assert_eq!(revenue(&staff), vec![euros(total - given)]);
}

#[test]
fn a_field_filled_too_long_is_told_its_limit_not_that_it_is_required() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let long = "A".repeat(3000);
    let mut fields = address("long@example.fr");
    for (k, v) in fields.iter_mut() {
        if *k == "full_name" {
            *v = long.clone();
        }
        if *k == "city" {
            *v = String::new();
        }
    }
    let page = b.submit("/checkout", &crate::helpers::as_refs(&fields));
    assert_eq!(page.status, Status::UnprocessableEntity);
    let name = page.texts("#e-full_name").join("");
    assert_eq!(name, "100 caractères au plus.");
    let city = page.texts("#e-city").join("");
    assert!(city.contains("obligatoire"), "{city}");
    // The summary at the top names each field.
    let summary = page.texts(".error-summary li");
    assert!(
        summary.contains(&"Nom complet\u{a0}: 100 caractères au plus.".to_string()),
        "{summary:?}"
    );
    assert!(
        summary.iter().any(|s| s.starts_with("Ville\u{a0}: ")),
        "{summary:?}"
    );
}

#[test]
fn a_new_variant_goes_after_the_others_without_a_position_typed() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let id = app.product_id("tablier-en-toile-de-coton");
    let page = staff.get(&format!("/admin/products/{id}"));
    let offered: i32 = page
        .attr("#nv-position", "value")
        .expect("the new variant's position field")
        .parse()
        .expect("a position offered");
    let positions: Vec<i32> = comptoir::db::schema::product_variants::table
        .filter(comptoir::db::schema::product_variants::product_id.eq(id))
        .select(comptoir::db::schema::product_variants::position)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(offered, positions.iter().max().unwrap() + 1);
    // Sent without one at all: accepted.
    let added = staff.submit(
        &format!("/admin/products/{id}/variants"),
        &[
            ("sku", "TAB-XXL"),
            ("option1", "XXL"),
            ("price", ""),
            ("weight", ""),
            ("position", ""),
            ("stock", "2"),
        ],
    );
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
}

#[test]
fn a_corsican_address_is_reviewed_with_the_way_that_serves_it() {
    let app = TestApp::spawn();
    comptoir::seed::demo_shipping(&mut app.conn()).unwrap();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    // What the details page chose first: the mainland's standard way.
    let details = b.get("/checkout");
    let first = details
        .attr("input[name=shipping][checked]", "value")
        .expect("a way chosen first");
    let mut fields = address("ajaccio@example.fr");
    for (k, v) in fields.iter_mut() {
        match *k {
            "postal_code" => *v = "20000".into(),
            "city" => *v = "Ajaccio".into(),
            "shipping" => *v = first.clone(),
            _ => {}
        }
    }
    let review = b.submit("/checkout", &crate::helpers::as_refs(&fields));
    assert_eq!(review.status, Status::Ok, "{}", review.body);
    assert!(!review.texts(".shipping-adapted").is_empty());
    let chosen = review
        .attr("form.confirm input[name=shipping]", "value")
        .unwrap();
    assert_ne!(chosen, first, "Corsica's own way");
    // Ordered as reviewed.
    let key = review
        .attr("form.confirm input[name=key]", "value")
        .unwrap();
    let mut all = crate::helpers::as_refs(&fields);
    for (k, v) in all.iter_mut() {
        if *k == "shipping" {
            *v = chosen.as_str();
        }
    }
    all.push(("key", &key));
    all.push(("accept_terms", "true"));
    assert_eq!(b.submit("/checkout/confirm", &all).status, Status::SeeOther);
}

#[test]
fn english_emails_use_english_punctuation_and_french_ones_french() {
    let app = TestApp::spawn();
    let en = app.browser();
    en.submit("/lang", &[("lang", "en"), ("next", "/")]);
    add(&app, &en, MUSTARD, 1);
    assert_eq!(
        checkout(&en, &address("punctuation@example.com")).status,
        Status::SeeOther
    );
    let (text, _) = confirmation(&app, "punctuation@example.com");
    assert!(text.contains("Items: "), "{text}");
    assert!(text.contains("Total incl. VAT: "), "{text}");
    assert!(!text.contains(" :"), "{text}");
    let fr = app.browser();
    add(&app, &fr, MUSTARD, 1);
    assert_eq!(
        checkout(&fr, &address("ponctuation@example.fr")).status,
        Status::SeeOther
    );
    let (text, _) = confirmation(&app, "ponctuation@example.fr");
    assert!(text.contains("Total TTC\u{a0}: "), "{text}");
}

#[test]
fn the_review_says_at_the_top_what_stops_the_order() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, "cotes-du-rhone-villages-rouge-2022", 1);
    let fields = address("top@example.fr");
    let review = b.submit("/checkout", &crate::helpers::as_refs(&fields));
    assert!(review.texts(".error-summary").is_empty());
    let key = review
        .attr("form.confirm input[name=key]", "value")
        .unwrap();
    let mut all = crate::helpers::as_refs(&fields);
    all.push(("key", &key));
    let refused = b.submit("/checkout/confirm", &all);
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(
        refused.attrs(".error-summary a", "href"),
        vec!["#f-accept_terms".to_string()]
    );
    all.push(("accept_terms", "true"));
    let refused = b.submit("/checkout/confirm", &all);
    assert_eq!(
        refused.attrs(".error-summary a", "href"),
        vec!["#f-adult".to_string()]
    );
}

#[test]
fn an_expired_form_token_brings_the_checkout_back_filled() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let mut fields = address("lente@example.fr");
    fields.push(("_csrf", "a token from a session that has ended".to_string()));
    let body = crate::helpers::encode(&crate::helpers::as_refs(&fields));
    let posted = b.post_raw("/checkout", &body);
    assert_eq!(posted.status, Status::SeeOther, "{}", posted.body);
    assert_eq!(posted.location.as_deref(), Some("/checkout"));
    assert_eq!(app.count("orders"), 0);
    // The checkout again, filled on the server (no script needed), with the reason on top
    // and a fresh token.
    let page = b.get("/checkout");
    assert_eq!(page.status, Status::Ok);
    assert!(page.texts("#draft-notice")[0].contains("Votre session a expiré"));
    for (name, value) in [
        ("email", "lente@example.fr"),
        ("full_name", "Ana Lefèvre"),
        ("street", "12 rue des Lilas"),
        ("postal_code", "69003"),
        ("city", "Lyon"),
    ] {
        assert_eq!(
            page.attr(&format!("#f-{name}"), "value").as_deref(),
            Some(value),
            "{name}"
        );
    }
    let token = page.csrf().expect("a fresh token");
    assert_ne!(token, "a token from a session that has ended");
    // Sent again with it, the details go through to the review.
    let review = b.submit(
        "/checkout",
        &crate::helpers::as_refs(&address("lente@example.fr")),
    );
    assert_eq!(review.status, Status::Ok);
    assert!(review.texts("#draft-notice").is_empty());
}

#[test]
fn the_back_office_has_its_own_footer_and_its_tables_stack_on_a_phone() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    assert_eq!(
        checkout(&b, &address("tables@example.fr")).status,
        Status::SeeOther
    );
    let (number, _) = last_order(&app);
    admin.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    let order = admin.get(&format!("/admin/orders/{number}"));
    // Not the customers' footer (delivery prices, payment methods, legal links): the shop's
    // name and a way back to it.
    assert_eq!(order.texts("footer.admin-footer").len(), 1);
    assert!(order.texts("footer .footer-methods").is_empty());
    assert_eq!(order.attrs("footer.admin-footer a", "href"), vec!["/"]);
    // The refund form's lines are a table that stacks on a phone: each cell but the first
    // says what it holds.
    let rows = order.html();
    let cells = scraper::Selector::parse("table.refund-lines.stacks tbody td").unwrap();
    let tds: Vec<_> = rows.select(&cells).collect();
    assert!(!tds.is_empty(), "a refund form");
    for (i, td) in tds.iter().enumerate() {
        assert_eq!(
            td.value().attr("data-label").is_some(),
            i % 4 != 0,
            "cell {i}"
        );
    }
    // The legal pages' list is styled as the other back-office tables.
    let legal = admin.get("/admin/legal");
    assert_eq!(
        legal.texts("table.orders.legal-list.stacks tbody tr").len(),
        6
    );
    // The storefront keeps its footer.
    assert_eq!(b.get("/").texts("footer .withdraw-link a").len(), 1);
}
