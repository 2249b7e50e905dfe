//! Logs of the real binary: one JSON object a line, an access line for every request with its
//! request id — the one sent back as `X-Request-Id` — and a proxy's id kept only when a proxy
//! is trusted.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::helpers::{prepared_db, Options, TestDb, PEPPER};
use crate::smtp::free_port;

struct Served {
    child: Child,
    lines: std::io::Lines<BufReader<ChildStdout>>,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(db: &TestDb, env: &[(&str, &str)]) -> Served {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .arg("serve")
            .env("DATABASE_URL", db.url())
            .env("ROCKET_DATA_DIR", db.data_dir())
            .env("ROCKET_PASSWORD_PEPPER", PEPPER)
            .env(
                "ROCKET_SHOP_SECRET",
                "bG9ncy10ZXN0LXNlY3JldC1sb2dzLXRlc3Qtc2VjcmV0LTAxMjM=",
            )
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_FORMAT", "json")
            .env("ROCKET_BACKGROUND_TASKS", "false")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run comptoir serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Every line is JSON; the server says when it listens.
        loop {
            let line = lines.next().expect("the server's output").unwrap();
            let event: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: not JSON: {line}"));
            if event["message"]
                .as_str()
                .unwrap_or("")
                .contains("Rocket has launched")
            {
                break;
            }
        }
        Served { child, lines, port }
    }

    /// The next access line, as JSON.
    fn access_line(&mut self) -> serde_json::Value {
        loop {
            let line = self.lines.next().expect("more output").unwrap();
            let event: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: not JSON: {line}"));
            if event["target"] == "access" {
                return event;
            }
        }
    }

    fn get(&self, path: &str, request_id: Option<&str>) -> String {
        let mut req = ureq::get(&format!("http://127.0.0.1:{}{path}", self.port));
        if let Some(id) = request_id {
            req = req.header("X-Request-Id", id);
        }
        let response = req.call().expect("an answer");
        response
            .headers()
            .get("X-Request-Id")
            .expect("a request id")
            .to_str()
            .unwrap()
            .to_string()
    }
}

#[test]
fn every_request_has_a_json_access_line_with_the_id_it_was_answered_with() {
    let db = prepared_db(&Options::default());
    let mut served = Served::start(&db, &[]);
    // No proxy is trusted: an id from outside is not taken.
    let id = served.get("/healthz?t=secret-token", Some("forged-by-client-123"));
    assert_ne!(id, "forged-by-client-123");
    let line = served.access_line();
    assert_eq!(line["request_id"], id.as_str());
    assert_eq!(line["method"], "GET");
    assert_eq!(
        line["path"], "/healthz",
        "the path only: queries hold tokens"
    );
    assert_eq!(line["status"], 200);
    assert_eq!(line["level"], "INFO");
    assert!(line["ms"].as_f64().is_some());
    assert!(!line.to_string().contains("secret-token"));
    let other = served.get("/cgv", None);
    assert_ne!(other, id);
    assert_eq!(served.access_line()["request_id"], other.as_str());
}

#[test]
fn behind_a_trusted_proxy_its_request_id_is_kept() {
    let db = prepared_db(&Options::default());
    let mut served = Served::start(&db, &[("ROCKET_TRUSTED_IP_HEADER", "X-Real-IP")]);
    let id = served.get("/healthz", Some("proxy-id-0123456789"));
    assert_eq!(id, "proxy-id-0123456789");
    assert_eq!(served.access_line()["request_id"], "proxy-id-0123456789");
    // Malformed, it is replaced.
    let id = served.get("/healthz", Some("bad id"));
    assert_ne!(id, "bad id");
}
