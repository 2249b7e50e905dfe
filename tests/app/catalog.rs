//! Storefront pages render the catalogue: home, categories with pagination, products, search.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::db::schema::products;

use crate::helpers::TestApp;

#[test]
fn home_shows_categories_and_featured_products() {
    let app = TestApp::spawn();
    let page = app.browser().get("/");
    assert_eq!(page.status, Status::Ok);
    let categories = page.texts(".categories strong");
    assert_eq!(categories.len(), 7);
    assert!(categories.contains(&"Épicerie fine".to_string()));
    let featured = page.texts(".grid .card-name");
    assert_eq!(featured.len(), 8, "eight featured products: {featured:?}");
    // Prices in French format, tax included.
    assert!(page.body.contains("8,90\u{a0}€"), "French price format");
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn category_pages_paginate() {
    let app = TestApp::spawn();
    let b = app.browser();
    let first = b.get("/categories/epicerie-fine");
    assert_eq!(first.status, Status::Ok);
    let names = first.texts(".card-name");
    assert_eq!(names.len(), 4, "page size is 4 in tests");
    // Sorted by name.
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(first.body.contains("10 produits"));
    assert_eq!(
        first.attr("a[rel=next]", "href").as_deref(),
        Some("?page=2")
    );
    assert!(first.attr("a[rel=prev]", "href").is_none());

    let third = b.get("/categories/epicerie-fine?page=3");
    assert_eq!(third.texts(".card-name").len(), 2);
    assert!(third.attr("a[rel=next]", "href").is_none());
    let second = b.get("/categories/epicerie-fine?page=2");
    let all: Vec<String> = [names, second.texts(".card-name"), third.texts(".card-name")].concat();
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(unique.len(), 10, "pages do not overlap");

    // Out-of-range pages are bounded, never an error.
    assert_eq!(
        b.get("/categories/epicerie-fine?page=0")
            .texts(".card-name")
            .len(),
        4
    );
    // Past the end: to the last page (see a_page_past_the_end_leads_to_the_last_one).
    let far = b.get("/categories/epicerie-fine?page=99999999");
    assert_eq!(far.status, Status::SeeOther);
    assert!(!b.get(&far.location.unwrap()).texts(".card-name").is_empty());
    // A page number that is not a number is read as the first page, never an error.
    let abc = b.get("/categories/epicerie-fine?page=abc");
    assert_eq!(abc.status, Status::Ok);
    assert_eq!(abc.texts(".card-name"), first.texts(".card-name"));
}

#[test]
fn product_page_shows_price_vat_and_stock_state() {
    let app = TestApp::spawn();
    let b = app.browser();
    let page = b.get("/products/huile-d-olive-vierge-extra-de-provence-50-cl");
    assert_eq!(page.status, Status::Ok);
    assert_eq!(
        page.texts("h1"),
        vec!["Huile d'olive vierge extra de Provence 50 cl"]
    );
    assert_eq!(page.texts(".price.big"), vec!["18,90\u{a0}€"]);
    assert!(page.body.contains("TVA 5,5\u{a0}% comprise"));
    // The demo's first product is sold out, the second has 3 left, the third plenty.
    assert_eq!(page.texts(".product .stock"), vec!["Rupture de stock"]);
    let low = b.get("/products/fleur-de-sel-de-guerande-250-g");
    assert_eq!(low.status, Status::Ok);
    assert_eq!(low.attr("#quantity", "max").as_deref(), Some("3"));
    assert_eq!(low.texts(".product .stock"), vec!["Plus que 3 exemplaires"]);
    let plenty = b.get("/products/moutarde-de-dijon-a-l-ancienne");
    assert_eq!(plenty.texts(".product .stock"), vec!["En stock"]);
}

#[test]
fn product_pages_show_delivery_methods_and_related_products() {
    use comptoir::db::schema::products;
    let app = TestApp::spawn();
    let b = app.browser();
    let page = b.get("/products/moutarde-de-dijon-a-l-ancienne");
    // Each delivery method with its time (in its label) and price, from the shop's settings.
    assert_eq!(
        page.texts(".product .delivery li"),
        vec![
            "Colissimo (2 à 4 jours) — 4,90\u{a0}€",
            "Express (24 h) — 9,90\u{a0}€",
            "Retrait en boutique — gratuit"
        ]
    );
    // Others from its department, never itself, at most four, those in stock first.
    let related = page.texts(".related .card-name");
    let mut conn = app.conn();
    let (category, name): (Option<i64>, String) = products::table
        .filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne"))
        .select((products::category_id, products::name))
        .first(&mut conn)
        .unwrap();
    let same: Vec<(String, i32)> = products::table
        .filter(products::category_id.eq(category))
        .filter(products::active.eq(true))
        .select((products::name, products::stock))
        .load(&mut conn)
        .unwrap();
    assert!(!related.is_empty() && related.len() <= 4, "{related:?}");
    assert!(!related.contains(&name));
    for r in &related {
        assert!(
            same.iter().any(|(n, _)| n == r),
            "{r} is from another department"
        );
    }
    let stocks: Vec<bool> = related
        .iter()
        .map(|r| same.iter().find(|(n, _)| n == r).unwrap().1 > 0)
        .collect();
    assert!(
        stocks.windows(2).all(|w| w[0] >= w[1]),
        "in stock first: {stocks:?}"
    );
    // The footer says how the shop delivers and how it is paid (no card: none configured).
    assert_eq!(
        page.texts(".footer-methods section:last-child li"),
        vec!["Virement bancaire", "Paiement au retrait en boutique"]
    );
    assert_eq!(
        page.texts(".footer-methods section:first-child li").len(),
        3
    );
}

#[test]
fn unknown_pages_get_a_friendly_404() {
    let app = TestApp::spawn();
    let b = app.browser();
    for path in ["/products/nope", "/categories/nope", "/no/such/page"] {
        let page = b.get(path);
        assert_eq!(page.status, Status::NotFound, "{path}");
        assert!(
            page.texts("h1").contains(&"Page introuvable".to_string()),
            "{path}"
        );
        assert!(page.body.contains("href=\"/\""), "a way back home");
    }
}

#[test]
fn inactive_products_are_hidden() {
    use diesel::prelude::*;
    let app = TestApp::spawn();
    diesel::sql_query(
        "UPDATE products SET active = false WHERE slug = 'moutarde-de-dijon-a-l-ancienne'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let b = app.browser();
    assert_eq!(
        b.get("/products/moutarde-de-dijon-a-l-ancienne").status,
        Status::NotFound
    );
    assert!(b
        .get("/categories/epicerie-fine")
        .body
        .contains("9 produits"));
    assert!(b.get("/search?q=moutarde").body.contains("Aucun résultat"));
}

#[test]
fn search_ignores_case_and_accents_and_paginates() {
    let app = TestApp::spawn();
    let b = app.browser();
    let page = b.get("/search?q=CREME");
    assert_eq!(page.status, Status::Ok);
    assert!(page
        .texts(".card-name")
        .contains(&"Miel de lavande AOP 400 g".to_string()));
    // "the" finds "Thé …" products in names and descriptions: more than one page.
    let tea = b.get("/search?q=th%C3%A9");
    let count = tea.texts(".count")[0].clone();
    assert!(count.contains("résultats pour « thé »"), "{count}");
    assert_eq!(tea.texts(".card-name").len(), 4);
    let next = tea.attr("a[rel=next]", "href").expect("a next page");
    assert_eq!(next, "?q=th%C3%A9&page=2");
    let page2 = b.get(&format!("/search{next}"));
    assert_eq!(page2.status, Status::Ok);
    assert!(!page2.texts(".card-name").is_empty());
    assert_ne!(page2.texts(".card-name"), tea.texts(".card-name"));
    // Searching in descriptions too.
    assert!(!b.get("/search?q=garrigue").texts(".card-name").is_empty());
}

#[test]
fn search_treats_wildcards_literally_and_bounds_input() {
    let app = TestApp::spawn();
    let b = app.browser();
    // "65 % de fruits" matches a literal "%", but "7%" would match "70 …" if % were a wildcard.
    assert!(!b.get("/search?q=%25").texts(".card-name").is_empty());
    let percent = b.get("/search?q=7%25");
    assert_eq!(percent.status, Status::Ok);
    assert!(
        percent.texts(".card-name").is_empty(),
        "% is not a wildcard"
    );
    let underscore = b.get("/search?q=_");
    assert!(
        underscore.texts(".card-name").is_empty(),
        "_ is not a wildcard"
    );
    let long = "a".repeat(5000);
    assert_eq!(b.get(&format!("/search?q={long}")).status, Status::Ok);
    let quote = b.get("/search?q=%27%20OR%201%3D1%20--");
    assert_eq!(quote.status, Status::Ok);
    assert!(quote.texts(".card-name").is_empty());
    let empty = b.get("/search?q=");
    assert_eq!(empty.status, Status::Ok);
    assert!(empty.texts(".card-name").is_empty());
}

#[test]
fn static_files_are_served_with_types() {
    let app = TestApp::spawn();
    let css = app.browser().get("/static/css/shop.css");
    assert_eq!(css.status, Status::Ok);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains(":root"));
    assert_eq!(
        app.browser().get("/static/../Cargo.toml").status,
        Status::NotFound
    );
}

#[test]
fn pages_link_static_files_by_version_and_send_them_gzipped() {
    let app = TestApp::spawn();
    let b = app.browser();
    let home = b.get("/");
    let css = home.attr("link[rel=stylesheet]", "href").unwrap();
    assert!(css.starts_with("/static/css/shop.css?v="), "{css}");
    let plain = b.get(&css);
    let (status, _, packed) = app
        .browser()
        .with_header("Accept-Encoding", "gzip, br")
        .get_bytes(&css);
    assert_eq!(status, Status::Ok);
    let mut unpacked = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&packed[..]),
        &mut unpacked,
    )
    .expect("a gzip stream");
    assert_eq!(unpacked, plain.body, "the same file, compressed");
    assert!(
        packed.len() * 3 < plain.body.len(),
        "{} → {}",
        plain.body.len(),
        packed.len()
    );
    assert_eq!(
        plain.header("Content-Encoding"),
        None,
        "not without Accept-Encoding"
    );
    assert_eq!(plain.header("Vary"), Some("Accept-Encoding"));
    let refused = app
        .browser()
        .with_header("Accept-Encoding", "gzip;q=0")
        .get(&css);
    assert_eq!(refused.header("Content-Encoding"), None);
}

