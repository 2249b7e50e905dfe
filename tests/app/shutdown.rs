//! Graceful shutdown of the real binary (what systemd does on `stop` or a redeploy): on SIGTERM
//! it stops taking connections, answers every request in flight, lets the email it is handing to
//! SMTP finish and be recorded as sent, and exits 0 — on either database.

use std::sync::{Arc, Barrier};

use diesel::prelude::*;

use crate::concurrency::{confirm, ready_to_confirm};
use crate::helpers::{prepared_db, Options};
use crate::process::{message, Served};
use crate::smtp::SmtpServer;

const SALT: &str = "fleur-de-sel-de-guerande-250-g";
const IN_FLIGHT: usize = 4;

fn product_id(db_url: &str, slug: &str) -> i64 {
    use comptoir::db::schema::products;
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(&mut comptoir::db::connect(db_url).unwrap())
        .unwrap()
}

/// Holds the writers of carts back: SQLite's write lock, or PostgreSQL's lock on the cart
/// tables, taken by a connection of the test's own until it is dropped (rolled back).
struct WriteLock(comptoir::db::DbConn);

impl WriteLock {
    fn take(url: &str) -> WriteLock {
        let mut conn = comptoir::db::connect(url).unwrap();
        let sql: &[&str] = if url.starts_with("postgres") {
            &["BEGIN", "LOCK TABLE carts, cart_lines IN EXCLUSIVE MODE"]
        } else {
            &["BEGIN IMMEDIATE"]
        };
        for statement in sql {
            diesel::sql_query(*statement).execute(&mut conn).unwrap();
        }
        WriteLock(conn)
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        diesel::sql_query("ROLLBACK").execute(&mut self.0).unwrap();
    }
}

#[test]
fn sigterm_answers_the_requests_in_flight_finishes_the_email_being_sent_and_exits_0() {
    let (smtp, hold) = SmtpServer::start_holding();
    let db = prepared_db(&Options::default());
    let smtp_port = smtp.port.to_string();
    let mut served = Served::start(
        &db,
        &[
            ("ROCKET_BACKGROUND_TASKS", "true"),
            ("ROCKET_SMTP_HOST", "127.0.0.1"),
            ("ROCKET_SMTP_PORT", &smtp_port),
            ("ROCKET_SMTP_TLS", "none"),
            ("RUST_LOG", "info,access=debug"),
        ],
    );
    let salt = product_id(db.url(), SALT).to_string();

    // An order: its confirmation email goes to SMTP, which holds it mid-transfer.
    let buyer = served.client();
    let (fields, key) = ready_to_confirm(&buyer, &salt, "leaving@example.fr");
    assert_eq!(confirm(&buyer, &fields, &key).0, 303);
    hold.arrived
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the sender hands the confirmation to SMTP");
    drop(buyer);

    // The buyer's own add-to-cart was logged first: past it, only the visitors' count.
    served.event("the buyer's add-to-cart", |e| {
        e["target"] == "access" && message(e) == "started" && e["path"] == "/cart/add"
    });

    // Visitors add to their carts while the writers are held back; each reads the form's token
    // and posts at once (an idle keep-alive connection would be closed after 5 s).
    let lock = WriteLock::take(db.url());
    let go = Arc::new(Barrier::new(IN_FLIGHT));
    let posts: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (go, salt, client) = (go.clone(), salt.clone(), served.client());
            std::thread::spawn(move || {
                go.wait();
                let token = client.get("/").input_value("_csrf").expect("a CSRF token");
                client
                    .post_form(
                        "/cart/add",
                        &[("_csrf", &token), ("product_id", &salt), ("quantity", "1")],
                    )
                    .status
            })
        })
        .collect();
    // The server has them all (they wait for the lock), then it is told to stop.
    for _ in 0..IN_FLIGHT {
        served.event("an add-to-cart in flight", |e| {
            e["target"] == "access" && message(e) == "started" && e["path"] == "/cart/add"
        });
    }
    served.terminate();
    served.event("the shutdown", |e| {
        message(e).contains("Requesting shutdown")
    });
    drop(lock);
    hold.release.send(()).unwrap();

    let answers: Vec<u16> = posts.into_iter().map(|p| p.join().unwrap()).collect();
    assert_eq!(
        answers,
        vec![303; IN_FLIGHT],
        "every request in flight is answered"
    );
    let status = served.exit_status();
    assert!(status.success(), "exit status {status:?}");

    // The email was delivered once and recorded as sent: no copy after the restart.
    assert_eq!(smtp.messages().len(), 1);
    use comptoir::db::schema::email_outbox;
    let statuses: Vec<String> = email_outbox::table
        .filter(email_outbox::to_address.eq("leaving@example.fr"))
        .select(diesel::dsl::sql::<diesel::sql_types::Text>("status"))
        .load(&mut comptoir::db::connect(db.url()).unwrap())
        .unwrap();
    assert_eq!(statuses, vec!["sent"]);
    // Nothing was added to a cart twice or lost: four carts, one unit each.
    let units: i64 = comptoir::db::schema::cart_lines::table
        .select(diesel::dsl::sum(comptoir::db::schema::cart_lines::quantity))
        .first::<Option<i64>>(&mut comptoir::db::connect(db.url()).unwrap())
        .unwrap()
        .unwrap_or(0);
    assert_eq!(units, IN_FLIGHT as i64);
}
