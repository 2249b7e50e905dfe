//! Role guards and CSRF: who may open what, and forms that only this visitor's pages can post.

use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{encode, TestApp, PASSWORD};

#[test]
fn admin_is_for_staff_only() {
    let app = TestApp::spawn();
    let anonymous = app.browser().get("/admin");
    assert_eq!(anonymous.status, Status::SeeOther);
    let location = anonymous.location.unwrap();
    assert!(location.starts_with("/login?next="), "{location}");
    assert!(location.contains("admin"), "{location}");

    let customer = app.login_as(Role::Customer).get("/admin");
    assert_eq!(customer.status, Status::Forbidden);
    assert!(customer.texts("h1").contains(&"Accès refusé".to_string()));

    for role in [Role::Staff, Role::Admin] {
        let page = app.login_as(role).get("/admin");
        assert_eq!(page.status, Status::Ok, "{role:?}");
        assert!(page.texts("h1").contains(&"Tableau de bord".to_string()));
        assert_eq!(page.texts("svg.chart").len(), 2, "the dashboard's charts");
    }
}

#[test]
fn anonymous_login_goes_back_to_the_page_it_came_from() {
    let app = TestApp::spawn();
    app.create_user("boss@example.fr", Role::Staff);
    let b = app.browser();
    let to_login = b.get("/admin").location.unwrap();
    let form = b.get(&to_login);
    let next = form
        .attr("form[action='/login'] input[name=next]", "value")
        .unwrap();
    assert_eq!(next, "/admin");
    let done = b.submit(
        "/login",
        &[
            ("email", "boss@example.fr"),
            ("password", PASSWORD),
            ("next", &next),
        ],
    );
    assert_eq!(done.location.as_deref(), Some("/admin"));
    assert_eq!(b.get("/admin").status, Status::Ok);
}

fn register_body(token: Option<&str>) -> String {
    let mut fields = vec![
        ("email", "csrf@example.fr"),
        ("display_name", "Csrf"),
        ("password", "a long enough passphrase"),
        ("password_confirm", "a long enough passphrase"),
    ];
    if let Some(t) = token {
        fields.push(("_csrf", t));
    }
    encode(&fields)
}

#[test]
fn a_post_without_this_visitors_token_is_refused_and_changes_nothing() {
    let app = TestApp::empty();
    let victim = app.browser();
    victim.csrf();
    let attacker = app.browser();
    let attackers_token = attacker.csrf();

    // Refused: sent back to the form (to be checked and sent again), nothing done.
    let missing = victim.post_raw("/register", &register_body(None));
    assert_sent_back(&missing, "/register");
    let foreign = victim.post_raw("/register", &register_body(Some(&attackers_token)));
    assert_sent_back(&foreign, "/register");
    let forged = victim.post_raw("/register", &register_body(Some("AAAA")));
    assert_sent_back(&forged, "/register");
    assert_eq!(app.count("users"), 0);

    // The same body with the victim's own token goes through.
    let own = victim.post_raw("/register", &register_body(Some(&victim.csrf())));
    assert_eq!(own.status, Status::Ok);
    assert_eq!(app.count("users"), 1);
}

/// A form refused for its token: a redirect to its page (which shows it again, filled).
fn assert_sent_back(page: &crate::helpers::Page, to: &str) {
    assert_eq!(page.status, Status::SeeOther, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(to));
}

#[test]
fn signed_in_forms_need_the_sessions_token() {
    let app = TestApp::empty();
    let alice = app.login_as(Role::Customer);
    let bob = app.login_as(Role::Customer);
    assert_eq!(app.count("sessions"), 2);
    let bobs_token = bob.csrf();
    assert_ne!(bobs_token, alice.csrf(), "tokens are per session");
    let logout = alice.post_raw("/logout", &encode(&[("_csrf", &bobs_token)]));
    assert_sent_back(&logout, "/");
    assert_eq!(app.count("sessions"), 2, "alice is still signed in");
    let anonymous_token = app.browser().csrf();
    let logout = alice.post_raw("/logout", &encode(&[("_csrf", &anonymous_token)]));
    assert_sent_back(&logout, "/");
    assert_eq!(app.count("sessions"), 2);
    assert_eq!(alice.get("/account").status, Status::Ok);
}

