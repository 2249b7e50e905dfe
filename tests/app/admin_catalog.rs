//! Back-office catalogue: products (list, create, edit, hide), stock adjustments and their
//! history, categories; every change audited.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, categories, products, stock_movements};

use crate::helpers::TestApp;

fn product_form<'a>(
    name: &'a str,
    price: &'a str,
    category: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("slug", ""),
        ("description", "Un pot de 200 g."),
        ("price", price),
        ("vat_rate", "550"),
        ("category_id", category),
        ("stock", "12"),
        ("active", "true"),
    ]
}

fn audit_actions(app: &TestApp) -> Vec<String> {
    audit_log::table
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut app.conn())
        .unwrap()
}

#[test]
fn staff_create_and_edit_a_product() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    assert_eq!(staff.get("/admin/products/new").status, Status::Ok);
    let cat: i64 = categories::table
        .select(categories::id)
        .first(&mut app.conn())
        .unwrap();
    let cat = cat.to_string();
    let created = staff.submit(
        "/admin/products",
        &product_form("Pâte de coing", "7,90", &cat),
    );
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    let location = created.location.unwrap();
    let (id, slug, price, vat, stock): (i64, String, i64, i32, i32) = products::table
        .filter(products::name.eq("Pâte de coing"))
        .select((
            products::id,
            products::slug,
            products::price_cents,
            products::vat_rate_bp,
            products::stock,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(location, format!("/admin/products/{id}"));
    assert_eq!(
        (slug.as_str(), price, vat, stock),
        ("pate-de-coing", 790, 550, 12)
    );
    // In the shop at once, found by search.
    let shop = app.browser();
    assert_eq!(shop.get("/products/pate-de-coing").status, Status::Ok);
    assert!(shop
        .get("/search?q=coing")
        .texts(".card-name")
        .contains(&"Pâte de coing".to_string()));

    // Edit: price and name; the form shows the saved values.
    let page = staff.get(&location);
    assert_eq!(page.attr("#f-price", "value").as_deref(), Some("7,90"));
    let mut form = product_form("Pâte de coing maison", "8.5", &cat);
    form[1] = ("slug", "pate-de-coing");
    let saved = staff.submit(&location, &form);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let (name, price, stock): (String, i64, i32) = products::table
        .find(id)
        .select((products::name, products::price_cents, products::stock))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), price, stock),
        ("Pâte de coing maison", 850, 12),
        "stock is not edited by the form"
    );
    assert!(shop
        .get("/search?q=maison")
        .texts(".card-name")
        .contains(&"Pâte de coing maison".to_string()));

    // Hide it: gone from the shop, kept in the back-office.
    staff.submit(&format!("/admin/products/{id}/active"), &[]);
    assert_eq!(shop.get("/products/pate-de-coing").status, Status::NotFound);
    assert_eq!(staff.get(&location).status, Status::Ok);
    staff.submit(
        &format!("/admin/products/{id}/active"),
        &[("active", "true")],
    );
    assert_eq!(shop.get("/products/pate-de-coing").status, Status::Ok);

    assert_eq!(
        audit_actions(&app),
        vec![
            "product.create",
            "product.update",
            "product.deactivate",
            "product.activate"
        ]
    );
    let (before, after): (Option<String>, Option<String>) = audit_log::table
        .filter(audit_log::action.eq("product.update"))
        .select((audit_log::before_json, audit_log::after_json))
        .first(&mut app.conn())
        .unwrap();
    assert!(before.unwrap().contains("\"price_cents\":790"));
    assert!(after.unwrap().contains("\"price_cents\":850"));
}

