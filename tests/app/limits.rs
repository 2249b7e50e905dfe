//! Limits: each form has a body cap, overlong fields come back as 422 with a message and the
//! typed values, list parameters are bounded whatever they say.

use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{address, as_refs, encode, TestApp};
use crate::orders::add;

#[test]
fn each_form_has_its_own_body_limit() {
    let app = TestApp::spawn();
    let b = app.browser();
    let token = b.csrf();
    // 8 KiB is far too much for a login (4 KiB)…
    let padding = "x".repeat(8 * 1024);
    let login = b.post_raw(
        "/login",
        &encode(&[
            ("_csrf", &token),
            ("email", "a@b.fr"),
            ("password", &padding),
        ]),
    );
    assert_eq!(login.status, Status::PayloadTooLarge);
    assert!(
        login.body.contains("<h1"),
        "an error page, not a bare status"
    );
    // …and over the default for other forms (16 KiB)…
    let big = "y".repeat(20 * 1024);
    let register = b.post_raw(
        "/register",
        &encode(&[
            ("_csrf", &token),
            ("email", "a@b.fr"),
            ("display_name", &big),
        ]),
    );
    assert_eq!(register.status, Status::PayloadTooLarge);
    assert_eq!(app.count("users"), 0);
    // …while a product's long description (5,000 accented characters) fits its 64 KiB.
    let staff = app.login_as(Role::Staff);
    let description = "é".repeat(5000);
    let created = staff.submit(
        "/admin/products",
        &[
            ("name", "Long texte"),
            ("description", &description),
            ("price", "3,50"),
            ("vat_rate", "550"),
            ("stock", "1"),
            ("active", "true"),
        ],
    );
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
}

#[test]
fn overlong_fields_come_back_with_a_message_and_what_was_typed() {
    let app = TestApp::spawn();
    let long = "L".repeat(300);
    // Registration: the name has 100 characters at most.
    let b = app.browser();
    let page = b.submit(
        "/register",
        &[
            ("email", "long@example.fr"),
            ("display_name", &long),
            ("password", "a long enough passphrase"),
            ("password_confirm", "a long enough passphrase"),
        ],
    );
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-display_name").len(), 1);
    assert_eq!(
        page.attr("#f-email", "value").as_deref(),
        Some("long@example.fr")
    );

    // Checkout: the name on the parcel.
    add(&app, &b, "moutarde-de-dijon-a-l-ancienne", 1);
    let mut fields = address("long@example.fr");
    fields.retain(|(k, _)| *k != "full_name");
    fields.push(("full_name", long.clone()));
    let page = b.submit("/checkout", &as_refs(&fields));
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-full_name").len(), 1);
    assert_eq!(page.attr("#f-city", "value").as_deref(), Some("Lyon"));

    // Back-office: a product's name, a category's name, a stock reason, the shop's name.
    let admin = app.login_as(Role::Admin);
    let page = admin.submit(
        "/admin/products",
        &[
            ("name", &long),
            ("price", "1"),
            ("vat_rate", "2000"),
            ("stock", "1"),
        ],
    );
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-name").len(), 1);
    let categories = app.count("categories");
    admin.submit("/admin/categories", &[("name", &long)]);
    assert_eq!(
        app.count("categories"),
        categories,
        "a 300-character category name is refused"
    );
    let id = app.product_id("moutarde-de-dijon-a-l-ancienne");
    let stock = app.stock("moutarde-de-dijon-a-l-ancienne");
    let reason = "r".repeat(1000);
    admin.submit(
        &format!("/admin/products/{id}/stock"),
        &[("delta", "1"), ("reason", &reason)],
    );
    assert_eq!(
        app.stock("moutarde-de-dijon-a-l-ancienne"),
        stock,
        "a 1,000-character reason is refused"
    );
    let page = admin.submit("/admin/settings", &[("shop_name", &long)]);
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("#e-shop_name").len(), 1);
}

#[test]
fn list_parameters_are_bounded() {
    let app = TestApp::spawn();
    let b = app.browser();
    let staff = app.login_as(Role::Staff);
    let huge_q = "q".repeat(5000);
    for path in [
        "/search?q=moutarde&page=99999999999999999999".to_string(),
        "/search?q=moutarde&page=-3".to_string(),
        "/search?q=moutarde&page=abc".to_string(),
        format!("/search?q={huge_q}"),
        "/categories/epicerie-fine?page=1000000".to_string(),
    ] {
        let page = b.get(&path);
        assert!(
            // A page past the end redirects to the last one.
            page.status == Status::Ok
                || page.status == Status::NotFound
                || page.status == Status::SeeOther,
            "{path}: {}",
            page.status
        );
    }
    for path in [
        "/admin/products?page=99999999999".to_string(),
        "/admin/orders?page=-1&from=not-a-date".to_string(),
        "/admin/customers?page=0".to_string(),
        "/admin/audit?page=18446744073709551616".to_string(),
        "/admin/stock/low?threshold=99999999999".to_string(),
        format!("/admin/products?q={huge_q}"),
    ] {
        let page = staff.get(&path);
        assert!(page.status.code < 500, "{path}: {}", page.status);
    }
}

#[test]
fn each_form_limit_names_exactly_one_form_route() {
    let app = TestApp::empty();
    for (path, _) in comptoir::app::FORM_LIMITS {
        let handlers: Vec<String> = app
            .client
            .rocket()
            .routes()
            .filter(|r| r.method == rocket::http::Method::Post && r.uri.path() == *path)
            .map(|r| format!("{} {}", r.method, r.uri))
            .collect();
        assert_eq!(handlers.len(), 1, "limit {path:?} applies to {handlers:?}");
    }
}
