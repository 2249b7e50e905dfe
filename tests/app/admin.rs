//! The back-office: order list and filters, the status workflow with its emails, stock and
//! audit entries, and who may reach it.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, email_outbox, orders, stock_movements};

use crate::helpers::{address, Browser, TestApp};
use crate::orders::{add, checkout, MUSTARD};

/// A guest order of `quantity` mustards; returns its number.
fn place(app: &TestApp, email: &str, quantity: i32) -> String {
    let b = app.browser();
    add(app, &b, MUSTARD, quantity);
    let placed = checkout(&b, &address(email));
    assert_eq!(placed.status, Status::SeeOther);
    orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap()
}

fn step(staff: &Browser<'_>, number: &str, step: &str, tracking: Option<&str>) -> String {
    let mut fields = vec![("step", step)];
    if let Some(t) = tracking {
        fields.push(("tracking", t));
    }
    let done = staff.submit(&format!("/admin/orders/{number}/step"), &fields);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let page = staff.get(&format!("/admin/orders/{number}"));
    assert_eq!(page.status, Status::Ok);
    page.texts(".flash").join(" ")
}

fn status_of(app: &TestApp, number: &str) -> String {
    orders::table
        .filter(orders::number.eq(number))
        .select(orders::status)
        .first(&mut app.conn())
        .unwrap()
}

fn emails_of(app: &TestApp) -> Vec<String> {
    email_outbox::table
        .order(email_outbox::id)
        .select(email_outbox::kind)
        .load(&mut app.conn())
        .unwrap()
}

#[test]
fn staff_walk_an_order_through_the_workflow() {
    let app = TestApp::spawn();
    let number = place(&app, "walk@example.fr", 2);
    let staff = app.login_as(Role::Staff);

    let detail = staff.get(&format!("/admin/orders/{number}"));
    assert_eq!(detail.status, Status::Ok);
    let buttons = detail.texts(".step-form button");
    assert_eq!(
        buttons,
        vec!["Marquer payée", "Annuler et remettre en stock"]
    );

    // Shipping before payment is refused, and changes nothing.
    let refused = step(&staff, &number, "ship", Some("6A123"));
    assert!(refused.contains("pas possible"), "{refused}");
    assert_eq!(status_of(&app, &number), "awaiting_payment");

    assert!(step(&staff, &number, "mark_paid", None).contains("Payée"));
    assert_eq!(status_of(&app, &number), "paid");
    let missing = step(&staff, &number, "ship", Some("  "));
    assert!(missing.contains("numéro de suivi"), "{missing}");
    assert_eq!(status_of(&app, &number), "paid");
    step(&staff, &number, "ship", Some("6A12345678901"));
    assert_eq!(status_of(&app, &number), "shipped");
    let no_cancel = step(&staff, &number, "cancel", None);
    assert!(no_cancel.contains("pas possible"));
    step(&staff, &number, "deliver", None);
    step(&staff, &number, "refund", None);
    assert_eq!(status_of(&app, &number), "refunded");
    assert!(staff
        .get(&format!("/admin/orders/{number}"))
        .texts(".step-form button")
        .is_empty());

    assert_eq!(
        emails_of(&app),
        vec![
            "order_confirmation",
            "order_paid",
            "order_shipped",
            "order_refunded"
        ]
    );
    // The order's page names them in words, not by their keys.
    let kinds = staff
        .get(&format!("/admin/orders/{number}"))
        .texts(".email-row td:first-child");
    assert_eq!(
        kinds,
        vec![
            "Confirmation de commande",
            "Paiement reçu",
            "Commande expédiée",
            "Remboursement"
        ]
    );
    let shipped_text: String = email_outbox::table
        .filter(email_outbox::kind.eq("order_shipped"))
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .unwrap();
    assert!(
        shipped_text.contains("6A12345678901"),
        "tracking number in the email"
    );
    let actions: Vec<(String, Option<String>, Option<String>)> = audit_log::table
        .order(audit_log::id)
        .select((
            audit_log::action,
            audit_log::before_json,
            audit_log::after_json,
        ))
        .load(&mut app.conn())
        .unwrap();
    let names: Vec<&str> = actions.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "order.mark_paid",
            "order.ship",
            "order.deliver",
            "order.refund"
        ]
    );
    assert!(actions[0]
        .1
        .as_deref()
        .unwrap()
        .contains("awaiting_payment"));
    assert!(actions[0].2.as_deref().unwrap().contains("\"paid\""));
    let actor: Option<i64> = audit_log::table
        .select(audit_log::actor_user_id)
        .first(&mut app.conn())
        .unwrap();
    assert!(actor.is_some(), "the staff member is recorded");
}

