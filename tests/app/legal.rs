//! The legal pages: on a fresh shop every page exists in both languages and is linked from
//! every page and from the checkout; admins publish new versions; an order keeps the terms it
//! accepted, readable word for word from its page, its email and its invoice.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, email_outbox, legal_versions, orders};

use crate::helpers::{address, as_refs, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const PAGES: [(&str, &str, &str); 6] = [
    ("/mentions-legales", "Mentions légales", "Legal notice"),
    ("/cgv", "Conditions générales de vente", "Terms of sale"),
    ("/privacy", "Politique de confidentialité", "Privacy policy"),
    ("/delivery", "Livraison et retours", "Delivery and returns"),
    ("/contact", "Contact", "Contact"),
    ("/accessibilite", "Accessibilité", "Accessibility"),
];

#[test]
fn a_fresh_shop_shows_every_legal_page_in_both_languages_linked_from_every_page() {
    let app = TestApp::spawn();
    let b = app.browser();
    let saved = crate::helpers::html_dir("pages");
    for (path, fr, _) in PAGES {
        let page = b.get(path);
        assert_eq!(page.status, Status::Ok, "{path}");
        let name = format!("legal{}-fr.html", path.replace('/', "-"));
        crate::helpers::save_html(&saved, &name, &page.body);
        assert_eq!(page.texts("h1"), vec![fr], "{path}");
        let seller = if path == "/accessibilite" {
            "Comptoir"
        } else {
            "Comptoir SAS"
        };
        assert!(page.body.contains(seller), "{path}: the seller filled in");
    }
    // What only the owner can say is marked, and nothing else.
    let notice = b.get("/mentions-legales");
    assert!(notice.body.contains("[à compléter : forme juridique]"));
    // The EU's ODR platform closed on 20 July 2025 (Regulation (EU) 2024/3228).
    assert!(!notice.body.contains("ec.europa.eu/consumers/odr"));
    assert!(!notice
        .body
        .to_lowercase()
        .contains("règlement en ligne des litiges"));
    // The law's musts: the model withdrawal form in the terms, where the function is, the
    // guarantee box of art. D211-2, invoices kept after erasure, the cookies named.
    let terms = b.get("/cgv");
    assert!(terms.body.contains("Modèle de formulaire de rétractation"));
    assert!(terms.body.contains("Se rétracter du contrat ici"));
    assert!(
        terms.body.contains("http://localhost:8000/retractation")
            || terms.body.contains("/retractation")
    );
    assert!(terms.body.contains("dès la conclusion du contrat"));
    for sentence in [
        "Le consommateur dispose d&#39;un délai de deux ans à compter de la délivrance du bien",
        "le consommateur bénéficie d&#39;une extension de six mois de la garantie initiale",
        "(article L. 241-5 du code de la consommation)",
        "garantie légale des vices cachés en application des articles 1641 à 1649 du code civil, pendant une durée de deux ans",
    ] {
        assert!(
            terms.body.contains(sentence) || terms.body.contains(&sentence.replace("&#39;", "'")),
            "guarantee box: {sentence}"
        );
    }
    assert!(terms.texts("blockquote").len() >= 2, "the form and the box");
    // Facts the shop knows are stated, not left to fill in.
    for path in [
        "/cgv",
        "/delivery",
        "/contact",
        "/privacy",
        "/accessibilite",
    ] {
        let page = b.get(path);
        let text = page.texts("main").join(" ");
        for known in ["nombre", "délai", "email", "jours", "{{"] {
            assert!(
                !text.contains(&format!("[à compléter : {known}")) && !text.contains("{{"),
                "{path}: {known} left to fill in"
            );
        }
    }
    assert!(
        terms.texts("main").join(" ").contains("sous 7 jours"),
        "unpaid_cancel_days"
    );
    assert!(b.get("/privacy").body.contains("__stripe_mid"));
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
        let links = page.texts(".legal-links li a");
        assert_eq!(links.len(), 6, "{path}: {links:?}");
        assert_eq!(
            page.texts(".legal-links .withdraw-link a"),
            vec!["Se rétracter du contrat ici"],
            "{path}"
        );
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
        let name = format!("legal{}-en.html", path.replace('/', "-"));
        crate::helpers::save_html(&saved, &name, &page.body);
    }
    assert!(b.get("/cgv").body.contains("Model withdrawal form"));
    assert!(b
        .get("/mentions-legales")
        .body
        .contains("[to fill in: legal form]"));
    assert_eq!(
        b.get("/").texts(".withdraw-link a"),
        vec!["Withdraw from the contract here"]
    );
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

/// The pages state what the settings say, and a new version follows when they change; the
/// version an order accepted stays as it was.
#[test]
fn legal_pages_follow_the_settings_and_the_owner_is_told_what_is_missing() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let b = app.browser();
    let before = b.get("/cgv");
    assert!(before.texts("main").join(" ").contains("sous 7 jours"));
    let versions = |page: &str| -> i64 {
        legal_versions::table
            .filter(legal_versions::page.eq(page))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(versions("terms"), 1);

    // The dashboard lists what only the owner can say.
    let dashboard = admin.get("/admin");
    let saved = crate::helpers::html_dir("pages");
    crate::helpers::save_html(&saved, "admin-dashboard-before-open.html", &dashboard.body);
    let missing = dashboard.texts(".before-open li a");
    assert_eq!(missing.len(), 7, "{missing:?}");
    assert!(missing.contains(&"Médiateur de la consommation".to_string()));

    // The owner fills in the mediator and the legal form, and changes the unpaid delay.
    let settings = admin.get("/admin/settings");
    crate::helpers::save_html(&saved, "admin-settings-owner-facts.html", &settings.body);
    let mut fields: Vec<(String, String)> = Vec::new();
    let html = settings.html();
    let inputs = scraper::Selector::parse("form.admin-form input").unwrap();
    for e in html.select(&inputs) {
        let (Some(name), value) = (e.value().attr("name"), e.value().attr("value")) else {
            continue;
        };
        if e.value().attr("type") == Some("checkbox") {
            continue;
        }
        fields.push((name.to_string(), value.unwrap_or("").to_string()));
    }
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "unpaid_cancel_days" => *v = "5".into(),
            "shop_mediator" => *v = "CM2C, 49 rue de Ponthieu, 75008 Paris, www.cm2c.net".into(),
            "shop_legal_form" => *v = "SARL".into(),
            _ => {}
        }
    }
    fields.retain(|(k, _)| k != "_csrf");
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = admin.submit("/admin/settings", &refs);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);

    let after = b.get("/cgv");
    let text = after.texts("main").join(" ");
    assert!(text.contains("sous 5 jours"), "{text}");
    assert!(text.contains("CM2C"));
    assert_eq!(versions("terms"), 2, "a new version for the new facts");
    // The first version still reads as it was accepted.
    let first = b.get("/cgv?version=2026-11");
    assert!(first.texts("main").join(" ").contains("sous 7 jours"));
    assert!(b.get("/mentions-legales").body.contains("SARL"));
    let missing = admin.get("/admin").texts(".before-open li a");
    assert_eq!(missing.len(), 5, "{missing:?}");

    // A pickup point added in the back-office is the one the delivery page names.
    admin.submit(
        "/admin/shipping/pickups",
        &[
            ("name", "Atelier des Pentes"),
            ("street", "3 montée de la Grande-Côte"),
            ("postal_code", "69001"),
            ("city", "Lyon"),
            ("hours", "mardi-samedi 10 h-19 h"),
        ],
    );
    let delivery = b.get("/delivery").texts("main").join(" ");
    assert!(delivery.contains("Atelier des Pentes"), "{delivery}");
}

