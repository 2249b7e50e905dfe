//! Cart, checkout and orders: stock never oversold, one order per submit, every confirmation
//! email delivered (to a real SMTP server), guests and customers alike.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, orders, stock_movements};

use crate::helpers::{address, as_refs, Browser, Options, Page, TestApp};
use crate::smtp::{free_port, SmtpServer};

pub const MUSTARD: &str = "moutarde-de-dijon-a-l-ancienne"; // 4,50 €, 5,5 %, 24 in stock
const WINE: &str = "cotes-du-rhone-villages-rouge-2022"; // 14,50 €, 20 %
const SALT: &str = "fleur-de-sel-de-guerande-250-g"; // 6,90 €, 3 in stock

pub fn add(app: &TestApp, b: &Browser<'_>, slug: &str, quantity: i32) -> Page {
    let id = app.product_id(slug).to_string();
    let q = quantity.to_string();
    b.submit(
        "/cart/add",
        &[
            ("product_id", id.as_str()),
            ("quantity", q.as_str()),
            ("next", "/cart"),
        ],
    )
}

/// Details → review → confirm; returns the confirm response.
pub fn checkout(b: &Browser<'_>, fields: &[(&'static str, String)]) -> Page {
    let review = b.submit("/checkout", &as_refs(fields));
    assert_eq!(review.status, Status::Ok, "review step: {}", review.body);
    let key = review
        .attr("form[action='/checkout/confirm'] input[name=key]", "value")
        .expect("an idempotency key");
    let total = review
        .attr(
            "form[action='/checkout/confirm'] input[name=total]",
            "value",
        )
        .expect("the total reviewed");
    // A basket holding alcohol asks the buyer's age: ticked, as an adult buyer does.
    if review
        .attr("form.confirm input[name=adult]", "name")
        .is_some()
    {
        let mut all = as_refs(fields);
        all.push(("key", &key));
        all.push(("total", &total));
        all.push(("accept_terms", "true"));
        all.push(("adult", "true"));
        return b.submit("/checkout/confirm", &all);
    }
    let mut all = as_refs(fields);
    all.push(("key", &key));
    // The total reviewed: the order is placed only at that total.
    all.push(("total", &total));
    all.push(("accept_terms", "true"));
    b.submit("/checkout/confirm", &all)
}

fn confirm(b: &Browser<'_>, fields: &[(&'static str, String)], key: &str) -> Page {
    let mut all = as_refs(fields);
    all.push(("key", key));
    all.push(("accept_terms", "true"));
    b.submit("/checkout/confirm", &all)
}