#[test]
fn search_uses_the_index_and_follows_renames() {
    let app = TestApp::spawn();
    let shop = app.browser();
    let names = |q: &str| shop.get(&format!("/search?q={q}")).texts(".card-name");
    // Inside words and across them, accents folded, as before the index.
    assert!(names("outard").contains(&"Moutarde de Dijon à l'ancienne".to_string()));
    assert!(names("DIJON+A+L").contains(&"Moutarde de Dijon à l'ancienne".to_string()));
    // Two letters: below what trigrams index, still found by reading the table.
    assert!(!names("di").is_empty());
    diesel::update(products::table.filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne")))
        .set((
            products::name.eq("Condiment jaune"),
            products::search_text.eq("condiment jaune graines"),
        ))
        .execute(&mut app.conn())
        .unwrap();
    assert!(names("condiment+jaune").contains(&"Condiment jaune".to_string()));
    assert!(!names("moutarde+de+dijon").contains(&"Condiment jaune".to_string()));
    // The plan says so: the full-text index (SQLite) or the trigram index (PostgreSQL).
    let mut conn = app.conn();
    let plan: Vec<String> = match conn.backend() {
        comptoir::db::Backend::Sqlite => diesel::sql_query(
            "EXPLAIN QUERY PLAN SELECT id FROM products WHERE id IN \
             (SELECT rowid FROM products_search WHERE products_search MATCH 'search_text : \"jaune\"')",
        )
        .load::<PlanRow>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.detail)
        .collect(),
        comptoir::db::Backend::Postgres => {
            diesel::sql_query("SET enable_seqscan = off").execute(&mut conn).unwrap();
            diesel::sql_query("EXPLAIN SELECT id FROM products WHERE search_text LIKE '%jaune%'")
                .load::<PgPlanRow>(&mut conn)
                .unwrap()
                .into_iter()
                .map(|r| r.plan)
                .collect()
        }
    };
    assert!(
        plan.iter().any(|l| l.contains("products_search")),
        "{plan:#?}"
    );
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    plan: String,
}

