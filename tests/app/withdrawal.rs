//! The "withdraw from the contract here" function of code de la consommation art. L221-18,
//! L221-21 and D221-5 (décret n° 2026-3): open from the order until 14 days after delivery;
//! reached from every page's footer; a guest identifies the order with its number and email
//! (the same answer for any wrong pair, throttled as logins are); the items, then a distinct
//! confirmation. Before shipment the order is cancelled (or its items), the goods back on sale
//! and the money refunded with its credit note; after shipment a return with its refund
//! deadline. The customer's acknowledgement states the date and time; staff are always told.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, invoices, order_lines, orders, refunds, withdrawals};

use crate::helpers::{address, Browser, Options, Page, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const WINE: &str = "cotes-du-rhone-villages-rouge-2022";
const GUEST: &str = "guest-withdraws@example.fr";

/// A guest's order of 2 mustards and a wine, taken through `steps` by staff; its number.
fn guest_order(app: &TestApp, staff: &Browser<'_>, steps: &[&str]) -> String {
    let b = app.browser();
    add(app, &b, MUSTARD, 2);
    add(app, &b, WINE, 1);
    assert_eq!(checkout(&b, &address(GUEST)).status, Status::SeeOther);
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
    number
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

fn status_of(app: &TestApp, number: &str) -> String {
    orders::table
        .filter(orders::number.eq(number))
        .select(orders::status)
        .first(&mut app.conn())
        .unwrap()
}

fn count_withdrawals(app: &TestApp) -> i64 {
    withdrawals::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn credit_notes(app: &TestApp, number: &str) -> Vec<i64> {
    invoices::table
        .inner_join(orders::table)
        .filter(orders::number.eq(number))
        .filter(invoices::kind.eq("credit_note"))
        .select(invoices::total_cents)
        .load(&mut app.conn())
        .unwrap()
}

/// "dd/mm/yyyy hh:mm" somewhere in `text`.
fn has_date_and_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(16).any(|w| {
        let d = |i: usize| w[i].is_ascii_digit();
        d(0) && d(1)
            && w[2] == b'/'
            && d(3)
            && d(4)
            && w[5] == b'/'
            && (6..10).all(d)
            && w[10] == b' '
            && d(11)
            && d(12)
            && w[13] == b':'
            && d(14)
            && d(15)
    })
}

/// From the home page's footer to the order's withdrawal form, as a guest does it: the
/// function's page, then the order's number and email. Returns the form's page.
pub fn find_as_guest(b: &Browser<'_>, number: &str, email: &str) -> Page {
    let home = b.get("/");
    let link = home
        .attr("footer .withdraw-link a", "href")
        .expect("the function in the footer");
    assert_eq!(
        home.texts("footer .withdraw-link a"),
        vec!["Se rétracter du contrat ici"]
    );
    let start = b.get(&link);
    assert_eq!(start.status, Status::Ok);
    assert!(start.attr("form.withdraw-find-form", "action").is_some());
    let found = b.submit(&link, &[("number", number), ("email", email)]);
    assert_eq!(found.status, Status::SeeOther, "{}", found.body);
    let form = b.get(found.location.as_deref().unwrap());
    assert_eq!(form.status, Status::Ok);
    form
}

/// The hidden and typed fields of a form on `page`, as a browser would send them.
fn fields_of(page: &Page, form: &str) -> Vec<(String, String)> {
    let html = page.html();
    let inputs = scraper::Selector::parse(&format!("{form} input, {form} textarea")).unwrap();
    html.select(&inputs)
        .filter_map(|e| {
            let name = e.value().attr("name")?.to_string();
            let value = match e.value().name() {
                "textarea" => e.text().collect(),
                _ => e.value().attr("value").unwrap_or("").to_string(),
            };
            Some((name, value))
        })
        .collect()
}

pub fn send(b: &Browser<'_>, page: &Page, form: &str, changes: &[(&str, &str)]) -> Page {
    let action = page.attr(form, "action").expect("the form");
    let mut fields = fields_of(page, form);
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v.to_string(),
            None => fields.push((k.to_string(), v.to_string())),
        }
    }
    fields.retain(|(k, _)| k != "_csrf");
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.submit(&action, &refs)
}

