//! Stored XSS: fifty hostile payloads saved through the text fields customers and staff fill
//! (names, addresses, product texts, categories, search, stock reasons, tracking numbers,
//! the shop's name), then every page that shows them is parsed: no script element, no event
//! handler attribute, no `javascript:` address, nothing the templates did not write. And no
//! template marks data `| safe` except the dashboard charts, which are built escaped.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;

use crate::helpers::{address, TestApp};
use crate::orders::add;

pub const PAYLOADS: [&str; 50] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<img src=\"x\" onerror=\"alert(String.fromCharCode(88))\">",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=//evil.test/x.css>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<textarea></textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "{{ 7*7 }}<b>ssti</b>",
    "{% raw %}<script>alert(1)</script>{% endraw %}",
    "<img src=`x` onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<base href=//evil.test/>",
    "<div style=\"background:url(javascript:alert(1))\">",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<marquee onstart=alert(1)>",
    "<select onfocus=alert(1) autofocus>",
    "<keygen autofocus onfocus=alert(1)>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<table background=javascript:alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "\u{0}<script>alert(1)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<xss id=x tabindex=1 onfocusin=alert(1)></xss>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "«Épicerie» <b onclick=alert(1)>fine</b>",
];

/// Nothing in the page can run: no script element, no `on…` attribute, no script address,
/// and no payload element the templates do not write.
pub fn assert_inert(body: &str, context: &str) {
    let html = scraper::Html::parse_document(body);
    let all = scraper::Selector::parse("*").unwrap();
    for el in html.select(&all) {
        let v = el.value();
        let name = v.name();
        // Structured data for search engines is a data block, not a script: it must hold
        // JSON and nothing else.
        // Structured data, and a form's draft (a form sent back after its session expired),
        // are data blocks: JSON and nothing else. The shop's own scripts come from its files.
        if name == "script"
            && matches!(
                v.attr("type"),
                Some("application/ld+json" | "application/json")
            )
        {
            let text: String = el.text().collect();
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
            assert!(
                parsed.is_ok(),
                "{context}: JSON-LD that is not JSON: {text}"
            );
            assert!(
                !text.contains("</"),
                "{context}: JSON-LD that could close its element"
            );
            continue;
        }
        if name == "script"
            && v.attr("type").is_none()
            && v.attr("src").is_some_and(|s| s.starts_with("/static/js/"))
            && el.text().all(|t| t.trim().is_empty())
        {
            continue;
        }
        assert!(
            !matches!(
                name,
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "base"
                    | "math"
                    | "xss"
                    | "video"
                    | "audio"
                    | "marquee"
                    | "details"
                    | "keygen"
                    | "isindex"
                    | "noscript"
            ),
            "{context}: a <{name}> element"
        );
        for (attr, value) in v.attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{context}: <{name} {attr}=…>"
            );
            let lowered = value.trim().to_ascii_lowercase();
            let is_address = matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "data" | "background" | "poster"
            );
            assert!(
                !(is_address && lowered.starts_with("javascript:")),
                "{context}: <{name} {attr}=\"{value}\">"
            );
        }
        if name == "meta" {
            assert!(v.attr("http-equiv").is_none(), "{context}: a meta refresh");
        }
        if name == "link" && v.attr("rel") == Some("stylesheet") {
            let href = v.attr("href").unwrap_or("");
            assert!(!href.contains("evil"), "{context}: a foreign stylesheet");
        }
    }
}