/// The checkout fields with some of them set to other values.
fn with_changes(
    mut fields: Vec<(&'static str, String)>,
    changes: &[(&str, &str)],
) -> Vec<(&'static str, String)> {
    for (k, v) in fields.iter_mut() {
        if let Some((_, new)) = changes.iter().find(|(name, _)| name == k) {
            *v = new.to_string();
        }
    }
    fields
}

fn order_numbers(app: &TestApp) -> Vec<String> {
    orders::table
        .order(orders::id)
        .select(orders::number)
        .load(&mut app.conn())
        .unwrap()
}

#[test]
fn cart_adds_updates_removes_and_checks_stock() {
    let app = TestApp::spawn();
    let b = app.browser();
    assert_eq!(b.get("/cart").texts(".badge"), vec!["0"]);
    let added = add(&app, &b, MUSTARD, 2);
    assert_eq!(added.status, Status::SeeOther);
    add(&app, &b, WINE, 1);
    add(&app, &b, MUSTARD, 1);
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".badge"), vec!["4"]);
    assert_eq!(
        cart.texts(".line-total"),
        vec!["13,50\u{a0}€", "14,50\u{a0}€"]
    );
    // Totals with the VAT of each rate: 20 % of 14,50 and 5,5 % of 13,50.
    let totals = cart.texts(".totals td");
    assert_eq!(totals[0], "28,00\u{a0}€");
    assert!(totals.contains(&"2,42\u{a0}€".to_string()), "{totals:?}");
    assert!(totals.contains(&"0,70\u{a0}€".to_string()), "{totals:?}");

    // More than the stock: refused with a message that names the product.
    let too_many = add(&app, &b, SALT, 4);
    assert_eq!(too_many.status, Status::SeeOther);
    let cart = b.get("/cart");
    assert_eq!(
        cart.texts(".flash"),
        vec!["Il ne reste que 3 exemplaire(s) de « Fleur de sel de Guérande 250 g »."]
    );
    assert_eq!(cart.texts(".badge"), vec!["4"]);
    let sold_out = add(&app, &b, "huile-d-olive-vierge-extra-de-provence-50-cl", 1);
    assert_eq!(sold_out.status, Status::SeeOther);
    let flash = b.get("/cart").texts(".flash");
    assert!(flash[0].contains("n'est plus disponible"), "{flash:?}");

    let id = app.product_id(MUSTARD).to_string();
    b.submit(
        "/cart/update",
        &[("product_id", id.as_str()), ("quantity", "5")],
    );
    assert_eq!(b.get("/cart").texts(".badge"), vec!["6"]);
    b.submit(
        "/cart/update",
        &[("product_id", id.as_str()), ("quantity", "0")],
    );
    assert_eq!(b.get("/cart").texts(".badge"), vec!["1"]);
    let wine = app.product_id(WINE).to_string();
    b.submit("/cart/remove", &[("product_id", wine.as_str())]);
    let empty = b.get("/cart");
    assert_eq!(empty.texts(".badge"), vec!["0"]);
    assert!(empty.body.contains("Votre panier est vide."));

    // Bad input never writes and never fails with a 500.
    let bad = b.submit("/cart/add", &[("product_id", "abc"), ("quantity", "1")]);
    assert_eq!(bad.status, Status::UnprocessableEntity);
    let negative = b.submit(
        "/cart/update",
        &[("product_id", id.as_str()), ("quantity", "-3")],
    );
    assert_eq!(negative.status, Status::SeeOther);
    let unknown = b.submit("/cart/add", &[("product_id", "999999"), ("quantity", "1")]);
    assert_eq!(unknown.status, Status::NotFound);
    assert_eq!(app.count("cart_lines"), 0);
}

#[test]
fn an_anonymous_cart_joins_the_customer_cart_on_login() {
    let app = TestApp::spawn();
    let customer = app.login_as(Role::Customer);
    add(&app, &customer, WINE, 1);
    let email: String = comptoir::db::schema::users::table
        .select(comptoir::db::schema::users::email)
        .first(&mut app.conn())
        .unwrap();
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, WINE, 1);
    let login = b.submit(
        "/login",
        &[("email", &email), ("password", crate::helpers::PASSWORD)],
    );
    assert_eq!(login.status, Status::SeeOther);
    let cart = b.get("/cart");
    assert_eq!(cart.texts(".badge"), vec!["4"]);
    assert_eq!(app.count("carts"), 1, "the anonymous cart was folded in");
}

