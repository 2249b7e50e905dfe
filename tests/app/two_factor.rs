//! Stronger staff accounts: TOTP set up from a QR code, codes at login (each usable once),
//! recovery codes, the shop-wide requirement, and the password asked again before
//! sensitive actions.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::accounts::two_factor::unix_now;
use comptoir::auth::totp::current_code;
use comptoir::auth::Role;
use comptoir::db::schema::{sessions, users};

use crate::helpers::{Browser, TestApp, PASSWORD};

fn login<'a>(app: &'a TestApp, email: &str) -> (Browser<'a>, crate::helpers::Page) {
    let b = app.browser();
    let page = b.submit(
        "/login",
        &[("email", email), ("password", PASSWORD), ("next", "/admin")],
    );
    (b, page)
}

/// Sets up TOTP for a signed-in browser; returns the secret, the recovery codes and the code
/// that turned it on.
fn enable(b: &Browser<'_>) -> (String, Vec<String>, String) {
    let page = b.get("/account/2fa");
    assert_eq!(page.status, Status::Ok);
    assert!(page
        .html()
        .select(&scraper::Selector::parse(".qr svg").unwrap())
        .next()
        .is_some());
    let secret = page.texts("code.totp-secret").join("");
    let sig = page.attr("input[name=sig]", "value").unwrap();
    let wrong = b.submit(
        "/account/2fa/enable",
        &[("secret", &secret), ("sig", &sig), ("code", "000000")],
    );
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    // A secret of one's own choosing, with the signature of another, is refused.
    let forged = b.submit(
        "/account/2fa/enable",
        &[
            ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            ("sig", &sig),
            ("code", "000000"),
        ],
    );
    assert_eq!(forged.status, Status::Forbidden);
    let code = current_code(&secret, unix_now()).unwrap();
    let done = b.submit(
        "/account/2fa/enable",
        &[("secret", &secret), ("sig", &sig), ("code", &code)],
    );
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let codes = done.texts("ul.recovery-codes code");
    assert_eq!(codes.len(), 10);
    (secret, codes, code)
}

#[test]
fn staff_log_in_with_a_code_from_their_app_each_code_once() {
    let app = TestApp::spawn();
    app.create_user("lea@comptoir.test", Role::Staff);
    let (b, _) = login(&app, "lea@comptoir.test");
    let (secret, recovery, used) = enable(&b);
    let stored: Option<String> = users::table
        .select(users::totp_secret)
        .first(&mut app.conn())
        .unwrap();
    let stored = stored.expect("a secret stored");
    assert!(
        !stored.contains(&secret),
        "stored sealed, not as the app has it"
    );
    assert_eq!(app.count("recovery_codes"), 10);
    let hashes: Vec<String> = comptoir::db::schema::recovery_codes::table
        .select(comptoir::db::schema::recovery_codes::code_hash)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        hashes
            .iter()
            .all(|h| !recovery.iter().any(|c| h.contains(&c[..5]))),
        "stored hashed"
    );

    // The password alone opens nothing.
    let (b, page) = login(&app, "lea@comptoir.test");
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location.as_deref(), Some("/login/2fa?next=%2Fadmin"));
    assert_eq!(
        b.get("/admin").status,
        Status::SeeOther,
        "not signed in yet"
    );
    assert_eq!(b.get("/login/2fa?next=/admin").status, Status::Ok);
    // The code used to turn it on cannot be used again.
    let replay = b.submit("/login/2fa", &[("code", &used), ("next", "/admin")]);
    assert_eq!(replay.status, Status::UnprocessableEntity);
    // The next window's code works (clock drift allowance), once.
    let next = current_code(&secret, unix_now() + 30).unwrap();
    let ok = b.submit("/login/2fa", &[("code", &next), ("next", "/admin")]);
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(ok.location.as_deref(), Some("/admin"));
    assert_eq!(b.get("/admin").status, Status::Ok);

    // A recovery code works once.
    let (c, _) = login(&app, "lea@comptoir.test");
    assert_eq!(
        c.submit("/login/2fa", &[("code", &recovery[0].to_uppercase())])
            .status,
        Status::SeeOther
    );
    let (d, _) = login(&app, "lea@comptoir.test");
    assert_eq!(
        d.submit("/login/2fa", &[("code", &recovery[0])]).status,
        Status::UnprocessableEntity
    );
    assert_eq!(d.get("/admin").status, Status::SeeOther);

    // Wrong codes count as failed logins: the throttle ends the half-open session.
    for _ in 0..6 {
        d.submit("/login/2fa", &[("code", "123456")]);
    }
    let locked = d.submit("/login/2fa", &[("code", &recovery[1])]);
    assert_eq!(locked.location.as_deref(), Some("/login"));
    assert_eq!(d.get("/admin").status, Status::SeeOther);
}

