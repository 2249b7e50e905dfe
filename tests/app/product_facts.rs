//! Product facts. Unit prices (arrêté du 16 novembre 1999): a product sold by quantity shows
//! its net quantity and its price per kilogram, litre or piece beside its price, on its page
//! and on listings, at the price charged (a sale's too); staff type the quantity in the unit
//! they read, bad input is refused next to its field, and the CSV carries it. What identifies
//! a product (Regulation (EU) 2023/988 art. 19 b): its brand, reference and GTIN, the GTIN's
//! check digit verified, on its page and in its structured data.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::products;

use crate::helpers::TestApp;

const OIL: &str = "huile-d-olive-vierge-extra-de-provence-50-cl"; // 18,90 €, 50 cl

#[test]
fn a_product_sold_by_quantity_shows_its_unit_price_in_both_languages_and_on_sale() {
    let app = TestApp::spawn();
    let fr = app.browser();
    let page = fr.get(&format!("/products/{OIL}"));
    assert_eq!(
        page.texts(".product .unit-price"),
        vec!["Quantité nette\u{a0}: 50\u{a0}cl · 37,80\u{a0}€ le litre"]
    );
    let listing = fr.get("/categories/epicerie-fine");
    let card = listing
        .texts(".card")
        .into_iter()
        .find(|t| t.contains("Huile d'olive"))
        .unwrap();
    assert!(card.contains("37,80\u{a0}€ le litre"), "{card}");
    let en = app.browser();
    en.set_cookie("lang", "en");
    assert_eq!(
        en.get(&format!("/products/{OIL}"))
            .texts(".product .unit-price"),
        vec!["Net quantity: 50\u{a0}cl · €37.80 per litre"]
    );
    // The demo's wines are 75 cl bottles.
    assert_eq!(
        fr.get("/products/cotes-du-rhone-villages-rouge-2022")
            .texts(".product .unit-price")
            .len(),
        1
    );

    // On sale at 14,90 €: 29,80 € a litre.
    comptoir::seed::demo_sale(&mut app.conn()).unwrap();
    assert_eq!(
        fr.get(&format!("/products/{OIL}"))
            .texts(".product .unit-price"),
        vec!["Quantité nette\u{a0}: 50\u{a0}cl · 29,80\u{a0}€ le litre"]
    );
}

#[test]
fn staff_type_a_net_quantity_in_any_unit_and_the_csv_carries_it() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let form = |quantity: &'static str, unit: &'static str| {
        vec![
            ("name", "Riz de Camargue"),
            ("price", "6,00"),
            ("vat_rate", "550"),
            ("stock", "3"),
            ("active", "true"),
            ("weight", "1500"),
            ("net_quantity", quantity),
            ("net_unit", unit),
        ]
    };
    let no_unit = staff.submit("/admin/products", &form("1,5", ""));
    assert_eq!(no_unit.status, Status::UnprocessableEntity);
    assert_eq!(no_unit.texts("#e-net_unit").len(), 1);
    assert_eq!(no_unit.attr("#f-net_quantity", "value"), Some("1,5".into()));
    let bad = staff.submit("/admin/products", &form("-2", "kg"));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(
        bad.texts("#e-net_quantity"),
        vec!["Une quantité positive avec son unité (par exemple 250 g ou 1,5 l)."]
    );
    let made = staff.submit("/admin/products", &form("1,5", "kg"));
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let stored: (Option<i32>, Option<String>) = products::table
        .filter(products::slug.eq("riz-de-camargue"))
        .select((products::net_quantity, products::net_unit))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored, (Some(1500), Some("g".into())));
    let edit = staff.get(made.header("Location").unwrap());
    assert_eq!(edit.attr("#f-net_quantity", "value"), Some("1.5".into()));
    assert_eq!(
        edit.attr("#f-net_unit option[selected]", "value"),
        Some("kg".into())
    );
    assert_eq!(
        app.browser()
            .get("/products/riz-de-camargue")
            .texts(".product .unit-price"),
        vec!["Quantité nette\u{a0}: 1,5\u{a0}kg · 4,00\u{a0}€ le kilo"]
    );

    // CSV: exported in stored units; an import with a wrong unit is refused for that line.
    let (_, oil) = crate::helpers::exported_product(&staff, OIL);
    assert_eq!(
        (oil["net_quantity"].as_str(), oil["net_unit"].as_str()),
        ("500", "ml")
    );
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "net.csv",
        "text/csv",
        format!("slug,name,category,price,net_quantity,net_unit\n{OIL},Huile d'olive vierge extra de Provence 50 cl,epicerie-fine,18.90,50,cl\n").as_bytes(),
    );
    assert_eq!(preview.status, Status::UnprocessableEntity);
    assert!(
        preview.body.contains("quantité nette invalide"),
        "{}",
        preview.body
    );
}

#[test]
fn a_product_is_identified_by_its_brand_reference_and_a_checked_gtin() {
    let app = TestApp::spawn();
    let page = app.browser().get(&format!("/products/{OIL}"));
    let gtin = page.texts(".product-ids .gtin").join("");
    assert!(gtin.len() == 13 && gtin.starts_with("200"), "{gtin}");
    assert!(page.body.contains(&format!(r#""gtin13":"{gtin}""#)));

    let staff = app.login_as(Role::Staff);
    let form = |gtin: &'static str| {
        vec![
            ("name", "Pâte à tartiner"),
            ("price", "4,20"),
            ("vat_rate", "550"),
            ("stock", "3"),
            ("active", "true"),
            ("weight", "400"),
            ("brand", "Maison Test"),
            ("gtin", gtin),
        ]
    };
    let bad = staff.submit("/admin/products", &form("3017620422004"));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(
        bad.texts("#e-gtin"),
        vec!["Ce GTIN n'est pas valide : 8, 12, 13 ou 14 chiffres dont le dernier (clé de contrôle) correspond."]
    );
    assert_eq!(bad.attr("#f-gtin", "value"), Some("3017620422004".into()));
    let made = staff.submit("/admin/products", &form("3 017620 422003"));
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let page = app.browser().get("/products/pate-a-tartiner");
    assert_eq!(page.texts(".product-ids .brand"), vec!["Maison Test"]);
    assert_eq!(page.texts(".product-ids .gtin"), vec!["3017620422003"]);
    assert!(page
        .body
        .contains(r#""brand":{"@type":"Brand","name":"Maison Test"}"#));

    // CSV: exported; a wrong GTIN is an error of its line.
    let (_, row) = crate::helpers::exported_product(&staff, "pate-a-tartiner");
    assert_eq!(
        (row["brand"].as_str(), row["gtin"].as_str()),
        ("Maison Test", "3017620422003")
    );
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "gtin.csv",
        "text/csv",
        b"slug,name,category,price,gtin\npate-a-tartiner,P\xc3\xa2te \xc3\xa0 tartiner,,4.20,3017620422004\n",
    );
    assert_eq!(preview.status, Status::UnprocessableEntity);
    assert!(preview.body.contains("GTIN invalide"), "{}", preview.body);
}