#[test]
fn a_guest_checks_out_and_receives_the_confirmation() {
    let smtp = SmtpServer::start();
    let app = TestApp::with(Options {
        shop_email: Some("orders@comptoir.test"),
        ..Options::with_smtp(smtp.port)
    });
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, WINE, 1);
    let form = b.get("/checkout");
    assert_eq!(form.status, Status::Ok);
    let placed = checkout(&b, &address("guest@example.fr"));
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let location = placed.location.clone().unwrap();
    let numbers = order_numbers(&app);
    assert_eq!(numbers.len(), 1);
    let number = &numbers[0];
    assert!(
        number.starts_with("2026-") || number.len() == 11,
        "{number}"
    );
    assert!(
        location.starts_with(&format!("/orders/{number}?t=")),
        "{location}"
    );

    let page = b.get(&location);
    assert_eq!(page.status, Status::Ok);
    assert!(page.texts("h1")[0].contains(number.as_str()));
    assert!(page.body.contains("Merci"), "confirmation flash");
    assert!(page.body.contains("En attente de paiement"));
    // 2 × 4,50 + 14,50 + 4,90 shipping.
    assert!(page
        .texts(".totals td")
        .contains(&"28,40\u{a0}€".to_string()));

    assert_eq!(app.stock(MUSTARD), 22);
    assert_eq!(app.stock(WINE), 29);
    assert_eq!(
        b.get("/cart").texts(".badge"),
        vec!["0"],
        "the cart is emptied"
    );
    let movements: Vec<(i32, String)> = stock_movements::table
        .select((stock_movements::delta, stock_movements::reason))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        movements,
        vec![(-2, "order".to_string()), (-1, "order".to_string())]
    );

    assert_eq!(app.deliver_outbox(), 2);
    let mail = smtp.messages();
    let confirmation = mail
        .iter()
        .find(|m| m.to == vec!["guest@example.fr".to_string()])
        .expect("the customer's confirmation");
    assert!(confirmation.subject().contains(number.as_str()));
    assert_eq!(
        confirmation.from, "boutique@comptoir.test",
        "sent from mail_from"
    );
    let text = confirmation.text();
    assert!(
        text.contains("2 × Moutarde de Dijon à l'ancienne"),
        "{text}"
    );
    assert!(
        text.contains("1 × Côtes-du-Rhône Villages rouge 2022"),
        "{text}"
    );
    assert!(text.contains("28,40\u{a0}€"), "{text}");
    assert!(text.contains("dont TVA 20\u{a0}%"), "{text}");
    assert!(text.contains("14 jours"), "withdrawal notice: {text}");
    assert!(
        text.contains(&format!("/orders/{number}?t=")),
        "signed link: {text}"
    );
    assert!(confirmation.html().contains("28,40"));
    let staff = mail
        .iter()
        .find(|m| m.to == vec!["orders@comptoir.test".to_string()])
        .expect("the staff notification");
    assert!(staff.subject().contains(number.as_str()));
    // Each email once.
    assert_eq!(app.deliver_outbox(), 0, "nothing left to send");
    assert_eq!(smtp.messages().len(), 2);
    let statuses: Vec<String> = email_outbox::table
        .select(email_outbox::status)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(statuses, vec!["sent", "sent"]);
}

#[test]
fn a_customer_sees_their_orders_and_their_address_is_remembered() {
    let app = TestApp::spawn();
    let b = app.login_as(Role::Customer);
    add(&app, &b, MUSTARD, 1);
    let form = b.get("/checkout");
    assert!(form
        .attr("#f-email", "value")
        .unwrap()
        .starts_with("customer-"));
    let mut fields = address("");
    fields[0].1 = form.attr("#f-email", "value").unwrap();
    let placed = checkout(&b, &fields);
    assert_eq!(placed.status, Status::SeeOther);
    let number = order_numbers(&app).remove(0);
    let mine = b.get("/account/orders");
    assert_eq!(mine.status, Status::Ok);
    assert!(mine.texts("td a").contains(&number));
    // The customer opens it without the signature.
    assert_eq!(b.get(&format!("/orders/{number}")).status, Status::Ok);
    // Next time the address is offered.
    add(&app, &b, MUSTARD, 1);
    let again = b.get("/checkout");
    assert_eq!(
        again.attr("#f-street", "value").as_deref(),
        Some("12 rue des Lilas")
    );
    assert_eq!(
        again.attr("#f-postal_code", "value").as_deref(),
        Some("69003")
    );
    // Pay on pickup with pickup shipping, no shipping cost.
    let mut pickup = fields.clone();
    pickup[7].1 = "pickup".into();
    pickup[8].1 = "on_pickup".into();
    assert_eq!(checkout(&b, &pickup).status, Status::SeeOther);
    let totals: Vec<(String, i64)> = orders::table
        .order(orders::id)
        .select((orders::shipping_method, orders::shipping_cents))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(totals, vec![("standard".into(), 490), ("pickup".into(), 0)]);
    let numbers = order_numbers(&app);
    assert_eq!(numbers.len(), 2);
    assert_ne!(numbers[0], numbers[1]);
}