#[test]
fn the_shop_can_require_two_factor_authentication_for_staff() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let page = admin.get("/admin/settings");
    let mut fields: Vec<(String, String)> = [
        "shop_name",
        "shop_email",
        "shipping_standard",
        "shipping_express",
        "shipping_corsica_extra",
        "shipping_overseas_extra",
        "unpaid_cancel_days",
        "bank_iban",
        "bank_bic",
        "shop_legal_name",
        "shop_address",
        "shop_siret",
        "shop_vat_number",
    ]
    .iter()
    .map(|k| {
        (
            k.to_string(),
            page.attr(&format!("input[name={k}]"), "value")
                .unwrap_or_default(),
        )
    })
    .collect();
    fields.push(("require_staff_2fa".into(), "true".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Not before the admin has it: they would lock themselves out.
    let refused = admin.submit("/admin/settings", &refs);
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert_eq!(refused.texts("#e-require_staff_2fa").len(), 1);
    enable(&admin);
    let saved = admin.submit("/admin/settings", &refs);
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(admin.get("/admin/orders").status, Status::Ok);

    let staff = app.login_as(Role::Staff);
    let refused = staff.get("/admin/orders");
    assert_eq!(refused.status, Status::Forbidden);
    assert_eq!(
        refused.attr("p.second-factor a", "href").as_deref(),
        Some("/account/2fa")
    );
    // The storefront and the set-up page stay open to them.
    assert_eq!(staff.get("/").status, Status::Ok);
    enable(&staff);
    assert_eq!(staff.get("/admin/orders").status, Status::Ok);
    // Customers are not concerned.
    let customer = app.login_as(Role::Customer);
    assert_eq!(customer.get("/account").status, Status::Ok);
}

#[test]
fn sensitive_actions_ask_for_the_password_again() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let staff_id = app.create_user("sam@comptoir.test", Role::Staff);
    // Fresh from the login: allowed.
    assert_eq!(admin.get("/admin/orders.csv").status, Status::Ok);
    // An hour later: the password first.
    let stale = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
    diesel::update(sessions::table)
        .set(sessions::reauth_at.eq(Some(stale)))
        .execute(&mut app.conn())
        .unwrap();
    let export = admin.get("/admin/orders.csv");
    assert_eq!(export.status, Status::SeeOther);
    assert_eq!(
        export.location.as_deref(),
        Some("/account/confirm?next=%2Fadmin%2Forders.csv")
    );
    let role = admin.submit(
        &format!("/admin/staff/{staff_id}/role"),
        &[("role", "admin")],
    );
    assert_eq!(role.status, Status::SeeOther);
    assert!(role.location.unwrap().starts_with("/account/confirm"));
    let still: String = users::table
        .find(staff_id)
        .select(users::role)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(still, "staff", "nothing changed");
    for (path, fields) in [
        ("/admin/settings", vec![("shop_name", "x")]),
        ("/admin/staff", vec![("email", "new@comptoir.test")]),
        (
            &*format!("/admin/staff/{staff_id}/disabled"),
            vec![("disabled", "true")],
        ),
    ] {
        let r = admin.submit(path, &fields);
        assert!(
            r.location
                .as_deref()
                .unwrap_or("")
                .starts_with("/account/confirm"),
            "{path}: {} {:?}",
            r.status,
            r.location
        );
    }
    assert_eq!(admin.get("/admin/products.csv").status, Status::SeeOther);

    let wrong = admin.submit(
        "/account/confirm",
        &[
            ("current_password", "not it"),
            ("next", "/admin/orders.csv"),
        ],
    );
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    assert_eq!(wrong.texts("#e-current_password").len(), 1);
    let ok = admin.submit(
        "/account/confirm",
        &[
            ("current_password", PASSWORD),
            ("next", "/admin/orders.csv"),
        ],
    );
    assert_eq!(ok.status, Status::SeeOther);
    assert_eq!(ok.location.as_deref(), Some("/admin/orders.csv"));
    assert_eq!(admin.get("/admin/orders.csv").status, Status::Ok);
    let role = admin.submit(
        &format!("/admin/staff/{staff_id}/role"),
        &[("role", "admin")],
    );
    assert_eq!(role.location.as_deref(), Some("/admin/staff"));
}

