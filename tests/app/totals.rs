//! One source for every price: orders with goods at three VAT rates, placed with each shipping
//! method, show on every page and in every document exactly what `comptoir::totals::totals`
//! computes for them: the cart, the review, the order page, the emails, the back-office, the
//! invoice and the credit note.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, invoices, orders, products};
use comptoir::money::Money;
use comptoir::totals::{totals, Totals};

use crate::helpers::{address, as_refs, Browser, TestApp};
use crate::orders::add;

fn euros(cents: Money) -> String {
    cents.format("fr")
}

/// The figures of the `_totals` partial, in its order: items, shipping (when shown), total,
/// then the VAT of each rate.
fn expected_cells(t: &Totals, with_shipping: bool) -> Vec<String> {
    let mut cells = vec![euros(t.items_cents)];
    if with_shipping {
        cells.push(euros(t.shipping_cents));
    }
    cells.push(euros(t.total_cents));
    cells.extend(t.vat.iter().map(|v| euros(v.vat_cents)));
    cells
}

/// One product of each of these rates from the demo catalogue: `(slug, rate, unit price)`.
fn one_product_per_rate(app: &TestApp, rates: &[i32]) -> Vec<(String, i32, i64)> {
    rates
        .iter()
        .map(|rate| {
            let (slug, price): (String, i64) = products::table
                .filter(products::vat_rate_bp.eq(rate))
                .filter(products::active.eq(true))
                .filter(products::stock.ge(10))
                .order(products::id)
                .select((products::slug, products::price_cents))
                .first(&mut app.conn())
                .unwrap_or_else(|_| panic!("a demo product at {rate}"));
            (slug, *rate, price)
        })
        .collect()
}

fn vat_rows(page: &crate::helpers::Page) -> Vec<String> {
    page.texts(".totals .vat-line td")
}