#[test]
fn orders_are_private() {
    let app = TestApp::spawn();
    let alice = app.login_as(Role::Customer);
    add(&app, &alice, MUSTARD, 1);
    let mut fields = address("alice@example.fr");
    fields[0].1 = "alice@example.fr".into();
    let placed = checkout(&alice, &fields);
    let number = order_numbers(&app).remove(0);
    let signed = placed.location.unwrap();

    let bob = app.login_as(Role::Customer);
    assert_eq!(
        bob.get(&format!("/orders/{number}")).status,
        Status::NotFound
    );
    assert!(bob.get("/account/orders").texts("td a").is_empty());
    let anonymous = app.browser();
    assert_eq!(
        anonymous.get(&format!("/orders/{number}")).status,
        Status::NotFound
    );
    assert_eq!(
        anonymous.get(&format!("/orders/{number}?t=forged")).status,
        Status::NotFound
    );
    assert_eq!(
        anonymous.get("/orders/2026-999999").status,
        Status::NotFound
    );
    // The signed link from the email opens it.
    assert_eq!(anonymous.get(&signed).status, Status::Ok);
    // A signature is bound to its order.
    let sig = signed.split("?t=").nth(1).unwrap();
    assert_eq!(
        anonymous
            .get(&format!("/orders/2026-000002?t={sig}"))
            .status,
        Status::NotFound
    );
}

#[test]
fn the_same_confirmation_twice_makes_one_order() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let fields = address("twice@example.fr");
    let review = b.submit("/checkout", &as_refs(&fields));
    let key = review
        .attr("form[action='/checkout/confirm'] input[name=key]", "value")
        .unwrap();
    let first = confirm(&b, &fields, &key);
    let second = confirm(&b, &fields, &key);
    assert_eq!(first.status, Status::SeeOther);
    assert_eq!(second.status, Status::SeeOther);
    assert_eq!(
        first.location.as_deref().unwrap().split('?').next(),
        second.location.as_deref().unwrap().split('?').next(),
        "both land on the same order"
    );
    assert_eq!(app.count("orders"), 1);
    assert_eq!(app.stock(MUSTARD), 23);
    // Reloading the confirmation page is a GET: nothing more happens.
    b.get(first.location.as_deref().unwrap());
    assert_eq!(app.count("orders"), 1);
}

#[test]
fn a_short_line_at_confirmation_writes_nothing() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    add(&app, &b, SALT, 3);
    let fields = address("short@example.fr");
    let review = b.submit("/checkout", &as_refs(&fields));
    let key = review
        .attr("form[action='/checkout/confirm'] input[name=key]", "value")
        .unwrap();
    app.set_stock(SALT, 1); // someone else bought two meanwhile
    let refused = confirm(&b, &fields, &key);
    assert_eq!(refused.status, Status::SeeOther);
    assert_eq!(refused.location.as_deref(), Some("/cart"));
    let cart = b.get("/cart");
    assert!(
        cart.body.contains("Fleur de sel de Guérande 250 g"),
        "the short item is named"
    );
    assert_eq!(cart.texts(".badge"), vec!["5"], "the cart is intact");
    assert_eq!(app.count("orders"), 0);
    assert_eq!(app.count("order_lines"), 0);
    assert_eq!(app.count("email_outbox"), 0);
    assert_eq!(app.stock(MUSTARD), 24, "no partial decrement");
    assert_eq!(app.stock(SALT), 1);
}

