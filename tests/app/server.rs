//! The shop served for real on a loopback port, and a plain HTTP/1.1 client with a cookie jar,
//! for tests that need concurrent clients.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::helpers::{encode, prepared_db, test_figment, Options, TestDb};
use crate::smtp::free_port;

pub struct TestServer {
    pub port: u16,
    shutdown: Option<rocket::Shutdown>,
    thread: Option<JoinHandle<()>>,
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
        let rocket = comptoir::app::build(figment).expect("build app");
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let _ = rocket::execute(async move {
                let ignited = rocket.ignite().await?;
                tx.send(ignited.shutdown()).ok();
                ignited.launch().await.map(|_| ())
            });
        });
        let shutdown = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server ignites");
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        TestServer {
            port,
            shutdown: Some(shutdown),
            thread: Some(thread),
            db,
        }
    }

    pub fn client(&self) -> HttpClient {
        HttpClient {
            port: self.port,
            cookies: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn conn(&self) -> comptoir::db::DbConn {
        comptoir::db::connect(self.db.url()).expect("connect")
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

/// One visitor: a cookie jar shared by the requests it sends, possibly from several threads.
pub struct HttpClient {
    port: u16,
    cookies: Mutex<BTreeMap<String, String>>,
}

impl HttpClient {
    pub fn get(&self, path: &str) -> HttpResponse {
        self.send("GET", path, None)
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> HttpResponse {
        self.send("POST", path, Some(encode(fields)))
    }

    /// GETs a page, then posts `fields` with the page's CSRF token.
    pub fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> HttpResponse {
        let token = self.get(page).input_value("_csrf").expect("a CSRF token");
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all)
    }

    fn send(&self, method: &str, path: &str, body: Option<String>) -> HttpResponse {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let cookie = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(b) = &body {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        if let Some(b) = &body {
            req.push_str(b);
        }
        stream.write_all(req.as_bytes()).expect("send request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = raw.get(split + 4..).unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        for (n, v) in &headers {
            if n.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or("");
                if let Some((k, val)) = pair.split_once('=') {
                    let mut jar = self.cookies.lock().unwrap();
                    if val.is_empty() || v.contains("Max-Age=0") {
                        jar.remove(k);
                    } else {
                        jar.insert(k.to_string(), val.to_string());
                    }
                }
            }
        }
        let chunked = headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        let body = if chunked {
            String::from_utf8_lossy(&dechunk(body)).into_owned()
        } else {
            String::from_utf8_lossy(body).into_owned()
        };
        HttpResponse {
            status,
            headers,
            body,
        }
    }
}

fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(pos) = s.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&s[..pos]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let rest = &s[pos + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        s = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
