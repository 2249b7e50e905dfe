//! Partial refunds and returns from the back-office: chosen lines, shipping and an amount given
//! back, each with its credit note, the balance never negative and each form one refund; goods
//! received back line by line and put back on sale when staff say so.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, invoices, order_lines, orders, refunds, stock_movements};
use comptoir::money::{Money, VatRate};

use crate::helpers::{address, Browser, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const WINE: &str = "cotes-du-rhone-villages-rouge-2022"; // 14,50 € at 20 %

fn euros(cents: i64) -> String {
    Money(cents).format("fr")
}

/// A delivered order of 2 mustards and 1 wine, standard shipping; its number.
fn delivered_order(app: &TestApp, staff: &Browser<'_>, email: &str) -> String {
    let b = app.browser();
    add(app, &b, MUSTARD, 2);
    add(app, &b, WINE, 1);
    assert_eq!(checkout(&b, &address(email)).status, Status::SeeOther);
    let number: String = orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    for (step, tracking) in [("mark_paid", ""), ("ship", "6A0001"), ("deliver", "")] {
        let done = staff.submit(
            &format!("/admin/orders/{number}/step"),
            &[("step", step), ("tracking", tracking)],
        );
        assert_eq!(done.status, Status::SeeOther, "{step}");
    }
    number
}

/// The order line id of `slug` in order `number`.
fn line_of(app: &TestApp, number: &str, slug: &str) -> i64 {
    order_lines::table
        .inner_join(orders::table)
        .filter(orders::number.eq(number))
        .filter(order_lines::product_slug.eq(slug))
        .select(order_lines::id)
        .first(&mut app.conn())
        .unwrap()
}

/// The refund form's fields as the order's page writes them (its token), plus `fields`.
pub fn refund(staff: &Browser<'_>, number: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    let page = staff.get(&format!("/admin/orders/{number}"));
    let key = page
        .attr("form.refund-form input[name=key]", "value")
        .expect("a refund form with its token");
    let mut all = vec![("key", key.as_str())];
    all.extend_from_slice(fields);
    staff.submit(&format!("/admin/orders/{number}/refund"), &all)
}

fn credit_notes(app: &TestApp, number: &str) -> Vec<(String, i64, i64)> {
    invoices::table
        .inner_join(orders::table)
        .filter(orders::number.eq(number))
        .filter(invoices::kind.eq("credit_note"))
        .order(invoices::id)
        .select((invoices::number, invoices::total_cents, invoices::vat_cents))
        .load(&mut app.conn())
        .unwrap()
}

fn status_of(app: &TestApp, number: &str) -> String {
    orders::table
        .filter(orders::number.eq(number))
        .select(orders::status)
        .first::<comptoir::orders::model::Status>(&mut app.conn())
        .unwrap()
        .as_str()
        .to_string()
}

#[test]
fn partial_refunds_issue_their_credit_notes_and_the_balance_never_goes_negative() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = delivered_order(&app, &staff, "partial@example.fr");
    let (total, vat): (i64, i64) = orders::table
        .filter(orders::number.eq(&number))
        .select((orders::total_cents, orders::vat_cents))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(total, 900 + 1450 + 490);
    let mustard = line_of(&app, &number, MUSTARD).to_string();
    let qty = format!("qty[{mustard}]");

    // One mustard, broken: its credit note gives back 4,50 € at 5,5 %.
    let page = staff.get(&format!("/admin/orders/{number}"));
    let key = page
        .attr("form.refund-form input[name=key]", "value")
        .unwrap();
    let fields = [
        ("key", key.as_str()),
        (qty.as_str(), "1"),
        ("reason", "Pot cassé"),
    ];
    let done = staff.submit(&format!("/admin/orders/{number}/refund"), &fields);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let year = chrono::Utc::now().format("%Y").to_string();
    let mustard_vat = VatRate::Reduced.included_in(Money(450)).0;
    assert_eq!(
        credit_notes(&app, &number),
        vec![(format!("A{year}-000001"), -450, -mustard_vat)]
    );
    // The same form sent twice is one refund.
    let again = staff.submit(&format!("/admin/orders/{number}/refund"), &fields);
    assert_eq!(again.status, Status::SeeOther);
    assert_eq!(credit_notes(&app, &number).len(), 1);
    assert_eq!(status_of(&app, &number), "delivered", "partly refunded");

    // Its document: the line, its rate, the reason; the balance on both order pages.
    let page = staff.get(&format!("/admin/orders/{number}"));
    assert_eq!(
        page.texts(".balance-left"),
        vec![euros(total - 450)],
        "paid − refunded"
    );
    let doc = staff.get(&format!("/orders/{number}/documents/A{year}-000001"));
    assert_eq!(doc.status, Status::Ok);
    // Lines excluding tax (CGI art. 242 nonies A), the total tax included.
    assert_eq!(
        doc.texts(".line .line-total"),
        vec![euros(450 - mustard_vat)]
    );
    assert_eq!(doc.texts(".line .unit-net"), vec![euros(450 - mustard_vat)]);
    assert!(doc
        .texts(".invoice-lines th")
        .contains(&"Total HT".to_string()));
    assert_eq!(doc.texts(".invoice-total"), vec![euros(450)]);
    assert_eq!(doc.texts(".invoice-vat"), vec![euros(mustard_vat)]);
    assert!(doc.body.contains("Pot cassé"));
    assert!(
        doc.body.contains(&format!("F{year}-000001")),
        "the invoice it corrects"
    );
    let email: String = email_outbox::table
        .filter(email_outbox::kind.eq("order_refunded"))
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .unwrap();
    assert!(email.contains(&euros(450)), "{email}");
    assert!(email.contains(&euros(total - 450)), "the balance: {email}");

    // Refused, on the same page with what was typed: more than the balance, more mustard than
    // is left, an amount that is not one.
    for (fields, message) in [
        (vec![("amount", "1000")], "dépasse le solde"),
        (vec![(qty.as_str(), "2")], "plus d'articles"),
        (vec![("amount", "douze")], "montant en euros"),
        (vec![], "Choisissez des articles"),
    ] {
        let refused = refund(&staff, &number, &fields);
        assert_eq!(refused.status, Status::UnprocessableEntity, "{fields:?}");
        assert!(
            refused
                .texts(".refund-form .form-error")
                .join(" ")
                .contains(message),
            "{message}: {:?}",
            refused.texts(".form-error")
        );
        for (name, value) in &fields {
            let selector = format!(".refund-form input[name='{name}']");
            assert_eq!(refused.attr(&selector, "value").as_deref(), Some(*value));
        }
    }
    assert_eq!(
        credit_notes(&app, &number).len(),
        1,
        "nothing refused was made"
    );

    // The shipping and a gesture, then everything left: the order is refunded, and its credit
    // notes add up to its invoice, VAT to the cent.
    let done = refund(
        &staff,
        &number,
        &[
            ("shipping", "true"),
            ("amount", "2,00"),
            ("reason", "Retard"),
        ],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(credit_notes(&app, &number)[1].1, -(490 + 200));
    let page = staff.get(&format!("/admin/orders/{number}"));
    assert!(
        page.attr("form.refund-form input[name=shipping]", "name")
            .is_none(),
        "no shipping left to refund"
    );
    let key = page
        .attr("form.step-form input[name=key]", "value")
        .unwrap();
    let all = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "refund"), ("key", &key)],
    );
    assert_eq!(all.status, Status::SeeOther);
    assert_eq!(status_of(&app, &number), "refunded");
    let notes = credit_notes(&app, &number);
    assert_eq!(notes.len(), 3);
    assert_eq!(notes.iter().map(|n| n.1).sum::<i64>(), -total);
    assert_eq!(notes.iter().map(|n| n.2).sum::<i64>(), -vat);
    let page = staff.get(&format!("/admin/orders/{number}"));
    assert_eq!(page.texts(".balance-left"), vec![euros(0)]);
    assert!(page.attr("form.refund-form", "action").is_none());

    // Nothing is left: a refund is refused, and the customer's page shows the balance.
    let refused = staff.submit(
        &format!("/admin/orders/{number}/refund"),
        &[("key", "late"), ("amount", "1")],
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(credit_notes(&app, &number).len(), 3);
    let audit: i64 = comptoir::db::schema::audit_log::table
        .filter(comptoir::db::schema::audit_log::action.eq("order.refund"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audit, 3, "each refund audited");
    let kept: i64 = refunds::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(kept, 3);
}

#[test]
fn the_customer_sees_the_balance_and_each_credit_note() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);
    let placed = checkout(&b, &address("balance@example.fr"));
    let signed = placed.location.unwrap();
    let number: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    assert!(
        b.get(&signed).texts(".order-balance").is_empty(),
        "nothing refunded yet"
    );
    let line = line_of(&app, &number, MUSTARD).to_string();
    let qty = format!("qty[{line}]");
    let done = refund(&staff, &number, &[(qty.as_str(), "1")]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    let page = b.get(&signed);
    let balance = page.texts(".order-balance").join(" ");
    assert!(balance.contains(&euros(450)), "{balance}");
    assert!(balance.contains(&euros(900 + 490 - 450)), "{balance}");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(
        page.texts(".invoices a"),
        vec![
            format!("Facture F{year}-000001"),
            format!("Avoir A{year}-000001")
        ]
    );
    // The guest opens the credit note through the signed link; someone else cannot.
    let href = page.attr(".invoices li:last-child a", "href").unwrap();
    assert_eq!(b.get(&href).status, Status::Ok);
    let path = href.split('?').next().unwrap();
    assert_eq!(app.browser().get(path).status, Status::NotFound);
}