/// A French town that does not go with its postal code is refused on the same page, with the
/// postal code's communes offered (listed, and in the town field's suggestions) and what was
/// typed kept; the same communes come as JSON for the page's script.
#[test]
fn a_wrong_postal_code_and_town_pair_is_refused_with_the_towns_offered() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let fields = with_changes(
        address("pair@example.fr"),
        &[("postal_code", "20000"), ("city", "Bastia")],
    );
    let page = b.submit("/checkout", &as_refs(&fields));
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(
        page.texts("#e-city"),
        vec!["Cette commune ne correspond pas au code postal : choisissez-la parmi celles proposées."]
    );
    assert_eq!(
        page.texts("#towns-offered strong"),
        vec!["Ajaccio", "Lecci"]
    );
    assert_eq!(
        page.attrs("#towns option", "value"),
        vec!["Ajaccio", "Lecci"]
    );
    assert_eq!(page.attr("#f-city", "value").as_deref(), Some("Bastia"));
    assert_eq!(page.attr("#f-city", "list").as_deref(), Some("towns"));
    assert_eq!(
        page.attr("#f-postal_code", "value").as_deref(),
        Some("20000")
    );
    assert_eq!(app.count("orders"), 0);

    // A postal code that does not exist says so.
    let fields = with_changes(fields, &[("postal_code", "99999")]);
    let page = b.submit("/checkout", &as_refs(&fields));
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-postal_code").len(), 1);
    assert!(page.texts("#towns option").is_empty());

    // The pair right: the review step.
    let fields = with_changes(fields, &[("postal_code", "20000"), ("city", "ajaccio")]);
    assert_eq!(b.submit("/checkout", &as_refs(&fields)).status, Status::Ok);

    let json = b.get("/checkout/towns?postal_code=20%20000");
    assert_eq!(json.status, Status::Ok);
    assert_eq!(json.body, r#"{"towns":["Ajaccio","Lecci"]}"#);
    assert_eq!(
        b.get("/checkout/towns?postal_code=99999").body,
        r#"{"towns":[]}"#
    );
    assert_eq!(b.get("/checkout/towns").body, r#"{"towns":[]}"#);
}

/// Delivery to Corsica and overseas costs the settings' extra on top of the standard and
/// express prices, read from the postal code; collecting at the shop stays free; the product
/// page says what each zone adds.
#[test]
fn shipping_is_priced_by_the_zone_of_the_postal_code() {
    let app = TestApp::spawn();
    let product = app.browser().get(&format!("/products/{MUSTARD}"));
    assert!(
        product.texts(".delivery .hint").iter().any(
            |t| t.contains("Corse : + 5,00\u{a0}€") && t.contains("outre-mer : + 15,00\u{a0}€")
        ),
        "{:?}",
        product.texts(".delivery .hint")
    );
    for (code, town, shipping, expected) in [
        ("69003", "Lyon", "standard", 490),
        ("20000", "Ajaccio", "standard", 990),
        ("20200", "Bastia", "express", 1_490),
        ("97400", "Saint-Denis", "standard", 1_990),
        ("97400", "Saint-Denis", "pickup", 0),
    ] {
        let b = app.browser();
        add(&app, &b, MUSTARD, 1);
        let payment = if shipping == "pickup" {
            "on_pickup"
        } else {
            "bank_transfer"
        };
        let fields = with_changes(
            address(&format!("zone{code}{shipping}@example.fr")),
            &[
                ("postal_code", code),
                ("city", town),
                ("shipping", shipping),
                ("payment", payment),
            ],
        );
        let review = b.submit("/checkout", &as_refs(&fields));
        assert_eq!(
            review.status,
            Status::Ok,
            "{code} {shipping}: {}",
            review.body
        );
        let placed = checkout(&b, &fields);
        assert_eq!(placed.status, Status::SeeOther, "{code} {shipping}");
        let charged: i64 = orders::table
            .order(orders::id.desc())
            .select(orders::shipping_cents)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(charged, expected, "{code} {shipping}");
    }
}

#[test]
fn bad_checkout_input_is_shown_again_and_writes_nothing() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("email", "nope", "e-email"),
        ("full_name", "", "e-full_name"),
        ("street", "", "e-street"),
        ("postal_code", "6900", "e-postal_code"),
        ("postal_code", "ABCDE", "e-postal_code"),
        ("city", "", "e-city"),
        ("country", "XX", "e-country"),
        ("phone", "call me maybe", "e-phone"),
        ("shipping", "drone", "e-shipping"),
        ("payment", "bitcoin", "e-payment"),
        ("payment", "on_pickup", "e-payment"),
    ];
    for (field, value, error_id) in cases {
        let mut fields = address("bad@example.fr");
        for f in fields.iter_mut() {
            if f.0 == field {
                f.1 = value.to_string();
            }
        }
        for action in ["/checkout", "/checkout/confirm"] {
            let mut all = as_refs(&fields);
            all.push(("accept_terms", "true"));
            all.push(("key", "k".repeat(43).leak()));
            let page = b.submit(action, &all);
            assert_eq!(
                page.status,
                Status::UnprocessableEntity,
                "{field}={value} on {action}"
            );
            assert_eq!(
                page.texts(&format!("#{error_id}")).len(),
                1,
                "{field}={value}"
            );
            if field != "country" && field != "shipping" && field != "payment" {
                assert_eq!(
                    page.attr(&format!("#f-{field}"), "value").as_deref(),
                    Some(value),
                    "typed input kept"
                );
            }
        }
    }
    // Terms not accepted: the review again, with the message.
    let fields = address("terms@example.fr");
    let mut all = as_refs(&fields);
    let key = "k".repeat(43);
    all.push(("key", key.as_str()));
    let page = b.submit("/checkout/confirm", &all);
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-accept_terms").len(), 1);
    let overlong = "x".repeat(40 * 1024);
    let mut huge = as_refs(&fields);
    huge.push(("street", overlong.as_str()));
    assert_eq!(b.submit("/checkout", &huge).status, Status::PayloadTooLarge);
    assert_eq!(app.count("orders"), 0);
    assert_eq!(app.stock(MUSTARD), 24);
}

