//! Every mounted route, as every kind of visitor: the expected outcome of each comes from the
//! one table below, and a route missing from the table fails the test. Then every POST route
//! without this session's CSRF token: 403 and not one row changed anywhere.

use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{encode, Browser, Page, TestApp};
use crate::orders::{add, checkout};

/// What a request must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// 200.
    Ok,
    /// 303 to the login page (and back).
    Login,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// Let through to the handler, whose answer depends on the (empty) form: anything but
    /// 401, 403, a login redirect or a 5xx.
    Handled,
}
use Want::*;

/// POST routes that take no CSRF token: the payment provider's webhooks, which prove where
/// they come from with a signature over their body instead.
const WITHOUT_CSRF: &[&str] = &["/payments/stripe/webhook"];

/// Anonymous, customer, staff, admin.
type Row = (&'static str, &'static str, [Want; 4]);

const PUBLIC: [Want; 4] = [Ok, Ok, Ok, Ok];
const ANYONE: [Want; 4] = [Handled, Handled, Handled, Handled];
const SIGNED_IN: [Want; 4] = [Login, Ok, Ok, Ok];
const SIGNED_IN_POST: [Want; 4] = [Login, Handled, Handled, Handled];
const STAFF: [Want; 4] = [Login, Forbidden, Ok, Ok];
const STAFF_POST: [Want; 4] = [Login, Forbidden, Handled, Handled];
const ADMIN: [Want; 4] = [Login, Forbidden, Forbidden, Ok];
const ADMIN_POST: [Want; 4] = [Login, Forbidden, Forbidden, Handled];

