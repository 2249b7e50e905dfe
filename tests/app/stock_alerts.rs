//! Back-in-stock alerts: a visitor's address confirmed by a link first, a customer's at once;
//! one email per alert, once, when the product is on sale again, through the outbox and a real
//! SMTP server; staff see the demand; bad input answered on the same page.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, stock_alerts};

use crate::helpers::{link_token, Options, TestApp};
use crate::smtp::SmtpServer;

const SALT: &str = "fleur-de-sel-de-guerande-250-g";

fn alert_url(slug: &str) -> String {
    format!("/products/{slug}/alert")
}

fn queued(app: &TestApp, kind: &str) -> Vec<String> {
    email_outbox::table
        .filter(email_outbox::kind.eq(kind))
        .order(email_outbox::id)
        .select(email_outbox::to_address)
        .load(&mut app.conn())
        .unwrap()
}

/// A staff member adds `delta` units through the back-office, as a delivery would.
fn restock(app: &TestApp, slug: &str, delta: i32) {
    let staff = app.login_as(Role::Staff);
    let id = app.product_id(slug);
    let done = staff.submit(
        &format!("/admin/products/{id}/stock"),
        &[("delta", &delta.to_string()), ("reason", "Livraison")],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
}

#[test]
fn a_visitor_confirms_and_gets_one_email_when_the_product_is_back() {
    let smtp = SmtpServer::start();
    let app = TestApp::with(Options::with_smtp(smtp.port));
    app.set_stock(SALT, 0);
    let visitor = app.browser();

    let page = visitor.get(&format!("/products/{SALT}"));
    assert_eq!(page.status, Status::Ok);
    assert!(page.texts("form.add-to-cart").is_empty(), "nothing to add");
    assert_eq!(
        page.attr("form.stock-alert", "action").as_deref(),
        Some(alert_url(SALT).as_str())
    );

    let asked = visitor.submit(&alert_url(SALT), &[("email", "  Ana@Example.TEST ")]);
    assert_eq!(asked.status, Status::SeeOther, "{}", asked.body);
    let back = visitor.get(asked.location.as_deref().unwrap());
    assert!(
        back.texts(".flash")
            .join(" ")
            .contains("Vérifiez votre boîte"),
        "{:?}",
        back.texts(".flash")
    );
    assert_eq!(
        queued(&app, "stock_alert_confirm"),
        vec!["ana@example.test"]
    );
    // Asking again sends no second link.
    visitor.submit(&alert_url(SALT), &[("email", "ana@example.test")]);
    assert_eq!(queued(&app, "stock_alert_confirm").len(), 1);
    assert_eq!(app.deliver_outbox(), 1);
    let link = smtp.expect(1)[0].text();
    assert!(link.contains("/alerts/confirm?token="), "{link}");

    // Unconfirmed, the alert sends nothing even with stock back.
    app.set_stock(SALT, 2);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    app.set_stock(SALT, 0);

    let token = link_token(&app, "stock_alert_confirm", "ana@example.test");
    let opened = visitor.get(&format!("/alerts/confirm?token={token}"));
    assert_eq!(opened.status, Status::Ok);
    assert_eq!(
        opened
            .attr("form[action='/alerts/confirm'] button", "type")
            .as_deref(),
        Some("submit"),
        "opening the link only shows a button"
    );
    let fields = [("token", token.as_str())];
    let confirmed = visitor.submit("/alerts/confirm", &fields);
    assert_eq!(confirmed.status, Status::SeeOther, "{}", confirmed.body);
    let again = visitor.submit("/alerts/confirm", &fields);
    assert_eq!(
        again.status,
        Status::UnprocessableEntity,
        "the link works once"
    );
    assert!(again.body.contains("ne fonctionne plus"));

    // Still sold out: nothing goes.
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    restock(&app, SALT, 4);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 1);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    assert_eq!(app.deliver_outbox(), 1);
    let mail = smtp.expect(2);
    assert!(
        mail[1].subject().contains("Fleur de sel"),
        "{}",
        mail[1].subject()
    );
    assert!(
        mail[1]
            .text()
            .contains(&format!("http://127.0.0.1:8000/products/{SALT}")),
        "{}",
        mail[1].text()
    );

    // Sold out and back again: the alert was sent, once.
    app.set_stock(SALT, 0);
    restock(&app, SALT, 1);
    assert_eq!(app.background().release_stock_alerts().unwrap(), 0);
    assert_eq!(queued(&app, "stock_alert"), vec!["ana@example.test"]);
}

