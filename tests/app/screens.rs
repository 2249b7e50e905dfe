//! Every key page, storefront and back-office, at 375 px (a phone) and 1280 px, in French and
//! English, in headless Chromium: a screenshot of each into `target/screenshots/`, no
//! horizontal overflow (nothing wider than the viewport), and axe-core (from the npm registry,
//! locked in `tests/browser/package-lock.json`, installed by `npm ci`) finds no serious or
//! critical violation.

use serde_json::Value;

use comptoir::auth::Role;

use crate::chrome::{self, Chrome};
use crate::helpers::{Options, PASSWORD};
use crate::server::TestServer;

const WIDTHS: [u32; 2] = [375, 1280];
const LANGS: [&str; 2] = ["fr", "en"];

/// Runs axe-core in the page; returns "rule (impact): where" for each serious or critical
/// violation.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] }).then(
  (r) => done(r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + " (" + v.impact + "): " +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "))),
  (e) => done(["axe failed: " + e]));
"#;

/// The page's HTML as the server sends it (a GET again: GETs write nothing).
const SERVED_HTML: &str = r#"
const done = arguments[arguments.length - 1];
fetch(location.href, { credentials: "same-origin" })
  .then((r) => r.text(), (e) => "fetch failed: " + e)
  .then(done);
"#;

/// How far the page is wider than the viewport, and the widest culprits (for the message).
const OVERFLOW: &str = r#"
const width = document.documentElement.clientWidth;
const over = document.documentElement.scrollWidth - width;
const culprits = over <= 0 ? [] : Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > width + 1)
  .slice(0, 4)
  .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " " + Math.round(e.getBoundingClientRect().right) + "px");
return [over, culprits.join(", ")];
"#;

struct Sweep<'a> {
    browser: &'a Chrome,
    base: String,
    axe: String,
    shots: std::path::PathBuf,
    problems: Vec<String>,
    pages: usize,
}

impl Sweep<'_> {
    /// Every page of `paths` at every width, in the language already set.
    fn pages(&mut self, lang: &str, paths: &[(&str, &str)]) {
        for width in WIDTHS {
            self.browser.resize(width, 900);
            for (name, path) in paths {
                self.browser.goto(&format!("{}{path}", self.base));
                let shown = format!("{name} ({path}) at {width} px in {lang}");
                let title = self.browser.run("return document.title");
                assert!(
                    !title.as_str().unwrap_or("").is_empty(),
                    "{shown}: no title"
                );
                let png = self.browser.screenshot();
                std::fs::write(self.shots.join(format!("{name}-{lang}-{width}.png")), png).unwrap();
                if let Value::Array(o) = self.browser.run(OVERFLOW) {
                    if o[0].as_i64().unwrap_or(0) > 0 {
                        self.problems
                            .push(format!("{shown}: {} px too wide: {}", o[0], o[1]));
                    }
                }
                if width == WIDTHS[0] {
                    // The page as served (the same request again, with the visitor's cookies),
                    // for the Nu Html Checker `.ci/run` runs over the sweep's pages.
                    if let Value::String(html) = self.browser.run_async(SERVED_HTML) {
                        let dir = crate::helpers::html_dir("pages");
                        crate::helpers::save_html(&dir, &format!("{name}-{lang}.html"), &html);
                    }
                    // The rules do not depend on the width but colours and hidden parts do
                    // not change with it here: axe runs once per page and language.
                    self.browser.run(&self.axe);
                    if let Value::Array(violations) = self.browser.run_async(AXE_RUN) {
                        for v in violations {
                            self.problems
                                .push(format!("{shown}: {}", v.as_str().unwrap_or("?")));
                        }
                    }
                }
                self.pages += 1;
            }
        }
    }
}

/// A product the sweep sees sold out.
const SOLD_OUT: &str = "confiture-de-figues-violettes";

