//! Property-based fuzzing of every form and every list query: random fields with random
//! values (long, empty, unicode, numbers out of range, control characters, SQL and markup),
//! posted with a valid CSRF token by an admin (who passes every guard), and random queries
//! on every GET route. Whatever comes in, the answer is never a 5xx and nothing panics.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{encode, TestApp};

/// Every field name the templates use, so random forms hit real parsing and validation.
const FIELDS: &[&str] = &[
    "accept_terms",
    "action",
    "active",
    "actor",
    "alt",
    "bank_bic",
    "bank_iban",
    "category",
    "category_id",
    "city",
    "code",
    "country",
    "current_password",
    "delta",
    "description",
    "disabled",
    "display_name",
    "email",
    "featured",
    "field",
    "from",
    "full_name",
    "ids",
    "key",
    "lang",
    "low",
    "name",
    "next",
    "number",
    "password",
    "password_confirm",
    "payment",
    "phone",
    "postal_code",
    "price",
    "product_id",
    "q",
    "quantity",
    "reason",
    "role",
    "secret",
    "shipping",
    "shipping_corsica_extra",
    "shipping_express",
    "shipping_overseas_extra",
    "shipping_standard",
    "shop_address",
    "shop_email",
    "shop_legal_name",
    "shop_name",
    "shop_siret",
    "shop_vat_number",
    "sig",
    "slug",
    "sort",
    "status",
    "step",
    "stock",
    "street",
    "terms_version",
    "threshold",
    "to",
    "token",
    "tracking",
    "unpaid_cancel_days",
    "value",
    "vat_rate",
    "page",
    "t",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,30}([.,][0-9]{0,5})?",
        "[a-z0-9 ]{0,40}",
        "\\PC{0,300}",
        any::<String>(),
        Just("' OR '1'='1".to_string()),
        Just("1; DROP TABLE users; --".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("%00\u{0}".to_string()),
        Just("true".to_string()),
        Just("9223372036854775808".to_string()),
        Just("x".repeat(5000)),
    ]
}

fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                4 => prop::sample::select(FIELDS).prop_map(str::to_string),
                1 => "[a-z_\\[\\]\\.]{1,12}",
            ],
            value(),
        ),
        0..12,
    )
}

/// Cases per route: 24 in the suite; `COMPTOIR_FUZZ_CASES` asks for more (at least 24).
fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("COMPTOIR_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases)
        .max(default_cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn random_forms_on_every_post_route_never_get_a_server_error() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let token = admin.csrf();
    let posts: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method.to_string() == "POST")
        .map(|r| {
            r.uri
                .to_string()
                .split('?')
                .next()
                .unwrap()
                .replace("<id>", "1")
                .replace("<number>", "2026-000001")
                .replace("<image>", "1")
                .replace("<direction>", "up")
        })
        // These end the admin's session (id 1 is the admin); their parsing is that of every
        // other form.
        .filter(|p| {
            !matches!(
                p.as_str(),
                "/logout"
                    | "/account/sessions/end"
                    | "/account/delete"
                    | "/admin/staff/1/2fa/reset"
            )
        })
        .collect();
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    for path in &posts {
        runner(24)
            .run(&fields(), |fields| {
                let mut all: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                all.push(("_csrf", &token));
                let page = admin.post_raw(path, &encode(&all));
                *seen.borrow_mut().entry(page.status.code).or_default() += 1;
                prop_assert!(
                    page.status.code < 500,
                    "POST {path} {fields:?} → {}",
                    page.status
                );
                Ok(())
            })
            .unwrap();
    }
    // The forms were parsed and judged (not all refused at the door).
    let seen = seen.into_inner();
    let total: u32 = seen.values().sum();
    let forbidden = seen.get(&403).copied().unwrap_or(0);
    assert!(total as usize >= posts.len() * 24, "{seen:?}");
    assert!(forbidden * 4 < total, "mostly refused: {seen:?}");
    assert!(
        seen.contains_key(&422) && seen.contains_key(&303),
        "{seen:?}"
    );
    // Still the admin's session: nothing above logged them out or broke the shop.
    assert_eq!(admin.get("/admin").status, Status::Ok);
}

#[test]
fn random_queries_on_every_get_route_never_get_a_server_error() {
    let app = TestApp::spawn();
    let staff = app.login_as(Role::Admin);
    let gets: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.method.to_string() == "GET")
        .map(|r| {
            r.uri
                .to_string()
                .split('?')
                .next()
                .unwrap()
                .replace("<id>", "1")
                .replace("<number>", "2026-000001")
                .replace("<slug>", "epicerie-fine")
                .replace("<kind>", "invoice")
                .replace("<name>", "x.jpg")
                .replace("<path..>", "css/shop.css")
        })
        .collect();
    for path in &gets {
        runner(24)
            .run(&fields(), |fields| {
                let query: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let url = format!("{path}?{}", encode(&query));
                let page = staff.get(&url);
                prop_assert!(page.status.code < 500, "GET {url} → {}", page.status);
                Ok(())
            })
            .unwrap();
    }
}
