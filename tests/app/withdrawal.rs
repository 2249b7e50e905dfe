//! The "withdraw from the contract here" function: open for 14 days after delivery, from the
//! order's page (signed link for guests), asking only which items; the customer's
//! acknowledgement and the staff's notice by email, the request and its refund deadline on the
//! back-office's order page and dashboard; refused, with the reason, before delivery and after
//! the deadline.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, order_lines, orders, withdrawals};

use crate::helpers::{address, Browser, Options, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const WINE: &str = "cotes-du-rhone-villages-rouge-2022";

/// A guest's order of 2 mustards and a wine, taken to `steps`; its number and signed link.
fn guest_order(
    app: &TestApp,
    b: &Browser<'_>,
    staff: &Browser<'_>,
    steps: &[&str],
) -> (String, String) {
    add(app, b, MUSTARD, 2);
    add(app, b, WINE, 1);
    let placed = checkout(b, &address("guest-withdraws@example.fr"));
    let signed = placed.location.expect("the signed order link");
    let number: String = orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    for step in steps {
        let done = staff.submit(
            &format!("/admin/orders/{number}/step"),
            &[("step", step), ("tracking", "6A42")],
        );
        assert_eq!(done.status, Status::SeeOther, "{step}");
    }
    (number, signed)
}

fn line_of(app: &TestApp, number: &str, slug: &str) -> i64 {
    order_lines::table
        .inner_join(orders::table)
        .filter(orders::number.eq(number))
        .filter(order_lines::product_slug.eq(slug))
        .select(order_lines::id)
        .first(&mut app.conn())
        .unwrap()
}

fn emails(app: &TestApp, kind: &str) -> Vec<(String, String)> {
    email_outbox::table
        .filter(email_outbox::kind.eq(kind))
        .select((email_outbox::to_address, email_outbox::body_text))
        .load(&mut app.conn())
        .unwrap()
}

#[test]
fn a_guest_withdraws_from_a_delivered_order_and_both_sides_are_told() {
    let app = TestApp::with(Options {
        shop_email: Some("boutique@comptoir.test"),
        ..Options::default()
    });
    let staff = app.login_as(Role::Staff);
    let b = app.browser();
    let (number, signed) = guest_order(&app, &b, &staff, &["mark_paid", "ship", "deliver"]);

    // The order's page offers the function, clearly labelled, with its deadline.
    let page = b.get(&signed);
    let button = page
        .attr(".withdraw-button", "href")
        .expect("the withdrawal button");
    assert_eq!(
        page.texts(".withdraw-button"),
        vec!["Se rétracter du contrat ici"]
    );
    let form = b.get(&button);
    assert_eq!(form.status, Status::Ok);
    let sig = form
        .attr("form.withdraw-form input[name=t]", "value")
        .unwrap();
    let (mustard, wine) = (
        line_of(&app, &number, MUSTARD),
        line_of(&app, &number, WINE),
    );
    let (qm, qw) = (format!("qty[{mustard}]"), format!("qty[{wine}]"));
    // Everything is chosen at first.
    assert_eq!(
        form.attr(&format!("input[name='{qm}']"), "value")
            .as_deref(),
        Some("2")
    );

    // More than was ordered: refused, what was typed kept.
    let too_many = b.submit(
        &format!("/orders/{number}/withdraw"),
        &[("t", &sig), (&qm, "3"), (&qw, "0"), ("comment", "Trop")],
    );
    assert_eq!(too_many.status, Status::UnprocessableEntity);
    assert!(too_many
        .texts(".form-error")
        .join("")
        .contains("plus d'articles"));
    assert_eq!(
        too_many
            .attr(&format!("input[name='{qm}']"), "value")
            .as_deref(),
        Some("3")
    );
    assert_eq!(too_many.texts("textarea[name=comment]"), vec!["Trop"]);

    // One mustard of two, the wine kept.
    let done = b.submit(
        &format!("/orders/{number}/withdraw"),
        &[
            ("t", &sig),
            (&qm, "1"),
            (&qw, "0"),
            ("comment", "Un pot de trop"),
        ],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let back = b.get(done.location.as_deref().unwrap());
    assert!(back
        .texts(".flash")
        .join("")
        .contains("rétractation est enregistrée"));
    assert!(back
        .texts(".withdrawal")
        .join("")
        .contains("Remboursement au plus tard"));
    let items: String = withdrawals::table
        .select(withdrawals::items)
        .first(&mut app.conn())
        .unwrap();
    let items: serde_json::Value = serde_json::from_str(&items).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["quantity"], 1);

    // Both sides get it by email, once even if the form is sent again.
    b.submit(
        &format!("/orders/{number}/withdraw"),
        &[("t", &sig), (&qm, "2")],
    );
    let to_customer = emails(&app, "withdrawal_received");
    assert_eq!(to_customer.len(), 1);
    assert_eq!(to_customer[0].0, "guest-withdraws@example.fr");
    assert!(to_customer[0].1.contains(&number));
    assert!(to_customer[0].1.contains("1 × "));
    let to_staff = emails(&app, "withdrawal_staff");
    assert_eq!(to_staff.len(), 1);
    assert_eq!(to_staff[0].0, "boutique@comptoir.test");
    assert!(to_staff[0].1.contains("Un pot de trop"));

    // Staff see it with its deadline, on the order and on the dashboard.
    let detail = staff.get(&format!("/admin/orders/{number}"));
    assert!(detail
        .texts(".admin-withdrawal .refund-by")
        .join("")
        .contains("au plus tard"));
    let dashboard = staff.get("/admin");
    assert!(dashboard.texts(".withdrawals-due a").contains(&number));
    // Someone without the link cannot withdraw, nor see the page.
    let stranger = app.browser();
    assert_eq!(
        stranger.get(&format!("/orders/{number}/withdraw")).status,
        Status::NotFound
    );
}

#[test]
fn withdrawal_is_refused_before_delivery_and_after_fourteen_days() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let b = app.browser();
    let (number, signed) = guest_order(&app, &b, &staff, &["mark_paid", "ship"]);
    let sig = signed.split("t=").nth(1).unwrap().to_string();
    let page = b.get(&signed);
    assert!(
        page.attr(".withdraw-button", "href").is_none(),
        "not before delivery"
    );
    let refused = b.submit(&format!("/orders/{number}/withdraw"), &[("t", &sig)]);
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(
        refused.body.contains("ouvre à la livraison"),
        "{}",
        refused.body
    );

    // Delivered fifteen days ago: too late, said so.
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "deliver")],
    );
    diesel::update(orders::table.filter(orders::number.eq(&number)))
        .set(orders::delivered_at.eq(Some(comptoir::db::now() - chrono::Duration::days(15))))
        .execute(&mut app.conn())
        .unwrap();
    assert!(b.get(&signed).attr(".withdraw-button", "href").is_none());
    let late = b.submit(&format!("/orders/{number}/withdraw"), &[("t", &sig)]);
    assert_eq!(late.status, Status::UnprocessableEntity);
    assert!(late.body.contains("délai de rétractation de 14 jours"));
    let none: i64 = withdrawals::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(none, 0);
    assert!(emails(&app, "withdrawal_received").is_empty());
}
