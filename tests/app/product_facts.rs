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

const MUSTARD: &str = "moutarde-de-dijon-a-l-ancienne";
const APRON: &str = "tablier-en-toile-de-coton";

/// The demo's composition and safety facts (`seed::demo_facts`), as `serve --demo` fills them.
fn with_demo_facts() -> TestApp {
    let app = TestApp::spawn();
    comptoir::seed::demo_facts(&mut app.conn()).unwrap();
    app
}

#[test]
fn a_food_page_shows_ingredients_allergens_nutrition_and_its_manufacturer_in_both_languages() {
    let app = with_demo_facts();
    let fr = app.browser();
    let page = fr.get(&format!("/products/{MUSTARD}"));
    assert_eq!(
        page.texts(".product-facts h2"),
        vec!["Composition et sécurité"]
    );
    // Allergens emphasised in the list (Regulation (EU) 1169/2011 art. 21) and listed.
    assert_eq!(
        page.texts(".product-facts .ingredients strong"),
        vec!["moutarde", "sulfites"]
    );
    assert_eq!(
        page.texts(".product-facts .allergens"),
        vec!["Allergènes\u{a0}: moutarde, anhydride sulfureux et sulfites"]
    );
    // The nutrition declaration per 100 g, in the order of Annex XV.
    let rows = page.texts(".nutrition tbody tr");
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert_eq!(rows[0], "Énergie640 kJ / 154 kcal");
    assert_eq!(rows[1], "Matières grasses10,4 g");
    assert_eq!(rows[6], "Sel5,6 g");
    assert_eq!(page.texts(".nutrition thead th")[1], "Pour 100 g");
    // The manufacturer with a postal and an electronic address (GPSR art. 19 a).
    let maker = page.texts(".product-facts address.manufacturer").join("");
    assert!(maker.contains("Moutarderie de la Côte-d'Or"), "{maker}");
    assert!(maker.contains("21000 Dijon"), "{maker}");
    assert!(maker.contains("France"), "{maker}");
    assert_eq!(
        page.attrs(".product-facts address.manufacturer a", "href"),
        vec!["mailto:service@moutarderie-cotedor.example"]
    );
    // Before the add-to-cart in the page's order (a phone reads it first).
    let facts_at = page.body.find(r#"class="product-facts""#).unwrap();
    let cart_at = page.body.find(r#"class="add-to-cart""#).unwrap();
    assert!(facts_at < cart_at);
    // Structured data: nutrition and manufacturer.
    assert!(page.body.contains(r#""@type":"NutritionInformation""#));
    assert!(page.body.contains(r#""calories":"154 kcal""#));
    assert!(page.body.contains(r#""fatContent":"10.4 g""#));
    assert!(page.body.contains(
        r#""manufacturer":{"@type":"Organization","name":"Moutarderie de la Côte-d'Or"}"#
    ));

    let en = app.browser();
    en.set_cookie("lang", "en");
    let page = en.get(&format!("/products/{MUSTARD}"));
    assert_eq!(
        page.texts(".product-facts h2"),
        vec!["Composition and safety"]
    );
    assert_eq!(
        page.texts(".product-facts .ingredients strong"),
        vec!["mustard", "sulphites"]
    );
    assert_eq!(page.texts(".nutrition tbody tr")[1], "Fat10.4 g");
    assert_eq!(
        page.texts(".product-facts .storage"),
        vec!["Once opened, keep refrigerated and use within 6 weeks."]
    );

    // The oil declares per 100 ml; the wine its strength.
    let oil = fr.get(&format!("/products/{OIL}"));
    assert_eq!(oil.texts(".nutrition thead th")[1], "Pour 100 ml");
    assert_eq!(
        oil.texts(".product-facts .origin"),
        vec!["Huile d'olive de France (Provence)"]
    );
    let wine = fr.get("/products/cotes-du-rhone-villages-rouge-2022");
    assert_eq!(wine.texts(".product-facts .alcohol"), vec!["14 % vol"]);
}

#[test]
fn a_product_made_outside_the_union_names_its_responsible_person_and_its_warnings() {
    let app = with_demo_facts();
    let page = app.browser().get(&format!("/products/{APRON}"));
    assert_eq!(
        page.texts(".product-facts h3")[0],
        "Composition",
        "not a food"
    );
    assert!(page.texts(".product-facts .allergens").is_empty());
    assert!(page.texts(".nutrition").is_empty());
    let maker = page.texts(".product-facts address.manufacturer").join("");
    assert!(
        maker.contains("Cotton Works Ltd") && maker.contains("Inde"),
        "{maker}"
    );
    let responsible = page.texts(".product-facts address.responsible").join("");
    assert!(
        responsible.contains("Textiles Import Europe SARL") && responsible.contains("44000 Nantes"),
        "{responsible}"
    );
    // Warnings written in Markdown, shown as a list.
    assert_eq!(page.texts(".product-facts .warnings li").len(), 3);
    assert_eq!(page.texts(".product-facts .batch"), vec!["2026-11"]);
    assert_eq!(page.texts(".product-facts .mpn"), vec!["CW-APR-204"]);
    let en = app.browser();
    en.set_cookie("lang", "en");
    let page = en.get(&format!("/products/{APRON}"));
    assert_eq!(
        page.texts(".product-facts .warnings li")[0],
        "Keep away from flames and hobs."
    );
    assert!(page
        .texts(".product-facts h3")
        .contains(&"Responsible person in the European Union".to_string()));
}

#[test]
fn staff_enter_a_manufacturer_once_and_the_facts_of_a_product_with_clear_errors() {
    let app = with_demo_facts();
    let staff = app.login_as(Role::Staff);
    let maker = |country: &'static str, responsible: &'static str| {
        vec![
            ("name", "Fabrique Test"),
            ("address", "1 Long Street\r\nShenzhen 518000"),
            ("country", country),
            ("email", ""),
            ("contact_url", "https://fabrique.example/contact"),
            ("responsible_id", responsible),
        ]
    };
    // Outside the Union without a responsible person: refused, what was typed kept.
    let refused = staff.submit("/admin/manufacturers", &maker("CN", ""));
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(
        refused.texts("#e-responsible_id"),
        vec!["Un fabricant établi hors de l’Union doit avoir une personne responsable établie dans l’Union."]
    );
    assert_eq!(
        refused.attr("#f-contact_url", "value"),
        Some("https://fabrique.example/contact".into())
    );
    assert_eq!(
        refused.attr("#f-country option[selected]", "value"),
        Some("CN".into())
    );
    let responsible: Vec<(i64, String)> = {
        use comptoir::db::schema::manufacturers;
        manufacturers::table
            .filter(manufacturers::country.eq("FR"))
            .select((manufacturers::id, manufacturers::name))
            .load(&mut app.conn())
            .unwrap()
    };
    let rep = responsible[0].0.to_string();
    let rep: &'static str = Box::leak(rep.into_boxed_str());
    let made = staff.submit("/admin/manufacturers", &maker("CN", rep));
    assert_eq!(made.status, Status::SeeOther, "{}", made.body);
    let list = staff.get("/admin/manufacturers");
    assert!(list.body.contains("Fabrique Test"));
    let maker_id: i64 = {
        use comptoir::db::schema::manufacturers;
        manufacturers::table
            .filter(manufacturers::name.eq("Fabrique Test"))
            .select(manufacturers::id)
            .first(&mut app.conn())
            .unwrap()
    };

    // A product's facts: a negative value and a missing one are refused by name.
    let id = app.product_id("caramel-au-beurre-sale");
    let maker_text = maker_id.to_string();
    let facts = |fat: &'static str, salt: &'static str| {
        vec![
            ("manufacturer_id", maker_text.clone()),
            (
                "ingredients",
                "Sucre, crème, beurre demi-sel (lait), sel".to_string(),
            ),
            ("allergens", "milk".to_string()),
            ("energy_kj", "1880".to_string()),
            ("energy_kcal", "450".to_string()),
            ("fat", fat.to_string()),
            ("saturates", "15".to_string()),
            ("carbohydrate", "55".to_string()),
            ("sugars", "50".to_string()),
            ("protein", "2".to_string()),
            ("salt", salt.to_string()),
            ("warnings", "Contient du **lait**.".to_string()),
        ]
    };
    let url = format!("/admin/products/{id}/facts");
    let fields = facts("-3", "");
    let bad = staff.submit(&url, &crate::helpers::as_refs(&fields));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.texts("#e-fat").len(), 1);
    assert_eq!(
        bad.texts("#e-salt"),
        vec!["La déclaration nutritionnelle comprend les sept valeurs : celle-ci manque."]
    );
    assert_eq!(bad.attr("#f-fat", "value"), Some("-3".into()));
    assert_eq!(
        bad.attr("input[name=allergens][value=milk]", "checked"),
        Some(String::new())
    );
    assert!(bad.texts(".error-summary li").len() >= 2);
    let fields = facts("24,5", "1,2");
    let saved = staff.submit(&url, &crate::helpers::as_refs(&fields));
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let page = app.browser().get("/products/caramel-au-beurre-sale");
    assert_eq!(
        page.texts(".product-facts .ingredients strong"),
        vec!["crème", "beurre", "lait"]
    );
    assert_eq!(
        page.texts(".nutrition tbody tr")[1],
        "Matières grasses24,5 g"
    );
    assert_eq!(page.texts(".product-facts .warnings strong"), vec!["lait"]);
    let shown = page.texts(".product-facts address.responsible").join("");
    assert!(shown.contains(&responsible[0].1), "{shown}");
    let audited: i64 = {
        use comptoir::db::schema::audit_log;
        audit_log::table
            .filter(audit_log::action.eq("product.facts"))
            .filter(audit_log::actor_user_id.is_not_null())
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(audited, 1);
    // The edit form shows them again as typed.
    let edit = staff.get(&format!("/admin/products/{id}"));
    assert_eq!(edit.attr("#f-fat", "value"), Some("24.5".into()));
    assert_eq!(
        edit.attr("#f-manufacturer_id option[selected]", "value"),
        Some(maker_text.clone())
    );
}

#[test]
fn the_csv_round_trips_every_fact_and_refuses_bad_ones_by_line() {
    let app = with_demo_facts();
    let staff = app.login_as(Role::Staff);
    let (header, row) = crate::helpers::exported_product(&staff, MUSTARD);
    for column in comptoir::catalog::csv_io::FACTS_HEADER {
        assert!(header.iter().any(|h| h == column), "{column} is exported");
    }
    assert_eq!(row["manufacturer"], "Moutarderie de la Côte-d'Or");
    assert_eq!(row["allergens"], "mustard,sulphites");
    assert_eq!(row["fat"], "10.4");
    assert_eq!(row["energy_kcal"], "154");
    let before = comptoir::catalog::facts::all(&mut app.conn()).unwrap();

    // The whole export imported back changes nothing.
    let export = staff.get("/admin/products.csv").body;
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "all.csv",
        "text/csv",
        export.as_bytes(),
    );
    assert_eq!(preview.status, Status::Ok, "{}", preview.body);
    let upload = preview.attr("input[name=upload]", "value").unwrap();
    let applied = staff.submit(
        "/admin/products/import/apply",
        &[("upload", upload.as_str())],
    );
    assert_eq!(applied.status, Status::SeeOther);
    assert_eq!(
        comptoir::catalog::facts::all(&mut app.conn()).unwrap(),
        before
    );

    // Changed in a file: read back as typed.
    let edited = export.replace("10.4", "11.5");
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "fat.csv",
        "text/csv",
        edited.as_bytes(),
    );
    let upload = preview.attr("input[name=upload]", "value").unwrap();
    staff.submit(
        "/admin/products/import/apply",
        &[("upload", upload.as_str())],
    );
    let mustard = app.product_id(MUSTARD);
    let after = comptoir::catalog::facts::of_product(&mut app.conn(), mustard).unwrap();
    assert_eq!(after.nutrition.unwrap().fat_cg, 1150);

    // Errors by line: a negative value, an unknown manufacturer, an unknown allergen.
    let bad = format!(
        "slug,name,price,manufacturer,allergens,energy_kj,energy_kcal,fat,saturates,carbohydrate,sugars,protein,salt\n\
         {MUSTARD},Moutarde,4.50,,mustard,640,154,-1,0.6,5.2,2.1,7.8,5.6\n\
         {OIL},Huile,18.90,Inconnu SA,,,,,,,,,\n\
         fleur-de-sel-de-guerande-250-g,Sel,6.90,,peanut-butter,,,,,,,,\n"
    );
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "bad.csv",
        "text/csv",
        bad.as_bytes(),
    );
    assert_eq!(preview.status, Status::UnprocessableEntity);
    let errors = preview.texts(".row-errors");
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("Déclaration nutritionnelle"),
        "{errors:?}"
    );
    assert!(errors[1].contains("Fabricant inconnu"), "{errors:?}");
    assert!(errors[2].contains("Allergène inconnu"), "{errors:?}");
    // A file without facts columns keeps the facts.
    let plain = format!("slug,name,price\n{MUSTARD},Moutarde de Dijon à l'ancienne,4.50\n");
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "plain.csv",
        "text/csv",
        plain.as_bytes(),
    );
    let upload = preview.attr("input[name=upload]", "value").unwrap();
    staff.submit(
        "/admin/products/import/apply",
        &[("upload", upload.as_str())],
    );
    assert_eq!(
        comptoir::catalog::facts::of_product(&mut app.conn(), mustard).unwrap(),
        after
    );
}

#[test]
fn hostile_facts_are_inert_on_the_product_page() {
    let app = with_demo_facts();
    let staff = app.login_as(Role::Staff);
    let id = app.product_id(MUSTARD);
    let payload = r#"<script>alert(1)</script><img src=x onerror=alert(2)>"#;
    let warnings = format!("{payload}\n\n[lien](javascript:alert(3)) **{payload}**");
    let ingredients = format!("moutarde {payload} **{payload}**");
    let saved = staff.submit(
        &format!("/admin/products/{id}/facts"),
        &[
            ("warnings", warnings.as_str()),
            ("ingredients", ingredients.as_str()),
            ("allergens", "mustard"),
            ("storage", payload),
            ("mpn", "<b>x</b>"),
        ],
    );
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let page = app.browser().get(&format!("/products/{MUSTARD}"));
    crate::xss::assert_inert(&page.body, "product facts");
    assert_eq!(
        page.texts(".product-facts .ingredients strong")[0],
        "moutarde"
    );
}

#[test]
fn a_variant_may_carry_a_gtin_of_its_own() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let sizes = crate::variants::variants_of(&mut app.conn(), APRON);
    let (large, sku, option) = (sizes[1].0, sizes[1].1.clone(), sizes[1].2.clone());
    let form = |gtin: &'static str| {
        vec![
            ("sku", sku.clone()),
            ("option1", option.clone()),
            ("position", "1".to_string()),
            ("gtin", gtin.to_string()),
        ]
    };
    let url = format!("/admin/variants/{large}");
    let bad = staff.submit(&url, &crate::helpers::as_refs(&form("4006381333932")));
    assert_eq!(bad.status, Status::UnprocessableEntity);
    let prefix = format!("v{large}-");
    assert_eq!(
        bad.texts(&format!("#{prefix}gtin-e")).len(),
        1,
        "{}",
        bad.body
    );
    assert_eq!(
        bad.attr(&format!("#{prefix}gtin"), "value"),
        Some("4006381333932".into())
    );
    let saved = staff.submit(&url, &crate::helpers::as_refs(&form("4006381333931")));
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let b = app.browser();
    let own = b.get(&format!("/products/{APRON}?variant={large}"));
    assert_eq!(own.texts(".product-ids .gtin"), vec!["4006381333931"]);
    assert!(own.body.contains(r#""gtin13":"4006381333931""#));
    // The other size keeps the product's.
    let other = b.get(&format!("/products/{APRON}?variant={}", sizes[0].0));
    let gtin = other.texts(".product-ids .gtin").join("");
    assert!(gtin.starts_with("200"), "{gtin}");
    let (_, row) = crate::helpers::exported_product(&staff, APRON);
    assert!(row.contains_key("variant_gtin"));
    let export = staff.get("/admin/products.csv").body;
    assert!(export.contains("4006381333931"));
}