#[test]
fn a_customer_is_waiting_at_once_and_bad_input_is_answered_on_the_page() {
    let app = TestApp::spawn();
    app.set_stock(SALT, 0);
    let visitor = app.browser();

    // A mistyped address: the same form, the message, what was typed.
    let bad = visitor.submit(&alert_url(SALT), &[("email", "ana@")]);
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(
        bad.attr("input[name=email]", "value").as_deref(),
        Some("ana@")
    );
    assert!(
        !bad.texts(".field-error, .error").join(" ").is_empty(),
        "{}",
        bad.body
    );
    assert_eq!(app.count("stock_alerts"), 0);
    // An unknown product.
    let unknown = visitor.submit(&alert_url("nothing-here"), &[("email", "a@b.fr")]);
    assert_eq!(unknown.status, Status::NotFound);

    // A signed-in customer: their own address, confirmed at once, no link.
    let customer = app.login_as(Role::Customer);
    let done = customer.submit(&alert_url(SALT), &[]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let rows: Vec<(String, bool, bool)> = stock_alerts::table
        .select((
            stock_alerts::email,
            stock_alerts::confirmed_at.is_not_null(),
            stock_alerts::user_id.is_not_null(),
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].0.starts_with("customer-"), "{rows:?}");
    assert!(rows[0].1 && rows[0].2, "{rows:?}");
    assert!(queued(&app, "stock_alert_confirm").is_empty());
    let again = customer.submit(&alert_url(SALT), &[]);
    assert_eq!(again.status, Status::SeeOther);
    assert_eq!(
        app.count("stock_alerts"),
        1,
        "one waiting alert per address"
    );

    // A product on sale: nothing to wait for.
    app.set_stock(SALT, 5);
    let page = visitor.get(&format!("/products/{SALT}"));
    assert!(page.texts("form.stock-alert").is_empty());
    let on_sale = visitor.submit(&alert_url(SALT), &[("email", "bea@example.test")]);
    assert_eq!(on_sale.status, Status::SeeOther);
    let back = visitor.get(on_sale.location.as_deref().unwrap());
    assert!(back
        .texts(".flash")
        .join(" ")
        .contains("de nouveau disponible"));
    assert_eq!(app.count("stock_alerts"), 1);

    // The customer's alert goes now that the stock is back, whatever brought it.
    assert_eq!(app.background().release_stock_alerts().unwrap(), 1);
}

#[test]
fn staff_see_the_demand_and_old_unconfirmed_alerts_are_swept() {
    let app = TestApp::spawn();
    app.set_stock(SALT, 0);
    for email in ["a@example.test", "b@example.test"] {
        let b = app.browser();
        let r = b.submit(&alert_url(SALT), &[("email", email)]);
        assert_eq!(r.status, Status::SeeOther);
    }
    let token = link_token(&app, "stock_alert_confirm", "a@example.test");
    let b = app.browser();
    b.get(&format!("/alerts/confirm?token={token}"));
    assert_eq!(
        b.submit("/alerts/confirm", &[("token", &token)]).status,
        Status::SeeOther
    );

    let staff = app.login_as(Role::Staff);
    let page = staff.get("/admin/stock/alerts");
    assert_eq!(page.status, Status::Ok);
    let rows = page.texts(".stock-alerts tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("Fleur de sel"), "{rows:?}");
    assert_eq!(page.texts(".stock-alerts .alerts-waiting"), vec!["1"]);
    let id = app.product_id(SALT);
    let edit = staff.get(&format!("/admin/products/{id}"));
    assert!(
        edit.texts(".alerts-waiting")
            .join(" ")
            .contains("Une personne"),
        "{:?}",
        edit.texts(".alerts-waiting")
    );
    let customer = app.login_as(Role::Customer);
    assert_eq!(
        customer.get("/admin/stock/alerts").status,
        Status::Forbidden
    );

    // A week later the unconfirmed one is gone; the confirmed one waits on.
    diesel::update(stock_alerts::table)
        .set(stock_alerts::created_at.eq(comptoir::db::now() - chrono::Duration::days(8)))
        .execute(&mut app.conn())
        .unwrap();
    app.run_periodic();
    let left: Vec<String> = stock_alerts::table
        .select(stock_alerts::email)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(left, vec!["a@example.test"]);
}

/// Several instances release at the same moment: each alert is queued exactly once.
#[test]
fn alerts_released_by_racing_instances_go_out_once() {
    let app = TestApp::spawn();
    app.set_stock(SALT, 0);
    let customers: Vec<_> = (0..12).map(|_| app.login_as(Role::Customer)).collect();
    for c in &customers {
        assert_eq!(c.submit(&alert_url(SALT), &[]).status, Status::SeeOther);
    }
    app.set_stock(SALT, 3);
    let background = app.background();
    let total: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let bg = background.clone();
                s.spawn(move || bg.release_stock_alerts().unwrap())
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(total, 12);
    assert_eq!(queued(&app, "stock_alert").len(), 12);
    let mut to = queued(&app, "stock_alert");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 12, "one email per customer");
}
