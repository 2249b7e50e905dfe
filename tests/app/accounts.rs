//! Register, log in, log out, my account; sessions are server-side.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{TestApp, PASSWORD};

fn register<'a>(
    b: &crate::helpers::Browser<'a>,
    email: &str,
    password: &str,
) -> crate::helpers::Page {
    b.submit(
        "/register",
        &[
            ("email", email),
            ("display_name", "Ana Lefèvre"),
            ("password", password),
            ("password_confirm", password),
        ],
    )
}

#[test]
fn register_logs_in_and_stores_only_a_bcrypt_hash() {
    let app = TestApp::empty();
    let b = app.browser();
    let page = register(&b, "Ana@Example.fr", "a long enough passphrase");
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/account"));
    let account = b.get("/account");
    assert_eq!(account.status, Status::Ok);
    assert!(
        account.body.contains("ana@example.fr"),
        "email stored in lower case"
    );
    assert!(account.body.contains("Bienvenue"), "flash message shown");

    let (email, hash): (String, String) = comptoir::db::schema::users::table
        .select((
            comptoir::db::schema::users::email,
            comptoir::db::schema::users::password_hash,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(email, "ana@example.fr");
    assert!(
        hash.starts_with("$2b$04$"),
        "bcrypt at the test cost: {hash}"
    );
    assert!(!hash.contains("passphrase"));
    // The session row holds a hash of the cookie's token, never the token.
    let sid = b.cookie("sid").expect("session cookie");
    let token_hash: String = comptoir::db::schema::sessions::table
        .select(comptoir::db::schema::sessions::token_hash)
        .first(&mut app.conn())
        .unwrap();
    assert_ne!(token_hash, sid);
    assert_eq!(token_hash, comptoir::auth::hash_token(&sid));
}

#[test]
fn register_errors_are_shown_by_field_with_input_kept() {
    let app = TestApp::empty();
    let b = app.browser();
    let page = b.submit(
        "/register",
        &[
            ("email", "not-an-email"),
            ("display_name", "Zoé <b>"),
            ("password", "short"),
            ("password_confirm", "different"),
        ],
    );
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(
        page.attr("#f-email", "value").as_deref(),
        Some("not-an-email")
    );
    assert_eq!(
        page.attr("#f-display_name", "value").as_deref(),
        Some("Zoé <b>")
    );
    assert!(page.body.contains("Zoé &lt;b&gt;"), "input escaped");
    assert_eq!(
        page.attr("#f-password", "value"),
        None,
        "passwords never echoed"
    );
    assert_eq!(
        page.texts("#e-email"),
        vec!["Saisissez une adresse e-mail valide."]
    );
    assert_eq!(
        page.texts("#e-password"),
        vec!["Le mot de passe doit compter de 12 à 128 caractères."]
    );
    assert_eq!(page.texts("#e-password_confirm").len(), 1);
    assert_eq!(app.count("users"), 0, "nothing written");

    let same = register(&b, "same@example.fr", "same@example.fr");
    assert_eq!(same.status, Status::UnprocessableEntity);
    assert_eq!(
        same.texts("#e-password"),
        vec!["Le mot de passe ne doit pas être votre adresse e-mail."]
    );
    let too_long = "x".repeat(129);
    assert_eq!(
        register(&b, "long@example.fr", &too_long).status,
        Status::UnprocessableEntity
    );
    // 128 characters are accepted whole (the pre-hash keeps bcrypt from truncating).
    let longest = "y".repeat(128);
    assert_eq!(
        register(&b, "longest@example.fr", &longest).status,
        Status::SeeOther
    );
}

#[test]
fn an_email_registers_once_whatever_its_case() {
    let app = TestApp::empty();
    assert_eq!(
        register(&app.browser(), "zoe@example.fr", "a long enough passphrase").status,
        Status::SeeOther
    );
    let page = register(&app.browser(), "ZOE@example.FR", "another long passphrase");
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(
        page.texts("#e-email"),
        vec!["Cette adresse e-mail est déjà enregistrée."]
    );
    assert_eq!(
        page.attr("#f-email", "value").as_deref(),
        Some("ZOE@example.FR")
    );
    assert_eq!(app.count("users"), 1);
}

#[test]
fn login_checks_the_password_and_redirects_back() {
    let app = TestApp::empty();
    app.create_user("leo@example.fr", Role::Customer);
    let b = app.browser();
    let wrong = b.submit(
        "/login",
        &[
            ("email", "leo@example.fr"),
            ("password", "wrong password!!"),
        ],
    );
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    assert_eq!(
        wrong.attr("#f-email", "value").as_deref(),
        Some("leo@example.fr")
    );
    assert!(wrong
        .body
        .contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(b.cookie("sid").is_none());
    let unknown = b.submit(
        "/login",
        &[("email", "nobody@example.fr"), ("password", PASSWORD)],
    );
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert!(unknown
        .body
        .contains("Adresse e-mail ou mot de passe incorrect."));

    let ok = b.submit(
        "/login",
        &[
            ("email", "LEO@example.fr"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
    );
    assert_eq!(ok.status, Status::SeeOther);
    assert_eq!(ok.location.as_deref(), Some("/account"));
    assert_eq!(b.get("/account").status, Status::Ok);
}

#[test]
fn login_redirect_never_leaves_the_shop() {
    let app = TestApp::empty();
    app.create_user("leo@example.fr", Role::Customer);
    for next in [
        "//evil.test",
        "/\\evil.test",
        "javascript:alert(1)",
        "https://evil.test/",
    ] {
        let b = app.browser();
        let ok = b.submit(
            "/login",
            &[
                ("email", "leo@example.fr"),
                ("password", PASSWORD),
                ("next", next),
            ],
        );
        assert_eq!(ok.status, Status::SeeOther);
        assert_eq!(ok.location.as_deref(), Some("/"), "next={next}");
    }
}

#[test]
fn each_login_starts_a_fresh_session_and_logout_ends_it() {
    let app = TestApp::empty();
    app.create_user("mia@example.fr", Role::Customer);
    let b = app.browser();
    let login = || {
        b.submit(
            "/login",
            &[("email", "mia@example.fr"), ("password", PASSWORD)],
        )
    };
    assert_eq!(login().status, Status::SeeOther);
    let first = b.cookie("sid").unwrap();
    assert_eq!(login().status, Status::SeeOther);
    let second = b.cookie("sid").unwrap();
    assert_ne!(first, second, "a new token on every login");
    assert_eq!(app.count("sessions"), 1, "the previous session was ended");

    let out = b.submit("/logout", &[]);
    assert_eq!(out.status, Status::SeeOther);
    assert_eq!(app.count("sessions"), 0);
    assert!(b.cookie("sid").is_none(), "cookie removed");
    // The old token no longer works even if replayed.
    b.set_cookie("sid", &second);
    assert_eq!(b.get("/account").status, Status::SeeOther);
}

#[test]
fn expired_sessions_and_disabled_accounts_are_refused() {
    let app = TestApp::empty();
    let b = app.login_as(Role::Customer);
    assert_eq!(b.get("/account").status, Status::Ok);
    diesel::sql_query("UPDATE sessions SET expires_at = created_at")
        .execute(&mut app.conn())
        .unwrap();
    let page = b.get("/account");
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Faccount"));

    let c = app.login_as(Role::Customer);
    assert_eq!(c.get("/account").status, Status::Ok);
    diesel::sql_query("UPDATE users SET disabled_at = created_at")
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(c.get("/account").status, Status::SeeOther);
}

#[test]
fn session_cookie_flags() {
    let app = TestApp::empty();
    app.create_user("flag@example.fr", Role::Customer);
    let b = app.browser();
    let page = b.submit(
        "/login",
        &[("email", "flag@example.fr"), ("password", PASSWORD)],
    );
    let set_cookie = page
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Set-Cookie"))
        .map(|(_, v)| v.clone())
        .find(|v| v.starts_with("sid="))
        .expect("sid cookie set");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
}