#[test]
fn an_empty_cart_cannot_check_out() {
    let app = TestApp::spawn();
    let b = app.browser();
    let page = b.get("/checkout");
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location.as_deref(), Some("/cart"));
    let fields = address("empty@example.fr");
    assert_eq!(
        b.submit("/checkout", &as_refs(&fields)).status,
        Status::SeeOther
    );
    assert_eq!(app.count("orders"), 0);
}

#[test]
fn mail_written_to_files_without_smtp() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    assert_eq!(
        checkout(&b, &address("files@example.fr")).status,
        Status::SeeOther
    );
    assert_eq!(app.deliver_outbox(), 1);
    let dir = app.db.data_dir().join("mail");
    let found: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert_eq!(found.len(), 1, "one .eml file in {}", dir.display());
    let eml = std::fs::read_to_string(&found[0]).unwrap();
    assert!(eml.contains("files@example.fr"));
}

#[test]
fn mail_survives_an_smtp_outage_and_arrives_once() {
    let port = free_port();
    let app = TestApp::with(Options::with_smtp(port));
    for i in 0..3 {
        let b = app.browser();
        add(&app, &b, MUSTARD, 1);
        let email = format!("outage{i}@example.fr");
        assert_eq!(checkout(&b, &address(&email)).status, Status::SeeOther);
    }
    // The sender tries, fails, and schedules retries.
    assert_eq!(app.deliver_outbox(), 3);
    let rows: Vec<(String, i32, Option<String>)> = email_outbox::table
        .select((
            email_outbox::status,
            email_outbox::attempts,
            email_outbox::last_error,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert!(
        rows.iter()
            .all(|(s, a, e)| s == "queued" && *a == 1 && e.is_some()),
        "every message was tried while the server was down: {rows:?}"
    );
    assert_eq!(app.deliver_outbox(), 0, "retries wait for their delay");
    let smtp = SmtpServer::start_on(port);
    app.make_retries_due();
    assert_eq!(app.deliver_outbox(), 3);
    app.make_retries_due();
    assert_eq!(app.deliver_outbox(), 0);
    let mail = smtp.messages();
    assert_eq!(mail.len(), 3, "each exactly once");
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        vec![
            "outage0@example.fr",
            "outage1@example.fr",
            "outage2@example.fr"
        ]
    );
    let sent: i64 = email_outbox::table
        .filter(email_outbox::status.eq("sent"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(sent, 3);
}

#[test]
fn a_refused_recipient_is_marked_failed() {
    let smtp = SmtpServer::start();
    let app = TestApp::with(Options::with_smtp(smtp.port));
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    assert_eq!(
        checkout(&b, &address("reject@example.fr")).status,
        Status::SeeOther
    );
    assert_eq!(app.deliver_outbox(), 1);
    let status: String = email_outbox::table
        .select(email_outbox::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "failed", "a permanent refusal is not retried");
    let error: Option<String> = email_outbox::table
        .select(email_outbox::last_error)
        .first(&mut app.conn())
        .unwrap();
    assert!(error.unwrap().contains("550"));
}

#[test]
fn unpaid_transfers_are_cancelled_restocked_and_emailed() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 3);
    assert_eq!(
        checkout(&b, &address("late@example.fr")).status,
        Status::SeeOther
    );
    let b2 = app.browser();
    add(&app, &b2, MUSTARD, 1);
    assert_eq!(
        checkout(&b2, &address("recent@example.fr")).status,
        Status::SeeOther
    );
    assert_eq!(app.stock(MUSTARD), 20);
    let first = order_numbers(&app).remove(0);
    diesel::update(orders::table.filter(orders::number.eq(&first)))
        .set(orders::created_at.eq(comptoir::db::now() - chrono::Duration::days(8)))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.run_periodic(), 1);
    assert_eq!(app.run_periodic(), 0);
    let statuses: Vec<String> = orders::table
        .order(orders::id)
        .select(orders::status)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(statuses, vec!["cancelled", "awaiting_payment"]);
    assert_eq!(app.stock(MUSTARD), 23, "stock released");
    let kinds: Vec<String> = email_outbox::table
        .order(email_outbox::id)
        .select(email_outbox::kind)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        kinds.contains(&"order_cancelled_unpaid".to_string()),
        "{kinds:?}"
    );
    assert_eq!(app.count("audit_log"), 1);
    let restock: i64 = stock_movements::table
        .filter(stock_movements::delta.eq(3))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(restock, 1);
}

