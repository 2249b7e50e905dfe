//! The test harness: `TestApp::spawn()` builds the shop on its own database; `app.browser()`
//! gives a cookie-keeping visitor whose helpers read like what a user does.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::{Client, LocalResponse};

use comptoir::accounts::model as accounts;
use comptoir::auth::password::Hasher;
use comptoir::auth::Role;
use comptoir::db::{self, DbConn};

pub const PEPPER: &str = "test-pepper";
pub const PASSWORD: &str = "correct horse battery staple";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Where a test's data lives; removed when the test ends.
pub enum TestDb {
    Sqlite {
        dir: PathBuf,
        url: String,
    },
    Postgres {
        server: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    pub fn create() -> TestDb {
        match std::env::var("COMPTOIR_TEST_POSTGRES") {
            Ok(server) if !server.is_empty() => {
                let server = server.trim_end_matches('/').to_string();
                let name = format!("comptoir_test_{}", unique());
                let mut admin = PgConnection::establish(&format!("{server}/postgres"))
                    .unwrap_or_else(|e| {
                        panic!("COMPTOIR_TEST_POSTGRES={server} is set but unreachable: {e}")
                    });
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let url = format!("{server}/{name}");
                TestDb::Postgres { server, name, url }
            }
            _ => TestDb::sqlite(),
        }
    }

    /// A SQLite database whatever backend the run is on.
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("comptoir-test-{}", unique()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}", dir.join("shop.db").display());
        TestDb::Sqlite { dir, url }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        match self {
            TestDb::Sqlite { dir, .. } => dir.join("data"),
            TestDb::Postgres { name, .. } => std::env::temp_dir().join(name),
        }
    }
}

/// Where the suite keeps the HTML it saw, for the Nu Html Checker that `.ci/run` runs over it:
/// `pages/` (the screenshot sweep's pages, as served) and `emails/` (the HTML part of each kind
/// of email a test queued, in each language).
pub fn html_dir(part: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/html-check")
        .join(part);
    std::fs::create_dir_all(&dir).expect("the HTML folder");
    dir
}

/// Writes `html` as `name` in `dir`, whole or not at all (tests write the same names at once).
pub fn save_html(dir: &std::path::Path, name: &str, html: &str) {
    let tmp = dir.join(format!(".{name}.{}", unique()));
    if std::fs::write(&tmp, html).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(name));
    }
}