#[test]
fn product_form_errors_keep_the_input() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("name", "", "e-name"),
        ("price", "-3", "e-price"),
        ("price", "douze", "e-price"),
        ("price", "1,999", "e-price"),
        ("vat_rate", "1900", "e-vat_rate"),
        ("category_id", "abc", "e-category_id"),
        ("category_id", "999999", "e-category_id"),
        ("stock", "-1", "e-stock"),
        ("slug", "%%%", "e-slug"),
        ("slug", "moutarde-de-dijon-a-l-ancienne", "e-slug"),
    ];
    for (field, value, error) in cases {
        let mut form = product_form("Nouveau", "5", "");
        for f in form.iter_mut() {
            if f.0 == field {
                f.1 = value;
            }
        }
        let page = staff.submit("/admin/products", &form);
        assert_eq!(page.status, Status::UnprocessableEntity, "{field}={value}");
        assert_eq!(page.texts(&format!("#{error}")).len(), 1, "{field}={value}");
        if field == "price" {
            assert_eq!(page.attr("#f-price", "value").as_deref(), Some(value));
        }
    }
    assert_eq!(app.count("products"), 70, "nothing written");
}

#[test]
fn stock_adjustments_are_recorded_and_never_go_negative() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let id = app.product_id("fleur-de-sel-de-guerande-250-g");
    let url = format!("/admin/products/{id}/stock");
    staff.submit(
        &url,
        &[("delta", "+10"), ("reason", "Livraison fournisseur")],
    );
    assert_eq!(app.stock("fleur-de-sel-de-guerande-250-g"), 13);
    staff.submit(&url, &[("delta", "-2"), ("reason", "Casse")]);
    assert_eq!(app.stock("fleur-de-sel-de-guerande-250-g"), 11);
    let refused = staff.submit(&url, &[("delta", "-50"), ("reason", "Erreur")]);
    assert_eq!(refused.status, Status::SeeOther);
    assert_eq!(app.stock("fleur-de-sel-de-guerande-250-g"), 11);
    for bad in [("0", "x"), ("abc", "x"), ("5", "  ")] {
        staff.submit(&url, &[("delta", bad.0), ("reason", bad.1)]);
    }
    assert_eq!(app.stock("fleur-de-sel-de-guerande-250-g"), 11);
    let rows: Vec<(i32, i32, String, Option<i64>)> = stock_movements::table
        .order(stock_movements::id)
        .select((
            stock_movements::delta,
            stock_movements::resulting_stock,
            stock_movements::reason,
            stock_movements::actor_user_id,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].0, rows[0].1, rows[0].2.as_str()),
        (10, 13, "Livraison fournisseur")
    );
    assert_eq!((rows[1].0, rows[1].1), (-2, 11));
    assert!(rows.iter().all(|r| r.3.is_some()), "who did it is recorded");
    let page = staff.get(&format!("/admin/products/{id}"));
    assert_eq!(page.texts(".history tbody tr").len(), 2);
    assert!(page.body.contains("Casse"));
    assert_eq!(audit_actions(&app), vec!["stock.adjust", "stock.adjust"]);
    // The low-stock list.
    let low = staff.get("/admin/stock/low?threshold=3");
    let names = low.texts("tbody td a");
    assert!(names.contains(&"Huile d'olive vierge extra de Provence 50 cl".to_string()));
    assert!(!names.contains(&"Fleur de sel de Guérande 250 g".to_string()));
}