const TABLE: &[Row] = &[
    // Storefront
    ("GET", "/", PUBLIC),
    ("GET", "/categories/<slug>?<query..>", PUBLIC),
    ("GET", "/products/<slug>?<variant>", PUBLIC),
    ("GET", "/products/<slug>/alert", PUBLIC),
    ("POST", "/products/<slug>/alert", ANYONE),
    ("GET", "/alerts/confirm?<token>", PUBLIC),
    ("POST", "/alerts/confirm", ANYONE),
    ("GET", "/search?<q>&<page>", PUBLIC),
    // For search engines; the favicon redirects to the SVG.
    ("GET", "/robots.txt", PUBLIC),
    ("GET", "/sitemap.xml", PUBLIC),
    ("GET", "/favicon.ico", ANYONE),
    // The legal pages (/cgv, /mentions-legales, …), an earlier version by its label.
    ("GET", "/<page>?<version>", PUBLIC),
    ("GET", "/media/<name>", [NotFound; 4]),
    ("GET", "/media/thumbs/<name>", [NotFound; 4]),
    ("GET", "/static/<path..>?<v>", PUBLIC),
    // Health, for supervisors and load balancers.
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/cart?<code>", PUBLIC),
    ("POST", "/cart/add", ANYONE),
    ("POST", "/cart/update", ANYONE),
    ("POST", "/cart/remove", ANYONE),
    ("POST", "/cart/discount", ANYONE),
    ("POST", "/cart/discount/remove", ANYONE),
    ("GET", "/checkout", ANYONE),
    ("POST", "/checkout", ANYONE),
    ("POST", "/checkout/confirm", ANYONE),
    ("GET", "/checkout/towns?<postal_code>", PUBLIC),
    // Street suggestions: only when the shop uses the address API (not in these tests).
    (
        "GET",
        "/checkout/addresses?<q>&<postal_code>",
        [NotFound; 4],
    ),
    ("POST", "/lang", ANYONE),
    // Someone else's order (a forged link signature): only staff see it, and its invoice.
    ("GET", "/orders/<number>?<t>", [NotFound, NotFound, Ok, Ok]),
    // The withdrawal function: like the order, only for whoever may see it.
    (
        "GET",
        "/orders/<number>/withdraw?<t>",
        [NotFound, NotFound, Ok, Ok],
    ),
    ("POST", "/orders/<number>/withdraw", ANYONE),
    ("POST", "/orders/<number>/withdraw/review", ANYONE),
    // Its entry point, in every page's footer (art. L221-21): open to all.
    ("GET", "/retractation", [Ok, Ok, Ok, Ok]),
    ("POST", "/retractation", ANYONE),
    // Card payment pages: the sample order is paid by transfer, so there is nothing to pay.
    ("GET", "/orders/<number>/pay?<t>", [NotFound; 4]),
    ("POST", "/orders/<number>/pay", ANYONE),
    ("GET", "/orders/<number>/payment?<t>", [NotFound; 4]),
    // The provider's webhook: its signature is its proof (an unsigned call gets 400).
    ("POST", "/payments/stripe/webhook", ANYONE),
    (
        "GET",
        "/orders/<number>/documents/<doc>?<t>",
        [NotFound, NotFound, Ok, Ok],
    ),
    // Accounts
    ("GET", "/register", PUBLIC),
    ("POST", "/register", ANYONE),
    ("GET", "/login?<next>", PUBLIC),
    ("POST", "/login", ANYONE),
    ("POST", "/logout", ANYONE),
    ("GET", "/password/forgot", PUBLIC),
    ("POST", "/password/forgot", ANYONE),
    ("GET", "/password/reset?<token>", PUBLIC),
    ("POST", "/password/reset", ANYONE),
    ("GET", "/password/set?<token>", PUBLIC),
    ("POST", "/password/set", ANYONE),
    ("GET", "/account/verify?<token>", PUBLIC),
    ("POST", "/account/verify", ANYONE),
    ("GET", "/account", SIGNED_IN),
    ("GET", "/account/orders", SIGNED_IN),
    ("POST", "/account/password", SIGNED_IN_POST),
    ("GET", "/account/data", SIGNED_IN),
    ("GET", "/account/2fa", SIGNED_IN),
    // An empty form carries no secret signed for this account: refused as tampering.
    (
        "POST",
        "/account/2fa/enable",
        [Login, Forbidden, Forbidden, Forbidden],
    ),
    ("POST", "/account/2fa/disable", SIGNED_IN_POST),
    ("GET", "/account/confirm?<next>", SIGNED_IN),
    ("POST", "/account/confirm", SIGNED_IN_POST),
    // The code page only makes sense half-way through a login: others go to the login page.
    ("GET", "/login/2fa?<next>", [Login; 4]),
    ("POST", "/login/2fa", [Login; 4]),
    ("POST", "/account/delete", SIGNED_IN_POST),
    ("POST", "/account/email", SIGNED_IN_POST),
    // Logging out everywhere ends this session too: back to the login page.
    ("POST", "/account/sessions/end", [Login; 4]),
    // Back-office
    ("GET", "/admin", STAFF),
    ("GET", "/admin/orders?<page>&<filters..>", STAFF),
    ("GET", "/admin/orders/<number>", STAFF),
    ("POST", "/admin/orders/<number>/step", STAFF_POST),
    ("POST", "/admin/orders/<number>/refund", STAFF_POST),
    ("POST", "/admin/orders/<number>/return", STAFF_POST),
    ("GET", "/admin/orders.csv", STAFF),
    ("GET", "/admin/products?<page>&<filters..>", STAFF),
    ("GET", "/admin/products/new", STAFF),
    ("POST", "/admin/products", STAFF_POST),
    ("GET", "/admin/products/<id>", STAFF),
    ("POST", "/admin/products/<id>", STAFF_POST),
    ("POST", "/admin/products/<id>/active", STAFF_POST),
    ("POST", "/admin/products/<id>/stock", STAFF_POST),
    ("POST", "/admin/products/<id>/variants", STAFF_POST),
    ("POST", "/admin/variants/<id>", STAFF_POST),
    ("POST", "/admin/variants/<id>/active", STAFF_POST),
    ("POST", "/admin/products/<id>/images", STAFF_POST),
    (
        "POST",
        "/admin/products/<id>/images/<image>/<direction>",
        STAFF_POST,
    ),
    (
        "POST",
        "/admin/products/<id>/images/<image>/delete",
        STAFF_POST,
    ),
    ("GET", "/admin/products.csv", STAFF),
    ("GET", "/admin/products/import", STAFF),
    ("POST", "/admin/products/import", STAFF_POST),
    ("POST", "/admin/products/import/apply", STAFF_POST),
    ("POST", "/admin/products/bulk", STAFF_POST),
    ("POST", "/admin/products/bulk/apply", STAFF_POST),
    ("GET", "/admin/stock/low?<threshold>", STAFF),
    ("GET", "/admin/stock/alerts", STAFF),
    ("GET", "/admin/discounts", STAFF),
    ("POST", "/admin/discounts", STAFF_POST),
    ("POST", "/admin/discounts/<id>/active", STAFF_POST),
    ("GET", "/admin/sales", STAFF),
    ("POST", "/admin/sales", STAFF_POST),
    ("POST", "/admin/sales/<id>/end", STAFF_POST),
    ("POST", "/admin/products/<id>/facts", STAFF_POST),
    ("GET", "/admin/manufacturers", STAFF),
    ("POST", "/admin/manufacturers", STAFF_POST),
    // The sample id is a product's: no manufacturer has it.
    (
        "GET",
        "/admin/manufacturers/<id>",
        [Login, Forbidden, NotFound, NotFound],
    ),
    ("POST", "/admin/manufacturers/<id>", STAFF_POST),
    ("GET", "/admin/categories", STAFF),
    ("POST", "/admin/categories", STAFF_POST),
    ("POST", "/admin/categories/<id>", STAFF_POST),
    ("POST", "/admin/categories/<id>/<direction>", STAFF_POST),
    ("POST", "/admin/categories/<id>/delete", STAFF_POST),
    ("GET", "/admin/customers?<q>&<page>", STAFF),
    ("GET", "/admin/customers/<id>", STAFF),
    ("POST", "/admin/customers/<id>/disabled", STAFF_POST),
    ("GET", "/admin/emails?<status>&<page>", STAFF),
    ("POST", "/admin/emails/<id>/resend", STAFF_POST),
    ("GET", "/admin/audit?<page>&<filters..>", STAFF),
    ("GET", "/admin/shipping", ADMIN),
    ("POST", "/admin/shipping/methods", ADMIN_POST),
    ("POST", "/admin/shipping/methods/<id>/active", ADMIN_POST),
    ("POST", "/admin/shipping/pickups", ADMIN_POST),
    ("POST", "/admin/shipping/pickups/<id>/active", ADMIN_POST),
    ("GET", "/admin/staff", ADMIN),
    ("POST", "/admin/staff", ADMIN_POST),
    ("POST", "/admin/staff/<id>/role", ADMIN_POST),
    ("POST", "/admin/staff/<id>/disabled", ADMIN_POST),
    ("POST", "/admin/staff/<id>/2fa/reset", ADMIN_POST),
    ("GET", "/admin/settings", ADMIN),
    ("POST", "/admin/settings", ADMIN_POST),
    ("GET", "/admin/legal", ADMIN),
    ("GET", "/admin/legal/<page>", ADMIN),
    ("POST", "/admin/legal/<page>", ADMIN_POST),
];

