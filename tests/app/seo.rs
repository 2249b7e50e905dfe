//! What search engines and link previews read: a description, a canonical address and Open
//! Graph tags on every page, a product's structured data, robots.txt, sitemap.xml, a favicon.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::db::schema::products;

use crate::helpers::TestApp;
use crate::orders::MUSTARD;

#[test]
fn pages_carry_a_description_a_canonical_address_and_open_graph_tags() {
    let app = TestApp::spawn();
    let b = app.browser();
    let home = b.get("/?utm_source=x");
    assert!(home.attr("meta[name=description]", "content").is_some());
    // The canonical address drops the query, and is absolute.
    assert_eq!(
        home.attr("link[rel=canonical]", "href").as_deref(),
        Some("http://127.0.0.1:8000/")
    );
    assert_eq!(
        home.attr("meta[property='og:type']", "content").as_deref(),
        Some("website")
    );
    assert!(home.attr("link[rel=icon]", "href").is_some());

    let page = b.get(&format!("/products/{MUSTARD}"));
    let description = page.attr("meta[name=description]", "content").unwrap();
    assert!(
        description.starts_with("Moutarde") || description.len() > 20,
        "{description}"
    );
    assert!(description.chars().count() <= 160);
    assert_eq!(
        page.attr("meta[property='og:type']", "content").as_deref(),
        Some("product")
    );
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        Some(format!("http://127.0.0.1:8000/products/{MUSTARD}"))
    );
    let ld = page.texts("script[type='application/ld+json']").join("");
    let data: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD");
    assert_eq!(data["@type"], "Product");
    assert_eq!(data["offers"]["price"], "4.50");
    assert_eq!(data["offers"]["priceCurrency"], "EUR");
    assert_eq!(data["offers"]["availability"], "https://schema.org/InStock");
    crate::xss::assert_inert(&page.body, "product page with JSON-LD");
}

#[test]
fn robots_txt_sitemap_and_favicon() {
    let app = TestApp::spawn();
    let b = app.browser();
    let robots = b.get("/robots.txt");
    assert_eq!(robots.status, Status::Ok);
    assert!(robots.body.contains("Disallow: /admin"));
    assert!(robots.body.contains("Disallow: /checkout"));
    assert!(robots
        .body
        .contains("Sitemap: http://127.0.0.1:8000/sitemap.xml"));

    // A product taken off sale leaves the sitemap.
    diesel::update(products::table.filter(products::slug.eq(MUSTARD)))
        .set(products::active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    let sitemap = b.get("/sitemap.xml");
    assert_eq!(sitemap.status, Status::Ok);
    assert!(sitemap.header("Content-Type").unwrap().contains("xml"));
    let active: Vec<String> = products::table
        .filter(products::active.eq(true))
        .select(products::slug)
        .load(&mut app.conn())
        .unwrap();
    let urls = sitemap.body.matches("<url>").count();
    let departments = app.count("categories") as usize;
    assert_eq!(
        urls,
        1 + departments + active.len() + comptoir::legal::Page::ALL.len(),
        "home, departments, products, legal"
    );
    for slug in &active {
        assert!(sitemap.body.contains(&format!("/products/{slug}</loc>")));
    }
    assert!(!sitemap.body.contains(MUSTARD));
    assert!(sitemap
        .body
        .contains("<loc>http://127.0.0.1:8000/cgv</loc>"));
    assert!(sitemap.body.contains("<lastmod>"));

    let icon = b.get("/favicon.ico");
    assert_eq!(icon.status, Status::PermanentRedirect);
    let svg = b.get(icon.location.as_deref().unwrap());
    assert_eq!(svg.status, Status::Ok);
    assert!(svg.body.contains("<svg"));
}

/// A renamed product or department answers its old address with a 301 to the new one (the
/// query kept), and the old address can be taken again by another.
#[test]
fn renamed_products_and_departments_answer_their_old_address_with_a_301() {
    use comptoir::catalog::{categories as departments, manage, model};
    let app = TestApp::spawn();
    let b = app.browser();
    let staff = app.create_user("renamer@example.fr", comptoir::auth::Role::Admin);
    let id = app.product_id(MUSTARD);
    let mut data = manage::data_of(&manage::find(&mut app.conn(), id).unwrap());
    data.slug = "moutarde-a-l-ancienne".into();
    manage::update(&mut app.conn(), id, &data, staff).unwrap();
    let old = b.get(&format!("/products/{MUSTARD}"));
    assert_eq!(old.status, Status::MovedPermanently);
    assert_eq!(
        old.location.as_deref(),
        Some("/products/moutarde-a-l-ancienne")
    );
    assert_eq!(b.get("/products/moutarde-a-l-ancienne").status, Status::Ok);
    // Renamed twice: both old addresses lead to the current one.
    data.slug = "moutarde-ancienne".into();
    manage::update(&mut app.conn(), id, &data, staff).unwrap();
    for old in [MUSTARD, "moutarde-a-l-ancienne"] {
        let page = b.get(&format!("/products/{old}"));
        assert_eq!(page.status, Status::MovedPermanently, "{old}");
        assert_eq!(
            page.location.as_deref(),
            Some("/products/moutarde-ancienne")
        );
    }
    // Back to a former slug: it is live again, not a redirect to itself.
    data.slug = MUSTARD.into();
    manage::update(&mut app.conn(), id, &data, staff).unwrap();
    assert_eq!(b.get(&format!("/products/{MUSTARD}")).status, Status::Ok);
    assert_eq!(
        b.get("/products/moutarde-ancienne").location.as_deref(),
        Some(format!("/products/{MUSTARD}").as_str())
    );
    // Hidden, its old addresses are not found rather than redirected.
    data.active = false;
    manage::update(&mut app.conn(), id, &data, staff).unwrap();
    assert_eq!(
        b.get("/products/moutarde-ancienne").status,
        Status::NotFound
    );

    // A department, with the listing's query kept.
    let dept = model::category_by_slug(&mut app.conn(), "epicerie-fine").unwrap();
    departments::rename_category(
        &mut app.conn(),
        dept.id,
        &departments::CategoryText {
            name: dept.name.clone(),
            slug: "epicerie".into(),
            description: dept.description.clone(),
            name_en: dept.name_en.clone(),
            description_en: dept.description_en.clone(),
        },
        staff,
    )
    .unwrap();
    let old = b.get("/categories/epicerie-fine?page=2&sort=price_asc");
    assert_eq!(old.status, Status::MovedPermanently);
    assert_eq!(
        old.location.as_deref(),
        Some("/categories/epicerie?page=2&sort=price_asc")
    );
    assert_eq!(b.get("/categories/epicerie").status, Status::Ok);
    assert_eq!(b.get("/categories/nowhere").status, Status::NotFound);
}
