//! Black-box drills against the shop's binary, run by `.ci/run` through `scripts/drill`:
//!
//! - `crash`: eight buyers order over loopback without pause while the server is killed with
//!   SIGKILL five times at random moments and started again. A buyer whose confirmation was cut
//!   sends it again with the same key (as a browser's reload would). Afterwards: acknowledged
//!   orders, those found with all their lines, stock mismatches, orders without exactly one
//!   confirmation email, answers 5xx.
//! - `outage` (PostgreSQL): the database is stopped for ten seconds under load, then started;
//!   the server must answer every request within the pool's timeout (503 while the database is
//!   away), serve again without a restart, and deliver the mail queued around the outage.
//! - `instances` (PostgreSQL): two servers on one database behind nginx: a customer signs in on
//!   one and checks out on the other, a picture uploaded on one shows on the other, 40 parallel
//!   orders across both get unique consecutive numbers and one email each while one instance is
//!   killed mid-run.
//!
//! - `crossed`: forty buyers of the same two products, half with the lines in the other order,
//!   confirm at once: every order the stock allows is placed, none answered 5xx (no deadlock).
//!
//! - `checkout` (for `benches/run`): measures a running shop: `--buyers` buyers (one visitor
//!   each, who opens the home page once) place orders without pause for `--seconds`: one or
//!   two products into the cart, details, confirmation. It prints orders per second and an
//!   order's latency, then checks in the database (`--database-url`) that every acknowledged
//!   order is there with its lines and its confirmation email queued.
//!
//! Usage: `drill crossed|crash|outage|instances --binary PATH [--database sqlite|postgres]`, or
//! `drill checkout --base URL --database-url URL [--seconds 10] [--buyers 16]`. Each prints
//! its figures and exits 1 when one that must be zero is not.

#[allow(dead_code)]
#[path = "../tests/app/smtp.rs"]
mod smtp;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rand::Rng;

use comptoir::db::schema::{email_outbox, order_lines, orders, product_variants, products};

const SECRET: &str = "ZHJpbGwtc2VjcmV0LWRyaWxsLXNlY3JldC1kcmlsbC1zZWNyZXQtZHJpbGwtc2VjcmV0";
const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

// ---------------------------------------------------------------------------------------------
// The database the drill's shop runs on.

struct Database {
    url: String,
    dir: PathBuf,
    pg_name: Option<String>,
}

impl Database {
    fn create(kind: &str) -> Database {
        let dir = std::env::temp_dir().join(format!("comptoir-drill-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder for the drill");
        if kind == "postgres" {
            let name = format!("comptoir_drill_{}", std::process::id());
            let mut admin = PgConnection::establish(&format!("{PG_SERVER}/postgres"))
                .expect("PostgreSQL at 127.0.0.1:5432");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut admin)
                .unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .unwrap();
            Database {
                url: format!("{PG_SERVER}/{name}"),
                dir,
                pg_name: Some(name),
            }
        } else {
            let url = format!("sqlite://{}", dir.join("shop.db").display());
            Database {
                url,
                dir,
                pg_name: None,
            }
        }
    }