#[test]
fn a_refund_asks_for_the_password_again() {
    use comptoir::db::schema::orders;
    let app = TestApp::spawn();
    let b = app.browser();
    crate::orders::add(&app, &b, "moutarde-de-dijon-a-l-ancienne", 1);
    crate::orders::checkout(&b, &crate::helpers::address("refund@example.fr"));
    let number: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    let staff = app.login_as(Role::Staff);
    let step = |s: &str| staff.submit(&format!("/admin/orders/{number}/step"), &[("step", s)]);
    step("mark_paid");
    let stale = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
    diesel::update(sessions::table)
        .set(sessions::reauth_at.eq(Some(stale)))
        .execute(&mut app.conn())
        .unwrap();
    let refused = step("refund");
    assert!(refused.location.unwrap().starts_with("/account/confirm"));
    let status: String = orders::table
        .select(orders::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "paid");
    staff.submit(
        "/account/confirm",
        &[("current_password", PASSWORD), ("next", "/admin")],
    );
    assert_eq!(
        step("refund").location.as_deref(),
        Some(format!("/admin/orders/{number}").as_str())
    );
    let status: String = orders::table
        .select(orders::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "refunded");
}

#[test]
fn an_admin_resets_the_two_factor_of_a_staff_member_who_lost_everything() {
    let app = TestApp::spawn();
    let id = app.create_user("lost@comptoir.test", Role::Staff);
    let (b, _) = login(&app, "lost@comptoir.test");
    enable(&b);
    let admin = app.login_as(Role::Admin);
    let list = admin.get("/admin/staff");
    let action = format!("/admin/staff/{id}/2fa/reset");
    assert_eq!(
        list.attr(&format!("form[action='{action}']"), "method")
            .as_deref(),
        Some("post")
    );
    // Staff cannot do it for each other.
    let other = app.login_as(Role::Staff);
    assert_eq!(other.submit(&action, &[]).status, Status::Forbidden);
    let done = admin.submit(&action, &[]);
    assert_eq!(done.status, Status::SeeOther);
    let (secret, enabled): (Option<String>, Option<chrono::NaiveDateTime>) = users::table
        .find(id)
        .select((users::totp_secret, users::totp_enabled_at))
        .first(&mut app.conn())
        .unwrap();
    assert!(secret.is_none() && enabled.is_none());
    assert_eq!(app.count("recovery_codes"), 0);
    assert_eq!(
        b.get("/admin").status,
        Status::SeeOther,
        "their sessions ended"
    );
    // They sign in with the password alone again.
    let (_, page) = login(&app, "lost@comptoir.test");
    assert_eq!(page.location.as_deref(), Some("/admin"));
}