#[test]
fn cancelling_restocks_and_tells_the_customer() {
    let app = TestApp::spawn();
    let number = place(&app, "cancel@example.fr", 3);
    assert_eq!(app.stock(MUSTARD), 21);
    let staff = app.login_as(Role::Staff);
    step(&staff, &number, "cancel", None);
    assert_eq!(status_of(&app, &number), "cancelled");
    assert_eq!(app.stock(MUSTARD), 24);
    let movements: Vec<(i32, i32, String)> = stock_movements::table
        .order(stock_movements::id)
        .select((
            stock_movements::delta,
            stock_movements::resulting_stock,
            stock_movements::reason,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        movements,
        vec![(-3, 21, "order".into()), (3, 24, "order cancelled".into())]
    );
    assert!(emails_of(&app).contains(&"order_cancelled".to_string()));
    // A cancelled order is final.
    assert!(step(&staff, &number, "mark_paid", None).contains("pas possible"));
    assert!(step(&staff, &number, "teleport", None).contains("inconnue"));
}

#[test]
fn the_order_list_filters() {
    let app = TestApp::spawn();
    let first = place(&app, "alpha@example.fr", 1);
    let second = place(&app, "beta@example.fr", 1);
    let staff = app.login_as(Role::Staff);
    step(&staff, &second, "mark_paid", None);
    let numbers = |q: &str| staff.get(&format!("/admin/orders{q}")).texts("tbody td a");
    assert_eq!(
        numbers(""),
        vec![second.clone(), first.clone()],
        "newest first"
    );
    assert_eq!(numbers("?status=paid"), vec![second.clone()]);
    assert_eq!(numbers("?status=awaiting_payment"), vec![first.clone()]);
    assert_eq!(numbers("?email=ALPHA"), vec![first.clone()]);
    assert_eq!(
        numbers(&format!("?number={}", &first[5..])),
        vec![first.clone()]
    );
    let today = chrono::Utc::now().date_naive();
    assert_eq!(numbers(&format!("?from={today}&to={today}")).len(), 2);
    let tomorrow = today.succ_opt().unwrap();
    assert!(numbers(&format!("?from={tomorrow}")).is_empty());
    // Junk filters are ignored, never a 500.
    assert_eq!(
        staff
            .get("/admin/orders?from=yesterday&status=bogus&page=-4")
            .status,
        Status::Ok
    );
    assert_eq!(
        staff.get("/admin/orders/2026-999999").status,
        Status::NotFound
    );
}

#[test]
fn the_back_office_is_closed_to_others() {
    let app = TestApp::spawn();
    let number = place(&app, "closed@example.fr", 1);
    let customer = app.login_as(Role::Customer);
    for path in [
        "/admin/orders".to_string(),
        format!("/admin/orders/{number}"),
    ] {
        assert_eq!(customer.get(&path).status, Status::Forbidden, "{path}");
        let anonymous = app.browser().get(&path);
        assert_eq!(anonymous.status, Status::SeeOther, "{path}");
        assert!(anonymous.location.unwrap().starts_with("/login?next="));
    }
    let post = customer.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    assert_eq!(post.status, Status::Forbidden);
    assert_eq!(status_of(&app, &number), "awaiting_payment");
}

#[test]
fn the_dashboard_shows_the_sales() {
    let app = TestApp::spawn();
    let paid = place(&app, "paid@example.fr", 2); // 2 × 4,50 + 4,90 = 13,90
    let other = place(&app, "paid2@example.fr", 1); // 4,50 + 4,90 = 9,40
    place(&app, "unpaid@example.fr", 1);
    let staff = app.login_as(Role::Staff);
    step(&staff, &paid, "mark_paid", None);
    step(&staff, &other, "mark_paid", None);
    diesel::update(email_outbox::table.filter(email_outbox::to_address.eq("unpaid@example.fr")))
        .set((
            email_outbox::status.eq("failed"),
            email_outbox::last_error.eq(Some("550 no such user")),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let page = staff.get("/admin");
    assert_eq!(page.status, Status::Ok);
    // Today: two paid orders, 23,30 €, average 11,65 €.
    assert_eq!(page.texts(".period-1 .revenue"), vec!["23,30\u{a0}€"]);
    assert_eq!(page.texts(".period-1 .orders-count"), vec!["2 commandes"]);
    assert!(page.texts(".period-1 .average")[0].contains("11,65\u{a0}€"));
    assert_eq!(page.texts(".period-30 .revenue"), vec!["23,30\u{a0}€"]);
    let top = page.texts(".top-products td");
    assert_eq!(top[0], "Moutarde de Dijon à l'ancienne");
    assert_eq!(top[1], "3");
    assert!(page
        .texts(".failed-emails td")
        .contains(&"550 no such user".to_string()));
    assert!(page
        .texts(".low-stock td a")
        .contains(&"Fleur de sel de Guérande 250 g".to_string()));
    // The charts are SVG drawn on the server: 30 daily bars and one row per status.
    let html = page.html();
    let charts: Vec<_> = html
        .select(&scraper::Selector::parse("svg.chart").unwrap())
        .collect();
    assert_eq!(charts.len(), 2);
    let bars = charts[0]
        .select(&scraper::Selector::parse("rect").unwrap())
        .count();
    assert_eq!(bars, 30);
    assert!(
        charts[0].html().contains("23,30"),
        "today's bar carries its amount"
    );
    let rows = charts[1]
        .select(&scraper::Selector::parse("rect").unwrap())
        .count();
    assert_eq!(rows, 6);
    assert!(charts[1].html().contains("Payée"));
}

#[test]
fn staff_find_customers_and_disable_them() {
    let app = TestApp::spawn();
    let customer = app.login_as(Role::Customer);
    add(&app, &customer, MUSTARD, 1);
    let mut fields = address("x");
    let email: String = comptoir::db::schema::users::table
        .select(comptoir::db::schema::users::email)
        .first(&mut app.conn())
        .unwrap();
    fields[0].1 = email.clone();
    assert_eq!(checkout(&customer, &fields).status, Status::SeeOther);
    let id: i64 = comptoir::db::schema::users::table
        .select(comptoir::db::schema::users::id)
        .first(&mut app.conn())
        .unwrap();
    let staff = app.login_as(Role::Staff);
    let list = staff.get("/admin/customers");
    assert_eq!(
        list.texts("tbody td a"),
        vec![email.clone()],
        "customers only, not staff"
    );
    assert_eq!(
        staff
            .get("/admin/customers?q=nobody")
            .texts("tbody td a")
            .len(),
        0
    );
    let page = staff.get(&format!("/admin/customers/{id}"));
    assert_eq!(page.texts("tbody td a").len(), 1, "their order");
    staff.submit(
        &format!("/admin/customers/{id}/disabled"),
        &[("disabled", "true")],
    );
    assert_eq!(
        customer.get("/account").status,
        Status::SeeOther,
        "signed out at once"
    );
    let again = customer.submit(
        "/login",
        &[
            ("email", email.as_str()),
            ("password", crate::helpers::PASSWORD),
        ],
    );
    assert_eq!(
        again.status,
        Status::UnprocessableEntity,
        "cannot log in while disabled"
    );
    staff.submit(&format!("/admin/customers/{id}/disabled"), &[]);
    let back = customer.submit(
        "/login",
        &[
            ("email", email.as_str()),
            ("password", crate::helpers::PASSWORD),
        ],
    );
    assert_eq!(back.status, Status::SeeOther);
    // Staff accounts are not disabled from here.
    let staff_id: i64 = comptoir::db::schema::users::table
        .filter(comptoir::db::schema::users::role.eq("staff"))
        .select(comptoir::db::schema::users::id)
        .first(&mut app.conn())
        .unwrap();
    staff.submit(
        &format!("/admin/customers/{staff_id}/disabled"),
        &[("disabled", "true")],
    );
    assert_eq!(staff.get("/admin").status, Status::Ok);
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(actions, vec!["user.disable", "user.enable"]);
}

#[test]
fn the_email_log_resends_and_the_audit_log_filters() {
    let app = TestApp::spawn();
    let number = place(&app, "log@example.fr", 1);
    let staff = app.login_as(Role::Staff);
    step(&staff, &number, "mark_paid", None);
    // Delivered (into .eml files here), then it is made to look as if every try failed.
    assert!(app.deliver_outbox() >= 1);
    diesel::update(email_outbox::table.filter(email_outbox::kind.eq("order_paid")))
        .set((
            email_outbox::status.eq("failed"),
            email_outbox::attempts.eq(8),
            email_outbox::last_error.eq(Some("timeout")),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let log = staff.get("/admin/emails?status=failed");
    assert_eq!(log.texts("tbody tr").len(), 1);
    assert!(log.body.contains("timeout"));
    let id: i64 = email_outbox::table
        .filter(email_outbox::kind.eq("order_paid"))
        .select(email_outbox::id)
        .first(&mut app.conn())
        .unwrap();
    let resent = staff.submit(&format!("/admin/emails/{id}/resend"), &[]);
    assert_eq!(resent.status, Status::SeeOther);
    // The sender (writing .eml files here) delivers it again.
    assert_eq!(app.deliver_outbox(), 1);
    let status: String = email_outbox::table
        .find(id)
        .select(email_outbox::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "sent");
    assert_eq!(
        staff.submit("/admin/emails/999999/resend", &[]).status,
        Status::NotFound
    );

    let audit = staff.get("/admin/audit");
    let actions = audit.texts("td.action");
    assert_eq!(actions, vec!["email.resend", "order.mark_paid"]);
    assert_eq!(
        staff.get("/admin/audit?action=order.").texts("td.action"),
        vec!["order.mark_paid"]
    );
    assert_eq!(
        staff
            .get("/admin/audit?actor=staff-")
            .texts("td.action")
            .len(),
        2
    );
    assert!(staff
        .get("/admin/audit?actor=nobody")
        .texts("td.action")
        .is_empty());
    let tomorrow = chrono::Utc::now().date_naive().succ_opt().unwrap();
    assert!(staff
        .get(&format!("/admin/audit?from={tomorrow}"))
        .texts("td.action")
        .is_empty());
    assert_eq!(
        staff.get("/admin/audit?from=junk&action=%25").status,
        Status::Ok
    );
}

#[test]
fn paid_orders_get_gapless_invoices_and_refunds_credit_notes() {
    let app = TestApp::spawn();
    let buyer = app.browser();
    add(&app, &buyer, MUSTARD, 2);
    let placed = checkout(&buyer, &address("invoice@example.fr"));
    let signed = placed.location.unwrap();
    let first: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    let second = place(&app, "second@example.fr", 1);
    let third = place(&app, "third@example.fr", 1);
    let staff = app.login_as(Role::Staff);
    // Paid in another order than placed: invoice numbers follow the payments, without gaps.
    step(&staff, &third, "mark_paid", None);
    step(&staff, &first, "mark_paid", None);
    step(&staff, &second, "cancel", None);
    let year = chrono::Utc::now().format("%Y").to_string();
    let numbers: Vec<(String, String, i64)> = comptoir::db::schema::invoices::table
        .order(comptoir::db::schema::invoices::id)
        .select((
            comptoir::db::schema::invoices::number,
            comptoir::db::schema::invoices::kind,
            comptoir::db::schema::invoices::total_cents,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        numbers,
        vec![
            (format!("F{year}-000001"), "invoice".to_string(), 940),
            (format!("F{year}-000002"), "invoice".to_string(), 1390),
        ]
    );
    step(&staff, &first, "refund", None);
    let credit: (String, i64) = comptoir::db::schema::invoices::table
        .filter(comptoir::db::schema::invoices::kind.eq("credit_note"))
        .select((
            comptoir::db::schema::invoices::number,
            comptoir::db::schema::invoices::total_cents,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(credit, (format!("A{year}-000001"), -1390));

    // The customer opens the invoice from the order page (signed link for a guest).
    let order_page = buyer.get(&signed);
    let links: Vec<String> = order_page.texts(".invoices a");
    assert_eq!(
        links,
        vec![
            format!("Facture F{year}-000002"),
            format!("Avoir A{year}-000001")
        ]
    );
    let href = order_page.attr(".invoices a", "href").unwrap();
    let invoice = buyer.get(&href);
    assert_eq!(invoice.status, Status::Ok);
    assert_eq!(
        invoice.texts(".invoice-number"),
        vec![format!("F{year}-000002")]
    );
    assert_eq!(invoice.texts(".invoice-total"), vec!["13,90\u{a0}€"]);
    assert!(invoice.body.contains("SIRET"));
    // 13,90 TTC = 9,00 of mustard at 5,5 % and its 4,90 shipping, which follows the goods'
    // rate (src/totals.rs): VAT 0,72.
    assert_eq!(invoice.texts(".invoice-net"), vec!["13,18\u{a0}€"]);
    assert_eq!(invoice.texts(".invoice-vat"), vec!["0,72\u{a0}€"]);
    // Nobody else sees it; staff do.
    let path = format!("/orders/{first}/documents/F{year}-000002");
    assert_eq!(app.browser().get(&path).status, Status::NotFound);
    assert_eq!(staff.get(&path).status, Status::Ok);
    assert_eq!(
        staff
            .get(&format!("/orders/{second}/documents/F{year}-000002"))
            .status,
        Status::NotFound,
        "another order's document"
    );
    assert_eq!(
        staff
            .get(&format!("/orders/{first}/documents/F{year}-000001"))
            .status,
        Status::NotFound,
        "another order's document"
    );
    assert_eq!(
        staff
            .get(&format!("/orders/{first}/documents/bogus"))
            .status,
        Status::NotFound
    );

    // Invoices can never be changed or removed, even by hand.
    let update = diesel::sql_query("UPDATE invoices SET total_cents = 0").execute(&mut app.conn());
    assert!(update.is_err(), "the database refuses changes");
    let delete = diesel::sql_query("DELETE FROM invoices").execute(&mut app.conn());
    assert!(delete.is_err(), "and deletions");
    assert_eq!(app.count("invoices"), 3);
}

/// A sample value for each path parameter of the back-office routes.
fn sample_path(uri: &str, number: &str, product: comptoir::ids::ProductId, user: i64) -> String {
    let id = if uri.starts_with("/admin/customers") || uri.starts_with("/admin/staff") {
        user
    } else if uri.starts_with("/admin/manufacturers") {
        // The demo's first manufacturer (`seed::demo_facts`).
        1
    } else {
        product.0
    };
    uri.split('?')
        .next()
        .unwrap()
        .replace("<number>", number)
        .replace("<id>", &id.to_string())
        .replace("<image>", "1")
        .replace("<direction>", "up")
        .replace("<page>", "cgv")
}

#[test]
fn every_back_office_route_is_closed_to_customers_and_anonymous_visitors() {
    let app = TestApp::spawn();
    comptoir::seed::demo_facts(&mut app.conn()).unwrap();
    let number = place(&app, "walk@example.fr", 1);
    let product = app.product_id(MUSTARD);
    let routes: Vec<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.to_string().starts_with("/admin"))
        .map(|r| (r.method.to_string(), r.uri.to_string()))
        .collect();
    assert!(
        routes.len() >= 37,
        "found {} back-office routes",
        routes.len()
    );
    let customer = app.login_as(Role::Customer);
    let user: i64 = comptoir::db::schema::users::table
        .select(comptoir::db::schema::users::id)
        .first(&mut app.conn())
        .unwrap();
    let anonymous = app.browser();
    for (method, uri) in &routes {
        let path = sample_path(uri, &number, product, user);
        let (as_customer, as_anonymous) = if method == "GET" {
            (customer.get(&path), anonymous.get(&path))
        } else {
            (customer.submit(&path, &[]), anonymous.submit(&path, &[]))
        };
        assert_eq!(
            as_customer.status,
            Status::Forbidden,
            "{method} {uri} as a customer"
        );
        assert_eq!(
            as_anonymous.status,
            Status::SeeOther,
            "{method} {uri} anonymously"
        );
        assert!(
            as_anonymous
                .location
                .as_deref()
                .unwrap_or("")
                .starts_with("/login"),
            "{method} {uri} sends anonymous visitors to the login page"
        );
    }
    // Staff reach every page; admin-only pages stay closed to them.
    let staff = app.login_as(Role::Staff);
    for (method, uri) in routes.iter().filter(|(m, _)| m == "GET") {
        let path = sample_path(uri, &number, product, user);
        let page = staff.get(&path);
        let admin_only = [
            "/admin/staff",
            "/admin/settings",
            "/admin/legal",
            "/admin/shipping",
        ];
        let expected = if admin_only.iter().any(|p| uri.starts_with(p)) {
            Status::Forbidden
        } else {
            Status::Ok
        };
        assert_eq!(page.status, expected, "{method} {uri} as staff");
    }
    for path in [
        "/admin/staff",
        "/admin/staff/1/role",
        "/admin/staff/1/disabled",
        "/admin/settings",
    ] {
        let r = staff.submit(path, &[("role", "admin"), ("email", "x@y.fr")]);
        assert_eq!(r.status, Status::Forbidden, "POST {path} as staff");
    }
}

#[test]
fn a_new_staff_member_runs_a_sale_from_start_to_finish() {
    let smtp = crate::smtp::SmtpServer::start();
    let app = TestApp::with(crate::helpers::Options::with_smtp(smtp.port));
    // An admin invites a staff member, who sets a password and signs in.
    let admin = app.login_as(Role::Admin);
    admin.submit(
        "/admin/staff",
        &[("email", "lea@comptoir.test"), ("role", "staff")],
    );
    app.deliver_outbox();
    let invite = smtp.expect(1);
    let token = invite[0]
        .text()
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let staff = app.browser();
    staff.submit(
        "/password/set",
        &[
            ("token", &token),
            ("password", crate::helpers::PASSWORD),
            ("password_confirm", crate::helpers::PASSWORD),
        ],
    );
    assert_eq!(
        staff
            .submit(
                "/login",
                &[
                    ("email", "lea@comptoir.test"),
                    ("password", crate::helpers::PASSWORD)
                ]
            )
            .status,
        Status::SeeOther
    );

    // She adds a product with a picture.
    let cat: i64 = comptoir::db::schema::categories::table
        .select(comptoir::db::schema::categories::id)
        .first(&mut app.conn())
        .unwrap();
    let cat = cat.to_string();
    let created = staff.submit(
        "/admin/products",
        &[
            ("name", "Huile de noix"),
            ("price", "11,20"),
            ("vat_rate", "550"),
            ("category_id", &cat),
            ("stock", "5"),
            ("active", "true"),
        ],
    );
    let location = created.location.unwrap();
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(800, 600)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    staff.upload(
        &format!("{location}/images"),
        &[("alt", "La bouteille")],
        "huile.png",
        "image/png",
        png.get_ref(),
    );
    assert_eq!(app.count("product_images"), 1);

    // A customer buys it.
    let buyer = app.browser();
    add(&app, &buyer, "huile-de-noix", 2);
    assert_eq!(
        checkout(&buyer, &address("buyer@example.fr")).status,
        Status::SeeOther
    );
    let number: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();

    // She marks it paid, then shipped with a tracking number: the customer gets both emails.
    step(&staff, &number, "mark_paid", None);
    step(&staff, &number, "ship", Some("8R00112233"));
    app.deliver_outbox();
    let mail = smtp.expect(4);
    let to_buyer: Vec<String> = mail
        .iter()
        .filter(|m| m.to == vec!["buyer@example.fr".to_string()])
        .map(|m| m.subject())
        .collect();
    assert_eq!(
        to_buyer.len(),
        3,
        "confirmation, payment received, shipped: {to_buyer:?}"
    );
    assert!(to_buyer.iter().any(|s| s.contains("paiement reçu")));
    let shipped = mail
        .iter()
        .find(|m| m.subject().contains("expédiée"))
        .unwrap();
    assert!(shipped.text().contains("8R00112233"));

    // The sale is on the dashboard chart, and every step is in the audit log.
    let dashboard = staff.get("/admin");
    assert!(
        dashboard.texts(".period-1 .revenue")[0].starts_with("27,30"),
        "2 × 11,20 + 4,90"
    );
    assert!(dashboard.body.contains("27,30"), "today's bar");
    let audit = staff.get("/admin/audit");
    let actions = audit.texts("td.action");
    for expected in [
        "staff.invite",
        "user.set_password",
        "product.create",
        "product.image_add",
        "order.mark_paid",
        "order.ship",
    ] {
        assert!(
            actions.contains(&expected.to_string()),
            "{expected} in {actions:?}"
        );
    }
}
