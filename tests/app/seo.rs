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
        1 + departments + active.len() + 5,
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