#[test]
fn every_page_and_document_shows_the_totals_function_s_figures() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let basket = one_product_per_rate(&app, &[2000, 550, 210]);
    let quantities = [1, 2, 3];
    let lines: Vec<(i32, Money)> = basket
        .iter()
        .zip(quantities)
        .map(|((_, rate, price), q)| (*rate, Money(price * i64::from(q))))
        .collect();

    for (shipping, payment, price) in [
        ("standard", "bank_transfer", 490),
        ("express", "bank_transfer", 990),
        ("pickup", "on_pickup", 0),
    ] {
        let expected = totals(lines.clone(), Money(price));
        assert_eq!(expected.vat.len(), 3, "three rates");
        if price > 0 {
            assert!(
                expected.vat.iter().all(|v| v.shipping_cents.is_positive()),
                "shipping is shared by every rate: {expected:?}"
            );
        }

        // The cart: goods only.
        let b = app.browser();
        for ((slug, _, _), q) in basket.iter().zip(quantities) {
            add(&app, &b, slug, q);
        }
        let cart = b.get("/cart");
        assert_eq!(
            cart.texts(".totals td"),
            expected_cells(&totals(lines.clone(), Money::ZERO), false),
            "cart"
        );

        // The review: goods and the chosen shipping.
        let mut fields = address(&format!("{shipping}@example.fr"));
        for (k, v) in fields.iter_mut() {
            match *k {
                "shipping" => *v = shipping.to_string(),
                "payment" => *v = payment.to_string(),
                _ => {}
            }
        }
        let review = b.submit("/checkout", &as_refs(&fields));
        assert_eq!(review.status, Status::Ok, "{}", review.body);
        assert_eq!(
            review.texts(".totals td"),
            expected_cells(&expected, true),
            "review with {shipping}"
        );
        let key = review
            .attr("form[action='/checkout/confirm'] input[name=key]", "value")
            .unwrap();
        let mut all = as_refs(&fields);
        all.push(("key", &key));
        all.push(("accept_terms", "true"));
        // The basket holds wine: the buyer declares being of age.
        all.push(("adult", "true"));
        let placed = b.submit("/checkout/confirm", &all);
        assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
        let location = placed.location.unwrap();
        let number = location
            .trim_start_matches("/orders/")
            .split('?')
            .next()
            .unwrap()
            .to_string();

        // The order as stored.
        let stored: (Money, Money, Money, Money) = orders::table
            .filter(orders::number.eq(&number))
            .select((
                orders::items_cents,
                orders::shipping_cents,
                orders::vat_cents,
                orders::total_cents,
            ))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            stored,
            (
                expected.items_cents,
                expected.shipping_cents,
                expected.vat_cents,
                expected.total_cents
            )
        );

        // The customer's order page and the staff's.
        let order_page = b.get(&location);
        assert_eq!(
            order_page.texts(".totals td"),
            expected_cells(&expected, true),
            "order page"
        );
        let admin_page = staff.get(&format!("/admin/orders/{number}"));
        assert_eq!(
            admin_page.texts(".totals td"),
            expected_cells(&expected, true),
            "back-office"
        );
        assert_eq!(vat_rows(&admin_page).len(), 3);

        // The confirmation email, text and HTML.
        let (text, html): (String, String) = email_outbox::table
            .filter(email_outbox::kind.eq("order_confirmation"))
            .filter(email_outbox::to_address.eq(format!("{shipping}@example.fr")))
            .select((email_outbox::body_text, email_outbox::body_html))
            .first(&mut app.conn())
            .unwrap();
        assert!(
            text.contains(&format!("Total TTC\u{a0}: {}", euros(expected.total_cents))),
            "{text}"
        );
        let shipping_line = text
            .lines()
            .find(|l| l.starts_with("Livraison ("))
            .unwrap_or_else(|| panic!("a shipping line in {text}"));
        assert!(
            shipping_line.ends_with(&euros(expected.shipping_cents)),
            "{shipping_line}"
        );
        for v in &expected.vat {
            let rate = comptoir::money::VatRate::from_basis_points(v.rate_bp)
                .unwrap()
                .label("fr");
            assert!(
                text.contains(&format!("dont TVA {rate}\u{a0}: {}", euros(v.vat_cents))),
                "{rate} in {text}"
            );
            assert!(html.contains(&euros(v.vat_cents)), "{html}");
        }

        // Paid: the invoice. Refunded: the credit note. Both carry the same figures.
        paid_then_refunded(&staff, &number);
        let documents: Vec<(String, Money, Money)> = invoices::table
            .inner_join(orders::table)
            .filter(orders::number.eq(&number))
            .order(invoices::id)
            .select((invoices::kind, invoices::total_cents, invoices::vat_cents))
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(
            documents,
            vec![
                (
                    "invoice".to_string(),
                    expected.total_cents,
                    expected.vat_cents
                ),
                (
                    "credit_note".to_string(),
                    -expected.total_cents,
                    -expected.vat_cents
                ),
            ]
        );
        let numbers: Vec<String> = invoices::table
            .inner_join(orders::table)
            .filter(orders::number.eq(&number))
            .order(invoices::id)
            .select(invoices::number)
            .load(&mut app.conn())
            .unwrap();
        for kind in &numbers {
            let doc = staff.get(&format!("/orders/{number}/documents/{kind}"));
            assert_eq!(doc.status, Status::Ok, "{kind}");
            assert_eq!(doc.texts(".invoice-vat"), vec![euros(expected.vat_cents)]);
            assert_eq!(
                doc.texts(".invoice-net"),
                vec![euros(expected.net_cents())],
                "{kind}"
            );
            let mut per_rate = Vec::new();
            for v in &expected.vat {
                per_rate.push(euros(v.net_cents()));
                per_rate.push(euros(v.vat_cents));
            }
            assert_eq!(
                doc.texts(".invoice-totals .vat-line td"),
                per_rate,
                "{kind}"
            );
            // Shipping on the document: one line per rate, adding up to its price.
            let shipping_lines = doc.texts(".shipping-line .line-total");
            let shares: Vec<String> = expected
                .vat
                .iter()
                .filter(|v| v.shipping_cents.is_positive())
                .map(|v| euros(comptoir::totals::net_of(v.rate_bp, v.shipping_cents)))
                .collect();
            assert_eq!(shipping_lines, shares, "{kind} with {shipping}");
        }
    }
}

fn paid_then_refunded(staff: &Browser<'_>, number: &str) {
    for step in ["mark_paid", "refund"] {
        let done = staff.submit(&format!("/admin/orders/{number}/step"), &[("step", step)]);
        assert_eq!(done.status, Status::SeeOther, "{step}: {}", done.body);
    }
}