/// The HTML part of every email in a shop's outbox, one file per kind and language.
pub fn save_emails(conn: &mut DbConn) {
    use comptoir::db::schema::email_outbox;
    use diesel::prelude::*;
    let Ok(emails) = email_outbox::table
        .select((email_outbox::kind, email_outbox::body_html))
        .load::<(String, String)>(conn)
    else {
        return;
    };
    let dir = html_dir("emails");
    for (kind, html) in emails {
        let lang = if html.contains("<html lang=\"en\"") {
            "en"
        } else {
            "fr"
        };
        save_html(&dir, &format!("{kind}-{lang}.html"), &html);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Ok(mut conn) = db::connect(self.db.url()) {
            save_emails(&mut conn);
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { dir, .. } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres { server, name, .. } => {
                let _ = std::fs::remove_dir_all(std::env::temp_dir().join(&*name));
                if let Ok(mut admin) = PgConnection::establish(&format!("{server}/postgres")) {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("{}_{}_{}", std::process::id(), n, rand_suffix())
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:08x}", rand::thread_rng().gen::<u32>())
}

pub struct TestApp {
    // Field order matters: the client (and its pool) goes before the database is dropped.
    pub client: Client,
    pub db: TestDb,
}

pub struct Options {
    pub seed: bool,
    pub page_size: i64,
    /// Deliver mail to a test SMTP server on this port (else into `.eml` files).
    pub smtp_port: Option<u16>,
    pub shop_email: Option<&'static str>,
    /// Point Rocket's template folder elsewhere, to serve only the embedded templates.
    pub template_dir: Option<&'static str>,
    /// Served behind TLS (secure cookies, HSTS).
    pub secure: bool,
    /// Card payments through a Stripe API at this base URL, webhooks signed with this secret.
    pub stripe: Option<(String, String)>,
    /// On SQLite whatever the run's backend (for what only SQLite does).
    pub sqlite: bool,
    /// Street suggestions from an address API at this base URL (a loopback server).
    pub address_api: Option<String>,
    /// The hourly ceiling of emails visitors ask for (`mail::limits`), when not the default.
    pub mail_hourly_ceiling: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: true,
            page_size: 4,
            smtp_port: None,
            shop_email: None,
            template_dir: None,
            secure: false,
            stripe: None,
            sqlite: false,
            address_api: None,
            mail_hourly_ceiling: None,
        }
    }
}

impl Options {
    pub fn with_smtp(port: u16) -> Options {
        Options {
            smtp_port: Some(port),
            ..Options::default()
        }
    }
}

/// The secret every test shop is configured with.
pub fn test_secret() -> String {
    STANDARD.encode([7u8; 48])
}

/// The configuration every test app runs with: its database, fast bcrypt, quick mail retries.
pub fn test_figment(db: &TestDb, options: &Options) -> rocket::figment::Figment {
    let mut figment = rocket::Config::figment()
        .merge(("databases.comptoir.url", db.url()))
        .merge(("databases.comptoir.pool_size", 8))
        .merge(("bcrypt_cost", 4))
        .merge(("hash_concurrency", 4))
        .merge(("password_pepper", PEPPER))
        .merge(("shop_secret", test_secret()))
        .merge(("page_size", options.page_size))
        .merge(("data_dir", db.data_dir()))
        // Nothing runs in the background: tests deliver mail and run the periodic tasks
        // themselves (`deliver_outbox`, `run_periodic`), at the moment they choose.
        .merge(("background_tasks", false))
        .merge(("mail_retry_base_ms", 100))
        .merge(("log_level", "off"));
    if let Some(port) = options.smtp_port {
        figment = figment
            .merge(("smtp_host", "127.0.0.1"))
            .merge(("smtp_port", port))
            .merge(("smtp_tls", "none"));
    }
    if let Some(dir) = options.template_dir {
        figment = figment.merge(("template_dir", dir));
    }
    if options.secure {
        figment = figment.merge(("secure_cookies", true));
    }
    if let Some((base, secret)) = &options.stripe {
        figment = figment
            .merge(("stripe_secret_key", "sk_test_comptoir"))
            .merge(("stripe_publishable_key", "pk_test_comptoir"))
            .merge(("stripe_api_base", base.as_str()))
            .merge(("stripe_js_url", format!("{base}/js.stripe.com/v3/")))
            .merge(("stripe_webhook_secret", secret.as_str()))
            .merge(("payment_timeout_secs", 5));
    }
    if let Some(base) = &options.address_api {
        figment = figment
            .merge(("address_api_url", base.as_str()))
            .merge(("address_api_timeout_ms", 500));
    }
    if let Some(email) = options.shop_email {
        figment = figment.merge(("shop_email", email));
    }
    if let Some(ceiling) = options.mail_hourly_ceiling {
        figment = figment.merge(("mail_hourly_ceiling", ceiling));
    }
    figment
}

/// A database of its own, migrated, with the demo catalogue when asked.
pub fn prepared_db(options: &Options) -> TestDb {
    let db = if options.sqlite {
        TestDb::sqlite()
    } else {
        TestDb::create()
    };
    let mut conn = db::connect_and_migrate(db.url()).expect("migrate test database");
    if options.seed {
        comptoir::seed::seed_demo(&mut conn).expect("seed demo catalogue");
    }
    db
}

impl TestApp {
    /// A shop with the demo catalogue, listing 4 products a page.
    pub fn spawn() -> TestApp {
        TestApp::with(Options::default())
    }

    pub fn empty() -> TestApp {
        TestApp::with(Options {
            seed: false,
            ..Options::default()
        })
    }

    pub fn with(options: Options) -> TestApp {
        let db = prepared_db(&options);
        let rocket = comptoir::app::build(test_figment(&db, &options)).expect("build app");
        let client = Client::untracked(rocket).expect("valid rocket");
        TestApp { client, db }
    }

    pub fn conn(&self) -> DbConn {
        db::connect(self.db.url()).expect("connect to test database")
    }

    /// The test database's URL, for threads that open their own connections.
    pub fn db_url(&self) -> String {
        self.db.url().to_string()
    }

    pub fn background(&self) -> comptoir::app::Background {
        comptoir::app::Background::of(self.client.rocket()).expect("the app's state")
    }

    /// Delivers every email due now, as the background sender would; returns how many were
    /// tried. When it returns, each delivered message is in the SMTP server's inbox.
    pub fn deliver_outbox(&self) -> usize {
        self.background().deliver_outbox().expect("mail settings")
    }

    /// One beat of the periodic tasks (unpaid-order expiry, housekeeping); returns how many
    /// orders were cancelled.
    pub fn run_periodic(&self) -> usize {
        self.background().run_periodic().expect("periodic tasks")
    }

    /// One pass of the card-payment reconciliation.
    pub fn reconcile_payments(&self) -> comptoir::payments::service::Reconciled {
        self.background()
            .reconcile_payments()
            .expect("reconciliation")
    }

    /// Time passes for the outbox: every retry scheduled for later is due now.
    pub fn make_retries_due(&self) {
        use comptoir::db::schema::email_outbox;
        use diesel::prelude::*;
        diesel::update(email_outbox::table.filter(email_outbox::status.eq("queued")))
            .set(email_outbox::next_attempt_at.eq(comptoir::db::now()))
            .execute(&mut self.conn())
            .expect("make retries due");
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser::over(&self.client)
    }

    /// Creates an account directly in the database (bcrypt at the test cost).
    pub fn create_user(&self, email: &str, role: Role) -> comptoir::ids::UserId {
        create_user_in(&mut self.conn(), email, role)
    }

    /// A browser signed in with a new account of that role.
    pub fn login_as(&self, role: Role) -> Browser<'_> {
        let email = format!("{}-{}@example.test", role.as_str(), rand_suffix());
        self.create_user(&email, role);
        let b = self.browser();
        let page = b.submit(
            "/login",
            &[("email", email.as_str()), ("password", PASSWORD)],
        );
        assert_eq!(
            page.status,
            Status::SeeOther,
            "login as {role:?} failed: {}",
            page.body
        );
        b
    }

    pub fn product_id(&self, slug: &str) -> comptoir::ids::ProductId {
        use comptoir::db::schema::products;
        use diesel::prelude::*;
        products::table
            .filter(products::slug.eq(slug))
            .select(products::id)
            .first(&mut self.conn())
            .expect("product exists")
    }

    pub fn stock(&self, slug: &str) -> i32 {
        stock_of(&mut self.conn(), slug)
    }

    pub fn set_stock(&self, slug: &str, stock: i32) {
        set_stock_of(&mut self.conn(), slug, stock)
    }

    /// Runs raw SQL for a count, on either backend.
    pub fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let q = format!("SELECT COUNT(*) AS n FROM {table}");
        diesel::sql_query(q)
            .get_result::<N>(&mut self.conn())
            .expect("count")
            .n
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: Status,
    pub body: String,
    pub location: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The text of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    /// The attribute of every element matching a CSS selector (elements without it skipped).
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn csrf(&self) -> Option<String> {
        self.attr("input[name=_csrf]", "value")
    }
}

