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
