//! Register, log in, log out, my account; sessions are server-side.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;

use comptoir::db::schema::{email_outbox, sessions, users};

use crate::helpers::{link_token, TestApp, PASSWORD};

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
fn register_sends_a_verification_link_and_stores_only_a_bcrypt_hash() {
    let app = TestApp::empty();
    let b = app.browser();
    let page = register(&b, "Ana@Example.fr", "a long enough passphrase");
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    assert_eq!(page.texts("h1"), vec!["Consultez votre messagerie"]);
    assert!(
        b.cookie("sid").is_none(),
        "not signed in before the address is confirmed"
    );

    let (email, hash, verified): (String, String, Option<chrono::NaiveDateTime>) = users::table
        .select((users::email, users::password_hash, users::email_verified_at))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(email, "ana@example.fr", "stored in lower case");
    assert!(verified.is_none());
    assert!(
        hash.starts_with("$2b$04$"),
        "bcrypt at the test cost: {hash}"
    );
    assert!(!hash.contains("passphrase"));

    // The right password is not enough before the address is confirmed.
    let early = b.submit(
        "/login",
        &[
            ("email", "ana@example.fr"),
            ("password", "a long enough passphrase"),
        ],
    );
    assert_eq!(early.status, Status::UnprocessableEntity);
    assert_eq!(early.texts("#e-email").len(), 1);
    assert!(b.cookie("sid").is_none());

    let token = link_token(&app, "verify_email", "ana@example.fr");
    // Opening the link twice changes nothing (mail scanners follow links); the button does.
    for _ in 0..2 {
        let page = b.get(&format!("/account/verify?token={token}"));
        assert_eq!(page.status, Status::Ok);
        assert_eq!(
            page.attr("input[name=token]", "value").as_deref(),
            Some(token.as_str())
        );
    }
    let done = b.submit("/account/verify", &[("token", &token)]);
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/account"));
    let account = b.get("/account");
    assert_eq!(account.status, Status::Ok);
    assert!(account.body.contains("ana@example.fr"));
    // The session row holds a hash of the cookie's token, never the token.
    let sid = b.cookie("sid").expect("session cookie");
    let token_hash: String = sessions::table
        .select(sessions::token_hash)
        .first(&mut app.conn())
        .unwrap();
    assert_ne!(token_hash, sid);
    assert_eq!(token_hash, comptoir::auth::hash_token(&sid));
    // A link works once.
    let again = app
        .browser()
        .submit("/account/verify", &[("token", &token)]);
    assert_eq!(again.status, Status::UnprocessableEntity);
    assert_eq!(app.count("sessions"), 1);
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
        Status::Ok
    );
}

#[test]
fn registration_answers_the_same_whether_the_address_is_known_or_not() {
    let app = TestApp::empty();
    let first = register(&app.browser(), "zoe@example.fr", "a long enough passphrase");
    assert_eq!(first.status, Status::Ok);
    let again = register(&app.browser(), "ZOE@example.FR", "another long passphrase");
    assert_eq!(again.status, Status::Ok);
    assert_eq!(again.texts("main p.sent"), first.texts("main p.sent"));
    assert!(
        !again.body.contains("déjà"),
        "nothing says the address is known"
    );
    assert_eq!(
        app.count("users"),
        1,
        "one account per address, whatever its case"
    );
    // The owner of the address hears about it instead, by email.
    let kinds: Vec<(String, String)> = email_outbox::table
        .order(email_outbox::id)
        .select((email_outbox::kind, email_outbox::to_address))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        kinds,
        vec![
            ("verify_email".to_string(), "zoe@example.fr".to_string()),
            ("account_exists".to_string(), "zoe@example.fr".to_string()),
        ]
    );
}