#[test]
fn returns_put_back_on_sale_what_staff_restock_and_never_more_than_was_sent() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = delivered_order(&app, &staff, "return@example.fr");
    let mustard = line_of(&app, &number, MUSTARD);
    let wine = line_of(&app, &number, WINE);
    let (mustard_stock, wine_stock) = (app.stock(MUSTARD), app.stock(WINE));
    let f = |name: &str, id: i64| format!("{name}[{id}]");
    let (qm, cm, rm) = (
        f("qty", mustard),
        f("condition", mustard),
        f("restock", mustard),
    );
    let (qw, cw) = (f("qty", wine), f("condition", wine));

    // Two mustards back as new, restocked; the wine back broken, not restocked.
    let done = staff.submit(
        &format!("/admin/orders/{number}/return"),
        &[
            (qm.as_str(), "2"),
            (cm.as_str(), "as_new"),
            (rm.as_str(), "true"),
            (qw.as_str(), "1"),
            (cw.as_str(), "damaged"),
            ("note", "Colis abîmé"),
        ],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(app.stock(MUSTARD), mustard_stock + 2);
    assert_eq!(
        app.stock(WINE),
        wine_stock,
        "a broken bottle stays off sale"
    );
    let movement: (i32, String) = stock_movements::table
        .filter(stock_movements::product_id.eq(app.product_id(MUSTARD)))
        .order(stock_movements::id.desc())
        .select((stock_movements::delta, stock_movements::reason))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(movement, (2, "returned".to_string()));
    // The stock history says it in the reader's language, as every reason the shop writes.
    let history = staff
        .get(&format!("/admin/products/{}", app.product_id(MUSTARD)))
        .body;
    assert!(history.contains("Retour client") && history.contains("Commande"));
    assert!(!history.contains(">returned<"));
    let page = staff.get(&format!("/admin/orders/{number}"));
    let listed = page.texts(".returned-item").join(" | ");
    assert!(
        listed.contains("Abîmé") && listed.contains("remis en stock"),
        "{listed}"
    );

    // One more mustard is more than was sent: refused on the same page, typed values kept.
    let refused = staff.submit(
        &format!("/admin/orders/{number}/return"),
        &[
            (qm.as_str(), "1"),
            (cm.as_str(), "opened"),
            ("note", "encore"),
        ],
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused
        .texts(".return-form .form-error")
        .join("")
        .contains("plus d'articles"));
    assert_eq!(
        refused
            .attr(&format!(".return-form input[name='{qm}']"), "value")
            .as_deref(),
        Some("1")
    );
    assert_eq!(
        refused
            .attr(
                &format!(".return-form select[name='{cm}'] option[selected]"),
                "value"
            )
            .as_deref(),
        Some("opened")
    );
    assert_eq!(app.stock(MUSTARD), mustard_stock + 2);

    // An order not shipped yet has nothing to return.
    let b = app.browser();
    add(&app, &b, MUSTARD, 1);
    checkout(&b, &address("notyet@example.fr"));
    let unsent: String = orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    let line = f("qty", line_of(&app, &unsent, MUSTARD));
    let cond = f("condition", line_of(&app, &unsent, MUSTARD));
    let refused = staff.submit(
        &format!("/admin/orders/{unsent}/return"),
        &[(line.as_str(), "1"), (cond.as_str(), "as_new")],
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("une fois la commande expédiée"));
}