#[test]
fn the_product_list_searches_filters_and_sorts() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let names = |q: &str| {
        staff
            .get(&format!("/admin/products{q}"))
            .texts("tbody td a")
    };
    assert_eq!(names("").len(), 50, "a page of 50");
    assert_eq!(names("?page=2").len(), 20);
    assert_eq!(names("?q=moutarde"), vec!["Moutarde de Dijon à l'ancienne"]);
    let cave: i64 = categories::table
        .filter(categories::slug.eq("cave"))
        .select(categories::id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(names(&format!("?category={cave}")).len(), 10);
    let cheapest = names("?sort=price");
    assert_eq!(cheapest[0], "Gazette des marchés de Provence");
    assert_eq!(
        names("?sort=-price")[0],
        "Housse de couette en lin 240 × 220 cm"
    );
    assert!(names("?low=0").iter().all(|n| !n.is_empty()));
    assert_eq!(names("?low=0").len(), 8, "the sold-out products");
    diesel::update(products::table.filter(products::slug.eq("bol-a-cafe-au-lait")))
        .set(products::active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(names("?active=no"), vec!["Bol à café au lait"]);
    assert_eq!(
        staff
            .get("/admin/products?category=abc&low=x&sort=zzz")
            .status,
        Status::Ok
    );
}

#[test]
fn categories_are_created_renamed_reordered_and_deleted_when_empty() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let created = staff.submit(
        "/admin/categories",
        &[("name", "Fromages affinés"), ("slug", "")],
    );
    assert_eq!(created.status, Status::SeeOther);
    let (id, slug, position): (i64, String, i32) = categories::table
        .filter(categories::name.eq("Fromages affinés"))
        .select((categories::id, categories::slug, categories::position))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(slug, "fromages-affines");
    assert_eq!(position, 7, "added last");
    staff.submit(&format!("/admin/categories/{id}/up"), &[]);
    let order: Vec<String> = staff.get("/").texts(".categories strong");
    assert_eq!(order[6], "Fromages affinés", "moved above the last one");
    staff.submit(
        &format!("/admin/categories/{id}"),
        &[
            ("name", "Fromagerie"),
            ("slug", "fromagerie"),
            ("description", ""),
        ],
    );
    assert_eq!(
        app.browser().get("/categories/fromagerie").status,
        Status::Ok
    );
    // A taken slug is refused with a message.
    let dup = staff.submit(
        &format!("/admin/categories/{id}"),
        &[("name", "X"), ("slug", "cave")],
    );
    assert_eq!(dup.status, Status::SeeOther);
    assert!(staff
        .get("/admin/categories")
        .body
        .contains("déjà utilisée"));
    // A department with products cannot be deleted; an empty one can.
    let cave: i64 = categories::table
        .filter(categories::slug.eq("cave"))
        .select(categories::id)
        .first(&mut app.conn())
        .unwrap();
    staff.submit(&format!("/admin/categories/{cave}/delete"), &[]);
    assert_eq!(app.count("categories"), 8);
    staff.submit(&format!("/admin/categories/{id}/delete"), &[]);
    assert_eq!(app.count("categories"), 7);
    assert_eq!(
        audit_actions(&app),
        vec![
            "category.create",
            "category.move_up",
            "category.update",
            "category.delete"
        ]
    );
}