/// The mounted routes as (method, URI pattern), in mount order.
fn mounted(app: &TestApp) -> Vec<(String, String)> {
    app.client
        .rocket()
        .routes()
        .map(|r| (r.method.to_string(), r.uri.to_string()))
        .collect()
}

/// A concrete path for a pattern: a real order, product, category, customer, stylesheet.
struct Samples {
    number: String,
    product: i64,
    product_slug: String,
    category_slug: String,
    user: i64,
}

impl Samples {
    fn path(&self, uri: &str) -> String {
        let path = uri.split('?').next().unwrap();
        let id = if path.starts_with("/admin/customers") || path.starts_with("/admin/staff") {
            self.user
        } else {
            self.product
        };
        let slug = if path.starts_with("/categories") {
            &self.category_slug
        } else {
            &self.product_slug
        };
        let path = path
            .replace("<number>", &self.number)
            .replace("<id>", &id.to_string())
            .replace("<slug>", slug)
            .replace("<image>", "1")
            .replace("<direction>", "up")
            .replace("<page>", "cgv")
            .replace(
                "<doc>",
                &format!("F{}-000001", chrono::Utc::now().format("%Y")),
            )
            .replace("<name>", "nothing-here.jpg")
            .replace("<path..>", "css/shop.css");
        // A route with a query in its pattern is requested with one.
        if uri.contains("?<t>") {
            format!("{path}?t=forged")
        } else {
            path
        }
    }
}

