//! Logs of the real binary: one JSON object a line, an access line for every request with its
//! request id — the one sent back as `X-Request-Id` — and a proxy's id kept only when a proxy
//! is trusted.

use crate::helpers::{prepared_db, Options};
use crate::process::Served;

trait AccessLog {
    fn access_line(&mut self) -> serde_json::Value;
    fn get(&self, path: &str, request_id: Option<&str>) -> String;
}

impl AccessLog for Served {
    /// The next access line, as JSON.
    fn access_line(&mut self) -> serde_json::Value {
        self.event("an access line", |e| e["target"] == "access")
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