/// Every email carries a Message-ID derived from its outbox row: the same when it is sent
/// again (staff's resend, or after a crash between sending and recording it), so a mail client
/// shows one message. A message left "being sent" by a crash goes out again once its lease ends.
#[test]
fn emails_keep_their_message_id_and_survive_a_crash_mid_send() {
    let smtp = SmtpServer::start();
    let app = TestApp::with(Options::with_smtp(smtp.port));
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    assert_eq!(
        checkout(&b, &address("msgid@example.fr")).status,
        Status::SeeOther
    );
    assert_eq!(app.deliver_outbox(), 1);
    let (id, created): (i64, chrono::NaiveDateTime) = email_outbox::table
        .select((email_outbox::id, email_outbox::created_at))
        .first(&mut app.conn())
        .unwrap();
    let expected = format!(
        "comptoir.{id}.{}@comptoir.test",
        created.and_utc().timestamp()
    );
    assert_eq!(
        smtp.expect(1)[0].message_id().as_deref(),
        Some(expected.as_str())
    );

    // A crash after handing it to SMTP: the row says it is being sent, its lease over.
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq("sending"),
            email_outbox::next_attempt_at.eq(comptoir::db::now()),
        ))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(app.deliver_outbox(), 1);
    let both = smtp.expect(2);
    assert_eq!(
        both[1].message_id(),
        both[0].message_id(),
        "the same message"
    );
    let status: String = email_outbox::table
        .find(id)
        .select(email_outbox::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "sent");
}

