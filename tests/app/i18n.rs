//! French and English: every message exists in both, every key a template or the code uses is
//! defined, and the visitor's language is chosen as promised.

use std::collections::BTreeSet;
use std::path::Path;

use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::TestApp;

fn ftl_ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let starts_id = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if let (true, Some((id, _))) = (starts_id, line.split_once(" =")) {
                let fresh = ids.insert(id.trim().to_string());
                assert!(fresh, "message {id} is defined twice in {lang}");
            }
        }
    }
    ids
}

fn files_under(dir: &str, ext: &str) -> Vec<String> {
    fn walk(p: &Path, ext: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, ext, out);
            } else if path.to_string_lossy().ends_with(ext) {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        ext,
        &mut out,
    );
    out
}

/// Literal keys: `t(key="…"` in templates, `.t("…")` and `t_args("…"` in Rust.
fn used_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut grab = |text: &str, marker: &str| {
        for piece in text.split(marker).skip(1) {
            if let Some(end) = piece.find('"') {
                let key = &piece[..end];
                // `"role-" ~ value` builds a key at run time: those are listed below.
                if !key.is_empty() && !key.ends_with('-') {
                    keys.insert(key.to_string());
                }
            }
        }
    };
    // Pages (`.tera`) and emails (`subject`, `body.txt`, `body.html`).
    for t in files_under("templates", "") {
        grab(
            &t.replace("key=\"error-\" ~", "").replace(" ", ""),
            "t(key=\"",
        );
    }
    for r in files_under("src", ".rs") {
        grab(&r, ".t(\"");
        grab(&r, ".t_args(\"");
    }
    // Keys built at run time from a known set of values.
    for kind in ["400", "403", "404", "413", "422", "500", "503", "other"] {
        keys.insert(format!("error-{kind}-title"));
        keys.insert(format!("error-{kind}-text"));
    }
    for role in ["customer", "staff", "admin"] {
        keys.insert(format!("role-{role}"));
    }
    for lang in ["fr", "en"] {
        keys.insert(format!("lang-{lang}"));
    }
    // Account emails (`email-<kind>-…`) and the "check your inbox" messages.
    for kind in [
        "verify_email",
        "confirm_new_email",
        "account_exists",
        "password_reset",
    ] {
        for part in ["subject", "intro", "action"] {
            keys.insert(format!("email-{kind}-{part}"));
        }
    }
    for sent in ["register", "reset", "email-change"] {
        keys.insert(format!("sent-{sent}"));
    }
    for code in [
        "email",
        "too_long",
        "password_length",
        "password_is_email",
        "password_mismatch",
        "required_100",
        "required_200",
        "postal_code",
        "phone",
        "choice",
        "pay_on_pickup",
        "country",
        "accept_terms",
        "price",
        "stock",
        "slug",
        "slug_taken",
        "days",
        "iban",
        "bic",
        "siret",
        "current_password",
        "email_unverified",
        "totp_code",
        "second_factor_first",
        "staff_cannot_erase",
    ] {
        keys.insert(format!("err-{code}"));
    }
    for status in [
        "awaiting_payment",
        "paid",
        "shipped",
        "delivered",
        "cancelled",
        "refunded",
    ] {
        keys.insert(format!("status-{status}"));
    }
    for method in ["standard", "express", "pickup"] {
        keys.insert(format!("shipping-{method}"));
    }
    for method in ["bank_transfer", "on_pickup"] {
        keys.insert(format!("payment-{method}"));
    }
    for country in comptoir::address::COUNTRIES {
        keys.insert(format!("country-{country}"));
    }
    for step in ["mark_paid", "ship", "deliver", "cancel", "refund"] {
        keys.insert(format!("admin-step-{step}"));
    }
    for sort in ["name", "price", "desc-price", "stock", "new"] {
        keys.insert(format!("admin-sort-{sort}"));
    }
    for err in [
        "required_200",
        "slug",
        "price",
        "vat_rate",
        "category",
        "stock",
        "boolean",
        "too_long",
    ] {
        keys.insert(format!("admin-import-err-{err}"));
    }
    for action in ["create", "update"] {
        keys.insert(format!("admin-import-{action}"));
    }
    for kind in ["invoice", "credit_note"] {
        keys.insert(format!("invoice-{kind}"));
    }
    for days in [1, 7, 30] {
        keys.insert(format!("admin-period-{days}"));
    }
    for status in ["queued", "sending", "sent", "failed"] {
        keys.insert(format!("email-status-{status}"));
    }
    keys
}

#[test]
fn every_message_exists_in_both_languages() {
    let fr = ftl_ids("fr");
    let en = ftl_ids("en");
    assert!(fr.len() > 50);
    let only_fr: Vec<_> = fr.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&fr).collect();
    assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
    assert!(only_en.is_empty(), "missing in French: {only_en:?}");
}

#[test]
fn every_key_used_is_defined() {
    let fr = ftl_ids("fr");
    let used = used_keys();
    assert!(used.len() > 40, "the scan finds the keys: {}", used.len());
    let missing: Vec<_> = used.iter().filter(|k| !fr.contains(*k)).collect();
    assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
}

#[test]
fn language_follows_setting_then_cookie_then_browser() {
    let app = TestApp::spawn();
    let french = app.browser().get("/");
    assert_eq!(french.attr("html", "lang").as_deref(), Some("fr"));
    let english = app
        .browser()
        .with_header("Accept-Language", "en-GB,en;q=0.9,fr;q=0.5")
        .get("/");
    assert_eq!(english.attr("html", "lang").as_deref(), Some("en"));
    assert!(english.texts("h2").contains(&"Departments".to_string()));
    assert!(english.body.contains("€8.90"), "English money format");

    // The switch sets a cookie that beats the browser's header.
    let b = app.browser().with_header("Accept-Language", "en");
    let switched = b.submit("/lang", &[("lang", "fr"), ("next", "/categories/cave")]);
    assert_eq!(switched.status, Status::SeeOther);
    assert_eq!(switched.location.as_deref(), Some("/categories/cave"));
    assert_eq!(b.get("/").attr("html", "lang").as_deref(), Some("fr"));

    // A signed-in user's setting beats the cookie.
    let user = app.login_as(Role::Customer);
    assert_eq!(
        user.submit("/lang", &[("lang", "en")]).status,
        Status::SeeOther
    );
    user.set_cookie("lang", "fr");
    assert_eq!(
        user.get("/account").attr("html", "lang").as_deref(),
        Some("en")
    );
    let bad = user.submit("/lang", &[("lang", "xx")]);
    assert_eq!(bad.status, Status::NotFound);
}