fn check(want: Want, page: &Page) -> bool {
    let to_login = page.status == Status::SeeOther
        && page
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login"));
    match want {
        Ok => page.status == Status::Ok,
        Login => to_login,
        Forbidden => page.status == Status::Forbidden,
        NotFound => page.status == Status::NotFound,
        Handled => {
            !to_login
                && page.status != Status::Unauthorized
                && page.status != Status::Forbidden
                && page.status.code < 500
        }
    }
}

fn samples(app: &TestApp) -> Samples {
    use comptoir::db::schema::{categories, orders, products, users};
    use diesel::prelude::*;
    let b = app.browser();
    add(app, &b, "moutarde-de-dijon-a-l-ancienne", 1);
    assert_eq!(
        checkout(&b, &crate::helpers::address("guest@example.fr")).status,
        Status::SeeOther
    );
    let mut c = app.conn();
    let customer = app.create_user("someone@example.fr", Role::Customer);
    // The order is paid, so it has an invoice to (fail to) download.
    let number: String = orders::table.select(orders::number).first(&mut c).unwrap();
    let paid = app.login_as(Role::Staff).submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    assert_eq!(paid.status, Status::SeeOther);
    let (product, product_slug): (i64, String) = products::table
        .select((products::id, products::slug))
        .first(&mut c)
        .unwrap();
    let category_slug: String = categories::table
        .select(categories::slug)
        .first(&mut c)
        .unwrap();
    let user = users::table
        .filter(users::id.eq(customer))
        .select(users::id)
        .first(&mut c)
        .unwrap();
    Samples {
        number,
        product,
        product_slug,
        category_slug,
        user,
    }
}