/// The sender has several messages with SMTP at once (one at a time, a sale's confirmations
/// fell minutes behind its orders): three confirmations all reach a mail server that answers
/// none of them until all three are there.
#[test]
fn several_emails_are_handed_to_smtp_at_once() {
    let (smtp, hold) = SmtpServer::start_holding();
    let app = TestApp::with(Options::with_smtp(smtp.port));
    for i in 0..3 {
        let b = app.browser();
        add(&app, &b, MUSTARD, 1);
        let email = format!("together{i}@example.fr");
        assert_eq!(checkout(&b, &address(&email)).status, Status::SeeOther);
    }
    let background = app.background();
    let sending = std::thread::spawn(move || background.deliver_outbox().unwrap());
    for n in 1..=3 {
        hold.arrived
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("message {n} of 3 reached SMTP while none was answered"));
    }
    for _ in 0..3 {
        hold.release.send(()).unwrap();
    }
    assert_eq!(sending.join().unwrap(), 3);
    assert_eq!(smtp.expect(3).len(), 3);
    let sent: i64 = email_outbox::table
        .filter(email_outbox::status.eq("sent"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(sent, 3);
}

/// A cleared or garbled quantity on a product page: back to that page with a message and the
/// product still there, never a bare error page.
#[test]
fn a_cleared_quantity_keeps_the_customer_on_the_product_page() {
    let app = TestApp::spawn();
    let b = app.browser();
    let id = app.product_id(MUSTARD).to_string();
    let next = format!("/products/{MUSTARD}");
    for typed in ["", "  ", "deux", "1.5", "0", "100"] {
        let r = b.submit(
            "/cart/add",
            &[
                ("product_id", id.as_str()),
                ("quantity", typed),
                ("next", &next),
            ],
        );
        assert_eq!(r.status, Status::SeeOther, "{typed:?}");
        assert_eq!(r.location.as_deref(), Some(next.as_str()), "{typed:?}");
        let page = b.get(&next);
        assert!(page.body.contains("Choisissez une quantité"), "{typed:?}");
    }
    assert_eq!(b.get("/cart").texts(".badge"), vec!["0"]);
    // A quantity with spaces around it is read.
    let r = b.submit(
        "/cart/add",
        &[
            ("product_id", id.as_str()),
            ("quantity", " 2 "),
            ("next", &next),
        ],
    );
    assert_eq!(r.status, Status::SeeOther);
    assert_eq!(b.get("/cart").texts(".badge"), vec!["2"]);
}

/// Times are stored in UTC and shown in the shop's time zone (Paris: +2 h in summer, +1 h in
/// winter), never with "UTC" beside them.
#[test]
fn order_times_are_shown_in_the_shop_s_time_zone() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let placed = checkout(&b, &address("tz@example.fr"));
    let location = placed.location.unwrap();
    let number: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    for (utc, shown) in [
        ("2026-07-01 10:00:00", "01/07/2026 12:00"),
        ("2026-01-15 10:00:00", "15/01/2026 11:00"),
        ("2026-03-29 00:30:00", "29/03/2026 01:30"),
        ("2026-03-29 01:30:00", "29/03/2026 03:30"),
    ] {
        let at = chrono::NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M:%S").unwrap();
        diesel::update(orders::table.filter(orders::number.eq(&number)))
            .set(orders::created_at.eq(at))
            .execute(&mut app.conn())
            .unwrap();
        let page = b.get(&location);
        let status = page.texts("p.status").join(" ");
        assert!(status.contains(shown), "{utc} → {status}");
        assert!(!status.contains("UTC"), "{status}");
    }
}

/// A checkout that comes back with errors opens on a summary that links each field.
#[test]
fn a_refused_checkout_opens_on_a_summary_of_its_errors() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    let fields = with_changes(
        crate::helpers::address("summary@example.fr"),
        &[("email", "not-an-email"), ("postal_code", "123")],
    );
    let page = b.submit("/checkout", &as_refs(&fields));
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(
        page.attr(".error-summary", "autofocus").is_some(),
        "it takes the focus"
    );
    let links: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse(".error-summary a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(links.contains(&"#f-email".to_string()), "{links:?}");
    assert!(links.contains(&"#f-postal_code".to_string()), "{links:?}");
    for link in &links {
        let id = link.trim_start_matches('#');
        assert_eq!(
            page.html()
                .select(&scraper::Selector::parse(&format!("[id='{id}']")).unwrap())
                .count(),
            1,
            "{link} leads to its field"
        );
    }
    // A page with nothing wrong has none.
    assert!(b.get("/checkout").texts(".error-summary").is_empty());
}