/// A page no admin ever edited receives the built-in text of a new law at start-up; an edited
/// one is left as its admin wrote it.
#[test]
fn unedited_pages_take_the_new_built_in_texts_and_edited_ones_are_kept() {
    let app = TestApp::spawn();
    let settings = comptoir::config::Settings::default();
    let mut c = app.conn();
    // As a shop of an earlier release: its notice still links the ODR platform, and an admin
    // wrote its contact page.
    let admin_id = app.create_user("editor@example.test", Role::Admin);
    for (page, body, actor) in [
        (
            "legal_notice",
            "Plateforme : https://ec.europa.eu/consumers/odr",
            None,
        ),
        ("contact", "Écrivez-nous, tout simplement.", Some(admin_id)),
    ] {
        diesel::insert_into(legal_versions::table)
            .values((
                legal_versions::page.eq(page),
                legal_versions::version.eq(2),
                legal_versions::label.eq("2025-01-01"),
                legal_versions::title_fr.eq("Ancien"),
                legal_versions::body_fr.eq(body),
                legal_versions::html_fr.eq(format!("<p>{body}</p>")),
                legal_versions::title_en.eq("Old"),
                legal_versions::body_en.eq(body),
                legal_versions::html_en.eq(format!("<p>{body}</p>")),
                legal_versions::actor_id.eq(actor),
                legal_versions::created_at.eq(comptoir::db::now()),
            ))
            .execute(&mut c)
            .unwrap();
    }
    comptoir::legal::model::ensure_defaults(&mut c, &settings).unwrap();
    let notice = comptoir::legal::model::current(&mut c, comptoir::legal::Page::LegalNotice)
        .unwrap()
        .unwrap();
    assert!(!notice.html_fr.contains("odr"));
    assert_eq!(notice.version, 3);
    let contact = comptoir::legal::model::current(&mut c, comptoir::legal::Page::Contact)
        .unwrap()
        .unwrap();
    assert_eq!(contact.body_fr, "Écrivez-nous, tout simplement.");
    // Once is enough: a second start writes nothing.
    assert_eq!(
        comptoir::legal::model::ensure_defaults(&mut c, &settings).unwrap(),
        0
    );
}

/// `serve --demo` states the owner's facts as a real shop would, marked as a demonstration,
/// and never overwrites one already set.
#[test]
fn the_demo_fills_the_owner_s_facts_once_and_keeps_what_is_set() {
    let app = TestApp::spawn();
    let mut c = app.conn();
    comptoir::config::store::save(
        &mut c,
        &comptoir::config::Settings::default(),
        &[("shop_mediator", "CM2C".to_string())],
        None,
    )
    .unwrap();
    assert_eq!(comptoir::seed::demo_owner_facts(&mut c).unwrap(), 6);
    let stored = comptoir::config::store::stored(&mut c).unwrap();
    let value = |key: &str| {
        stored
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("shop_mediator"), "CM2C");
    assert!(value("shop_host").contains("démonstration"));
    assert_eq!(comptoir::seed::demo_owner_facts(&mut c).unwrap(), 0);
}