#[test]
fn a_guest_withdraws_from_a_paid_order_before_shipment_from_the_footer() {
    let app = TestApp::with(Options {
        shop_email: Some("boutique@comptoir.test"),
        ..Options::default()
    });
    let staff = app.login_as(Role::Staff);
    let (mustard_before, wine_before) = (app.stock(MUSTARD), app.stock(WINE));
    let number = guest_order(&app, &staff, &["mark_paid"]);
    assert_eq!(app.stock(MUSTARD), mustard_before - 2);

    let b = app.browser();
    let form = find_as_guest(&b, &number, "Guest-Withdraws@example.fr ");
    // Everything is chosen at first.
    let mustard = line_of(&app, &number, MUSTARD);
    assert_eq!(
        form.attr(&format!("input[name='qty[{mustard}]']"), "value")
            .as_deref(),
        Some("2")
    );
    assert!(form
        .texts(".withdrawal-stage")
        .join("")
        .contains("pas encore partie"));

    // Step one leads to a distinct confirmation, which records nothing yet.
    let review = send(&b, &form, "form.withdraw-form", &[]);
    assert_eq!(review.status, Status::Ok, "{}", review.body);
    assert_eq!(
        review.texts("form.withdraw-confirm-form button"),
        vec!["Confirmer la rétractation"]
    );
    assert_eq!(review.texts(".withdraw-chosen li").len(), 2);
    assert_eq!(count_withdrawals(&app), 0);

    // Each step as served, for the HTML checker of `.ci/run` (the confirmation step is a POST
    // answer, which the browser sweep does not visit).
    let pages = crate::helpers::html_dir("pages");
    crate::helpers::save_html(
        &pages,
        "withdraw-find-fr.html",
        &b.get("/retractation").body,
    );
    crate::helpers::save_html(&pages, "withdraw-items-fr.html", &form.body);
    crate::helpers::save_html(&pages, "withdraw-confirm-fr.html", &review.body);

    let done = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let back = b.get(done.location.as_deref().unwrap());
    crate::helpers::save_html(&pages, "withdraw-done-fr.html", &back.body);
    let flash = back.texts(".flash").join("");
    assert!(flash.contains("rétractation est enregistrée"), "{flash}");
    assert!(has_date_and_time(&flash), "{flash}");
    assert!(flash.contains("remboursé"), "{flash}");

    // Cancelled and refunded, with its credit note; the goods back on sale.
    assert_eq!(status_of(&app, &number), "cancelled");
    assert_eq!(credit_notes(&app, &number).len(), 1);
    let refunded: i64 = refunds::table
        .inner_join(orders::table)
        .filter(orders::number.eq(&number))
        .filter(refunds::status.eq("succeeded"))
        .select(refunds::total_cents)
        .first(&mut app.conn())
        .unwrap();
    let total: i64 = orders::table
        .filter(orders::number.eq(&number))
        .select(orders::total_cents)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(refunded, total, "everything paid, shipping included");
    assert_eq!(app.stock(MUSTARD), mustard_before);
    assert_eq!(app.stock(WINE), wine_before);

    // Both sides are told, with the date and the time; once even if confirmed twice.
    let again = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(again.status, Status::SeeOther);
    assert_eq!(count_withdrawals(&app), 1);
    let to_customer = emails(&app, "withdrawal_received");
    assert_eq!(to_customer.len(), 1);
    assert_eq!(to_customer[0].0, GUEST);
    assert!(to_customer[0].1.contains(&number));
    assert!(has_date_and_time(&to_customer[0].1), "{}", to_customer[0].1);
    assert!(to_customer[0].1.contains("2 × "));
    let to_staff = emails(&app, "withdrawal_staff");
    assert_eq!(to_staff.len(), 1);
    assert_eq!(to_staff[0].0, "boutique@comptoir.test");
    assert!(has_date_and_time(&to_staff[0].1));

    // The form afterwards says it is done, and offers nothing.
    let after = find_as_guest(&b, &number, GUEST);
    assert!(after.attr("form.withdraw-form", "action").is_none());
    assert!(!after.texts(".withdrawal-received").is_empty());
}