#[test]
fn refunds_at_once_never_give_back_more_than_was_paid() {
    use comptoir::orders::refunds::{reserve, RefundError, Request};

    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let number = delivered_order(&app, &staff, "race@example.fr");
    let total: comptoir::money::Money = orders::table
        .select(orders::total_cents)
        .first(&mut app.conn())
        .unwrap();
    // Ten staff members refund the whole balance as an amount, each with their own form.
    let url = app.db_url();
    let outcomes: Vec<Result<comptoir::money::Money, &'static str>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..10)
            .map(|i| {
                let (url, number) = (url.as_str(), &number);
                s.spawn(move || {
                    let mut c = comptoir::db::connect(url).unwrap();
                    c.write_tx(|c| {
                        let view = comptoir::orders::model::view(c, number)?;
                        let request = Request {
                            key: format!("form-{i}"),
                            amount_cents: total,
                            ..Request::default()
                        };
                        reserve(c, &view, &request, None).map(|r| r.total_cents)
                    })
                    .map_err(|e| match e {
                        RefundError::Invalid(key) => key,
                        RefundError::App(e) => panic!("{e}"),
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let made: Vec<comptoir::money::Money> = outcomes.iter().filter_map(|o| (*o).ok()).collect();
    assert_eq!(made, vec![total], "{outcomes:?}");
    assert!(outcomes
        .iter()
        .filter_map(|o| (*o).err())
        .all(|key| key == "refund-above-balance"));
}

#[test]
fn cancelling_a_paid_order_gives_the_money_and_the_goods_back() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let b = app.browser();
    let before = app.stock(MUSTARD);
    add(&app, &b, MUSTARD, 2);
    assert_eq!(
        checkout(&b, &address("cancel-paid@example.fr")).status,
        Status::SeeOther
    );
    let (number, total): (String, i64) = orders::table
        .select((orders::number, orders::total_cents))
        .first(&mut app.conn())
        .unwrap();
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    assert_eq!(app.stock(MUSTARD), before - 2);
    let page = staff.get(&format!("/admin/orders/{number}"));
    assert_eq!(
        page.texts(".step-form button").len(),
        3,
        "ship, cancel, refund: {:?}",
        page.texts(".step-form button")
    );
    let key = page
        .attr(
            "form.step-form input[value=cancel] ~ input[name=key]",
            "value",
        )
        .unwrap();
    let done = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "cancel"), ("key", &key)],
    );
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(status_of(&app, &number), "cancelled");
    assert_eq!(app.stock(MUSTARD), before, "the goods are back on sale");
    let notes = credit_notes(&app, &number);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].1, -total, "the money is given back whole");
    let refunded: i64 = email_outbox::table
        .filter(email_outbox::kind.eq("order_refunded"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(refunded, 1);

    // Once shipped, an order is refunded, not cancelled.
    let number = delivered_order(&app, &staff, "shipped-cancel@example.fr");
    let refused = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "cancel")],
    );
    assert_eq!(refused.status, Status::SeeOther);
    assert_eq!(status_of(&app, &number), "delivered");
    assert!(credit_notes(&app, &number).is_empty());
}