#[test]
fn fifty_hostile_payloads_saved_everywhere_render_inert() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let staff = app.login_as(Role::Staff);
    let mut product_ids = Vec::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        // Staff: a category and a product with the payload in every text.
        let name = format!("P{i} {payload}");
        let category = staff.submit(
            "/admin/categories",
            &[
                ("name", &format!("C{i} {payload}")),
                ("description", payload),
            ],
        );
        assert!(category.status.code < 500, "{}", category.status);
        let created = staff.submit(
            "/admin/products",
            &[
                ("name", &name),
                ("slug", &format!("p{i}")),
                ("description", payload),
                ("price", "2"),
                ("vat_rate", "2000"),
                ("stock", "5"),
                ("active", "true"),
            ],
        );
        assert_eq!(
            created.status,
            Status::SeeOther,
            "{payload}: {}",
            created.body
        );
        let id: i64 = created
            .location
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        staff.submit(
            &format!("/admin/products/{id}/stock"),
            &[("delta", "1"), ("reason", payload)],
        );
        product_ids.push(id);
        // A customer: their name and address at checkout.
        let b = app.browser();
        add(&app, &b, &format!("p{i}"), 1);
        let mut fields = address(&format!("buyer{i}@example.fr"));
        for (k, v) in fields.iter_mut() {
            if matches!(*k, "full_name" | "street" | "city") {
                *v = format!("{v} {payload}");
            }
            // A Belgian address: its town is not checked against a table, so it is stored
            // with the payload (a French one must match its postal code).
            match *k {
                "country" => *v = "BE".into(),
                "postal_code" => *v = "1000".into(),
                _ => {}
            }
        }
        let placed = crate::orders::checkout(&b, &fields);
        assert_eq!(placed.status, Status::SeeOther, "{payload}");
        let order_page = b.get(placed.location.as_deref().unwrap());
        assert_inert(&order_page.body, &format!("order page, payload {i}"));
        // A customer's own name, given at registration, shows in the back-office lists. Each
        // registers from a client of their own (one client may ask for three emails in ten
        // minutes).
        let client = std::net::SocketAddr::from(([198, 51, 100, i as u8], 40_000));
        let r = app.browser().connecting_from(client).submit(
            "/register",
            &[
                ("email", &format!("r{i}@example.fr")),
                (
                    "display_name",
                    &payload.chars().take(100).collect::<String>(),
                ),
                ("password", "a long enough passphrase"),
                ("password_confirm", "a long enough passphrase"),
            ],
        );
        assert_eq!(r.status, Status::Ok, "{payload}");
        // The search box echoes what was typed.
        let search = b.get(&format!(
            "/search?q={}",
            rocket::http::RawStr::new(payload).percent_encode()
        ));
        assert_eq!(search.status, Status::Ok);
        assert_inert(&search.body, &format!("search, payload {i}"));
    }
    // A shop name and a display name of the worst kind, shown on every page.
    let mut settings = vec![
        ("shop_name", PAYLOADS[1]),
        ("shipping_standard", "4,90"),
        ("shipping_express", "9,90"),
        ("shipping_corsica_extra", "5"),
        ("shipping_overseas_extra", "15"),
        ("unpaid_cancel_days", "7"),
        ("bank_iban", "FR76 3000 6000 0112 3456 7890 189"),
        ("bank_bic", "AGRIFRPPXXX"),
        ("shop_legal_name", PAYLOADS[3]),
        ("shop_address", PAYLOADS[7]),
        ("shop_siret", "123 456 789 00012"),
        ("shop_vat_number", "FR12 123456789"),
    ];
    assert_eq!(
        admin.submit("/admin/settings", &settings).status,
        Status::SeeOther
    );
    settings.clear();

    let number: String = {
        use comptoir::db::schema::orders;
        use diesel::prelude::*;
        orders::table
            .order(orders::id.desc())
            .select(orders::number)
            .first(&mut app.conn())
            .unwrap()
    };
    let tracking = staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "mark_paid")],
    );
    assert_eq!(tracking.status, Status::SeeOther);
    staff.submit(
        &format!("/admin/orders/{number}/step"),
        &[("step", "ship"), ("tracking", PAYLOADS[0])],
    );

    let anonymous = app.browser();
    let mut pages: Vec<(String, String)> = vec![
        ("/".into(), anonymous.get("/").body),
        ("/search?q=P".into(), anonymous.get("/search?q=P").body),
        ("/admin".into(), admin.get("/admin").body),
        (
            "/admin/products".into(),
            staff.get("/admin/products?q=P").body,
        ),
        ("/admin/orders".into(), staff.get("/admin/orders").body),
        (
            "/admin/categories".into(),
            staff.get("/admin/categories").body,
        ),
        (
            "/admin/customers".into(),
            staff.get("/admin/customers").body,
        ),
        ("/admin/audit".into(), staff.get("/admin/audit").body),
        ("/admin/emails".into(), staff.get("/admin/emails").body),
        (
            "/admin/stock/low".into(),
            staff.get("/admin/stock/low?threshold=100").body,
        ),
        ("/admin/settings".into(), admin.get("/admin/settings").body),
        (
            format!("/admin/orders/{number}"),
            staff.get(&format!("/admin/orders/{number}")).body,
        ),
        (
            format!("/orders/{number}/invoice"),
            staff.get(&format!("/orders/{number}/invoice")).body,
        ),
    ];
    for (i, id) in product_ids.iter().enumerate() {
        pages.push((
            format!("/products/p{i}"),
            anonymous.get(&format!("/products/p{i}")).body,
        ));
        pages.push((
            format!("/admin/products/{id}"),
            staff.get(&format!("/admin/products/{id}")).body,
        ));
    }
    {
        use comptoir::db::schema::users;
        use diesel::prelude::*;
        let customers: Vec<i64> = users::table
            .filter(users::role.eq("customer"))
            .select(users::id)
            .load(&mut app.conn())
            .unwrap();
        assert!(customers.len() >= 50);
        for id in customers {
            let path = format!("/admin/customers/{id}");
            pages.push((path.clone(), staff.get(&path).body));
        }
    }
    {
        use comptoir::db::schema::categories;
        use diesel::prelude::*;
        let slugs: Vec<String> = categories::table
            .select(categories::slug)
            .load(&mut app.conn())
            .unwrap();
        for slug in slugs {
            let path = format!("/categories/{slug}");
            pages.push((path.clone(), anonymous.get(&path).body));
        }
    }
    assert!(pages.len() > 200, "{} pages", pages.len());
    for (path, body) in &pages {
        assert_inert(body, path);
    }
    // The payloads are on those pages, as text.
    let product = anonymous.get("/products/p1");
    assert!(product
        .texts("h1")
        .join("")
        .contains("<img src=x onerror=alert(1)>"));
    // The emails' HTML parts are escaped too.
    {
        use comptoir::db::schema::email_outbox;
        use diesel::prelude::*;
        let htmls: Vec<String> = email_outbox::table
            .select(email_outbox::body_html)
            .load(&mut app.conn())
            .unwrap();
        assert!(htmls.len() >= 50);
        for (i, html) in htmls.iter().enumerate() {
            assert_inert(html, &format!("email {i}"));
        }
    }
}

