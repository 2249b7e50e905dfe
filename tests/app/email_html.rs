//! Every kind of email, in each language, rendered from the shop's templates with a full
//! set of data: words in the right language, a title that is the subject, and the HTML part
//! saved for the Nu Html Checker `.ci/run` runs (`scripts/check-html.sh`). The suite's other
//! tests save the emails their own flows queued, in the language of those flows.

use comptoir::i18n::Lang;
use comptoir::templates::{EmailKind, MailTemplates};
use serde_json::json;

/// What any template may ask for: an order with its lines and totals, a refund, a
/// withdrawal, a product, a link.
fn sample() -> serde_json::Value {
    let line = |name: &str, quantity: i64, unit: i64| {
        json!({
            "product_name": name,
            "quantity": quantity,
            "unit_price_cents": unit,
            "line_total_cents": unit * quantity,
        })
    };
    json!({
        "shop_name": "Épicerie Comptoir & fils",
        "link": "https://shop.example/account/verify?token=abc&next=%2F",
        "terms_link": "https://shop.example/legal/cgv",
        "hours": 24,
        "minutes": 15,
        "days": 7,
        "stage": "not_shipped",
        "ceiling": 200,
        "role": "manager",
        "unpaid_cancel_days": 7,
        "bank_transfer": true,
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "AGRIFRPP",
        "shipping_label": "Colissimo <domicile>",
        "pickup_hours": "",
        "order": {
            "number": "2026-000042",
            "email": "ana@example.com",
            "ship_name": "Ana Lefèvre \"Ana\" <de la Tour>",
            "ship_street": "3 rue des Fleurs",
            "ship_postal_code": "75011",
            "ship_city": "Paris",
            "payment_method": "bank_transfer",
            "shipping_method": "colissimo",
            "discount_code": "BIENVENUE",
            "terms_version": 3,
            "tracking_number": "6A12345678901",
            "total_cents": 4_790,
        },
        "lines": [line("Moutarde de Dijon", 2, 450), line("Miel & lavande", 1, 1_290)],
        "totals": {
            "items_cents": 2_190,
            "discount_cents": 219,
            "shipping_cents": 490,
            "total_cents": 2_461,
            "vat": [{ "rate_bp": 550, "vat_cents": 104 }, { "rate_bp": 2_000, "vat_cents": 82 }],
        },
        "refund": { "total_cents": 900, "reason": "Pot cassé <à la livraison>" },
        "credit_note": { "number": "AV-2026-0007" },
        "balance": { "balance_cents": 1_561 },
        "withdrawal": {
            "requested_at": "2026-12-07T09:30:00",
            "refund_by": "2026-12-21T09:30:00",
            "comment": "Ne convient pas",
            "items": [{ "product_name": "Miel & lavande", "quantity": 1 }],
        },
        "product": { "name": "Miel & lavande", "price_cents": 1_290 },
    })
}

#[test]
fn every_email_renders_in_both_languages_as_a_document_titled_by_its_subject() {
    let mail = MailTemplates::load(chrono_tz::Europe::Paris).expect("email templates");
    let data = sample();
    let dir = crate::helpers::html_dir("emails");
    for kind in EmailKind::ALL {
        let [fr, en] = Lang::ALL.map(|lang| {
            let email = mail
                .render(kind, "ana@example.com", lang, &data)
                .unwrap_or_else(|e| panic!("{kind:?} in {lang:?}: {e:?}"));
            let code = lang.code();
            assert!(
                email.html.contains(&format!("<html lang=\"{code}\">")),
                "{kind:?}: {}",
                email.html
            );
            // The subject as the document's title, escaped as HTML.
            let title = tera::escape_html(&email.subject);
            assert!(
                email.html.contains(&format!("<title>{title}</title>")),
                "{kind:?} in {code}: {}",
                email.html
            );
            // No message key left in place of words.
            for part in [&email.subject, &email.text, &email.html] {
                assert!(!part.contains("email-"), "{kind:?} in {code}: {part}");
            }
            // What the customer typed is escaped in the HTML part.
            assert!(!email.html.contains("<de la Tour>"), "{kind:?}");
            assert!(!email.html.contains("<à la livraison>"), "{kind:?}");
            crate::helpers::save_html(
                &dir,
                &format!("sample-{}-{code}.html", kind.as_str()),
                &email.html,
            );
            email
        });
        assert_ne!(fr.subject, en.subject, "{kind:?} has one subject for both");
        assert_ne!(fr.text, en.text, "{kind:?} has one text for both");
    }
}
