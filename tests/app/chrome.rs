//! Debian's headless Chromium driven through ChromeDriver (the W3C WebDriver protocol, JSON
//! over HTTP). A test that needs it fails loudly when it is missing, unless the run opted out
//! with `COMPTOIR_SKIP_BROWSER=1` (`.ci/run` installs `chromium` and `chromium-driver`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::smtp::free_port;

pub struct Chrome {
    driver: Child,
    port: u16,
    session: String,
}

/// `None` when the run opted out of browser tests; panics when the browser is missing.
pub fn start() -> Option<Chrome> {
    if std::env::var("COMPTOIR_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("browser test skipped: COMPTOIR_SKIP_BROWSER=1");
        return None;
    }
    let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect(
            "chromedriver not found: `apt-get install chromium chromium-driver` (or set \
             COMPTOIR_SKIP_BROWSER=1 to opt out of browser tests)",
        );
    let port = free_port();
    let driver = Command::new(driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut chrome = Chrome {
        driver,
        port,
        session: String::new(),
    };
    let created = chrome.call(
        "POST",
        "/session",
        Some(json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900"
                    ]
                }
            }}
        })),
    );
    chrome.session = created["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
        .to_string();
    Some(chrome)
}

impl Chrome {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("chromedriver");
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(req.as_bytes())
            .expect("send to chromedriver");
        // ChromeDriver keeps the connection open: read the head, then Content-Length bytes.
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let (head_end, length) = loop {
            let n = stream.read(&mut buf).expect("read from chromedriver");
            assert!(n > 0, "chromedriver closed the connection");
            raw.extend_from_slice(&buf[..n]);
            if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..i]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (i + 4, length);
            }
        };
        while raw.len() < head_end + length {
            let n = stream.read(&mut buf).expect("read from chromedriver");
            assert!(n > 0, "chromedriver closed the connection");
            raw.extend_from_slice(&buf[..n]);
        }
        let json = String::from_utf8_lossy(&raw[head_end..head_end + length]).into_owned();
        let value: Value = serde_json::from_str(json.trim())
            .unwrap_or_else(|e| panic!("chromedriver answered {json:?}: {e}"));
        value["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = self.call(method, &format!("/session/{}{path}", self.session), body);
        if let Some(err) = v.get("error") {
            let at = self.call("GET", &format!("/session/{}/url", self.session), None);
            panic!("WebDriver {method} {path} on {at}: {err}: {}", v["message"]);
        }
        v
    }

    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.session_call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn source(&self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub fn count(&self, css: &str) -> usize {
        self.session_call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )
        .as_array()
        .map_or(0, Vec::len)
    }

    pub fn text(&self, css: &str) -> String {
        let id = self.element(css);
        self.session_call("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Types into a field (after clearing it); a file input takes a path.
    pub fn fill(&self, css: &str, text: &str) {
        let id = self.element(css);
        let is_file = self
            .session_call("GET", &format!("/element/{id}/attribute/type"), None)
            .as_str()
            == Some("file");
        if !is_file {
            self.session_call("POST", &format!("/element/{id}/clear"), Some(json!({})));
        }
        self.session_call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value='{value}']"));
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Clicks a button that loads another page, and waits until that page has loaded.
    pub fn submit(&self, css: &str) {
        self.run("window.__comptoir_old_page = true; return null");
        self.click(css);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let done = self.run(
                "return window.__comptoir_old_page === undefined && \
                 document.readyState === 'complete'",
            );
            if done == Value::Bool(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after clicking {css}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs a script in the page (the test's own, not the shop's) and returns its value.
    pub fn run(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