    fn conn(&self) -> comptoir::db::DbConn {
        comptoir::db::connect(&self.url).expect("the drill's database")
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut admin) = PgConnection::establish(&format!("{PG_SERVER}/postgres")) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------------------------
// The shop's process.

struct Shop {
    binary: PathBuf,
    env: Vec<(String, String)>,
    port: u16,
    log: PathBuf,
    child: Option<Child>,
    /// ERROR lines the shop logged while starting, over every start: a healthy start logs
    /// none, even right after a kill -9.
    start_errors: Arc<AtomicUsize>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Shop {
    fn new(binary: &Path, db: &Database, smtp_port: u16, name: &str) -> Shop {
        let port = free_port();
        let data = db.dir.join(format!("data-{name}"));
        let env = [
            ("DATABASE_URL", db.url.clone()),
            ("ROCKET_ADDRESS", "127.0.0.1".into()),
            ("ROCKET_PORT", port.to_string()),
            ("ROCKET_BASE_URL", format!("http://127.0.0.1:{port}")),
            ("ROCKET_DATA_DIR", data.display().to_string()),
            ("ROCKET_SHOP_SECRET", SECRET.into()),
            ("ROCKET_BCRYPT_COST", "4".into()),
            ("ROCKET_SMTP_HOST", "127.0.0.1".into()),
            ("ROCKET_SMTP_PORT", smtp_port.to_string()),
            ("ROCKET_SMTP_TLS", "none".into()),
            ("ROCKET_MAIL_POLL_MS", "200".into()),
            ("ROCKET_MAIL_RETRY_BASE_MS", "500".into()),
            ("ROCKET_SHUTDOWN_GRACE_SECS", "3".into()),
            ("ROCKET_LOG_FORMAT", "json".into()),
            ("RUST_LOG", "warn".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Shop {
            binary: binary.to_path_buf(),
            env,
            port,
            log: db.dir.join(format!("{name}.log")),
            child: None,
            start_errors: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.binary);
        c.args(args).envs(self.env.iter().map(|(k, v)| (k, v)));
        c
    }

    /// Migrates and seeds the demo catalogue (once, before the first start).
    fn seed(&self) {
        let out = self
            .command(&["seed-demo"])
            .output()
            .expect("run seed-demo");
        assert!(
            out.status.success(),
            "seed-demo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server and returns once it listens (it says so on its output).
    fn start(&mut self) {
        let mut child = self
            .command(&["serve"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the shop");
        let stdout = child.stdout.take().unwrap();
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let start_errors = Arc::clone(&self.start_errors);
        std::thread::spawn(move || {
            let mut launched = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("Rocket has launched") {
                    launched = true;
                    let _ = tx.send(());
                }
                if !launched && line.contains("\"level\":\"ERROR\"") {
                    start_errors.fetch_add(1, Ordering::SeqCst);
                    println!("  logged while starting: {line}");
                }
                let _ = writeln!(log, "{line}");
            }
        });
        rx.recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the shop did not start: see {}", self.log.display()));
        self.child = Some(child);
    }

    fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM; true when it exits 0.
    fn stop(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        child.wait().map(|s| s.success()).unwrap_or(false)
    }

    /// The incidents (500s) the shop logged, to say why.
    fn print_incidents(&self) {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let errors = log
            .lines()
            .filter(|l| l.contains("\"ERROR\"") || l.contains("panick"))
            .filter(|l| !l.contains("\"target\":\"r2d2\""));
        for line in errors.take(8) {
            println!("  logged: {line}");
        }
    }

    fn running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }
}

impl Drop for Shop {
    fn drop(&mut self) {
        self.kill9();
    }
}

// ---------------------------------------------------------------------------------------------
// A buyer: a browser's requests, with its cookies.

#[derive(Default)]
struct Tally {
    /// Orders whose confirmation page reached the buyer: number → lines (product, quantity).
    acknowledged: BTreeMap<String, Vec<(i64, i32)>>,
    /// Answers 5xx, by step and status.
    errors_5xx: Vec<String>,
    /// Requests cut by a kill (connection refused or reset): expected, not counted as errors.
    cut: usize,
    /// Answers 503 (allowed where the drill says so).
    unavailable: usize,
    /// The slowest answer.
    slowest: Duration,
    /// Every request: when it ended, its status (none when cut), how long it took, and whether
    /// a 503 came with the shop's page.
    events: Vec<(Instant, Option<u16>, Duration)>,
}

enum Step {
    Answer(u16, String, Option<String>),
    Cut,
}

struct Buyer {
    agent: ureq::Agent,
    base: String,
}

/// The order's number in its address (`/orders/<number>?…`).
fn order_number(location: &str) -> Option<String> {
    Some(
        location
            .trim_start_matches("/orders/")
            .split(['?', '/'])
            .next()?
            .to_string(),
    )
}

fn input(html: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).ok()?;
    doc.select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Buyer {
    /// The same visitor (its cookies) on another address.
    fn at(&self, base: &str) -> Buyer {
        Buyer {
            agent: self.agent.clone(),
            base: base.to_string(),
        }
    }

    /// Signs in; true when the shop accepted.
    fn sign_in(&self, email: &str, password: &str, tally: &Mutex<Tally>) -> bool {
        let Step::Answer(200, page, _) = self.get("/login", tally) else {
            return false;
        };
        let Some(token) = input(&page, "_csrf") else {
            return false;
        };
        let fields = [
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ];
        matches!(self.post("/login", &fields, tally), Step::Answer(303, ..))
    }

    /// Uploads a picture to a product from its back-office page; true when accepted.
    fn upload_picture(&self, product: i64, png: &[u8], tally: &Mutex<Tally>) -> bool {
        let page = format!("/admin/products/{product}");
        let Step::Answer(200, html, _) = self.get(&page, tally) else {
            return false;
        };
        let Some(token) = input(&html, "_csrf") else {
            return false;
        };
        let boundary = "drill-boundary-7d1f0c";
        let mut body = Vec::new();
        for (name, value) in [("_csrf", token.as_str()), ("alt", "Drill picture")] {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; \
                 filename=\"drill.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(png);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let sent = self
            .agent
            .post(format!("{}{page}/images", self.base))
            .content_type(format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..]);
        matches!(sent, Ok(r) if r.status().as_u16() == 303)
    }

    fn get_bytes(&self, path: &str) -> Option<Vec<u8>> {
        let mut r = self.agent.get(format!("{}{path}", self.base)).call().ok()?;
        (r.status().as_u16() == 200).then(|| r.body_mut().read_to_vec().ok())?
    }

    fn new(base: &str) -> Buyer {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Buyer {
            agent,
            base: base.to_string(),
        }
    }

    fn record(tally: &Mutex<Tally>, what: &str, started: Instant, step: &Step) {
        let mut t = tally.lock().unwrap();
        t.slowest = t.slowest.max(started.elapsed());
        let status = match step {
            Step::Answer(s, ..) => Some(*s),
            Step::Cut => None,
        };
        t.events.push((Instant::now(), status, started.elapsed()));
        if let Step::Answer(503, body, _) = step {
            if !body.contains("<html") {
                t.errors_5xx
                    .push(format!("{what}: 503 without the shop's page"));
            }
        }
        match step {
            Step::Answer(503, ..) => t.unavailable += 1,
            Step::Answer(s, ..) if *s >= 500 => t.errors_5xx.push(format!("{what}: {s}")),
            Step::Answer(..) => {}
            Step::Cut => t.cut += 1,
        }
    }

    fn get(&self, path: &str, tally: &Mutex<Tally>) -> Step {
        let started = Instant::now();
        let step = match self.agent.get(format!("{}{path}", self.base)).call() {
            // The proxy's word for an instance that went away: a cut, as without a proxy.
            Ok(r) if matches!(r.status().as_u16(), 502 | 504) => Step::Cut,
            Ok(mut r) => Step::Answer(
                r.status().as_u16(),
                r.body_mut().read_to_string().unwrap_or_default(),
                None,
            ),
            Err(_) => Step::Cut,
        };
        Buyer::record(
            tally,
            &format!("GET {}", path.split('?').next().unwrap()),
            started,
            &step,
        );
        step
    }

    fn post(&self, path: &str, fields: &[(&str, &str)], tally: &Mutex<Tally>) -> Step {
        let started = Instant::now();
        let sent = self
            .agent
            .post(format!("{}{path}", self.base))
            .content_type("application/x-www-form-urlencoded")
            .send(encode(fields));
        let step = match sent {
            Ok(r) if matches!(r.status().as_u16(), 502 | 504) => Step::Cut,
            Ok(mut r) => {
                let location = r
                    .headers()
                    .get("Location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let status = r.status().as_u16();
                let body = r.body_mut().read_to_string().unwrap_or_default();
                Step::Answer(status, body, location)
            }
            Err(_) => Step::Cut,
        };
        Buyer::record(tally, &format!("POST {path}"), started, &step);
        step
    }

    /// One order from an empty cart to its confirmation page. Returns the order's number when
    /// the confirmation page was reached; a step cut by a kill ends the attempt, except the
    /// confirmation, which is sent again with the same key until the shop answers.
    fn order(&self, email: &str, lines: &[(i64, i32)], tally: &Mutex<Tally>) -> Option<String> {
        let ready = self.prepare(email, lines, tally)?;
        self.confirm(&ready, tally)
    }

    /// Fills the cart and reaches the review step; returns the confirmation's fields.
    fn prepare(
        &self,
        email: &str,
        lines: &[(i64, i32)],
        tally: &Mutex<Tally>,
    ) -> Option<Vec<(&'static str, String)>> {
        let Step::Answer(200, home, _) = self.get("/", tally) else {
            return None;
        };
        let token = input(&home, "_csrf")?;
        self.fill_and_review(&token, email, lines, tally)
    }

    /// Puts `lines` in the cart and sends the details; returns the confirmation's fields (the
    /// review page's key included).
    fn fill_and_review(
        &self,
        token: &str,
        email: &str,
        lines: &[(i64, i32)],
        tally: &Mutex<Tally>,
    ) -> Option<Vec<(&'static str, String)>> {
        for (product, quantity) in lines {
            let (p, q) = (product.to_string(), quantity.to_string());
            let added = self.post(
                "/cart/add",
                &[("_csrf", token), ("product_id", &p), ("quantity", &q)],
                tally,
            );
            if !matches!(added, Step::Answer(303, ..)) {
                return None;
            }
        }
        let mut fields: Vec<(&'static str, String)> = [
            ("_csrf", token),
            ("email", email),
            ("full_name", "Ana Lefèvre"),
            ("street", "12 rue des Lilas"),
            ("postal_code", "69003"),
            ("city", "Lyon"),
            ("country", "FR"),
            ("phone", ""),
            ("shipping", "standard"),
            ("payment", "bank_transfer"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Step::Answer(200, review, _) = self.post("/checkout", &refs, tally) else {
            return None;
        };
        fields.push(("key", input(&review, "key")?));
        fields.push(("accept_terms", "true".into()));
        // Buyers of age, should the basket hold alcohol (code de la santé publique L3342-1).
        fields.push(("adult", "true".into()));
        Some(fields)
    }

    /// One order as `benches/run` counts it: into the cart, details, confirmation (the shop
    /// answers with the order's address); the visitor and its form token are kept from one
    /// order to the next, as a customer ordering again.
    fn order_again(
        &self,
        token: &str,
        email: &str,
        lines: &[(i64, i32)],
        tally: &Mutex<Tally>,
    ) -> Option<String> {
        let fields = self.fill_and_review(token, email, lines, tally)?;
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        match self.post("/checkout/confirm", &refs, tally) {
            Step::Answer(303, _, Some(l)) if l.starts_with("/orders/") => order_number(&l),
            _ => None,
        }
    }

    /// Confirms; sent again while the shop is away (as a reload would), up to a minute.
    fn confirm(&self, fields: &[(&'static str, String)], tally: &Mutex<Tally>) -> Option<String> {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let deadline = Instant::now() + Duration::from_secs(60);
        let location = loop {
            match self.post("/checkout/confirm", &refs, tally) {
                Step::Answer(303, _, Some(l)) if l.starts_with("/orders/") => break l,
                Step::Answer(..) => return None,
                Step::Cut if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Step::Cut => return None,
            }
        };
        let number = order_number(&location)?;
        loop {
            match self.get(&location, tally) {
                Step::Answer(200, page, _) if page.contains(&number) => return Some(number),
                Step::Answer(..) => return None,
                Step::Cut if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Step::Cut => return None,
            }
        }
    }
}

/// Buyers ordering without pause until `stop`; each order has one or two of `products` (in
/// either order: crossed carts), one unit each, and its own email address.
fn buyers(
    base: Arc<Mutex<Vec<String>>>,
    products: &[i64],
    count: usize,
    tally: &Arc<Mutex<Tally>>,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..count)
        .map(|b| {
            let (base, tally, stop) = (base.clone(), tally.clone(), stop.clone());
            let products = products.to_vec();
            std::thread::spawn(move || {
                let mut rng = rand::thread_rng();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let bases = base.lock().unwrap().clone();
                    let buyer = Buyer::new(&bases[n % bases.len()]);
                    let mut lines: Vec<(i64, i32)> = products.iter().map(|p| (*p, 1)).collect();
                    if rng.gen_bool(0.5) {
                        lines.reverse();
                    }
                    lines.truncate(rng.gen_range(1..=lines.len()));
                    let email = format!("drill-{b}-{n}@example.fr");
                    match buyer.order(&email, &lines, &tally) {
                        Some(number) => {
                            tally.lock().unwrap().acknowledged.insert(number, lines);
                        }
                        // Cut by a kill: a moment for the shop to come back.
                        None => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What the database and the mail server say afterwards.

struct Figures {
    rows: Vec<(String, String)>,
    failed: bool,
}

impl Figures {
    fn new() -> Figures {
        Figures {
            rows: Vec::new(),
            failed: false,
        }
    }

    /// A figure for information.
    fn info(&mut self, label: &str, value: impl ToString) {
        self.rows.push((label.to_string(), value.to_string()));
    }

    /// A figure that must be zero.
    fn zero(&mut self, label: &str, value: usize) {
        let mark = if value == 0 { "ok" } else { "FAILED" };
        self.rows
            .push((format!("{label} (must be 0)"), format!("{value}  {mark}")));
        self.failed |= value != 0;
    }

    fn check(&mut self, label: &str, ok: bool, value: impl ToString) {
        let mark = if ok { "ok" } else { "FAILED" };
        self.rows
            .push((label.to_string(), format!("{}  {mark}", value.to_string())));
        self.failed |= !ok;
    }

    /// Acknowledged orders found with all their lines (all of them, or the drill fails).
    fn found(&mut self, conn: &mut comptoir::db::DbConn, tally: &Tally) {
        let missing = missing_orders(conn, tally);
        self.check(
            "acknowledged orders found with all their lines",
            missing == 0,
            tally.acknowledged.len() - missing,
        );
    }

    /// Prints the figures, then, when the drill failed, the 5xx answers and what the shops
    /// logged as errors.
    fn finish(&self, title: &str, tally: &Tally, shops: &[&Shop]) -> ExitCode {
        for e in tally.errors_5xx.iter().take(5) {
            println!("  5xx: {e}");
        }
        if self.failed {
            for shop in shops {
                shop.print_incidents();
            }
        }
        self.print(title)
    }

    fn print(&self, title: &str) -> ExitCode {
        println!("\n{title}");
        let width = self.rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        for (label, value) in &self.rows {
            println!("  {label:<width$}  {value}");
        }
        if self.failed {
            println!("  => drill FAILED");
            ExitCode::FAILURE
        } else {
            println!("  => drill passed");
            ExitCode::SUCCESS
        }
    }
}

fn stock_of(conn: &mut comptoir::db::DbConn, ids: &[i64]) -> HashMap<i64, i32> {
    products::table
        .filter(products::id.eq_any(ids))
        .select((products::id, products::stock))
        .load::<(i64, i32)>(conn)
        .unwrap()
        .into_iter()
        .collect()
}

/// Acknowledged orders missing or without all their lines.
fn missing_orders(conn: &mut comptoir::db::DbConn, tally: &Tally) -> usize {
    let mut missing = 0;
    for (number, lines) in &tally.acknowledged {
        let found: Vec<(i64, i32)> = order_lines::table
            .inner_join(orders::table)
            .filter(orders::number.eq(number))
            .select((order_lines::product_id, order_lines::quantity))
            .load::<(Option<i64>, i32)>(conn)
            .unwrap()
            .into_iter()
            .map(|(p, q)| (p.unwrap_or(-1), q))
            .collect();
        let mut want = lines.clone();
        let mut got = found;
        want.sort();
        got.sort();
        if want != got {
            missing += 1;
        }
    }
    missing
}

/// Per product: initial − sold ≠ current.
fn stock_mismatches(conn: &mut comptoir::db::DbConn, initial: &HashMap<i64, i32>) -> (usize, i64) {
    let sold: Vec<(Option<i64>, i32)> = order_lines::table
        .inner_join(orders::table)
        .filter(orders::status.ne("cancelled"))
        .select((order_lines::product_id, order_lines::quantity))
        .load(conn)
        .unwrap();
    let mut by_product: HashMap<i64, i64> = HashMap::new();
    for (p, q) in sold {
        *by_product.entry(p.unwrap_or(-1)).or_default() += q as i64;
    }
    let now = stock_of(conn, &initial.keys().copied().collect::<Vec<_>>());
    let mismatches = initial
        .iter()
        .filter(|(p, start)| {
            **start as i64 - by_product.get(p).copied().unwrap_or(0) != now[p] as i64
        })
        .count();
    (mismatches, by_product.values().sum())
}

/// Waits (bounded) until the outbox holds nothing left to send.
fn drain_outbox(conn: &mut comptoir::db::DbConn, limit: Duration) -> i64 {
    let deadline = Instant::now() + limit;
    let mut told = Instant::now();
    loop {
        let waiting: i64 = email_outbox::table
            .filter(email_outbox::status.eq_any(["queued", "sending"]))
            .count()
            .get_result(conn)
            .unwrap();
        if waiting == 0 || Instant::now() > deadline {
            return waiting;
        }
        if told.elapsed() >= Duration::from_secs(10) {
            println!("  {waiting} emails still waiting");
            told = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Orders whose customer did not get exactly one confirmation (distinct Message-IDs; a copy of
/// the same message after a crash is counted apart).
fn confirmation_counts(
    conn: &mut comptoir::db::DbConn,
    smtp: &smtp::SmtpServer,
) -> (usize, usize, usize) {
    let emails: Vec<String> = orders::table.select(orders::email).load(conn).unwrap();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut copies = 0;
    let mut seen = HashSet::new();
    for m in smtp.messages() {
        let id = m.message_id().unwrap_or_default();
        if !seen.insert(id.clone()) {
            copies += 1;
        }
        for to in &m.to {
            ids.entry(to.clone()).or_default().insert(id.clone());
        }
    }
    let wrong = emails
        .iter()
        .filter(|e| ids.get(*e).map_or(0, HashSet::len) != 1)
        .count();
    (emails.len(), wrong, copies)
}

// ---------------------------------------------------------------------------------------------
// The drills.

fn products_for_drill(db: &Database, stock: i32) -> (Vec<i64>, HashMap<i64, i32>) {
    let mut conn = db.conn();
    let ids: Vec<i64> = products::table
        .filter(products::active.eq(true))
        .order(products::id)
        .limit(2)
        .select(products::id)
        .load(&mut conn)
        .unwrap();
    // Stock lives on the products' variants (one each here); the product keeps their sum.
    diesel::update(product_variants::table.filter(product_variants::product_id.eq_any(&ids)))
        .set(product_variants::stock.eq(stock))
        .execute(&mut conn)
        .unwrap();
    diesel::update(products::table.filter(products::id.eq_any(&ids)))
        .set(products::stock.eq(stock))
        .execute(&mut conn)
        .unwrap();
    let initial = stock_of(&mut conn, &ids);
    (ids, initial)
}

fn crash(binary: &Path, kind: &str) -> ExitCode {
    let smtp = smtp::SmtpServer::start();
    let db = Database::create(kind);
    let mut shop = Shop::new(binary, &db, smtp.port, "crash");
    shop.seed();
    let (ids, initial) = products_for_drill(&db, 1_000_000);
    shop.start();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let bases = Arc::new(Mutex::new(vec![shop.base()]));
    let workers = buyers(bases, &ids, 8, &tally, &stop);
    let mut rng = rand::thread_rng();
    let started = Instant::now();
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(rng.gen_range(1_500..4_000)));
        shop.kill9();
        shop.start();
    }
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let ran = started.elapsed();
    let mut conn = db.conn();
    let left = drain_outbox(&mut conn, Duration::from_secs(90));
    if left > 0 {
        let waiting: Vec<(String, i32, Option<String>, chrono::NaiveDateTime)> =
            email_outbox::table
                .filter(email_outbox::status.eq_any(["queued", "sending"]))
                .select((
                    email_outbox::status,
                    email_outbox::attempts,
                    email_outbox::last_error,
                    email_outbox::next_attempt_at,
                ))
                .limit(3)
                .load(&mut conn)
                .unwrap();
        println!("  waiting (first 3): {waiting:?} at {}", chrono::Utc::now());
    }
    let exited_cleanly = shop.stop();
    let tally = tally.lock().unwrap();
    let (orders, wrong_mail, copies) = confirmation_counts(&mut conn, &smtp);
    let (mismatches, sold) = stock_mismatches(&mut conn, &initial);
    let mut f = Figures::new();
    f.info("database", kind);
    f.info(
        "run",
        format!("{:.1} s, 8 buyers, 5 × kill -9", ran.as_secs_f64()),
    );
    f.info("orders acknowledged", tally.acknowledged.len());
    f.info("orders in the database", orders);
    f.info("units sold", sold);
    f.info("requests cut by a kill", tally.cut);
    f.info("repeated copies of a message (same Message-ID)", copies);
    f.found(&mut conn, &tally);
    f.zero("stock mismatches", mismatches);
    f.zero("orders with 0 or 2+ confirmation emails", wrong_mail);
    f.zero("emails still waiting", left as usize);
    f.zero("answers 5xx", tally.errors_5xx.len() + tally.unavailable);
    f.zero(
        "ERROR lines logged while starting (6 starts)",
        shop.start_errors.load(Ordering::SeqCst),
    );
    f.check(
        "shop stopped with SIGTERM, exit 0",
        exited_cleanly,
        exited_cleanly,
    );
    f.check(
        "orders placed",
        !tally.acknowledged.is_empty(),
        tally.acknowledged.len(),
    );
    f.finish("Crash drill", &tally, &[&shop])
}

/// Visitors reading pages without pause until `stop`.
fn readers(
    base: &str,
    count: usize,
    tally: &Arc<Mutex<Tally>>,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..count)
        .map(|_| {
            let (base, tally, stop) = (base.to_string(), tally.clone(), stop.clone());
            std::thread::spawn(move || {
                let reader = Buyer::new(&base);
                let pages = [
                    "/",
                    "/search?q=miel",
                    "/cgv",
                    "/products/moutarde-de-dijon-a-l-ancienne",
                ];
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    if let Step::Cut = reader.get(pages[n % pages.len()], &tally) {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            })
        })
        .collect()
}

fn pg_cluster(action: &str) -> bool {
    let version = std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .expect("a PostgreSQL cluster under /etc/postgresql");
    let mut args = vec!["--skip-systemctl-redirect", &version, "main", action];
    if action == "stop" {
        args.extend(["-m", "fast"]);
    }
    Command::new("pg_ctlcluster")
        .args(&args)
        .status()
        .is_ok_and(|s| s.success())
}

fn outage(binary: &Path) -> ExitCode {
    let smtp = smtp::SmtpServer::start();
    let db = Database::create("postgres");
    let mut shop = Shop::new(binary, &db, smtp.port, "outage");
    shop.seed();
    let (ids, _) = products_for_drill(&db, 1_000_000);
    shop.start();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = buyers(
        Arc::new(Mutex::new(vec![shop.base()])),
        &ids,
        4,
        &tally,
        &stop,
    );
    workers.extend(readers(&shop.base(), 4, &tally, &stop));
    std::thread::sleep(Duration::from_secs(3));
    // The window counted as "away" is from the moment the server is down to the moment it is
    // asked to start again.
    let stopped = pg_cluster("stop");
    let down = Instant::now();
    std::thread::sleep(Duration::from_secs(10));
    let restart = Instant::now();
    let started = pg_cluster("start");
    let up = Instant::now();
    std::thread::sleep(Duration::from_secs(8));
    let ordered_before_end = tally.lock().unwrap().acknowledged.len();
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let alive = shop.running();
    let mut conn = db.conn();
    let left = drain_outbox(&mut conn, Duration::from_secs(90));
    let exited_cleanly = shop.stop();
    let tally = tally.lock().unwrap();
    let (orders, wrong_mail, _) = confirmation_counts(&mut conn, &smtp);
    let during: Vec<_> = tally
        .events
        .iter()
        .filter(|(at, ..)| *at > down && *at < restart)
        .collect();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for (_, status, _) in &during {
        let key = status.map_or("cut".to_string(), |s| s.to_string());
        *statuses.entry(key).or_default() += 1;
    }
    let late_503 = tally
        .events
        .iter()
        .filter(|(at, s, _)| *at > up + Duration::from_secs(2) && *s == Some(503))
        .count();
    let slowest_during = during.iter().map(|(.., d)| *d).max().unwrap_or_default();
    let back = tally
        .events
        .iter()
        .filter(|(at, s, _)| *at > up && matches!(s, Some(200 | 303)))
        .map(|(at, ..)| at.duration_since(up))
        .min();
    let served_after = tally
        .events
        .iter()
        .filter(|(at, s, _)| *at > up && matches!(s, Some(200 | 303)))
        .count();
    let mut f = Figures::new();
    f.info(
        "database",
        "postgres, stopped 10 s under load (4 buyers, 4 readers)",
    );
    f.check(
        "PostgreSQL stopped and started again",
        stopped && started,
        stopped && started,
    );
    f.info(
        "answers while the database was away",
        format!("{statuses:?}"),
    );
    f.zero(
        "answers 5xx other than 503, or a 503 without the shop's page",
        tally.errors_5xx.len(),
    );
    f.check(
        "slowest answer while away (≤ 7 s: pool timeout 5 s)",
        slowest_during <= Duration::from_secs(7),
        format!("{:.2} s", slowest_during.as_secs_f64()),
    );
    f.check(
        "first page served after the database came back",
        back.is_some(),
        back.map_or("never".into(), |d| format!("{:.2} s", d.as_secs_f64())),
    );
    f.info("pages and orders served after it came back", served_after);
    f.check("server still running, never restarted", alive, alive);
    f.info(
        "orders acknowledged",
        format!(
            "{} ({ordered_before_end} before the end)",
            tally.acknowledged.len()
        ),
    );
    f.info("orders in the database", orders);
    f.found(&mut conn, &tally);
    f.zero(
        "orders with 0 or 2+ confirmation emails (mail resumed)",
        wrong_mail,
    );
    f.zero("emails still waiting", left as usize);
    f.zero(
        "answers 503 two seconds after the database came back",
        late_503,
    );
    f.check(
        "shop stopped with SIGTERM, exit 0",
        exited_cleanly,
        exited_cleanly,
    );
    f.finish("Database outage drill", &tally, &[&shop])
}

/// nginx from Debian's packages in front of the instances, on a port of its own.
struct Proxy {
    child: Child,
    port: u16,
}

impl Proxy {
    fn start(dir: &Path, upstreams: &[u16]) -> Proxy {
        let port = free_port();
        let root = dir.join("nginx");
        for sub in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let servers: String = upstreams
            .iter()
            .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n"))
            .collect();
        let r = root.display();
        let conf = format!(
            "daemon off;\nmaster_process on;\nworker_processes 1;\nuser root;\n\
             error_log {r}/error.log warn;\npid {r}/nginx.pid;\n\
             events {{ worker_connections 512; }}\n\
             http {{\n  access_log off;\n\
               client_body_temp_path {r}/body;\n  proxy_temp_path {r}/proxy;\n\
               fastcgi_temp_path {r}/fastcgi;\n  uwsgi_temp_path {r}/uwsgi;\n\
               scgi_temp_path {r}/scgi;\n  client_max_body_size 8m;\n\
               upstream comptoir {{\n{servers}    keepalive 16;\n  }}\n\
               server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
                 proxy_pass http://comptoir;\n      proxy_http_version 1.1;\n\
                 proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n\
                 proxy_set_header X-Real-IP $remote_addr;\n\
                 proxy_set_header X-Request-Id $request_id;\n    }}\n  }}\n}}\n"
        );
        let file = root.join("nginx.conf");
        std::fs::write(&file, conf).unwrap();
        let child = Command::new("nginx")
            .args(["-c", &file.display().to_string(), "-p", &r.to_string()])
            .spawn()
            .expect("nginx (Debian's package)");
        // It listens once its pid file is written.
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not start: see {r}/error.log"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Proxy { child, port }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 120])
    }))
    .write_to(&mut out, image::ImageFormat::Png)
    .unwrap();
    out.into_inner()
}

/// An account made directly in the database, as `create-admin` would, with the shop's hasher.
fn account(db: &Database, email: &str, password: &str, role: comptoir::auth::Role) -> i64 {
    use base64::Engine as _;
    let secret = base64::engine::general_purpose::STANDARD
        .decode(SECRET)
        .unwrap();
    let keys = comptoir::auth::Keys::new(secret);
    let hasher = comptoir::auth::password::Hasher::new(4, keys.derive("password-pepper"), 1);
    let hash = hasher.hash_blocking(password).unwrap();
    let mut conn = db.conn();
    let id =
        comptoir::accounts::model::create(&mut conn, email, &hash, role, "Drill", None).unwrap();
    comptoir::accounts::model::mark_verified(&mut conn, id).unwrap();
    id.0
}

fn sequence(number: &str) -> Option<u64> {
    number.rsplit('-').next()?.parse().ok()
}

fn instances(binary: &Path) -> ExitCode {
    use comptoir::auth::Role;
    let smtp = smtp::SmtpServer::start();
    let db = Database::create("postgres");
    let mut a = Shop::new(binary, &db, smtp.port, "instance-a");
    let mut b = Shop::new(binary, &db, smtp.port, "instance-b");
    for shop in [&mut a, &mut b] {
        shop.env
            .push(("ROCKET_TRUSTED_IP_HEADER".into(), "X-Real-IP".into()));
    }
    a.seed();
    let (ids, initial) = products_for_drill(&db, 1_000_000);
    let customer = account(&db, "client@drill.test", "drill-password-1", Role::Customer);
    account(&db, "staff@drill.test", "drill-password-2", Role::Admin);
    a.start();
    b.start();
    let proxy = Proxy::start(&db.dir, &[a.port, b.port]);
    let via_proxy = format!("http://127.0.0.1:{}", proxy.port);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut f = Figures::new();
    f.info(
        "instances",
        format!("2 on one PostgreSQL, behind nginx (port {})", proxy.port),
    );

    // Signed in through one instance, checked out through the other.
    let on_a = Buyer::new(&a.base());
    let signed_in = on_a.sign_in("client@drill.test", "drill-password-1", &tally);
    let on_b = on_a.at(&b.base());
    let number = on_b.order("client@drill.test", &[(ids[0], 1)], &tally);
    if let Some(n) = &number {
        tally
            .lock()
            .unwrap()
            .acknowledged
            .insert(n.clone(), vec![(ids[0], 1)]);
    }
    let mut conn = db.conn();
    let owner: Option<Option<i64>> = number.as_ref().and_then(|n| {
        orders::table
            .filter(orders::number.eq(n))
            .select(orders::user_id)
            .first(&mut conn)
            .ok()
    });
    let in_account = matches!(on_a.get("/account/orders", &tally), Step::Answer(200, page, _)
        if number.as_ref().is_some_and(|n| page.contains(n.as_str())));
    f.check(
        "signed in on A, ordered on B as that customer, listed on A",
        signed_in && owner == Some(Some(customer)) && in_account,
        format!(
            "{} (signed in {signed_in}, the customer's {}, listed {in_account})",
            number.clone().unwrap_or("no order".into()),
            owner == Some(Some(customer))
        ),
    );

    // A picture uploaded through one shows through the other.
    let staff = Buyer::new(&a.base());
    let picture = png();
    let uploaded = staff.sign_in("staff@drill.test", "drill-password-2", &tally)
        && staff.upload_picture(ids[1], &picture, &tally);
    let slug: String = products::table
        .find(ids[1])
        .select(products::slug)
        .first(&mut conn)
        .unwrap();
    // The product page, as B renders it, names the picture (the last of its gallery: a demo
    // product has its drawn picture first); B serves its bytes.
    let seen_on_b = match Buyer::new(&b.base()).get(&format!("/products/{slug}"), &tally) {
        Step::Answer(200, page, _) => page
            .split("src=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|src| !src.contains("/thumbs/"))
            .filter_map(|src| src.find("/media/").map(|i| src[i..].to_string()))
            .last(),
        _ => None,
    };
    let same_bytes = seen_on_b
        .and_then(|path| Buyer::new(&b.base()).get_bytes(&path))
        .is_some_and(|bytes| bytes == picture);
    f.check(
        "picture uploaded on A served by B, the same bytes",
        uploaded && same_bytes,
        uploaded && same_bytes,
    );

    // Forty buyers at once through the proxy; instance A is killed while they confirm.
    let orders_before: i64 = orders::table.count().get_result(&mut conn).unwrap();
    let go = Arc::new(std::sync::Barrier::new(41));
    let workers: Vec<_> = (0..40)
        .map(|i| {
            let (go, tally, base) = (go.clone(), tally.clone(), via_proxy.clone());
            let lines = vec![(ids[i % 2], 1), (ids[(i + 1) % 2], 1)];
            std::thread::spawn(move || {
                go.wait();
                for attempt in 0..20 {
                    let buyer = Buyer::new(&base);
                    let email = format!("parallel-{i}-{attempt}@drill.test");
                    if let Some(number) = buyer.order(&email, &lines, &tally) {
                        tally.lock().unwrap().acknowledged.insert(number, lines);
                        return;
                    }
                }
            })
        })
        .collect();
    go.wait();
    std::thread::sleep(Duration::from_millis(300));
    a.kill9();
    for w in workers {
        w.join().unwrap();
    }
    let left = drain_outbox(&mut conn, Duration::from_secs(90));
    let tally = tally.lock().unwrap();
    let numbers: Vec<String> = orders::table
        .order(orders::id)
        .select(orders::number)
        .load(&mut conn)
        .unwrap();
    let mut seq: Vec<u64> = numbers.iter().filter_map(|n| sequence(n)).collect();
    seq.sort_unstable();
    let unique = seq.iter().collect::<HashSet<_>>().len() == seq.len();
    let consecutive = seq.windows(2).all(|w| w[1] == w[0] + 1);
    let (orders, wrong_mail, copies) = confirmation_counts(&mut conn, &smtp);
    let (mismatches, _) = stock_mismatches(&mut conn, &initial);
    let parallel = tally.acknowledged.len() - 1;
    f.check(
        "parallel orders acknowledged (of 40)",
        parallel == 40,
        parallel,
    );
    f.info(
        "orders in the database",
        format!("{orders} ({} before the parallel run)", orders_before),
    );
    f.check(
        "order numbers unique and consecutive",
        unique && consecutive,
        format!(
            "{}…{}",
            numbers.first().cloned().unwrap_or_default(),
            numbers.last().cloned().unwrap_or_default()
        ),
    );
    f.info(
        "requests cut when A was killed (502 from nginx, tried again)",
        tally.cut,
    );
    f.found(&mut conn, &tally);
    f.zero("stock mismatches", mismatches);
    f.zero("orders with 0 or 2+ confirmation emails", wrong_mail);
    f.info("repeated copies of a message (same Message-ID)", copies);
    f.zero("emails still waiting", left as usize);
    f.zero("answers 5xx", tally.errors_5xx.len() + tally.unavailable);
    let b_ok = b.stop();
    f.check("instance B stopped with SIGTERM, exit 0", b_ok, b_ok);
    drop(proxy);
    f.finish("Two instances behind nginx", &tally, &[&a, &b])
}

/// Forty buyers of the same two products, half with the lines in the other order, confirm at
/// once; the stock allows 25 of them.
fn crossed(binary: &Path, kind: &str) -> ExitCode {
    const STOCK: i32 = 25;
    let smtp = smtp::SmtpServer::start();
    let db = Database::create(kind);
    let mut shop = Shop::new(binary, &db, smtp.port, "crossed");
    shop.seed();
    let (ids, initial) = products_for_drill(&db, STOCK);
    shop.start();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let go = Arc::new(std::sync::Barrier::new(40));
    let workers: Vec<_> = (0..40)
        .map(|i| {
            let (go, tally, base) = (go.clone(), tally.clone(), shop.base());
            let mut lines = vec![(ids[0], 1), (ids[1], 1)];
            if i % 2 == 1 {
                lines.reverse();
            }
            std::thread::spawn(move || {
                let buyer = Buyer::new(&base);
                let ready = buyer.prepare(&format!("crossed-{i}@drill.test"), &lines, &tally);
                go.wait();
                if let Some(number) = ready.and_then(|r| buyer.confirm(&r, &tally)) {
                    tally.lock().unwrap().acknowledged.insert(number, lines);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let mut conn = db.conn();
    let left = drain_outbox(&mut conn, Duration::from_secs(60));
    let exited_cleanly = shop.stop();
    let tally = tally.lock().unwrap();
    let (orders, wrong_mail, _) = confirmation_counts(&mut conn, &smtp);
    let (mismatches, _) = stock_mismatches(&mut conn, &initial);
    let stock_left: Vec<i32> = stock_of(&mut conn, &ids).into_values().collect();
    let mut f = Figures::new();
    f.info("database", kind);
    f.info(
        "buyers",
        "40, two products each, half in the other order, confirming at once",
    );
    f.check(
        "orders placed (the stock allows 25)",
        tally.acknowledged.len() == STOCK as usize && orders == STOCK as usize,
        tally.acknowledged.len(),
    );
    f.check(
        "stock left",
        stock_left.iter().all(|s| *s == 0),
        format!("{stock_left:?}"),
    );
    f.zero("stock mismatches", mismatches);
    f.zero("answers 5xx", tally.errors_5xx.len() + tally.unavailable);
    f.zero("orders with 0 or 2+ confirmation emails", wrong_mail);
    f.zero("emails still waiting", left as usize);
    f.check(
        "shop stopped with SIGTERM, exit 0",
        exited_cleanly,
        exited_cleanly,
    );
    f.finish("Crossed two-product carts", &tally, &[&shop])
}

/// Orders per second against a shop that is already running (see the module's comment).
fn checkout(base: &str, database_url: &str, seconds: u64, count: usize) -> ExitCode {
    let mut conn = comptoir::db::connect(database_url).expect("the shop's database");
    // Products with stock to spare, so the run measures ordering, not refusals.
    let pool: Vec<i64> = products::table
        .filter(products::active.eq(true))
        .filter(products::stock.ge(10_000))
        .order(products::id)
        .select(products::id)
        .limit(200)
        .load(&mut conn)
        .expect("products");
    if pool.len() < 2 {
        eprintln!(
            "checkout: the shop needs products with a stock of 10,000 (seed-demo --products)"
        );
        return ExitCode::from(2);
    }
    let orders_before: i64 = orders::table.count().get_result(&mut conn).unwrap();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let confirmations = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..count)
        .map(|b| {
            let (tally, stop, confirmations) = (tally.clone(), stop.clone(), confirmations.clone());
            let (pool, base) = (pool.clone(), base.to_string());
            std::thread::spawn(move || {
                let mut rng = rand::thread_rng();
                let mut n = 0;
                let buyer = Buyer::new(&base);
                let token = match buyer.get("/", &tally) {
                    Step::Answer(200, home, _) => input(&home, "_csrf"),
                    _ => None,
                };
                let Some(token) = token else { return };
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let first = pool[rng.gen_range(0..pool.len())];
                    let mut lines = vec![(first, 1)];
                    if rng.gen_bool(0.5) {
                        let second = pool[rng.gen_range(0..pool.len())];
                        if second != first {
                            lines.push((second, 2));
                        }
                    }
                    let email = format!("bench-{b}-{n}@example.fr");
                    let at = Instant::now();
                    if let Some(number) = buyer.order_again(&token, &email, &lines, &tally) {
                        confirmations.lock().unwrap().push(at.elapsed());
                        tally.lock().unwrap().acknowledged.insert(number, lines);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let tally = tally.lock().unwrap();
    let mut latencies = confirmations.lock().unwrap().clone();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let placed: i64 = orders::table.count().get_result(&mut conn).unwrap();
    // Orders with an email in the outbox (queued or sent), each written with its order.
    let queued: i64 = email_outbox::table
        .filter(email_outbox::order_id.is_not_null())
        .select(diesel::dsl::count(email_outbox::order_id).aggregate_distinct())
        .first(&mut conn)
        .unwrap_or(-1);
    let mut f = Figures::new();
    f.info("buyers", count);
    f.info("seconds", format!("{elapsed:.1}"));
    f.info("orders acknowledged", tally.acknowledged.len());
    f.info(
        "orders/s",
        format!("{:.0}", tally.acknowledged.len() as f64 / elapsed),
    );
    f.info("order p50 ms", format!("{:.1}", pct(0.50)));
    f.info("order p99 ms", format!("{:.1}", pct(0.99)));
    f.info("requests", tally.events.len());
    f.zero("answers 5xx", tally.errors_5xx.len() + tally.unavailable);
    f.zero("requests cut", tally.cut);
    f.zero(
        "acknowledged orders missing",
        missing_orders(&mut conn, &tally),
    );
    f.check(
        "orders in the database = acknowledged",
        placed - orders_before == tally.acknowledged.len() as i64,
        placed - orders_before,
    );
    f.check(
        "orders with their email in the outbox",
        queued >= placed,
        queued,
    );
    f.print("Checkout under load")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let binary = PathBuf::from(value("--binary").unwrap_or("target/release/comptoir".into()));
    let kind = value("--database").unwrap_or("sqlite".into());
    match args.first().map(String::as_str) {
        Some("crossed") => crossed(&binary, &kind),
        Some("crash") => crash(&binary, &kind),
        Some("outage") => outage(&binary),
        Some("instances") => instances(&binary),
        Some("checkout") => checkout(
            &value("--base").unwrap_or("http://127.0.0.1:8000".into()),
            &value("--database-url").unwrap_or_default(),
            value("--seconds")
                .and_then(|s| s.parse().ok())
                .unwrap_or(10),
            value("--buyers").and_then(|s| s.parse().ok()).unwrap_or(16),
        ),
        _ => {
            eprintln!(
                "usage: drill crossed|crash|outage|instances --binary PATH \\
                 [--database sqlite|postgres]"
            );
            ExitCode::from(2)
        }
    }
}