#[test]
fn no_template_marks_data_safe_but_charts_qr_code_badge_and_asset_addresses() {
    let mut found = Vec::new();
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text
                    .lines()
                    .filter(|l| l.contains("| safe") || l.contains("|safe"))
                {
                    found.push(format!("{}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut found,
    );
    // The charts are built in admin/charts.rs (every label escaped); the QR code is made of
    // rectangles only (auth/totp.rs); a legal page's HTML was cleaned by ammonia when it was
    // published (legal/markdown.rs, and the test below); a product's JSON-LD is serialised by
    // serde_json with `</` escaped (catalog/seo.rs), checked by `assert_inert`.
    // The cart badge is built in Rust with its label escaped (web::cart_badge), and static
    // addresses are a fixed path and a hex version (web::assets::asset_function).
    // A form's draft is JSON with `<`, `>` and `&` escaped (site::csrf::Draft::script_json),
    // checked by `assert_inert` below.
    // A product's safety warnings are Markdown cleaned by ammonia as legal pages are, and its
    // ingredients list is escaped before its allergens are set in <strong>
    // (catalog::facts::emphasise), checked with hostile input in product_facts.rs.
    assert_eq!(found.len(), 15, "{found:#?}");
    assert!(found.iter().all(|l| (l.contains("admin/dashboard")
        && (l.contains("revenue_chart | safe") || l.contains("status_chart | safe")))
        || (l.contains("_header") && l.contains("cart_badge | safe"))
        || (l.contains("asset(path=") && l.contains(") | safe"))
        || (l.contains("account/two_factor") && l.contains("qr_svg | safe"))
        || (l.contains("legal/page") && l.contains("html | safe"))
        || (l.contains("shop/product") && l.contains("json_ld | safe"))
        || (l.contains("shop/product") && l.contains("facts.warnings_html | safe"))
        || (l.contains("shop/product") && l.contains("facts.ingredients_html | safe"))
        || (l.contains("layouts/base") && l.contains("draft.json | safe"))));
}

/// Legal pages are the one place where admins write HTML-bearing text (Markdown): every
/// payload, in the titles and the bodies of both languages, and as Markdown links and images,
/// is inert on the published page, on an earlier version's page and in the editor.
#[test]
fn hostile_markdown_in_a_legal_page_is_inert() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let mut body = String::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        body.push_str(&format!(
            "## {i} {payload}\n\n{payload}\n\n[lien {i}](javascript:alert({i})) ![x](javascript:alert({i}))\n\n"
        ));
    }
    let saved = admin.submit(
        "/admin/legal/cgv",
        &[
            ("title_fr", PAYLOADS[0]),
            ("body_fr", &body),
            ("title_en", PAYLOADS[1]),
            ("body_en", &body),
        ],
    );
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let label: String = comptoir::db::schema::legal_versions::table
        .filter(comptoir::db::schema::legal_versions::page.eq("terms"))
        .order(comptoir::db::schema::legal_versions::version.desc())
        .select(comptoir::db::schema::legal_versions::label)
        .first(&mut app.conn())
        .unwrap();
    let visitor = app.browser();
    for (who, path) in [
        ("published", "/cgv".to_string()),
        ("by label", format!("/cgv?version={label}")),
        ("editor", "/admin/legal/cgv".to_string()),
    ] {
        let page = if who == "editor" {
            admin.get(&path)
        } else {
            visitor.get(&path)
        };
        assert_eq!(page.status, Status::Ok, "{who}");
        assert_inert(&page.body, who);
    }
    visitor.submit("/lang", &[("lang", "en"), ("next", "/cgv")]);
    let english = visitor.get("/cgv");
    assert_inert(&english.body, "published, in English");
    assert!(
        english.body.contains("lien 3"),
        "the text is there, made harmless"
    );
}

#[test]
fn a_form_sent_back_with_its_draft_stays_inert() {
    let app = TestApp::spawn();
    let b = app.browser();
    for payload in PAYLOADS {
        let body = crate::helpers::encode(&[
            ("_csrf", "expired"),
            ("email", payload),
            ("display_name", payload),
        ]);
        let sent = b.post_raw("/register", &body);
        assert_eq!(sent.status, rocket::http::Status::SeeOther, "{payload}");
        let page = b.get("/register");
        assert_eq!(page.texts("#draft-notice").len(), 1, "{payload}");
        assert_inert(&page.body, payload);
        let draft: serde_json::Value =
            serde_json::from_str(&page.texts("#form-draft").join("")).expect("JSON");
        // As typed (NUL characters aside: no form keeps them), as data.
        assert_eq!(
            draft["fields"][0][1],
            payload.replace('\0', ""),
            "kept as typed, as data"
        );
    }
}
