//! The legal pages: on a fresh shop every page exists in both languages and is linked from
//! every page and from the checkout; admins publish new versions; an order keeps the terms it
//! accepted, readable word for word from its page, its email and its invoice.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, email_outbox, legal_versions, orders};

use crate::helpers::{address, as_refs, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const PAGES: [(&str, &str, &str); 5] = [
    ("/mentions-legales", "Mentions légales", "Legal notice"),
    ("/cgv", "Conditions générales de vente", "Terms of sale"),
    ("/privacy", "Politique de confidentialité", "Privacy policy"),
    ("/delivery", "Livraison et retours", "Delivery and returns"),
    ("/contact", "Contact", "Contact"),
];

#[test]
fn a_fresh_shop_shows_every_legal_page_in_both_languages_linked_from_every_page() {
    let app = TestApp::spawn();
    let b = app.browser();
    for (path, fr, _) in PAGES {
        let page = b.get(path);
        assert_eq!(page.status, Status::Ok, "{path}");
        assert_eq!(page.texts("h1"), vec![fr], "{path}");
        assert!(
            page.body.contains("Comptoir SAS"),
            "{path}: the seller filled in"
        );
    }
    // What the seller must still write is marked.
    assert!(b.get("/mentions-legales").body.contains("[à compléter"));
    // The law's musts: the model withdrawal form in the terms, invoices kept after erasure.
    let terms = b.get("/cgv");
    assert!(terms.body.contains("Formulaire de rétractation"));
    assert!(terms.body.contains("Se rétracter du contrat ici"));
    assert!(b.get("/privacy").body.contains("10 ans"));
    // An unknown page or version is a 404, not another page.
    assert_eq!(b.get("/cgv?version=1999-01").status, Status::NotFound);
    assert_eq!(b.get("/conditions").status, Status::NotFound);

    // Every page's footer links to the five.
    add(&app, &b, MUSTARD, 1);
    for path in [
        "/",
        &format!("/products/{MUSTARD}"),
        "/cart",
        "/checkout",
        "/login",
    ] {
        let page = b.get(path);
        let links = page.texts(".legal-links a");
        assert_eq!(links.len(), 5, "{path}: {links:?}");
        for (legal, _, _) in PAGES {
            assert!(
                page.body.contains(&format!("href=\"{legal}\"")),
                "{path} links {legal}"
            );
        }
    }

    // In English.
    b.submit("/lang", &[("lang", "en"), ("next", "/")]);
    for (path, _, en) in PAGES {
        let page = b.get(path);
        assert_eq!(page.texts("h1"), vec![en], "{path}");
    }
    assert!(b.get("/cgv").body.contains("Model withdrawal form"));
    assert!(b
        .get("/")
        .texts(".legal-links a")
        .contains(&"Terms of sale".to_string()));
}

fn place(app: &TestApp, email: &str) -> (String, crate::helpers::Page) {
    let b = app.browser();
    add(app, &b, MUSTARD, 1);
    let fields = address(email);
    let review = b.submit("/checkout", &as_refs(&fields));
    let placed = checkout(&b, &fields);
    assert_eq!(placed.status, Status::SeeOther);
    let number: String = orders::table
        .order(orders::id.desc())
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    (number, review)
}

#[test]
fn terms_edits_are_new_versions_and_an_order_keeps_the_one_it_accepted() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let (first, review) = place(&app, "first@example.fr");
    // The checkout links to the terms in force.
    assert_eq!(
        review
            .attr("form.confirm a[href^='/cgv']", "href")
            .as_deref(),
        Some("/cgv?version=2026-11")
    );

    // The admin edits the terms: a new version.
    let editor = admin.get("/admin/legal/cgv");
    assert_eq!(editor.status, Status::Ok);
    let body_en = editor.texts("textarea[name=body_en]").join("");
    let body_fr = format!(
        "{}\n\n## 9. Clause nouvelle\n\nLes cadeaux sont emballés.",
        editor.texts("textarea[name=body_fr]").join("")
    );
    let fields = [
        ("title_fr", "Conditions générales de vente"),
        ("body_fr", body_fr.as_str()),
        ("title_en", "Terms of sale"),
        ("body_en", body_en.as_str()),
    ];
    let saved = admin.submit("/admin/legal/cgv", &fields);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let labels: Vec<String> = legal_versions::table
        .filter(legal_versions::page.eq("terms"))
        .order(legal_versions::version)
        .select(legal_versions::label)
        .load(&mut app.conn())
        .unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(labels, vec!["2026-11".to_string(), today.clone()]);
    // The same text again publishes nothing; a missing title is refused with the text kept.
    admin.submit("/admin/legal/cgv", &fields);
    let refused = admin.submit(
        "/admin/legal/cgv",
        &[
            ("title_fr", " "),
            ("body_fr", "Texte gardé"),
            ("title_en", "T"),
            ("body_en", "x"),
        ],
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(refused.texts("textarea[name=body_fr]"), vec!["Texte gardé"]);
    let count: i64 = legal_versions::table
        .filter(legal_versions::page.eq("terms"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(count, 2);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("legal.publish"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);

    // The shop shows the new terms; the next order accepts them.
    let b = app.browser();
    assert!(b.get("/cgv").body.contains("Clause nouvelle"));
    let (second, review) = place(&app, "second@example.fr");
    assert_eq!(
        review.attr("form.confirm a[href^='/cgv']", "href"),
        Some(format!("/cgv?version={today}"))
    );
    let accepted: Vec<String> = orders::table
        .order(orders::id)
        .select(orders::terms_version)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(accepted, vec!["2026-11".to_string(), today.clone()]);

    // The first order's page, email and invoice lead to the exact text it accepted.
    let staff = app.login_as(Role::Staff);
    let page = staff.get(&format!("/orders/{first}"));
    let link = page.attr(".terms-accepted a", "href").unwrap();
    assert_eq!(link, "/cgv?version=2026-11");
    let old = b.get(&link);
    assert_eq!(old.status, Status::Ok);
    assert!(!old.body.contains("Clause nouvelle"));
    assert!(old.body.contains("pas la version en vigueur"));
    let email: String = email_outbox::table
        .filter(email_outbox::kind.eq("order_confirmation"))
        .order(email_outbox::id)
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .unwrap();
    assert!(email.contains("/cgv?version=2026-11"), "{email}");
    staff.submit(
        &format!("/admin/orders/{first}/step"),
        &[("step", "mark_paid")],
    );
    let year = chrono::Utc::now().format("%Y");
    let invoice = staff.get(&format!("/orders/{first}/documents/F{year}-000001"));
    assert_eq!(
        invoice.attr(".terms-accepted a", "href").as_deref(),
        Some("/cgv?version=2026-11")
    );
    let page = staff.get(&format!("/orders/{second}"));
    assert_eq!(
        page.attr(".terms-accepted a", "href"),
        Some(format!("/cgv?version={today}"))
    );
}