#[test]
fn every_route_answers_each_kind_of_visitor_as_the_table_says() {
    let app = TestApp::spawn();
    let routes = mounted(&app);
    let lookup = |method: &str, uri: &str| {
        TABLE
            .iter()
            .find(|(m, u, _)| *m == method && *u == uri)
            .map(|(_, _, w)| *w)
    };
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, u)| lookup(m, u).is_none())
        .map(|(m, u)| format!("{m} {u}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from the table: {missing:#?}"
    );
    let stale: Vec<String> = TABLE
        .iter()
        .filter(|(m, u, _)| !routes.iter().any(|(rm, ru)| rm == m && ru == u))
        .map(|(m, u, _)| format!("{m} {u}"))
        .collect();
    assert!(stale.is_empty(), "table rows with no route: {stale:#?}");

    let s = samples(&app);
    let roles = [
        None,
        Some(Role::Customer),
        Some(Role::Staff),
        Some(Role::Admin),
    ];
    // One browser per kind of visitor for the GETs (they change nothing)…
    let readers: Vec<Browser<'_>> = roles
        .iter()
        .map(|r| match r {
            None => app.browser(),
            Some(role) => app.login_as(*role),
        })
        .collect();
    let mut wrong = Vec::new();
    // Every GET first: the POSTs with empty forms may hide a product or disable an account.
    let (gets, posts): (Vec<_>, Vec<_>) = routes.iter().partition(|(m, _)| m == "GET");
    for (method, uri) in gets.into_iter().chain(posts) {
        let wants = lookup(method, uri).unwrap();
        let path = s.path(uri);
        for (i, want) in wants.iter().enumerate() {
            let page = if method == "GET" {
                readers[i].get(&path)
            } else {
                // …and a fresh one per POST, which may log out or change the account.
                let b = match roles[i] {
                    None => app.browser(),
                    Some(role) => app.login_as(role),
                };
                b.submit(&path, &[])
            };
            if !check(*want, &page) {
                wrong.push(format!(
                    "{method} {path} as {:?}: wanted {want:?}, got {} {:?}",
                    roles[i], page.status, page.location
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers: {wrong:#?}",
        wrong.len()
    );
}

/// Every table's row count (the migrations' own table aside).
fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.conn();
    let q = match conn {
        comptoir::db::DbConn::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '__diesel%' ORDER BY name"
        }
        comptoir::db::DbConn::Pg(_) => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' \
             AND tablename NOT LIKE '__diesel%' ORDER BY tablename"
        }
    };
    let names: Vec<Name> = diesel::sql_query(q).load(&mut conn).unwrap();
    assert!(names.len() >= 20, "found {} tables", names.len());
    names
        .into_iter()
        .map(|n| {
            let count = app.count(&n.name);
            (n.name, count)
        })
        .collect()
}

#[test]
fn every_post_route_refuses_a_missing_or_foreign_csrf_token_and_changes_nothing() {
    let app = TestApp::spawn();
    let s = samples(&app);
    let admin = app.login_as(Role::Admin);
    let other = app.login_as(Role::Admin);
    let foreign = other.csrf();
    assert_ne!(foreign, admin.csrf());
    let cross_site = app
        .login_as(Role::Admin)
        .with_header("Sec-Fetch-Site", "cross-site");
    let posts: Vec<String> = mounted(&app)
        .into_iter()
        .filter(|(m, _)| m == "POST")
        .map(|(_, u)| u)
        .collect();
    assert!(posts.len() >= 35, "{} POST routes", posts.len());
    // Fields that would make each form valid, so only the token stands in the way.
    let fields: &[(&str, &str)] = &[
        ("email", "csrf@example.fr"),
        ("password", "a long enough passphrase"),
        ("password_confirm", "a long enough passphrase"),
        ("name", "Produit CSRF"),
        ("price", "9,90"),
        ("vat_rate", "2000"),
        ("stock", "3"),
        ("quantity", "1"),
        ("delta", "5"),
        ("reason", "csrf"),
        ("lang", "en"),
        ("role", "admin"),
        ("disabled", "true"),
        ("active", "false"),
    ];
    let before = row_counts(&app);
    for uri in &posts {
        let path = s.path(uri);
        if WITHOUT_CSRF.contains(&uri.as_str()) {
            // Unsigned, with or without a token: refused all the same.
            let page = admin.post_raw(&path, &encode(fields));
            assert_eq!(page.status, Status::BadRequest, "POST {path} unsigned");
            continue;
        }
        let multipart = path.ends_with("/images") || path.ends_with("/import");
        for token in [None, Some(foreign.as_str())] {
            if multipart {
                // Uploads check their token in the handler: refused.
                let page = admin.upload_with_token(
                    token.unwrap_or(""),
                    &path,
                    fields,
                    if path.ends_with("/import") {
                        "p.csv"
                    } else {
                        "p.png"
                    },
                    "application/octet-stream",
                    b"slug,name\nx,y\n",
                );
                assert_eq!(page.status, Status::Forbidden, "POST {path}: {}", page.body);
                continue;
            }
            let mut all: Vec<(&str, &str)> = fields.to_vec();
            if let Some(t) = token {
                all.push(("_csrf", t));
            }
            // From this site with a token that is not the visitor's (an expired session): back
            // to the form's page, which says why and holds what was typed, passwords aside.
            let page = admin.post_raw(&path, &encode(&all));
            assert_eq!(
                page.status,
                Status::SeeOther,
                "POST {path} with token {token:?}: {}",
                page.body
            );
            let to = page.location.clone().unwrap_or_default();
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "POST {path} → {to}"
            );
            // (A page that sends this visitor elsewhere — the second-factor step of someone
            // already signed in — passes the draft on.)
            let mut back = admin.get(&to);
            let mut to = to;
            for _ in 0..3 {
                match back.location.clone() {
                    Some(next) if back.status == Status::SeeOther => {
                        back = admin.get(&next);
                        to = next;
                    }
                    _ => break,
                }
            }
            assert_eq!(back.status, Status::Ok, "POST {path} → GET {to}");
            assert_eq!(
                back.texts("#draft-notice").len(),
                1,
                "POST {path} → GET {to}"
            );
            let draft = back.texts("#form-draft").join("");
            assert!(draft.contains("csrf@example.fr"), "POST {path}: {draft}");
            assert!(!draft.contains("passphrase"), "POST {path}: {draft}");
            assert!(
                admin.get(&to).texts("#draft-notice").is_empty(),
                "shown once"
            );
            // The same post marked cross-site by the browser: refused outright.
            let page = cross_site.post_raw(&path, &encode(&all));
            assert_eq!(page.status, Status::Forbidden, "POST {path} cross-site");
        }
    }
    assert_eq!(row_counts(&app), before, "no row written or removed");
    // The admin is still signed in: the refused /logout and /account/sessions/end did nothing.
    assert_eq!(admin.get("/admin").status, Status::Ok);
}