#[test]
fn password_reset_answers_the_same_works_once_and_ends_every_session() {
    let app = TestApp::empty();
    app.create_user("leo@example.fr", Role::Customer);
    let signed_in = app.browser();
    let login = |b: &crate::helpers::Browser<'_>, password: &str| {
        b.submit(
            "/login",
            &[("email", "leo@example.fr"), ("password", password)],
        )
    };
    assert_eq!(login(&signed_in, PASSWORD).status, Status::SeeOther);
    // Lock the account with wrong passwords: the reset must still work.
    let attacker = app.browser();
    for _ in 0..6 {
        login(&attacker, "wrong password!!");
    }
    assert_eq!(login(&attacker, PASSWORD).status, Status::TooManyRequests);

    let b = app.browser();
    assert_eq!(b.get("/password/forgot").status, Status::Ok);
    let known = b.submit("/password/forgot", &[("email", "Leo@example.fr")]);
    let unknown = b.submit("/password/forgot", &[("email", "nobody@example.fr")]);
    assert_eq!(known.status, Status::Ok);
    assert_eq!(unknown.status, Status::Ok);
    assert_eq!(known.texts("main p.sent"), unknown.texts("main p.sent"));
    let token = link_token(&app, "password_reset", "leo@example.fr");
    assert_eq!(
        email_outbox::table
            .filter(email_outbox::kind.eq("password_reset"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        1,
        "no email for the unknown address"
    );

    let form = b.get(&format!("/password/reset?token={token}"));
    assert_eq!(form.status, Status::Ok);
    assert_eq!(
        form.attr("form[action='/password/reset']", "method")
            .as_deref(),
        Some("post")
    );
    let new_password = "a brand new passphrase";
    let mismatch = b.submit(
        "/password/reset",
        &[
            ("token", &token),
            ("password", new_password),
            ("password_confirm", "other"),
        ],
    );
    assert_eq!(mismatch.status, Status::UnprocessableEntity);
    let done = b.submit(
        "/password/reset",
        &[
            ("token", &token),
            ("password", new_password),
            ("password_confirm", new_password),
        ],
    );
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/login"));
    assert_eq!(
        signed_in.get("/account").status,
        Status::SeeOther,
        "other sessions ended"
    );
    assert_eq!(app.count("sessions"), 0);
    let reuse = b.submit(
        "/password/reset",
        &[
            ("token", &token),
            ("password", "yet another passphrase"),
            ("password_confirm", "yet another passphrase"),
        ],
    );
    assert_eq!(
        reuse.status,
        Status::UnprocessableEntity,
        "a link works once"
    );
    assert_eq!(
        login(&b, PASSWORD).status,
        Status::UnprocessableEntity,
        "old password gone"
    );
    assert_eq!(
        login(&b, new_password).status,
        Status::SeeOther,
        "lockout lifted by the reset"
    );
}

/// Two reset emails an hour to one address at most (`mail_limit_per_address`; the visitor's
/// limits are tested in `mail_limits`), the answer the same after.
#[test]
fn reset_emails_are_capped_per_hour() {
    let app = TestApp::empty();
    app.create_user("cap@example.fr", Role::Customer);
    let b = app.browser();
    for _ in 0..5 {
        assert_eq!(
            b.submit("/password/forgot", &[("email", "cap@example.fr")])
                .status,
            Status::Ok
        );
    }
    assert_eq!(app.count("email_outbox"), 2);
}

#[test]
fn changing_the_password_or_the_email_needs_the_current_password() {
    let app = TestApp::empty();
    app.create_user("eva@example.fr", Role::Customer);
    let login = || {
        let b = app.browser();
        b.submit(
            "/login",
            &[("email", "eva@example.fr"), ("password", PASSWORD)],
        );
        b
    };
    let (here, elsewhere) = (login(), login());
    let wrong = here.submit(
        "/account/password",
        &[
            ("current_password", "not my password"),
            ("password", "a fresh passphrase"),
            ("password_confirm", "a fresh passphrase"),
        ],
    );
    assert_eq!(wrong.status, Status::UnprocessableEntity);
    assert_eq!(wrong.texts("#e-current_password").len(), 1);
    let ok = here.submit(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("password", "a fresh passphrase"),
            ("password_confirm", "a fresh passphrase"),
        ],
    );
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    assert_eq!(
        here.get("/account").status,
        Status::Ok,
        "this session stays"
    );
    assert_eq!(
        elsewhere.get("/account").status,
        Status::SeeOther,
        "the others end"
    );

    let wrong = here.submit(
        "/account/email",
        &[("current_password", PASSWORD), ("email", "eva@new.example")],
    );
    assert_eq!(
        wrong.status,
        Status::UnprocessableEntity,
        "the old password no longer counts"
    );
    assert_eq!(
        wrong.attr("#f-email", "value").as_deref(),
        Some("eva@new.example")
    );
    let sent = here.submit(
        "/account/email",
        &[
            ("current_password", "a fresh passphrase"),
            ("email", "eva@new.example"),
        ],
    );
    assert_eq!(sent.status, Status::Ok);
    let still: String = users::table
        .select(users::email)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        still, "eva@example.fr",
        "unchanged until the new address is confirmed"
    );
    let token = link_token(&app, "confirm_new_email", "eva@new.example");
    let done = here.submit("/account/verify", &[("token", &token)]);
    assert_eq!(done.status, Status::SeeOther);
    let now: String = users::table
        .select(users::email)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(now, "eva@new.example");
}