#[test]
fn cross_site_posts_are_refused_even_with_a_token() {
    let app = TestApp::empty();
    let b = app.browser();
    let token = b.csrf();
    let body = register_body(Some(&token));
    let cross = b.post_with_headers("/register", &body, &[("Sec-Fetch-Site", "cross-site")]);
    assert_eq!(cross.status, Status::Forbidden);
    let origin = b.post_with_headers(
        "/register",
        &body,
        &[("Origin", "https://evil.test"), ("Host", "shop.test")],
    );
    assert_eq!(origin.status, Status::Forbidden);
    assert_eq!(app.count("users"), 0);
    let same = b.post_with_headers(
        "/register",
        &body,
        &[
            ("Origin", "http://shop.test"),
            ("Host", "shop.test"),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert_eq!(same.status, Status::Ok, "{}", same.body);
    assert_eq!(app.count("users"), 1);
}

#[test]
fn responses_carry_security_headers() {
    let app = TestApp::spawn();
    let page = app.browser().get("/");
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(page.header("X-Frame-Options"), Some("DENY"));
    assert_eq!(
        page.header("Referrer-Policy"),
        Some("strict-origin-when-cross-origin")
    );
    let csp = page.header("Content-Security-Policy").expect("a CSP");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(page.header("Permissions-Policy").is_some());
    // No inline script anywhere the CSP would have to allow (a product's JSON-LD is a data
    // block browsers never run, which the CSP need not allow).
    for path in [
        "/",
        "/products/moutarde-de-dijon-a-l-ancienne",
        "/login",
        "/register",
        "/cart",
    ] {
        let body = app.browser().get(path).body;
        let scripts = body.matches("<script").count();
        let data = body
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(scripts, data, "{path} has a script element");
        assert!(!body.contains("onclick="), "{path} has an inline handler");
    }
    // Error pages carry the headers too.
    assert!(app
        .browser()
        .get("/nope")
        .header("Content-Security-Policy")
        .is_some());
}

#[test]
fn sqlite_connections_have_the_pragmas() {
    use diesel::prelude::*;
    // A SQLite database on either run: the pragmas are SQLite's own.
    let db = crate::helpers::TestDb::sqlite();
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    #[derive(QueryableByName)]
    struct Fk {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        foreign_keys: i32,
    }
    let mut conn = comptoir::db::connect_and_migrate(db.url()).expect("migrate");
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(mode.journal_mode, "wal");
    let fk: Fk = diesel::sql_query("PRAGMA foreign_keys")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(fk.foreign_keys, 1);
    // Foreign keys are enforced: a session for a user that does not exist is refused.
    let bad = diesel::sql_query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ('x', 999, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2027-01-01 00:00:00')",
    )
    .execute(&mut conn);
    assert!(bad.is_err());
}

#[test]
fn logins_are_throttled_per_account_with_the_same_answer_for_unknown_emails() {
    use diesel::prelude::*;
    let app = TestApp::empty();
    app.create_user("victim@example.fr", Role::Customer);
    let b = app.browser();
    for email in ["victim@example.fr", "ghost@example.fr"] {
        for _ in 0..5 {
            let r = b.submit(
                "/login",
                &[("email", email), ("password", "wrong password!!")],
            );
            assert_eq!(r.status, Status::UnprocessableEntity);
        }
        // Now even the right password waits, with a clear message, known account or not.
        let locked = b.submit("/login", &[("email", email), ("password", PASSWORD)]);
        assert_eq!(locked.status, Status::TooManyRequests, "{email}");
        assert!(
            locked.texts("#e-password")[0].contains("Trop de tentatives"),
            "{email}"
        );
        assert_eq!(locked.attr("#f-email", "value").as_deref(), Some(email));
    }
    assert!(b.cookie("sid").is_none());
    // The owner is warned once; nobody is emailed for an unknown address.
    let warned: Vec<String> = comptoir::db::schema::email_outbox::table
        .filter(comptoir::db::schema::email_outbox::kind.eq("account_locked"))
        .select(comptoir::db::schema::email_outbox::to_address)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(warned, vec!["victim@example.fr"]);
    // Once the delay has passed, the right password works and clears the count.
    diesel::sql_query("DELETE FROM login_attempts")
        .execute(&mut app.conn())
        .unwrap();
    let ok = b.submit(
        "/login",
        &[("email", "victim@example.fr"), ("password", PASSWORD)],
    );
    assert_eq!(ok.status, Status::SeeOther);
}

#[test]
fn a_forged_client_address_header_does_not_dodge_the_throttle() {
    let app = TestApp::empty();
    // Twenty failures on twenty accounts, each claiming another address.
    let forged = [
        "10.0.0.1",
        "10.0.0.2",
        "10.0.0.3",
        "10.0.0.4",
        "10.0.0.5",
        "10.0.0.6",
        "10.0.0.7",
        "10.0.0.8",
        "10.0.0.9",
        "10.0.0.10",
        "10.0.0.11",
        "10.0.0.12",
        "10.0.0.13",
        "10.0.0.14",
        "10.0.0.15",
        "10.0.0.16",
        "10.0.0.17",
        "10.0.0.18",
        "10.0.0.19",
        "10.0.0.20",
        "10.0.0.21",
    ];
    for (i, ip) in forged.iter().enumerate() {
        let b = app.browser().with_header("X-Real-IP", ip);
        let email = format!("user{i}@example.fr");
        let r = b.submit(
            "/login",
            &[("email", email.as_str()), ("password", "wrong password!!")],
        );
        if i < 20 {
            assert_eq!(r.status, Status::UnprocessableEntity, "attempt {i}");
        } else {
            assert_eq!(
                r.status,
                Status::TooManyRequests,
                "the real address is throttled"
            );
        }
    }
}

#[test]
fn a_server_error_shows_an_incident_id_and_nothing_of_the_internals() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn();
    let before = app
        .browser()
        .get("/products/moutarde-de-dijon-a-l-ancienne");
    assert_eq!(before.status, Status::Ok);
    // Break the database under the running shop.
    diesel::sql_query("DROP TABLE product_images")
        .execute(&mut app.conn())
        .unwrap();
    // Another address than the one just kept in the page cache.
    let page = app
        .browser()
        .get("/products/moutarde-de-dijon-a-l-ancienne?from=newsletter");
    assert_eq!(page.status, Status::InternalServerError);
    let incident = page.texts("p.incident").join(" ");
    let id = incident
        .split_whitespace()
        .find(|w| w.len() >= 8 && w.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| panic!("an incident id in {incident:?}"));
    assert!(!id.is_empty());
    for leak in [
        "product_images",
        "no such table",
        "relation",
        "diesel",
        "SELECT",
        "src/",
    ] {
        assert!(!page.body.contains(leak), "the page shows {leak:?}");
    }
    // Another failure gets another id.
    let again = app
        .browser()
        .get("/products/moutarde-de-dijon-a-l-ancienne");
    assert_ne!(again.texts("p.incident").join(" "), incident);
}

#[test]
fn no_redirect_leaves_the_shop() {
    let app = TestApp::spawn();
    let hostile = [
        "//evil.test",
        "/\\evil.test",
        "\\\\evil.test",
        "javascript:alert(1)",
        "https://evil.test/",
        "http:evil.test",
        "/%2F%2Fevil.test",
        "%2F%2Fevil.test",
        " //evil.test",
        "/\t/evil.test",
    ];
    for next in hostile {
        // The language switch goes back to the page it came from…
        let b = app.browser();
        let page = b.submit("/lang", &[("lang", "en"), ("next", next)]);
        assert_eq!(page.status, Status::SeeOther);
        let to = page.location.unwrap();
        assert!(
            to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
            "{next:?} → {to}"
        );
        // …and so does the login page's hidden field, whatever the query said.
        let login = b.get(&format!(
            "/login?next={}",
            rocket::http::RawStr::new(next).percent_encode()
        ));
        let kept = login.attr("input[name=next]", "value").unwrap_or_default();
        assert!(
            kept.starts_with('/') && !kept.starts_with("//") && !kept.starts_with("/\\"),
            "{next:?} kept as {kept:?}"
        );
    }
}

#[test]
fn behind_tls_cookies_are_secure_and_browsers_are_told_to_keep_to_https() {
    let plain = TestApp::empty();
    assert!(plain
        .browser()
        .get("/")
        .header("Strict-Transport-Security")
        .is_none());
    let app = TestApp::with(crate::helpers::Options {
        secure: true,
        seed: false,
        ..Default::default()
    });
    app.create_user("tls@example.fr", Role::Customer);
    let b = app.browser();
    let page = b.get("/");
    let hsts = page.header("Strict-Transport-Security").expect("HSTS");
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    let login = b.submit(
        "/login",
        &[("email", "tls@example.fr"), ("password", PASSWORD)],
    );
    let cookie = login
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("Set-Cookie") && v.starts_with("sid="))
        .map(|(_, v)| v.clone())
        .expect("session cookie");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

/// The health endpoints: liveness without the database, readiness with what the background
/// work looks like, in JSON, with nothing secret in it.
#[test]
fn health_endpoints_report_the_shop_s_state() {
    use comptoir::db::schema::email_outbox;
    use diesel::prelude::*;
    let app = TestApp::spawn();
    let b = app.browser();
    let live = b.get("/healthz");
    assert_eq!(live.status, Status::Ok);
    assert_eq!(live.header("Content-Type"), Some("application/json"));
    let ready = b.get("/readyz");
    assert_eq!(ready.status, Status::Ok);
    let v: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(v["status"], "ready");
    assert_eq!(v["pending_migrations"], 0);
    assert_eq!(v["outbox"]["pending"], 0);
    assert_eq!(v["payments_awaiting_reconciliation"], 0);
    // An order queues two emails; one that gave up counts as failed.
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 1);
    crate::orders::checkout(&b, &crate::helpers::address("ready@example.fr"));
    diesel::update(email_outbox::table.filter(email_outbox::to_address.eq("ready@example.fr")))
        .set(email_outbox::status.eq("failed"))
        .execute(&mut app.conn())
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&b.get("/readyz").body).unwrap();
    assert_eq!(v["outbox"]["failed"], 1);
    assert!(v["outbox"]["oldest_pending_secs"].is_null() || v["outbox"]["pending"] == 1);
    for secret in [crate::helpers::PEPPER, "shop_secret", "smtp_password"] {
        assert!(!ready.body.contains(secret));
    }
}