#[test]
fn part_of_a_paid_order_is_withdrawn_and_the_rest_ships() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = guest_order(&app, &staff, &["mark_paid"]);
    let mustard_before = app.stock(MUSTARD);
    let (mustard, wine) = (
        line_of(&app, &number, MUSTARD),
        line_of(&app, &number, WINE),
    );
    // Staff refunded the wine already: it is not offered again.
    let refunded = crate::refunds::refund(&staff, &number, &[(&format!("qty[{wine}]"), "1")]);
    assert_eq!(refunded.status, Status::SeeOther, "{}", refunded.body);

    let b = app.browser();
    let form = find_as_guest(&b, &number, GUEST);
    assert!(form
        .attr(&format!("input[name='qty[{wine}]']"), "value")
        .is_none());
    let qm = format!("qty[{mustard}]");

    // More than was ordered, nothing at all: refused on the same page, what was typed kept.
    let too_many = send(&b, &form, "form.withdraw-form", &[(&qm, "3")]);
    assert_eq!(too_many.status, Status::UnprocessableEntity);
    assert_eq!(
        too_many
            .attr(&format!("input[name='{qm}']"), "value")
            .as_deref(),
        Some("3")
    );
    assert!(!too_many.texts(".form-error").is_empty());
    let nothing = send(&b, &form, "form.withdraw-form", &[(&qm, "0")]);
    assert_eq!(nothing.status, Status::UnprocessableEntity);
    // A line of another order is not this order's.
    let foreign = send(&b, &form, "form.withdraw-form", &[("qty[999999]", "1")]);
    assert_eq!(foreign.status, Status::UnprocessableEntity);

    let review = send(
        &b,
        &form,
        "form.withdraw-form",
        &[(&qm, "1"), ("comment", "Un pot de trop")],
    );
    assert_eq!(review.status, Status::Ok, "{}", review.body);
    assert_eq!(review.texts(".withdraw-chosen li").len(), 1);
    let done = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);

    assert_eq!(status_of(&app, &number), "paid", "the rest ships");
    assert_eq!(app.stock(MUSTARD), mustard_before + 1);
    let notes = credit_notes(&app, &number);
    assert_eq!(notes.len(), 2, "the wine's, then the mustard's");
    let given: i64 = refunds::table
        .inner_join(orders::table)
        .filter(orders::number.eq(&number))
        .filter(refunds::status.eq("succeeded"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(given, 2);
    assert!(emails(&app, "withdrawal_staff")
        .iter()
        .all(|(_, body)| body.contains("Un pot de trop")));
    let shipped = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "ship"), ("tracking", "6A43")],
    );
    assert_eq!(shipped.status, Status::SeeOther);
    assert_eq!(status_of(&app, &number), "shipped");
}

#[test]
fn an_unpaid_order_is_cancelled_and_its_stock_put_back() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let mustard_before = app.stock(MUSTARD);
    let number = guest_order(&app, &staff, &[]);
    let b = app.browser();
    let form = find_as_guest(&b, &number, GUEST);
    assert!(form
        .texts(".withdrawal-stage")
        .join("")
        .contains("pas encore payée"));
    // The same steps in English, for the HTML checker.
    let en = app.browser();
    en.submit("/lang", &[("lang", "en"), ("next", "/")]);
    let pages = crate::helpers::html_dir("pages");
    let found = en.submit("/retractation", &[("number", &number), ("email", GUEST)]);
    let items = en.get(found.location.as_deref().unwrap());
    assert!(items.body.contains("Withdraw"));
    crate::helpers::save_html(
        &pages,
        "withdraw-find-en.html",
        &en.get("/retractation").body,
    );
    crate::helpers::save_html(&pages, "withdraw-items-en.html", &items.body);
    let en_review = send(&en, &items, "form.withdraw-form", &[]);
    assert_eq!(
        en_review.texts("form.withdraw-confirm-form button"),
        vec!["Confirm the withdrawal"]
    );
    crate::helpers::save_html(&pages, "withdraw-confirm-en.html", &en_review.body);
    let review = send(&b, &form, "form.withdraw-form", &[]);
    let done = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(status_of(&app, &number), "cancelled");
    assert_eq!(app.stock(MUSTARD), mustard_before);
    assert!(credit_notes(&app, &number).is_empty(), "nothing was paid");
    let flash = b
        .get(done.location.as_deref().unwrap())
        .texts(".flash")
        .join("");
    assert!(flash.contains("annulée"), "{flash}");
}