#[test]
fn log_out_everywhere_ends_every_session() {
    let app = TestApp::empty();
    app.create_user("max@example.fr", Role::Customer);
    let browsers: Vec<_> = (0..3)
        .map(|_| {
            let b = app.browser();
            b.submit(
                "/login",
                &[("email", "max@example.fr"), ("password", PASSWORD)],
            );
            b
        })
        .collect();
    app.create_user("other@example.fr", Role::Customer);
    app.browser().submit(
        "/login",
        &[("email", "other@example.fr"), ("password", PASSWORD)],
    );
    assert_eq!(app.count("sessions"), 4);
    let out = browsers[0].submit("/account/sessions/end", &[]);
    assert_eq!(out.status, Status::SeeOther);
    for b in &browsers {
        assert_eq!(b.get("/account").status, Status::SeeOther);
    }
    assert_eq!(app.count("sessions"), 1, "someone else's session stays");
}

#[test]
fn an_idle_session_ends_later_for_a_customer_than_for_staff() {
    let app = TestApp::empty();
    let customer = app.login_as(Role::Customer);
    let staff = app.login_as(Role::Staff);
    assert_eq!(customer.get("/account").status, Status::Ok);
    assert_eq!(staff.get("/admin").status, Status::Ok);
    let idle = |minutes: i64| {
        let at = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
        diesel::update(sessions::table)
            .set(sessions::last_seen_at.eq(at))
            .execute(&mut app.conn())
            .unwrap();
    };
    // 90 minutes without a request: both still fine (staff's limit is two hours)…
    idle(90);
    assert_eq!(customer.get("/account").status, Status::Ok);
    assert_eq!(staff.get("/admin").status, Status::Ok);
    let seen: Vec<chrono::NaiveDateTime> = sessions::table
        .select(sessions::last_seen_at)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        seen.iter()
            .all(|s| chrono::Utc::now().naive_utc() - *s < chrono::Duration::minutes(1)),
        "using the session moves its idle clock"
    );
    // …three hours: staff are signed out; a customer who left a checkout open is not…
    idle(180);
    assert_eq!(customer.get("/account").status, Status::Ok);
    assert_ne!(staff.get("/admin").status, Status::Ok);
    // …until eight hours have passed.
    idle(9 * 60);
    assert_eq!(customer.get("/account").status, Status::SeeOther);
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

