//! Alcoholic beverages (code de la santé publique art. L3323-4 and L3342-1): a product marked
//! as one carries the health mention on its page; an order holding one is placed only once
//! the buyer declares being 18 or over, and keeps when they did.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{age_declarations, orders, products};

use crate::helpers::{address, as_refs, TestApp};
use crate::orders::{add, checkout, MUSTARD};

const WINE: &str = "cotes-du-rhone-villages-rouge-2022";
const HEALTH: &str = "L'abus d'alcool est dangereux pour la santé, à consommer avec modération.";

#[test]
fn the_demo_s_wines_carry_the_health_mention_and_the_mustard_does_not() {
    let app = TestApp::spawn();
    let b = app.browser();
    let wine = b.get(&format!("/products/{WINE}"));
    crate::helpers::save_html(
        &crate::helpers::html_dir("pages"),
        "product-alcohol-fr.html",
        &wine.body,
    );
    assert_eq!(wine.texts(".health-mention strong"), vec![HEALTH]);
    assert!(b
        .get(&format!("/products/{MUSTARD}"))
        .texts(".health-mention")
        .is_empty());
    // Every product of the cellar is one.
    let cellar: Vec<bool> = products::table
        .filter(
            products::slug
                .like("%champagne%")
                .or(products::slug.like("%calvados%")),
        )
        .select(products::alcoholic)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(cellar, vec![true, true]);
    // In English: the French mention, and its English equivalent.
    b.submit("/lang", &[("lang", "en"), ("next", "/")]);
    let english = b
        .get(&format!("/products/{WINE}"))
        .texts(".health-mention")
        .join(" ");
    assert!(english.contains(HEALTH), "{english}");
    assert!(
        english.contains("Alcohol abuse is dangerous for your health"),
        "{english}"
    );
}

#[test]
fn a_basket_holding_alcohol_is_ordered_only_once_the_buyer_declares_being_of_age() {
    let app = TestApp::spawn();
    let b = app.browser();
    add(&app, &b, WINE, 1);
    let fields = address("adult@example.fr");
    let review = b.submit("/checkout", &as_refs(&fields));
    assert_eq!(review.status, Status::Ok);
    assert!(review.attr("#f-adult", "name").is_some(), "the age box");
    let key = review
        .attr("form.confirm input[name=key]", "value")
        .unwrap();
    let mut all = as_refs(&fields);
    all.push(("key", &key));
    all.push(("accept_terms", "true"));
    let refused = b.submit("/checkout/confirm", &all);
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let saved = crate::helpers::html_dir("pages");
    crate::helpers::save_html(&saved, "checkout-review-alcohol-fr.html", &refused.body);
    assert!(refused
        .texts("#e-adult")
        .join("")
        .contains("au moins 18 ans"));
    assert_eq!(app.count("orders"), 0, "nothing ordered");

    all.push(("adult", "true"));
    let placed = b.submit("/checkout/confirm", &all);
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let (id, number): (i64, String) = orders::table
        .select((orders::id, orders::number))
        .first(&mut app.conn())
        .unwrap();
    let declared: i64 = age_declarations::table
        .filter(age_declarations::order_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(declared, 1);
    let staff = app.login_as(Role::Staff);
    assert!(!staff
        .get(&format!("/admin/orders/{number}"))
        .texts(".age-declared")
        .is_empty());

    // A basket without alcohol asks nothing, and records nothing.
    let c = app.browser();
    add(&app, &c, MUSTARD, 1);
    let review = c.submit("/checkout", &as_refs(&address("plain@example.fr")));
    assert!(review.attr("#f-adult", "name").is_none());
    assert_eq!(
        checkout(&c, &address("plain@example.fr")).status,
        Status::SeeOther
    );
    assert_eq!(app.count("age_declarations"), 1);
}

#[test]
fn staff_mark_a_product_as_alcoholic_in_the_back_office() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let id = app.product_id(MUSTARD);
    let form = staff.get(&format!("/admin/products/{id}"));
    assert!(form.attr("input[name=alcoholic]", "name").is_some());
    assert!(form.attr("input[name=alcoholic]", "checked").is_none());
    let html = form.html();
    let form_css = format!("form[action='/admin/products/{id}']");
    let fields = scraper::Selector::parse(&format!(
        "{form_css} input, {form_css} textarea, {form_css} select"
    ))
    .unwrap();
    let mut sent: Vec<(String, String)> = Vec::new();
    for e in html.select(&fields) {
        let Some(name) = e.value().attr("name") else {
            continue;
        };
        let value = match e.value().name() {
            "textarea" => e.text().collect(),
            "select" => e
                .select(&scraper::Selector::parse("option[selected]").unwrap())
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string(),
            _ => {
                if e.value().attr("type") == Some("checkbox") && e.value().attr("checked").is_none()
                {
                    continue;
                }
                e.value().attr("value").unwrap_or("").to_string()
            }
        };
        sent.push((name.to_string(), value));
    }
    assert!(!sent.is_empty(), "the product form");
    sent.retain(|(k, _)| k != "_csrf");
    sent.push(("alcoholic".into(), "true".into()));
    let refs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = staff.submit(&format!("/admin/products/{id}"), &refs);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let page = app.browser().get(&format!("/products/{MUSTARD}"));
    assert_eq!(page.texts(".health-mention strong"), vec![HEALTH]);
}