#[test]
fn after_shipment_a_return_opens_with_its_refund_deadline() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = guest_order(&app, &staff, &["mark_paid", "ship"]);
    let b = app.browser();
    let form = find_as_guest(&b, &number, GUEST);
    let review = send(&b, &form, "form.withdraw-form", &[]);
    let done = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let flash = b
        .get(done.location.as_deref().unwrap())
        .texts(".flash")
        .join("");
    assert!(flash.contains("Renvoyez-nous"), "{flash}");
    assert_eq!(status_of(&app, &number), "shipped", "refunded once back");
    assert!(credit_notes(&app, &number).is_empty());

    let detail = staff.get(&format!("/admin/orders/{number}"));
    assert!(detail
        .texts(".admin-withdrawal .refund-by")
        .join("")
        .contains("au plus tard"));
    assert!(staff
        .get("/admin")
        .texts(".withdrawals-due a")
        .contains(&number));
}

#[test]
fn staff_are_told_at_the_admins_addresses_when_the_shop_has_none() {
    let app = TestApp::spawn();
    app.create_user("owner@example.test", Role::Admin);
    let staff = app.login_as(Role::Staff);
    let number = guest_order(&app, &staff, &["mark_paid", "ship", "deliver"]);
    let b = app.browser();
    let form = find_as_guest(&b, &number, GUEST);
    let review = send(&b, &form, "form.withdraw-form", &[]);
    send(&b, &review, "form.withdraw-confirm-form", &[]);
    let told: Vec<String> = emails(&app, "withdrawal_staff")
        .into_iter()
        .map(|(to, _)| to)
        .collect();
    assert!(told.contains(&"owner@example.test".to_string()), "{told:?}");
}

#[test]
fn a_wrong_pair_gets_the_same_answer_and_is_throttled_like_logins() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = guest_order(&app, &staff, &["mark_paid"]);
    let b = app.browser();
    let wrong_email = b.submit(
        "/retractation",
        &[("number", &number), ("email", "someone@example.fr")],
    );
    let no_order = b.submit(
        "/retractation",
        &[("number", "CMD-0000-99999"), ("email", GUEST)],
    );
    assert_eq!(wrong_email.status, Status::UnprocessableEntity);
    assert_eq!(no_order.status, Status::UnprocessableEntity);
    let (a, c) = (
        wrong_email.texts(".field .error").join(""),
        no_order.texts(".field .error").join(""),
    );
    assert!(!a.is_empty());
    assert_eq!(a, c, "the same answer for any wrong pair");
    assert_eq!(
        wrong_email.attr("input[name=email]", "value").as_deref(),
        Some("someone@example.fr")
    );
    // Empty fields are named.
    let empty = b.submit("/retractation", &[("number", ""), ("email", "")]);
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.texts(".field .error").len() >= 2);

    // Guessing emails for one order is locked after a few tries, even with the right pair.
    let mut locked = None;
    for i in 0..10 {
        let r = b.submit(
            "/retractation",
            &[
                ("number", &number),
                ("email", &format!("guess{i}@example.fr")),
            ],
        );
        if r.status == Status::TooManyRequests {
            locked = Some(r);
            break;
        }
    }
    let locked = locked.expect("throttled");
    assert!(locked
        .texts(".field .error")
        .join("")
        .contains("réessayez dans"));
    let right = b.submit("/retractation", &[("number", &number), ("email", GUEST)]);
    assert_eq!(right.status, Status::TooManyRequests);
}