#[test]
fn a_customer_downloads_their_data_and_erases_their_account_keeping_anonymised_orders() {
    use comptoir::db::schema::orders;
    let app = TestApp::spawn();
    app.create_user("gdpr@example.fr", Role::Customer);
    let b = app.browser();
    b.submit(
        "/login",
        &[("email", "gdpr@example.fr"), ("password", PASSWORD)],
    );
    crate::orders::add(&app, &b, "moutarde-de-dijon-a-l-ancienne", 2);
    let placed = crate::orders::checkout(&b, &crate::helpers::address("gdpr@example.fr"));
    assert_eq!(placed.status, Status::SeeOther);
    let (number, total): (String, i64) = orders::table
        .select((orders::number, orders::total_cents))
        .first(&mut app.conn())
        .unwrap();
    // An earlier-style guest order with the same address is theirs too.
    let guest = app.browser();
    crate::orders::add(&app, &guest, "moutarde-de-dijon-a-l-ancienne", 1);
    let placed = crate::orders::checkout(&guest, &crate::helpers::address("gdpr@example.fr"));
    assert_eq!(placed.status, Status::SeeOther);

    // A back-in-stock alert asked signed in, one asked as a visitor with the same address.
    app.set_stock("fleur-de-sel-de-guerande-250-g", 0);
    let asked = b.submit("/products/fleur-de-sel-de-guerande-250-g/alert", &[]);
    assert_eq!(asked.status, Status::SeeOther);
    app.set_stock("confiture-de-figues-violettes", 0);
    let asked = guest.submit(
        "/products/confiture-de-figues-violettes/alert",
        &[("email", "gdpr@example.fr")],
    );
    assert_eq!(asked.status, Status::SeeOther);

    let data = b.get("/account/data");
    assert_eq!(data.status, Status::Ok);
    assert!(data
        .header("Content-Type")
        .unwrap()
        .starts_with("application/json"));
    assert!(data
        .header("Content-Disposition")
        .unwrap()
        .starts_with("attachment"));
    let json: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(json["account"]["email"], "gdpr@example.fr");
    assert_eq!(json["orders"][0]["order"]["number"], number.as_str());
    assert_eq!(json["orders"][0]["lines"][0]["quantity"], 2);
    assert_eq!(json["addresses"][0]["city"], "Lyon");
    assert!(
        json["account"].get("password_hash").is_none(),
        "no hash in the export"
    );
    assert!(!json["sessions"].as_array().unwrap().is_empty());
    assert!(!json["emails"].as_array().unwrap().is_empty());
    assert_eq!(json["stock_alerts"].as_array().unwrap().len(), 2);
    assert_eq!(app.browser().get("/account/data").status, Status::SeeOther);

    let wrong = b.submit(
        "/account/delete",
        &[("current_password", "not my password")],
    );
    assert_eq!(wrong.status, Status::SeeOther);
    assert_eq!(app.count("users"), 1, "the password is asked first");
    let gone = b.submit("/account/delete", &[("current_password", PASSWORD)]);
    assert_eq!(gone.status, Status::SeeOther);
    assert_eq!(app.count("users"), 0);
    assert_eq!(app.count("addresses"), 0);
    assert_eq!(app.count("sessions"), 0);
    assert_eq!(app.count("stock_alerts"), 0, "their alerts go with them");
    assert_eq!(b.get("/account").status, Status::SeeOther);
    // The order stays for the accounts, without the person.
    #[allow(clippy::type_complexity)]
    let kept: (Option<i64>, String, String, String, String, String, i64) = orders::table
        .select((
            orders::user_id,
            orders::email,
            orders::ship_name,
            orders::ship_street,
            orders::ship_postal_code,
            orders::ship_country,
            orders::total_cents,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(kept.0, None);
    assert!(!kept.1.contains("gdpr"));
    assert!(!kept.2.contains("Ana") && !kept.3.contains("Lilas"));
    assert_eq!(
        (kept.4.as_str(), kept.5.as_str(), kept.6),
        ("69003", "FR", total)
    );
    let named: i64 = orders::table
        .filter(
            orders::email
                .eq("gdpr@example.fr")
                .or(orders::ship_name.eq("Ana Lefèvre")),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(named, 0, "the guest order is anonymised too");
    assert_eq!(app.count("orders"), 2, "both orders kept");
    let left: i64 = comptoir::db::schema::email_outbox::table
        .filter(comptoir::db::schema::email_outbox::to_address.eq("gdpr@example.fr"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(left, 0, "no email to the address is kept");
    let login = app.browser().submit(
        "/login",
        &[("email", "gdpr@example.fr"), ("password", PASSWORD)],
    );
    assert_eq!(login.status, Status::UnprocessableEntity);
}

#[test]
fn an_address_taken_meanwhile_leaves_the_email_change_undone() {
    let app = TestApp::empty();
    app.create_user("first@example.fr", Role::Customer);
    let b = app.browser();
    b.submit(
        "/login",
        &[("email", "first@example.fr"), ("password", PASSWORD)],
    );
    let sent = b.submit(
        "/account/email",
        &[
            ("current_password", PASSWORD),
            ("email", "taken@example.fr"),
        ],
    );
    assert_eq!(sent.status, Status::Ok);
    app.create_user("taken@example.fr", Role::Customer);
    let token = link_token(&app, "confirm_new_email", "taken@example.fr");
    let page = b.submit("/account/verify", &[("token", &token)]);
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(page.texts("p.link-invalid").len(), 1);
    let emails: Vec<String> = users::table
        .order(users::id)
        .select(users::email)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(emails, vec!["first@example.fr", "taken@example.fr"]);
    assert_eq!(b.get("/account").status, Status::Ok, "still signed in");
}

#[test]
fn links_expire_and_are_stored_hashed() {
    use comptoir::db::schema::user_tokens;
    let app = TestApp::empty();
    app.create_user("old@example.fr", Role::Customer);
    let b = app.browser();
    b.submit("/password/forgot", &[("email", "old@example.fr")]);
    let token = link_token(&app, "password_reset", "old@example.fr");
    let stored: String = user_tokens::table
        .select(user_tokens::token_hash)
        .first(&mut app.conn())
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored, comptoir::auth::hash_token(&token));
    // An hour and a minute later.
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    diesel::update(user_tokens::table)
        .set(user_tokens::expires_at.eq(past))
        .execute(&mut app.conn())
        .unwrap();
    let page = b.get(&format!("/password/reset?token={token}"));
    assert_eq!(page.texts("p.link-invalid").len(), 1);
    let late = b.submit(
        "/password/reset",
        &[
            ("token", &token),
            ("password", "a brand new passphrase"),
            ("password_confirm", "a brand new passphrase"),
        ],
    );
    assert_eq!(late.status, Status::UnprocessableEntity);
    let ok = app.browser().submit(
        "/login",
        &[("email", "old@example.fr"), ("password", PASSWORD)],
    );
    assert_eq!(ok.status, Status::SeeOther, "the password is unchanged");
}