#[test]
fn customers_cannot_touch_the_catalogue() {
    let app = TestApp::spawn();
    let customer = app.login_as(Role::Customer);
    let id = app.product_id("fleur-de-sel-de-guerande-250-g");
    for path in [
        "/admin/products",
        "/admin/products/new",
        "/admin/categories",
        "/admin/stock/low",
    ] {
        assert_eq!(customer.get(path).status, Status::Forbidden, "{path}");
    }
    let r = customer.submit(
        &format!("/admin/products/{id}/stock"),
        &[("delta", "5"), ("reason", "x")],
    );
    assert_eq!(r.status, Status::Forbidden);
    let r = customer.submit("/admin/categories", &[("name", "Pirate")]);
    assert_eq!(r.status, Status::Forbidden);
    assert_eq!(app.stock("fleur-de-sel-de-guerande-250-g"), 3);
    assert_eq!(app.count("categories"), 7);
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(width, height)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn product_pictures_are_uploaded_checked_and_served() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let id = app.product_id("moutarde-de-dijon-a-l-ancienne");
    let url = format!("/admin/products/{id}/images");
    let ok = staff.upload(
        &url,
        &[("alt", "Le pot")],
        "pot.png",
        "image/png",
        &png(1000, 800),
    );
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let second = staff.upload(
        &url,
        &[("alt", "Le couvercle")],
        "b.png",
        "image/png",
        &png(300, 300),
    );
    assert_eq!(second.status, Status::SeeOther);

    // A program renamed .jpg, and a declared image that is not one, are refused.
    let fake = staff.upload(
        &url,
        &[],
        "photo.jpg",
        "image/jpeg",
        b"MZ\x90\x00\x03 this is a program",
    );
    assert_eq!(fake.status, Status::SeeOther);
    let html = staff.upload(
        &url,
        &[],
        "photo.png",
        "image/png",
        b"<script>alert(1)</script>",
    );
    assert_eq!(html.status, Status::SeeOther);
    assert!(staff
        .get(&format!("/admin/products/{id}"))
        .body
        .contains("pas une image"));
    // Over the size limit: refused before anything is stored.
    let huge = vec![0u8; 6 * 1024 * 1024];
    let big = staff.upload(&url, &[], "big.jpg", "image/jpeg", &huge);
    assert_eq!(big.status, Status::PayloadTooLarge);
    assert_eq!(app.count("product_images"), 2);
    // Without this visitor's token: forbidden.
    let anonymous_token = app.browser().csrf();
    let forged = staff.upload_with_token(
        &anonymous_token,
        &url,
        &[],
        "x.png",
        "image/png",
        &png(10, 10),
    );
    assert_eq!(forged.status, Status::Forbidden);
    assert_eq!(app.count("product_images"), 2);

    // The shop shows them, in order, with long cache headers.
    let page = app
        .browser()
        .get("/products/moutarde-de-dijon-a-l-ancienne");
    let srcs: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse(".gallery img").unwrap())
        .map(|e| e.value().attr("src").unwrap().to_string())
        .collect();
    assert_eq!(srcs.len(), 2);
    let picture = app.browser().get(&srcs[0]);
    assert_eq!(picture.status, Status::Ok);
    assert_eq!(picture.header("Content-Type"), Some("image/png"));
    assert!(picture
        .header("Cache-Control")
        .unwrap()
        .contains("max-age=31536000"));
    let (status, kind, thumb) = app
        .browser()
        .get_bytes(&srcs[0].replace("/media/", "/media/thumbs/"));
    assert_eq!((status, kind.as_deref()), (Status::Ok, Some("image/png")));
    assert!(image::load_from_memory(&thumb).unwrap().width() <= 480);
    assert_eq!(
        app.browser().get("/media/..%2Fshop_secret").status,
        Status::NotFound
    );
    let card = app.browser().get("/search?q=moutarde");
    assert!(
        card.body.contains("/media/thumbs/"),
        "listings use the thumbnail"
    );

    // Reorder, then delete.
    let ids: Vec<i64> = comptoir::db::schema::product_images::table
        .order(comptoir::db::schema::product_images::position)
        .select(comptoir::db::schema::product_images::id)
        .load(&mut app.conn())
        .unwrap();
    staff.submit(&format!("/admin/products/{id}/images/{}/up", ids[1]), &[]);
    let after: Vec<i64> = comptoir::db::schema::product_images::table
        .order(comptoir::db::schema::product_images::position)
        .select(comptoir::db::schema::product_images::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(after, vec![ids[1], ids[0]]);
    staff.submit(
        &format!("/admin/products/{id}/images/{}/delete", ids[0]),
        &[],
    );
    assert_eq!(app.count("product_images"), 1);
    let gone = srcs
        .iter()
        .find(|s| !s.contains(&after_first_name(&app)))
        .unwrap();
    assert_eq!(app.browser().get(gone).status, Status::NotFound);
    // Pictures live in the database (every instance sees them): nothing on this disk.
    assert!(!app.db.data_dir().join("media").exists());
    let actions = audit_actions(&app);
    assert!(actions.contains(&"product.image_add".to_string()));
    assert!(actions.contains(&"product.image_delete".to_string()));
}

fn after_first_name(app: &TestApp) -> String {
    comptoir::db::schema::product_images::table
        .select(comptoir::db::schema::product_images::file_name)
        .first(&mut app.conn())
        .unwrap()
}