#[test]
fn closed_orders_say_why_on_the_same_page() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    // Delivered fifteen days ago: too late.
    let late = guest_order(&app, &staff, &["mark_paid", "ship", "deliver"]);
    diesel::update(orders::table.filter(orders::number.eq(&late)))
        .set(orders::delivered_at.eq(Some(comptoir::db::now() - chrono::Duration::days(15))))
        .execute(&mut app.conn())
        .unwrap();
    let b = app.browser();
    let page = find_as_guest(&b, &late, GUEST);
    assert!(page.attr("form.withdraw-form", "action").is_none());
    assert!(page
        .texts(".withdrawal-closed")
        .join("")
        .contains("14 jours"));
    // Posting anyway records nothing.
    let forced = b.submit(&format!("/orders/{late}/withdraw"), &[]);
    assert_ne!(forced.status, Status::InternalServerError);
    assert_eq!(count_withdrawals(&app), 0);

    // Cancelled by the shop: nothing to withdraw from.
    let cancelled = guest_order(&app, &staff, &["cancel"]);
    let page = find_as_guest(&b, &cancelled, GUEST);
    assert!(page.attr("form.withdraw-form", "action").is_none());
    assert!(!page.texts(".withdrawal-closed").join("").is_empty());
    assert!(emails(&app, "withdrawal_received").is_empty());
    // Someone without the order's link cannot see its withdrawal page.
    assert_eq!(
        app.browser()
            .get(&format!("/orders/{late}/withdraw"))
            .status,
        Status::NotFound
    );
}

#[test]
fn a_signed_in_customer_sees_their_open_orders() {
    let app = TestApp::spawn();
    let customer = app.login_as(Role::Customer);
    add(&app, &customer, MUSTARD, 1);
    let email: String = comptoir::db::schema::users::table
        .order(comptoir::db::schema::users::id.desc())
        .select(comptoir::db::schema::users::email)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        checkout(&customer, &address(&email)).status,
        Status::SeeOther
    );
    let number: String = orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    let start = customer.get("/retractation");
    let link = start
        .attr(".withdraw-orders a", "href")
        .expect("the customer's open order");
    assert!(link.contains(&number));
    let form = customer.get(&link);
    assert_eq!(form.status, Status::Ok);
    assert!(form.attr("form.withdraw-form", "action").is_some());
    // The order's own page has the button too.
    let order = customer.get(&format!("/orders/{number}"));
    assert!(order.attr(".withdraw-button", "href").is_some());
}

#[test]
fn hostile_input_in_the_withdrawal_function_renders_inert() {
    use crate::xss::{assert_inert, PAYLOADS};
    let app = TestApp::with(Options {
        shop_email: Some("boutique@comptoir.test"),
        ..Options::default()
    });
    let staff = app.login_as(Role::Staff);
    let number = guest_order(&app, &staff, &["mark_paid", "ship"]);
    let b = app.browser();
    for (i, payload) in PAYLOADS.iter().enumerate().take(12) {
        let echoed = b.submit("/retractation", &[("number", payload), ("email", payload)]);
        assert!(echoed.status.code < 500, "{payload}");
        assert_inert(&echoed.body, &format!("lookup, payload {i}"));
    }
    let b = app.browser();
    let form = find_as_guest(&b, &number, GUEST);
    let payload = PAYLOADS[1];
    let review = send(&b, &form, "form.withdraw-form", &[("comment", payload)]);
    assert_inert(&review.body, "confirmation step");
    let done = send(&b, &review, "form.withdraw-confirm-form", &[]);
    assert_eq!(done.status, Status::SeeOther);
    assert_inert(
        &staff.get(&format!("/admin/orders/{number}")).body,
        "staff's order page",
    );
    let html: Vec<String> = email_outbox::table
        .filter(email_outbox::kind.eq("withdrawal_staff"))
        .select(email_outbox::body_html)
        .load(&mut app.conn())
        .unwrap();
    assert!(!html.is_empty());
    for body in html {
        assert_inert(&body, "staff's email");
    }
}
