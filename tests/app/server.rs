//! The shop served for real on a loopback port, and HTTP clients with a cookie store (`ureq`),
//! for tests that need concurrent clients or a real browser.

use std::thread::JoinHandle;
use std::time::Duration;

use rocket::fairing::AdHoc;

use crate::helpers::{encode, prepared_db, test_figment, Options, TestDb};
use crate::smtp::free_port;

pub struct TestServer {
    pub port: u16,
    shutdown: Option<rocket::Shutdown>,
    thread: Option<JoinHandle<()>>,
    background: comptoir::app::Background,
    pub db: TestDb,
}

impl TestServer {
    pub fn start(options: Options) -> TestServer {
        let db = prepared_db(&options);
        let port = free_port();
        let figment = test_figment(&db, &options)
            .merge(("port", port))
            .merge(("address", "127.0.0.1"))
            .merge(("workers", 8));
        let (tx, rx) = std::sync::mpsc::channel();
        // Liftoff comes once the listener is bound: the server answers from then on.
        let rocket = comptoir::app::build(figment)
            .expect("build app")
            .attach(AdHoc::on_liftoff("Test server ready", move |rocket| {
                let ready = comptoir::app::Background::of(rocket).map(|b| (rocket.shutdown(), b));
                Box::pin(async move {
                    tx.send(ready).ok();
                })
            }));
        let thread = std::thread::spawn(move || {
            let _ = rocket::execute(rocket.launch());
        });
        let (shutdown, background) = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server lifts off")
            .expect("the server's state");
        TestServer {
            port,
            shutdown: Some(shutdown),
            thread: Some(thread),
            background,
            db,
        }
    }

    pub fn client(&self) -> HttpClient {
        HttpClient::at(self.port)
    }

    pub fn conn(&self) -> comptoir::db::DbConn {
        comptoir::db::connect(self.db.url()).expect("connect")
    }

    /// Delivers every email due now; returns how many were tried.
    pub fn deliver_outbox(&self) -> usize {
        self.background.deliver_outbox().expect("mail settings")
    }

    /// One beat of the back-in-stock alerts; returns how many emails it queued.
    pub fn release_stock_alerts(&self) -> usize {
        self.background
            .release_stock_alerts()
            .expect("stock alerts")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            s.notify();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn input_value(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!("input[name={name}]")).unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
    }
}

/// One visitor: its cookie store is shared by the requests it sends, possibly from several
/// threads. Redirects are not followed (tests read `Location`), and 4xx/5xx are answers.
pub struct HttpClient {
    base: String,
    agent: ureq::Agent,
}

impl HttpClient {
    pub fn at(port: u16) -> HttpClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        HttpClient {
            base: format!("http://127.0.0.1:{port}"),
            agent,
        }
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        let response = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        read(response)
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> HttpResponse {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .content_type("application/x-www-form-urlencoded")
            .send(encode(fields))
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        read(response)
    }

    /// GETs a page, then posts `fields` with the page's CSRF token.
    pub fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> HttpResponse {
        let token = self.get(page).input_value("_csrf").expect("a CSRF token");
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all)
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> HttpResponse {
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .expect("read the response body");
    HttpResponse {
        status,
        headers,
        body,
    }
}
