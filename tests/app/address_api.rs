//! Street suggestions from the national address API, against a loopback server answering in
//! its documented format (GeoCodeJSON), one that never answers and one that fails: suggestions
//! when it works, none (quickly, never an error) when it does not, nothing asked when the shop
//! has not switched it on.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{channel, Receiver};

use rocket::http::Status;

use crate::helpers::{Options, TestApp};
use crate::orders::{add, MUSTARD};

/// What api-adresse.data.gouv.fr answers (trimmed): one address the checkout would accept and
/// one whose postal code does not exist.
const ANSWER: &str = r#"{"type":"FeatureCollection","version":"draft","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[4.836,45.762]},"properties":{"label":"12 Rue de la République 69002 Lyon","score":0.87,"housenumber":"12","id":"69382_5370_00012","name":"12 Rue de la République","postcode":"69002","citycode":"69382","x":842411.5,"y":6519395.1,"city":"Lyon","district":"Lyon 2e Arrondissement","context":"69, Rhône, Auvergne-Rhône-Alpes","type":"housenumber","importance":0.72,"street":"Rue de la République"}},{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"label":"1 Rue Inconnue 99999 Nulle-Part","score":0.3,"name":"1 Rue Inconnue","postcode":"99999","city":"Nulle-Part","type":"housenumber"}}],"attribution":"BAN","licence":"ETALAB-2.0","query":"12 rue de la republique","filters":{"postcode":"69002"},"limit":5}"#;

enum Behaviour {
    Answer,
    Fail,
    Silent,
}

/// A loopback HTTP server standing in for the API; it reports each request line.
struct AddressServer {
    base: String,
    requests: Receiver<String>,
    _held: std::thread::JoinHandle<()>,
}

impl AddressServer {
    fn start(behaviour: Behaviour) -> AddressServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, requests) = channel();
        let thread = std::thread::spawn(move || {
            // Connections kept open (the silent server never answers them).
            let mut held: Vec<TcpStream> = Vec::new();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                if tx.send(line.trim().to_string()).is_err() {
                    return;
                }
                let mut out = stream;
                match behaviour {
                    Behaviour::Answer => {
                        let _ = write!(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{ANSWER}",
                            ANSWER.len()
                        );
                    }
                    Behaviour::Fail => {
                        let body = r#"{"code":503,"message":"Service unavailable"}"#;
                        let _ = write!(
                            out,
                            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Behaviour::Silent => held.push(out),
                }
            }
        });
        AddressServer {
            base,
            requests,
            _held: thread,
        }
    }
}

fn app_with(server: &AddressServer) -> TestApp {
    TestApp::with(Options {
        address_api: Some(server.base.clone()),
        ..Options::default()
    })
}

#[test]
fn streets_are_suggested_from_the_address_api() {
    let server = AddressServer::start(Behaviour::Answer);
    let app = app_with(&server);
    let b = app.browser();
    let found = b.get("/checkout/addresses?q=12%20rue%20de%20la%20rep&postal_code=69%20002");
    assert_eq!(found.status, Status::Ok);
    let json: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "addresses": [{
            "label": "12 Rue de la République 69002 Lyon",
            "street": "12 Rue de la République",
            "postal_code": "69002",
            "city": "Lyon",
        }]}),
        "the address with a postal code that does not exist is left out"
    );
    let asked = server.requests.recv().unwrap();
    assert!(asked.starts_with("GET /search/?"), "{asked}");
    for part in [
        "q=12%20rue%20de%20la%20rep",
        "postcode=69002",
        "limit=5",
        "autocomplete=1",
    ] {
        assert!(asked.contains(part), "{part} in {asked}");
    }

    // Too short a query is not sent.
    assert_eq!(
        b.get("/checkout/addresses?q=12").body,
        r#"{"addresses":[]}"#
    );
    assert!(server.requests.try_recv().is_err());

    // The checkout's street field is wired to it.
    add(&app, &b, MUSTARD, 1);
    let page = b.get("/checkout");
    assert_eq!(
        page.attr("form.checkout-form", "data-streets").as_deref(),
        Some("/checkout/addresses")
    );
    assert_eq!(page.attr("#f-street", "list").as_deref(), Some("streets"));
    assert_eq!(page.texts("datalist#streets").len(), 1);
}

#[test]
fn a_silent_or_failing_address_api_means_no_suggestion_not_an_error() {
    for behaviour in [Behaviour::Silent, Behaviour::Fail] {
        let server = AddressServer::start(behaviour);
        let app = app_with(&server);
        let found = app
            .browser()
            .get("/checkout/addresses?q=12%20rue%20de%20la%20republique");
        assert_eq!(found.status, Status::Ok);
        assert_eq!(found.body, r#"{"addresses":[]}"#);
        assert!(server.requests.recv().unwrap().starts_with("GET /search/?"));
    }
}

#[test]
fn without_the_address_api_nothing_is_asked() {
    let app = TestApp::spawn();
    let b = app.browser();
    assert_eq!(
        b.get("/checkout/addresses?q=12%20rue%20de%20la%20republique")
            .status,
        Status::NotFound
    );
    add(&app, &b, MUSTARD, 1);
    let page = b.get("/checkout");
    assert_eq!(page.attr("form.checkout-form", "data-streets"), None);
    assert_eq!(page.attr("#f-street", "list"), None);
    assert!(page.texts("datalist#streets").is_empty());
}
