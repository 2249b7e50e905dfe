//! The catalogue in English: departments and products have an English name and description
//! (French the fallback), shown to English visitors, searched in their language, edited side by
//! side in the back-office and carried through CSV.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{categories, products};

use crate::helpers::TestApp;

const OIL: &str = "huile-d-olive-vierge-extra-de-provence-50-cl";
const MUSTARD: &str = "moutarde-de-dijon-a-l-ancienne";

#[test]
fn english_visitors_read_the_catalogue_in_english_with_french_where_none() {
    let app = TestApp::spawn();
    let en = app.browser();
    en.set_cookie("lang", "en");
    let fr = app.browser();

    // The demo's featured products and departments are translated.
    let home = en.get("/");
    assert!(home
        .texts(".categories a")
        .iter()
        .any(|t| t.contains("Fine foods")));
    assert!(fr
        .get("/")
        .texts(".categories a")
        .iter()
        .any(|t| t.contains("Épicerie fine")));

    let oil = en.get(&format!("/products/{OIL}"));
    assert_eq!(
        oil.texts("h1"),
        vec!["Extra virgin olive oil from Provence 50 cl"]
    );
    assert!(oil.body.contains("Cold-pressed in the Alpilles"));
    assert!(oil
        .texts(".breadcrumbs a")
        .iter()
        .any(|t| t == "Fine foods"));
    // Search engines get the English too.
    assert!(oil
        .attr("meta[name=description]", "content")
        .unwrap()
        .starts_with("Cold-pressed"));
    let french = fr.get(&format!("/products/{OIL}"));
    assert_eq!(
        french.texts("h1"),
        vec!["Huile d'olive vierge extra de Provence 50 cl"]
    );

    // An untranslated product: the French.
    assert_eq!(
        en.get(&format!("/products/{MUSTARD}")).texts("h1"),
        vec!["Moutarde de Dijon à l'ancienne"]
    );
    let listing = en.get("/categories/epicerie-fine?sort=name");
    assert_eq!(listing.texts("h1"), vec!["Fine foods"]);
    let names = listing.texts(".card-name");
    assert!(
        names.iter().any(|n| n == "Guérande fleur de sel 250 g"),
        "{names:?}"
    );

    // Searched in the visitor's language, the French standing in where there is no English.
    let hits = |b: &crate::helpers::Browser<'_>, q: &str| {
        b.get(&format!("/search?q={q}")).texts(".card-name")
    };
    assert_eq!(
        hits(&en, "virgin"),
        vec!["Extra virgin olive oil from Provence 50 cl"]
    );
    assert!(hits(&fr, "virgin").is_empty());
    assert!(hits(&fr, "vierge")
        .iter()
        .any(|n| n.starts_with("Huile d'olive")));
    assert!(hits(&en, "moutarde")
        .iter()
        .any(|n| n == "Moutarde de Dijon à l'ancienne"));

    // The cart and the checkout name the products in English too; the order keeps the French.
    crate::orders::add(&app, &en, "fleur-de-sel-de-guerande-250-g", 1);
    let cart = en.get("/cart");
    assert_eq!(
        cart.texts("tr.line td a"),
        vec!["Guérande fleur de sel 250 g"]
    );
    assert!(en
        .get("/checkout")
        .body
        .contains("1 × Guérande fleur de sel 250 g"));
    let placed = crate::orders::checkout(&en, &crate::helpers::address("en@example.com"));
    assert_eq!(placed.status, Status::SeeOther);
    let kept: String = comptoir::db::schema::order_lines::table
        .select(comptoir::db::schema::order_lines::product_name)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(kept, "Fleur de sel de Guérande 250 g");
}