#[test]
#[ignore = "needs chromium, chromium-driver and axe-core (npm ci in tests/browser)"]
fn key_pages_fit_a_phone_and_pass_axe_in_both_languages() {
    let axe_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/node_modules/axe-core/axe.min.js"
    );
    let axe = std::fs::read_to_string(axe_path)
        .unwrap_or_else(|e| panic!("{axe_path}: {e} (run `npm ci` in tests/browser)"));
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let browser = chrome::start();
    let server = TestServer::start(Options {
        page_size: 24,
        ..Options::default()
    });
    let base = format!("http://127.0.0.1:{}", server.port);
    // The demo's pictures, as `serve --demo` draws them: the screenshots show the shop a
    // newcomer sees.
    assert_eq!(comptoir::seed::demo_pictures(&mut server.conn()), Ok(70));
    crate::helpers::create_user_in(&mut server.conn(), "owner@comptoir.test", Role::Admin);
    crate::helpers::create_user_in(&mut server.conn(), "ana@example.fr", Role::Customer);
    let login = |email: &str| {
        browser.goto(&format!("{base}/login"));
        browser.fill("#f-email", email);
        browser.fill("#f-password", PASSWORD);
        browser.submit("main form button[type=submit]");
    };
    let add_to_cart = |slug: &str| {
        browser.goto(&format!("{base}/products/{slug}"));
        browser.fill("#quantity", "1");
        browser.submit("form.add-to-cart button");
    };

    // A customer with an order behind her and two products in her cart.
    login("ana@example.fr");
    add_to_cart("fleur-de-sel-de-guerande-250-g");
    browser.goto(&format!("{base}/checkout"));
    browser.fill("#f-full_name", "Ana Lefèvre-Delacroix de la Tour");
    browser.fill("#f-street", "12 rue des Lilas, bâtiment B, escalier 3");
    browser.fill("#f-postal_code", "69003");
    browser.fill("#f-city", "Lyon");
    browser.submit("form.checkout-form button[type=submit]");
    browser.click("#f-accept_terms");
    browser.submit("form.confirm button[type=submit]");
    let order = browser.url()[base.len()..].to_string();
    assert!(order.starts_with("/orders/"), "{order}");
    let number = order
        .trim_start_matches("/orders/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_string();
    // An automatic promotion (the cart shows its line), a sold-out product with its alert form
    // and a visitor's alert waiting for it (the back-office lists the demand).
    let owner = crate::helpers::create_user_in(&mut server.conn(), "m@comptoir.test", Role::Staff);
    comptoir::discounts::model::create(
        &mut server.conn(),
        &comptoir::discounts::model::NewCode {
            code: "PRINTEMPS-DES-EPICES".into(),
            kind: comptoir::discounts::rules::Kind::Percent,
            value: 1000,
            scope: comptoir::discounts::rules::Scope::Basket,
            category_id: None,
            products: Vec::new(),
            min_basket_cents: comptoir::money::Money::ZERO,
            starts_at: None,
            ends_at: None,
            max_uses: Some(100),
            max_uses_per_customer: Some(1),
            automatic: true,
        },
        owner,
    )
    .unwrap();
    crate::helpers::set_stock_of(&mut server.conn(), SOLD_OUT, 0);
    add_to_cart("fleur-de-sel-de-guerande-250-g");
    add_to_cart("moutarde-de-dijon-a-l-ancienne");
    browser.goto(&format!("{base}/products/{SOLD_OUT}"));
    browser.submit("form.stock-alert button");

    // From here the shop ships by weight and zone, with its pickup locations.
    comptoir::seed::demo_shipping(&mut server.conn()).unwrap();
    // And runs the demo's sale (its crossed-out reference price on listings and the page).
    comptoir::seed::demo_sale(&mut server.conn()).unwrap();
    // And states its products' composition and safety facts (manufacturers, food information).
    comptoir::seed::demo_facts(&mut server.conn()).unwrap();
    let category = {
        browser.goto(&format!("{base}/"));
        let href = browser
            .run("return document.querySelector(\"a[href^='/categories/']\").getAttribute('href')");
        href.as_str().unwrap().to_string()
    };
    let sold_out = format!("/products/{SOLD_OUT}");
    let withdraw = order.replacen('?', "/withdraw?", 1);
    let alert = format!("/products/{SOLD_OUT}/alert");
    let storefront: Vec<(&str, &str)> = vec![
        ("home", "/"),
        ("category", &category),
        ("product", "/products/fleur-de-sel-de-guerande-250-g"),
        (
            "product-sale",
            "/products/huile-d-olive-vierge-extra-de-provence-50-cl",
        ),
        ("product-food", "/products/moutarde-de-dijon-a-l-ancienne"),
        ("search", "/search?q=moutarde"),
        ("search-none", "/search?q=zzzz"),
        ("cart", "/cart"),
        ("product-sold-out", &sold_out),
        ("product-sizes", "/products/tablier-en-toile-de-coton"),
        (
            "product-alcohol",
            "/products/cotes-du-rhone-villages-rouge-2022",
        ),
        ("stock-alert", &alert),
        ("checkout", "/checkout"),
        ("order", &order),
        ("withdraw-start", "/retractation"),
        ("withdraw-form", &withdraw),
        ("accessibility", "/accessibilite"),
        ("account", "/account"),
        ("account-orders", "/account/orders"),
        ("account-2fa", "/account/2fa"),
        ("terms", "/cgv"),
        ("delivery", "/delivery"),
        ("legal-notice", "/mentions-legales"),
        ("privacy", "/privacy"),
        ("contact", "/contact"),
        ("not-found", "/no-such-page"),
    ];
    let admin_order = format!("/admin/orders/{number}");
    let apron = format!(
        "/admin/products/{}",
        crate::concurrency::product_id(&server, "tablier-en-toile-de-coton")
    );
    let back_office: Vec<(&str, &str)> = vec![
        ("admin-dashboard", "/admin"),
        ("admin-orders", "/admin/orders"),
        ("admin-order", &admin_order),
        ("admin-products", "/admin/products"),
        ("admin-product-new", "/admin/products/new"),
        ("admin-product-sizes", &apron),
        ("admin-shipping", "/admin/shipping"),
        ("admin-stock-low", "/admin/stock/low"),
        ("admin-stock-alerts", "/admin/stock/alerts"),
        ("admin-discounts", "/admin/discounts"),
        ("admin-sales", "/admin/sales"),
        ("admin-manufacturers", "/admin/manufacturers"),
        ("admin-categories", "/admin/categories"),
        ("admin-customers", "/admin/customers"),
        ("admin-emails", "/admin/emails"),
        ("admin-audit", "/admin/audit"),
        ("admin-staff", "/admin/staff"),
        ("admin-settings", "/admin/settings"),
        ("admin-legal", "/admin/legal"),
    ];

    let mut sweep = Sweep {
        browser: &browser,
        base: base.clone(),
        axe,
        shots,
        problems: Vec::new(),
        pages: 0,
    };
    for lang in LANGS {
        browser.set_cookie("lang", lang);
        sweep.pages(lang, &storefront);
    }
    browser.resize(1280, 900);
    browser.submit("form[action='/logout'] button");
    for lang in LANGS {
        browser.set_cookie("lang", lang);
        sweep.pages(
            lang,
            &[
                ("login", "/login"),
                ("register", "/register"),
                ("password-forgot", "/password/forgot"),
            ],
        );
    }
    login("owner@comptoir.test");
    for lang in LANGS {
        browser.set_cookie("lang", lang);
        sweep.pages(lang, &back_office);
    }
    crate::helpers::save_emails(&mut server.conn());
    assert!(sweep.pages >= 100, "{} pages looked at", sweep.pages);
    assert!(
        sweep.problems.is_empty(),
        "{} problems:\n{}",
        sweep.problems.len(),
        sweep.problems.join("\n")
    );
}