#[test]
fn pictures_an_earlier_version_kept_on_disk_are_read_into_the_database() {
    use comptoir::db::schema::product_images as pi;
    let app = TestApp::spawn();
    let id = app.product_id("moutarde-de-dijon-a-l-ancienne");
    let media = app.db.data_dir().join("media");
    std::fs::create_dir_all(media.join("thumbs")).unwrap();
    std::fs::write(media.join("legacy01.png"), b"\x89PNG original").unwrap();
    std::fs::write(media.join("thumbs/legacy01.png"), b"\x89PNG thumb").unwrap();
    for name in ["legacy01.png", "missing01.png"] {
        diesel::insert_into(pi::table)
            .values((
                pi::product_id.eq(id),
                pi::file_name.eq(name),
                pi::content_type.eq("image/png"),
                pi::alt.eq(""),
                pi::width.eq(1),
                pi::height.eq(1),
                pi::position.eq(0),
                pi::created_at.eq(comptoir::db::now()),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    let adopted =
        comptoir::catalog::images::adopt_files(&mut app.conn(), &app.db.data_dir()).unwrap();
    assert_eq!(adopted, 1, "the missing file is logged and skipped");
    let (status, _, bytes) = app.browser().get_bytes("/media/legacy01.png");
    assert_eq!(
        (status, bytes.as_slice()),
        (Status::Ok, &b"\x89PNG original"[..])
    );
    let (_, _, thumb) = app.browser().get_bytes("/media/thumbs/legacy01.png");
    assert_eq!(thumb, b"\x89PNG thumb");
    assert_eq!(
        app.browser().get("/media/missing01.png").status,
        Status::NotFound
    );
    // Once read in, a second start reads nothing again.
    assert_eq!(
        comptoir::catalog::images::adopt_files(&mut app.conn(), &app.db.data_dir()).unwrap(),
        0
    );
}

#[test]
fn products_round_trip_through_csv_with_a_dry_run() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let export = staff.get("/admin/products.csv");
    assert_eq!(export.status, Status::Ok);
    assert_eq!(
        export.header("Content-Type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(export
        .header("Content-Disposition")
        .unwrap()
        .contains("products.csv"));
    let mut reader = csv::Reader::from_reader(export.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // A row a variant: 70 products, the apron in two sizes.
    assert_eq!(rows.len(), 71);
    let mustard = rows
        .iter()
        .find(|r| &r[0] == "moutarde-de-dijon-a-l-ancienne")
        .unwrap();
    assert_eq!(
        (&mustard[3], &mustard[4], &mustard[5]),
        ("4.50", "5.5", "24")
    );

    // Re-importing the export unchanged is all updates, and changes nothing.
    let same = staff.upload(
        "/admin/products/import",
        &[],
        "products.csv",
        "text/csv",
        export.body.as_bytes(),
    );
    assert_eq!(same.status, Status::Ok, "{}", same.body);
    assert!(same
        .body
        .contains("0 à créer, 70 à mettre à jour, 0 ligne(s) en erreur"));

    // A file with errors: every bad row is reported and nothing can be applied.
    let bad = "slug,name,category,price,vat_rate,stock,active\n\
               ,Confiture de cerises,epicerie-fine,6.20,5.5,10,true\n\
               x,Sans prix,epicerie-fine,,5.5,1,true\n\
               y,Mauvaise TVA,epicerie-fine,3,19,1,true\n\
               z,Rayon inconnu,nulle-part,3,20,1,true\n\
               w,Stock négatif,cave,3,20,-4,true\n";
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "bad.csv",
        "text/csv",
        bad.as_bytes(),
    );
    assert_eq!(preview.status, Status::UnprocessableEntity);
    let errors = preview.texts(".row-errors");
    assert_eq!(
        errors,
        vec![
            "prix invalide",
            "taux de TVA invalide",
            "rayon inconnu",
            "stock invalide"
        ]
    );
    assert!(
        preview.attr("input[name=upload]", "value").is_none(),
        "no apply button"
    );
    assert_eq!(app.count("products"), 70);

    // A good file: previewed, nothing written yet, then applied in one go.
    let good = "slug,name,category,price,vat_rate,stock,active,featured,description\n\
                ,Confiture de cerises,epicerie-fine,\"6,20\",5.5,10,true,false,Cerises de Céret\n\
                moutarde-de-dijon-a-l-ancienne,Moutarde de Dijon à l'ancienne,epicerie-fine,4.80,5.5,30,true,false,Nouveau prix\n";
    let preview = staff.upload(
        "/admin/products/import",
        &[],
        "good.csv",
        "text/csv",
        good.as_bytes(),
    );
    assert_eq!(preview.status, Status::Ok, "{}", preview.body);
    assert!(preview
        .body
        .contains("1 à créer, 1 à mettre à jour, 0 ligne(s) en erreur"));
    assert_eq!(app.count("products"), 70, "the dry run writes nothing");
    let upload = preview.attr("input[name=upload]", "value").unwrap();
    let applied = staff.submit(
        "/admin/products/import/apply",
        &[("upload", upload.as_str())],
    );
    assert_eq!(applied.status, Status::SeeOther);
    assert_eq!(app.count("products"), 71);
    assert_eq!(app.stock("moutarde-de-dijon-a-l-ancienne"), 30);
    let price: i64 = products::table
        .filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne"))
        .select(products::price_cents)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(price, 480);
    assert_eq!(
        app.browser().get("/products/confiture-de-cerises").status,
        Status::Ok
    );
    let reason: String = stock_movements::table
        .filter(stock_movements::delta.eq(6))
        .select(stock_movements::reason)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(reason, "CSV import");
    // The same upload cannot be applied twice.
    staff.submit(
        "/admin/products/import/apply",
        &[("upload", upload.as_str())],
    );
    assert_eq!(app.count("products"), 71);
    // Orders export.
    let orders = staff.get("/admin/orders.csv");
    assert_eq!(orders.status, Status::Ok);
    assert!(orders.body.starts_with("number,created_at,email,status"));
    let customer = app.login_as(Role::Customer);
    assert_eq!(customer.get("/admin/orders.csv").status, Status::Forbidden);
    assert_eq!(
        customer.get("/admin/products.csv").status,
        Status::Forbidden
    );
}

#[test]
fn bulk_edits_are_previewed_then_applied_and_audited() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Staff);
    let a = app.product_id("moutarde-de-dijon-a-l-ancienne").to_string();
    let b = app.product_id("fleur-de-sel-de-guerande-250-g").to_string();
    let fields = [
        ("ids", a.as_str()),
        ("ids", b.as_str()),
        ("field", "price"),
        ("value", "9,99"),
    ];
    let preview = staff.submit("/admin/products/bulk", &fields);
    assert_eq!(preview.status, Status::Ok, "{}", preview.body);
    assert_eq!(
        preview.texts(".bulk-preview td.after"),
        vec!["9,99", "9,99"]
    );
    assert_eq!(
        preview.texts(".bulk-preview td.before"),
        vec!["6,90", "4,50"]
    );
    let unchanged: i64 = products::table
        .filter(products::slug.eq("moutarde-de-dijon-a-l-ancienne"))
        .select(products::price_cents)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(unchanged, 450, "the preview writes nothing");
    let applied = staff.submit("/admin/products/bulk/apply", &fields);
    assert_eq!(applied.status, Status::SeeOther);
    let prices: Vec<i64> = products::table
        .filter(products::price_cents.eq(999))
        .select(products::price_cents)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(prices.len(), 2);
    assert_eq!(
        audit_actions(&app),
        vec!["product.bulk_price", "product.bulk_price"]
    );

    // Stock goes through adjustments (recorded in the history); hiding hides.
    staff.submit(
        "/admin/products/bulk/apply",
        &[("ids", a.as_str()), ("field", "stock"), ("value", "5")],
    );
    assert_eq!(app.stock("moutarde-de-dijon-a-l-ancienne"), 5);
    staff.submit(
        "/admin/products/bulk/apply",
        &[("ids", a.as_str()), ("field", "active"), ("value", "false")],
    );
    assert_eq!(
        app.browser()
            .get("/products/moutarde-de-dijon-a-l-ancienne")
            .status,
        Status::NotFound
    );
    // Bad values and empty selections change nothing.
    for bad in [
        vec![("ids", a.as_str()), ("field", "price"), ("value", "-4")],
        vec![("field", "price"), ("value", "4")],
        vec![
            ("ids", a.as_str()),
            ("field", "category"),
            ("value", "999999"),
        ],
        vec![("ids", a.as_str()), ("field", "slug"), ("value", "x")],
    ] {
        let r = staff.submit("/admin/products/bulk/apply", &bad);
        assert!(
            r.status == Status::SeeOther || r.status == Status::UnprocessableEntity,
            "{:?}",
            r.status
        );
    }
    assert_eq!(
        app.count("audit_log"),
        4,
        "two prices, one stock adjustment, one hide"
    );
}