#[test]
fn embedded_templates_serve_html_without_the_templates_folder() {
    let app = TestApp::with(crate::helpers::Options {
        template_dir: Some("/nonexistent/comptoir-templates"),
        ..Default::default()
    });
    let b = app.browser();
    for path in [
        "/",
        "/products/moutarde-de-dijon-a-l-ancienne",
        "/no/such/page",
    ] {
        let page = b.get(path);
        assert_eq!(
            page.header("Content-Type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert!(page.body.contains("<main"), "{path}");
    }
    // Autoescaping holds for the embedded templates too.
    let page = b.get("/search?q=%3Cscript%3E");
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("<script>"));
}

/// A page past the end of a listing (an old link, a typed number) leads to its last page,
/// never to "no products" under a count of ten.
#[test]
fn a_page_past_the_end_leads_to_the_last_one() {
    let app = TestApp::spawn(); // 4 products a page
    let b = app.browser();
    let first = b.get("/categories/cave");
    assert_eq!(first.status, Status::Ok);
    let last = b.get("/categories/cave?page=999");
    assert_eq!(last.status, Status::SeeOther);
    let to = last.location.expect("a redirect");
    assert!(to.starts_with("/categories/cave?page="), "{to}");
    let page = b.get(&to);
    assert_eq!(page.status, Status::Ok);
    assert!(
        !page.texts(".grid li").is_empty(),
        "the last page has products"
    );
    let search = b.get("/search?q=de%20la&page=999");
    assert_eq!(search.status, Status::SeeOther);
    let to = search.location.unwrap();
    assert!(to.starts_with("/search?q=de%20la&page="), "{to}");
    let results = b.get(&to);
    assert_eq!(results.status, Status::Ok);
    assert!(!results.texts(".grid li").is_empty());
    // A search that finds nothing stays a page that says so.
    let none = b.get("/search?q=zzzzzz&page=3");
    assert_eq!(none.status, Status::Ok);
}

/// Category pages sorted by price or novelty and filtered (in stock, a price range) without
/// JavaScript: a GET form whose choices stay in the form and in the pager's links.
#[test]
fn category_pages_sort_and_filter() {
    use comptoir::db::schema::products;
    let app = TestApp::spawn();
    let b = app.browser();
    let prices = |page: &crate::helpers::Page| -> Vec<i64> {
        page.texts(".card .price")
            .iter()
            .map(|p| {
                comptoir::money::Money::parse_euros(&p.replace('\u{a0}', " "))
                    .unwrap_or_else(|| panic!("a price: {p}"))
                    .cents()
            })
            .collect()
    };
    let up = b.get("/categories/epicerie-fine?sort=price_asc");
    let mut sorted = prices(&up);
    sorted.sort();
    assert_eq!(prices(&up), sorted);
    assert_eq!(
        up.attr("a[rel=next]", "href").as_deref(),
        Some("?sort=price_asc&page=2"),
        "the pager keeps the sort"
    );
    assert_eq!(
        up.attr("select[name=sort] option[selected]", "value")
            .as_deref(),
        Some("price_asc")
    );
    let down = b.get("/categories/epicerie-fine?sort=price_desc");
    let mut reversed = prices(&down);
    reversed.sort();
    reversed.reverse();
    assert_eq!(prices(&down), reversed);
    let cheapest_overall = prices(&up)[0];
    let dearest_overall = prices(&down)[0];
    assert!(cheapest_overall < dearest_overall);

    // A price range, in euros as typed.
    let (low, high) = (cheapest_overall + 1, dearest_overall - 1);
    let euros = |c: i64| format!("{},{:02}", c / 100, c % 100);
    let ranged = b.get(&format!(
        "/categories/epicerie-fine?sort=price_asc&min={}&max={}",
        euros(low),
        euros(high)
    ));
    assert!(prices(&ranged).iter().all(|p| (low..=high).contains(p)));
    assert!(!prices(&ranged).contains(&cheapest_overall));
    assert_eq!(ranged.attr("input[name=min]", "value"), Some(euros(low)));

    // In stock only: a product sold out leaves the list.
    let first = up.texts(".card-name")[0].clone();
    diesel::update(products::table.filter(products::name.eq(&first)))
        .set(products::stock.eq(0))
        .execute(&mut app.conn())
        .unwrap();
    let all = b.get("/categories/epicerie-fine?sort=price_asc");
    assert!(all.texts(".card-name").contains(&first));
    let stocked = b.get("/categories/epicerie-fine?sort=price_asc&in_stock=true");
    assert!(!stocked.texts(".card-name").contains(&first));
    use comptoir::db::schema::categories;
    let in_stock: i64 = products::table
        .inner_join(categories::table)
        .filter(categories::slug.eq("epicerie-fine"))
        .filter(products::active.eq(true))
        .filter(products::stock.gt(0))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(stocked.body.contains(&format!("{in_stock} produits")));
    assert!(in_stock < 10);

    // A price that is not one is said and left out; nothing fails.
    let bad = b.get("/categories/epicerie-fine?min=douze");
    assert_eq!(bad.status, Status::Ok);
    assert_eq!(bad.texts("#price-error").len(), 1);
    assert!(bad.body.contains("10 produits"));
    assert_eq!(
        b.get("/categories/epicerie-fine?sort=bogus").status,
        Status::Ok
    );
}

#[test]
fn a_search_with_one_typo_finds_and_says_did_you_mean() {
    let app = TestApp::spawn();
    let b = app.browser();
    let right = b.get("/search?q=moutarde");
    let typo = b.get("/search?q=Moutrade");
    assert_eq!(typo.status, Status::Ok);
    assert!(!right.texts(".card-name").is_empty());
    assert_eq!(typo.texts(".card-name"), right.texts(".card-name"));
    assert_eq!(
        typo.texts(".did-you-mean a"),
        vec!["moutarde"],
        "the correction, linked"
    );
    assert_eq!(
        typo.attr(".did-you-mean a", "href").as_deref(),
        Some("/search?q=moutarde")
    );
    assert!(typo.texts(".did-you-mean")[0].contains("Aucun résultat pour « Moutrade »"));
    // A word missing a letter, with a right one beside it.
    let two = b.get("/search?q=moutarde%20de%20dijn");
    assert_eq!(two.texts(".did-you-mean a"), vec!["moutarde de dijon"]);
    assert!(!two.texts(".card-name").is_empty());
    // Nothing near: nothing found, nothing suggested; a right query suggests nothing.
    let none = b.get("/search?q=xyzzyq");
    assert!(none.texts(".card-name").is_empty());
    assert!(none.texts(".did-you-mean").is_empty());
    assert!(right.texts(".did-you-mean").is_empty());
}