#[test]
fn staff_edit_both_languages_side_by_side_and_through_csv() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let id: i64 = products::table
        .filter(products::slug.eq(MUSTARD))
        .select(products::id)
        .first(&mut app.conn())
        .unwrap();
    let edit = staff.get(&format!("/admin/products/{id}"));
    assert_eq!(edit.status, Status::Ok);
    assert_eq!(
        edit.texts(".side-by-side legend"),
        vec!["En français", "En anglais"]
    );
    let mut fields: Vec<(String, String)> = edit
        .html()
        .select(
            &scraper::Selector::parse(
                "form.admin-form input:not([type=checkbox]), form.admin-form select",
            )
            .unwrap(),
        )
        .filter_map(|e| {
            let name = e.value().attr("name")?.to_string();
            let value = match e.value().name() {
                "select" => e
                    .select(&scraper::Selector::parse("option[selected]").unwrap())
                    .next()
                    .and_then(|o| o.value().attr("value"))
                    .unwrap_or("")
                    .to_string(),
                _ => e.value().attr("value").unwrap_or("").to_string(),
            };
            Some((name, value))
        })
        .filter(|(name, _)| name != "_csrf")
        .collect();
    for (k, v) in fields.iter_mut() {
        if k == "name_en" {
            *v = "Old-style Dijon mustard".into();
        }
    }
    fields.push(("description".into(), "Graines entières.".into()));
    fields.push(("description_en".into(), "Whole seeds.".into()));
    fields.push(("active".into(), "true".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = staff.submit(&format!("/admin/products/{id}"), &refs);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let stored: (String, String, String) = products::table
        .find(id)
        .select((
            products::name_en,
            products::description_en,
            products::search_text_en,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored.0, "Old-style Dijon mustard");
    assert_eq!(stored.1, "Whole seeds.");
    assert!(stored.2.contains("old-style dijon mustard"), "{}", stored.2);
    let en = app.browser();
    en.set_cookie("lang", "en");
    assert_eq!(
        en.get(&format!("/products/{MUSTARD}")).texts("h1"),
        vec!["Old-style Dijon mustard"]
    );

    // CSV: exported with both languages; a file with the English columns sets them, one
    // without them leaves them as they are.
    let (header, row) = crate::helpers::exported_product(&staff, MUSTARD);
    assert_eq!(&header[9..11], ["name_en", "description_en"]);
    assert_eq!(
        (row["name_en"].as_str(), row["description_en"].as_str()),
        ("Old-style Dijon mustard", "Whole seeds.")
    );
    let import = |name: &str, body: &str| {
        let preview = staff.upload(
            "/admin/products/import",
            &[],
            name,
            "text/csv",
            body.as_bytes(),
        );
        assert_eq!(preview.status, Status::Ok, "{}", preview.body);
        let upload = preview.attr("input[name=upload]", "value").unwrap();
        let applied = staff.submit(
            "/admin/products/import/apply",
            &[("upload", upload.as_str())],
        );
        assert_eq!(applied.status, Status::SeeOther);
    };
    import(
        "en.csv",
        &format!("slug,name,category,price,name_en,description_en\n{MUSTARD},Moutarde de Dijon à l'ancienne,epicerie-fine,4.50,Grainy Dijon mustard,From Burgundy seeds.\n"),
    );
    import(
        "fr.csv",
        &format!("slug,name,category,price,description\n{MUSTARD},Moutarde de Dijon à l'ancienne,epicerie-fine,4.60,Graines de Bourgogne.\n"),
    );
    let after: (String, String, i64) = products::table
        .find(id)
        .select((
            products::name_en,
            products::description_en,
            products::price_cents,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        after,
        (
            "Grainy Dijon mustard".into(),
            "From Burgundy seeds.".into(),
            460
        )
    );

    // A department's English name, from the departments page.
    let dept: (i64, String, String) = categories::table
        .filter(categories::slug.eq("cave"))
        .select((categories::id, categories::name, categories::description))
        .first(&mut app.conn())
        .unwrap();
    let renamed = staff.submit(
        &format!("/admin/categories/{}", dept.0),
        &[
            ("name", dept.1.as_str()),
            ("slug", "cave"),
            ("description", dept.2.as_str()),
            ("name_en", "Cellar"),
            ("description_en", "Wines and spirits."),
        ],
    );
    assert_eq!(renamed.status, Status::SeeOther);
    assert_eq!(en.get("/categories/cave").texts("h1"), vec!["Cellar"]);
    assert!(staff
        .get("/admin/categories")
        .attrs("input[name=name_en]", "value")
        .contains(&"Cellar".to_string()));
}

#[test]
fn a_products_options_are_named_in_english_for_english_visitors() {
    const APRON: &str = "tablier-en-toile-de-coton"; // the demo's, in sizes
    let app = TestApp::spawn();
    let en = app.browser();
    en.set_cookie("lang", "en");
    assert_eq!(
        en.get(&format!("/products/{APRON}"))
            .texts("#variants-title"),
        vec!["Size: S/M"]
    );
    assert_eq!(
        app.browser()
            .get(&format!("/products/{APRON}"))
            .texts("#variants-title"),
        vec!["Taille\u{a0}: S/M"]
    );

    // Staff name them in both languages; English alone is refused, what was typed kept.
    let staff = app.login_as(Role::Staff);
    let form = |option1: &'static str, option1_en: &'static str| {
        vec![
            ("name", "Chemise lin"),
            ("price", "49,00"),
            ("vat_rate", "2000"),
            ("stock", "3"),
            ("active", "true"),
            ("weight", "200"),
            ("option1_name", option1),
            ("option1_name_en", option1_en),
        ]
    };
    let bad = staff.submit("/admin/products", &form("", "Colour"));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(
        bad.texts("#e-option1_name_en"),
        vec!["Nommez d'abord l'option en français."]
    );
    assert_eq!(
        bad.attr("#f-option1_name_en", "value"),
        Some("Colour".into())
    );
    let made = staff.submit("/admin/products", &form("Couleur", "Colour"));
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let edit = staff.get(made.header("Location").unwrap());
    assert_eq!(
        edit.attr("#f-option1_name_en", "value"),
        Some("Colour".into())
    );
    assert_eq!(
        en.get("/products/chemise-lin").texts("#variants-title"),
        vec!["Colour"]
    );

    // Carried through CSV: exported beside the French names.
    let (_, apron) = crate::helpers::exported_product(&staff, APRON);
    assert_eq!(
        (
            apron["option1_name"].as_str(),
            apron["option1_name_en"].as_str()
        ),
        ("Taille", "Size")
    );
}
