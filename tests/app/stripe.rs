//! localstripe (PyPI): an independent, stateful fake of Stripe's API that signs and sends
//! webhooks, started on a loopback port for a test; and a catcher that receives those webhooks
//! so the test hands each one to the shop when it chooses. Tests that need it are
//! `#[ignore = "needs localstripe"]`; `.ci/run` installs it once per machine and runs
//! them. `LOCALSTRIPE` may name the command.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::smtp::free_port;

pub struct LocalStripe {
    child: Child,
    pub base: String,
    agent: ureq::Agent,
}

fn command() -> String {
    if let Ok(c) = std::env::var("LOCALSTRIPE") {
        return c;
    }
    let venv = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/localstripe/bin/localstripe"
    );
    if std::path::Path::new(venv).exists() {
        return venv.to_string();
    }
    "localstripe".to_string()
}

impl LocalStripe {
    pub fn start() -> LocalStripe {
        let port = free_port();
        let mut child = Command::new(command())
            .args(["--port", &port.to_string(), "--from-scratch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("localstripe not found: `pip install localstripe` (or set LOCALSTRIPE)");
        // It says on its standard output when it listens.
        let mut out = BufReader::new(child.stdout.take().expect("localstripe's output"));
        let mut line = String::new();
        loop {
            line.clear();
            let n = out.read_line(&mut line).expect("read localstripe's output");
            assert!(n > 0, "localstripe exited before it listened");
            if line.contains("Running on") {
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        LocalStripe {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        }
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", "Bearer sk_test_comptoir")
            .send_form(form.iter().copied())
            .expect("localstripe answers");
        let text = response.body_mut().read_to_string().unwrap();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub fn get(&self, path: &str) -> Value {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", "Bearer sk_test_comptoir")
            .call()
            .expect("localstripe answers");
        let text = response.body_mut().read_to_string().unwrap();
        serde_json::from_str(&text).expect("JSON")
    }

    /// Every event goes to `url`, signed with `secret`.
    pub fn send_webhooks_to(&self, url: &str, secret: &str) {
        let response = self
            .agent
            .post(format!("{}/_config/webhooks/comptoir", self.base))
            .send_form([("url", url), ("secret", secret)])
            .expect("localstripe answers");
        assert_eq!(response.status().as_u16(), 200);
    }

    /// Gives the intent a card that needs 3-D Secure and confirms it, as Stripe does when the
    /// customer submits the card field: the intent then waits for the authentication that
    /// localstripe's Stripe.js plays in the page (`confirmCardPayment`).
    pub fn confirm_needing_authentication(&self, intent_id: &str) -> Value {
        self.pay(intent_id, "4000002500003155")
    }

    /// Pays the intent with this card number, as Stripe.js does once the customer has typed it:
    /// a payment method, attached to the intent, then the confirmation (localstripe's own
    /// Stripe.js only plays the 3-D Secure step). Returns localstripe's answer.
    pub fn pay(&self, intent_id: &str, card_number: &str) -> Value {
        let method = self.post(
            "/v1/payment_methods",
            &[
                ("type", "card"),
                ("card[number]", card_number),
                ("card[exp_month]", "12"),
                ("card[exp_year]", "2035"),
                ("card[cvc]", "123"),
            ],
        );
        let pm = method["id"].as_str().expect("a payment method");
        self.post(
            &format!("/v1/payment_intents/{intent_id}"),
            &[("payment_method", pm)],
        );
        self.post(&format!("/v1/payment_intents/{intent_id}/confirm"), &[])
    }
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A webhook as it arrived: its signature header and raw body.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub signature: String,
    pub body: Vec<u8>,
}

impl Delivery {
    pub fn kind(&self) -> String {
        let v: Value = serde_json::from_slice(&self.body).expect("JSON event");
        v["type"].as_str().unwrap_or_default().to_string()
    }
}

/// Receives the webhooks localstripe sends (each answered 200).
pub struct Catcher {
    server: tiny_http::Server,
    pub url: String,
}

impl Catcher {
    pub fn start() -> Catcher {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        Catcher {
            server,
            url: format!("http://127.0.0.1:{port}/hook"),
        }
    }

    /// The next delivery of an event of this type (others are received and set aside). Waits
    /// for it: localstripe sends each event a second after the change that made it.
    pub fn next(&self, kind: &str) -> Delivery {
        loop {
            let mut request = self
                .server
                .recv_timeout(Duration::from_secs(30))
                .expect("the catcher runs")
                .unwrap_or_else(|| panic!("no {kind} webhook within 30 s"));
            let signature = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Stripe-Signature"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            let mut body = Vec::new();
            std::io::Read::read_to_end(request.as_reader(), &mut body).unwrap();
            let _ = request.respond(tiny_http::Response::empty(200));
            let delivery = Delivery { signature, body };
            if delivery.kind() == kind {
                return delivery;
            }
        }
    }
}