/// A visitor with a cookie jar.
pub struct Browser<'c> {
    client: &'c Client,
    cookies: RefCell<BTreeMap<String, String>>,
    headers: Vec<Header<'static>>,
    /// The client's address as the shop sees it (none: the local client's default).
    remote: Option<std::net::SocketAddr>,
}

impl<'c> Browser<'c> {
    /// A new visitor of the shop `client` serves (a second instance, say).
    pub fn over(client: &'c Client) -> Browser<'c> {
        Browser {
            client,
            cookies: RefCell::new(BTreeMap::new()),
            headers: Vec::new(),
            remote: None,
        }
    }

    /// The same visitor, connecting from `address`.
    pub fn connecting_from(mut self, address: std::net::SocketAddr) -> Self {
        self.remote = Some(address);
        self
    }
}

impl Browser<'_> {
    pub fn with_header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.borrow().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .borrow_mut()
            .insert(name.to_string(), value.to_string());
    }

    fn read(&self, response: LocalResponse<'_>) -> Page {
        for c in response.cookies().iter() {
            let expired =
                c.max_age().is_some_and(|a| a.is_zero() || a.is_negative()) || c.value().is_empty();
            if expired {
                self.cookies.borrow_mut().remove(c.name());
            } else {
                self.cookies
                    .borrow_mut()
                    .insert(c.name().to_string(), c.value().to_string());
            }
        }
        let headers = response
            .headers()
            .iter()
            .map(|h| (h.name().to_string(), h.value().to_string()))
            .collect();
        let status = response.status();
        let location = response.headers().get_one("Location").map(str::to_string);
        let body = response.into_string().unwrap_or_default();
        Page {
            status,
            body,
            location,
            headers,
        }
    }

    fn prepare<'r>(
        &self,
        mut req: rocket::local::blocking::LocalRequest<'r>,
    ) -> rocket::local::blocking::LocalRequest<'r> {
        for (name, value) in self.cookies.borrow().iter() {
            req = req.cookie(rocket::http::Cookie::new(name.clone(), value.clone()));
        }
        for h in &self.headers {
            req = req.header(h.clone());
        }
        if let Some(address) = self.remote {
            req = req.remote(address);
        }
        req
    }

    pub fn get(&self, path: &str) -> Page {
        let req = self.prepare(self.client.get(path.to_string()));
        self.read(req.dispatch())
    }

    /// A file: its status, its content type and its bytes.
    pub fn get_bytes(&self, path: &str) -> (Status, Option<String>, Vec<u8>) {
        let response = self.prepare(self.client.get(path.to_string())).dispatch();
        let status = response.status();
        let kind = response.content_type().map(|c| c.to_string());
        let bytes = response.into_bytes().unwrap_or_default();
        (status, kind, bytes)
    }

    /// The CSRF token this visitor's pages carry now.
    pub fn csrf(&self) -> String {
        self.get("/").csrf().expect("pages carry a CSRF token")
    }

    /// Posts a form the way the browser does after loading a page: with this visitor's token.
    pub fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &encode(&all))
    }

    /// Posts exactly this url-encoded body, with no token added.
    pub fn post_raw(&self, path: &str, body: &str) -> Page {
        let req = self
            .prepare(self.client.post(path.to_string()))
            .header(ContentType::Form)
            .body(body);
        self.read(req.dispatch())
    }

    /// A multipart form with one file, as a browser sends an upload (with this visitor's token).
    pub fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Page {
        let token = self.csrf();
        self.upload_with_token(&token, path, fields, file_name, content_type, bytes)
    }

    pub fn upload_with_token(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Page {
        let boundary = "----comptoir-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token)];
        all.extend_from_slice(fields);
        for (name, value) in all {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        let field = if file_name.ends_with(".csv") {
            "file"
        } else {
            "image"
        };
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let ct = ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
        let req = self
            .prepare(self.client.post(path.to_string()))
            .header(ct)
            .body(body);
        self.read(req.dispatch())
    }

    /// Posts a raw body (JSON, say) with these headers, as a provider's webhook does.
    pub fn post_body(&self, path: &str, body: &[u8], headers: &[(String, String)]) -> Page {
        let mut req = self
            .prepare(self.client.post(path.to_string()))
            .header(ContentType::JSON)
            .body(body);
        for (n, v) in headers {
            req = req.header(Header::new(n.clone(), v.clone()));
        }
        self.read(req.dispatch())
    }

    pub fn post_with_headers(
        &self,
        path: &str,
        body: &str,
        headers: &[(&'static str, &'static str)],
    ) -> Page {
        let mut req = self
            .prepare(self.client.post(path.to_string()))
            .header(ContentType::Form)
            .body(body);
        for (n, v) in headers {
            req = req.header(Header::new(*n, *v));
        }
        self.read(req.dispatch())
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn stock_of(conn: &mut DbConn, slug: &str) -> i32 {
    use comptoir::db::schema::products;
    use diesel::prelude::*;
    products::table
        .filter(products::slug.eq(slug))
        .select(products::stock)
        .first(conn)
        .expect("product exists")
}

/// Sets the stock of a product without options (its one variant, and so its total).
pub fn set_stock_of(conn: &mut DbConn, slug: &str, stock: i32) {
    use comptoir::db::schema::{product_variants, products};
    use diesel::prelude::*;
    let id: i64 = products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(conn)
        .expect("product exists");
    let n = diesel::update(product_variants::table.filter(product_variants::product_id.eq(id)))
        .set(product_variants::stock.eq(stock))
        .execute(conn)
        .expect("set stock");
    assert_eq!(n, 1, "{slug} has variants: set each one's stock");
    diesel::update(products::table.find(id))
        .set(products::stock.eq(stock))
        .execute(conn)
        .expect("set stock");
}

/// A checkout form filled in as a guest in Lyon would.
pub fn address(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("email", email.to_string()),
        ("full_name", "Ana Lefèvre".to_string()),
        ("street", "12 rue des Lilas".to_string()),
        ("postal_code", "69003".to_string()),
        ("city", "Lyon".to_string()),
        ("country", "FR".to_string()),
        ("phone", "".to_string()),
        ("shipping", "standard".to_string()),
        ("payment", "bank_transfer".to_string()),
    ]
}

pub fn as_refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The token of the last account link of that kind sent to `to` (read from the outbox).
pub fn link_token(app: &TestApp, kind: &str, to: &str) -> String {
    use comptoir::db::schema::email_outbox;
    use diesel::prelude::*;
    let text: String = email_outbox::table
        .filter(email_outbox::kind.eq(kind))
        .filter(email_outbox::to_address.eq(to))
        .order(email_outbox::id.desc())
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .unwrap_or_else(|_| panic!("a {kind} email to {to}"));
    text.split("token=")
        .nth(1)
        .expect("a link with a token")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// A verified account with the test password, straight into a database.
pub fn create_user_in(conn: &mut DbConn, email: &str, role: Role) -> comptoir::ids::UserId {
    let hash = Hasher::new(4, PEPPER.as_bytes().to_vec(), 1)
        .hash_blocking(PASSWORD)
        .expect("hash");
    let id = accounts::create(conn, email, &hash, role, "Test user", None).expect("create user");
    accounts::mark_verified(conn, id).expect("verify user");
    id
}

/// The back-office's product CSV, as a staff member downloads it: its header, and the first row
/// of the product with this slug, each value under its column's name.
pub fn exported_product(
    staff: &Browser<'_>,
    slug: &str,
) -> (Vec<String>, std::collections::HashMap<String, String>) {
    let export = staff.get("/admin/products.csv");
    let mut reader = csv::Reader::from_reader(export.body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == slug)
        .unwrap_or_else(|| panic!("{slug} is not exported"));
    let values = header
        .iter()
        .cloned()
        .zip(row.iter().map(str::to_string))
        .collect();
    (header, values)
}
