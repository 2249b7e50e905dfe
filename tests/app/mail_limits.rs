//! Nobody can make the shop mail strangers (issue #33): the floods an attacker sends from one
//! client in a few seconds queue no more emails than the limits allow (3 requests per client in
//! 10 minutes, 2 emails per address in an hour), answered alike; a second instance sharing the
//! database counts the same requests; a customer a few minutes later is served; the hourly
//! ceiling holds the rest for an hour, tells the staff once and is in the audit log.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use diesel::prelude::*;
use rocket::http::Status;
use rocket::local::blocking::Client;

use comptoir::db::schema::{audit_log, email_outbox, mail_requests, users};

use crate::helpers::{prepared_db, test_figment, Browser, Options, TestApp, PASSWORD};

const SALT: &str = "fleur-de-sel-de-guerande-250-g";

fn queued(app: &TestApp, kind: &str) -> i64 {
    email_outbox::table
        .filter(email_outbox::kind.eq(kind))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn attacker(app: &TestApp) -> Browser<'_> {
    app.browser().connecting_from(address(66))
}

fn address(last: u8) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(203, 0, 113, last)), 40_000)
}

fn register(b: &Browser<'_>, email: &str) -> crate::helpers::Page {
    b.submit(
        "/register",
        &[
            ("email", email),
            ("display_name", "Flood"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
}

/// Moves every recorded request back in time, as if `minutes` had passed.
fn later(app: &TestApp, minutes: i64) {
    let back = chrono::Duration::minutes(minutes);
    let rows: Vec<(i64, chrono::NaiveDateTime)> = mail_requests::table
        .select((mail_requests::id, mail_requests::created_at))
        .load(&mut app.conn())
        .unwrap();
    for (id, at) in rows {
        diesel::update(mail_requests::table.find(id))
            .set(mail_requests::created_at.eq(at - back))
            .execute(&mut app.conn())
            .unwrap();
    }
}

#[test]
fn forty_alert_requests_for_forty_addresses_queue_three_confirmations() {
    let app = TestApp::spawn();
    app.set_stock(SALT, 0);
    let b = attacker(&app);
    for i in 0..40 {
        let r = b.submit(
            &format!("/products/{SALT}/alert"),
            &[("email", &format!("stranger{i}@example.net"))],
        );
        // The same answer every time: nothing tells which were sent.
        assert_eq!(r.status, Status::SeeOther, "request {i}: {}", r.body);
    }
    assert_eq!(queued(&app, "stock_alert_confirm"), 3);
    // Another client is not held by this one's limit.
    let neighbour = app.browser().connecting_from(address(7));
    neighbour.submit(
        &format!("/products/{SALT}/alert"),
        &[("email", "ana@example.fr")],
    );
    assert_eq!(queued(&app, "stock_alert_confirm"), 4);
}

#[test]
fn thirty_registrations_queue_three_emails_and_the_fourth_is_told_to_wait() {
    let app = TestApp::spawn();
    let b = attacker(&app);
    let mut answers = Vec::new();
    for i in 0..30 {
        answers.push(register(&b, &format!("bot{i}@example.net")).status);
    }
    assert_eq!(&answers[..3], &[Status::Ok; 3]);
    assert!(
        answers[3..].iter().all(|s| *s == Status::TooManyRequests),
        "{answers:?}"
    );
    assert_eq!(queued(&app, "verify_email"), 3);
    // Refused before anything is written: no account was opened for the others.
    let accounts: i64 = users::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(accounts, 3);
    let told = register(&b, "bot99@example.net");
    assert!(
        told.body.contains("réessayez dans quelques minutes"),
        "{}",
        told.body
    );
    // Ten minutes later the same client is served again.
    later(&app, 11);
    assert_eq!(register(&b, "late@example.fr").status, Status::Ok);
    assert_eq!(queued(&app, "verify_email"), 4);
}

#[test]
fn thirty_resets_for_one_address_queue_two_and_every_answer_is_the_same() {
    let app = TestApp::spawn();
    app.create_user("victim@example.fr", comptoir::auth::Role::Customer);
    // Thirty requests, each from a client of its own: only the address's limit holds them.
    for i in 0..30 {
        let b = app.browser().connecting_from(address(100 + i));
        let r = b.submit("/password/forgot", &[("email", "victim@example.fr")]);
        assert_eq!(r.status, Status::Ok, "request {i}");
        assert!(
            r.body.contains("Si un compte utilise cette adresse"),
            "the same page every time"
        );
    }
    assert_eq!(queued(&app, "password_reset"), 2);
    // From one client, unknown addresses count as much as known ones: the client learns
    // nothing from being stopped.
    let b = attacker(&app);
    for i in 0..5 {
        let r = b.submit(
            "/password/forgot",
            &[("email", &format!("nobody{i}@example.net"))],
        );
        assert_eq!(r.status, Status::Ok);
    }
    let throttled: i64 = mail_requests::table
        .filter(mail_requests::outcome.eq("throttled"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(throttled, 2, "the fourth and fifth");
}

#[test]
fn a_second_instance_on_the_same_database_is_held_by_the_same_limits() {
    let db = prepared_db(&Options::default());
    let start = || {
        Client::untracked(comptoir::app::build(test_figment(&db, &Options::default())).unwrap())
            .unwrap()
    };
    let (one, two) = (start(), start());
    let alert = |client: &Client, i: usize| {
        let b = Browser::over(client).connecting_from(address(66));
        b.submit(
            &format!("/products/{SALT}/alert"),
            &[("email", &format!("stranger{i}@example.net"))],
        )
        .status
    };
    comptoir::db::connect(db.url())
        .map(|mut c| crate::helpers::set_stock_of(&mut c, SALT, 0))
        .unwrap();
    for i in 0..10 {
        let instance = if i % 2 == 0 { &one } else { &two };
        assert_eq!(alert(instance, i), Status::SeeOther);
    }
    let mut conn = comptoir::db::connect(db.url()).unwrap();
    let sent: i64 = email_outbox::table
        .filter(email_outbox::kind.eq("stock_alert_confirm"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(sent, 3, "three in all, not three an instance");
}

#[test]
fn past_the_hourly_ceiling_emails_wait_and_the_staff_are_told_once() {
    let app = TestApp::with(Options {
        shop_email: Some("staff@comptoir.test"),
        mail_hourly_ceiling: Some(2),
        ..Options::default()
    });
    app.set_stock(SALT, 0);
    for i in 0..4u8 {
        let b = app.browser().connecting_from(address(10 + i));
        let r = b.submit(
            &format!("/products/{SALT}/alert"),
            &[("email", &format!("visitor{i}@example.fr"))],
        );
        assert_eq!(r.status, Status::SeeOther);
    }
    // All four are queued; the last two leave in an hour.
    assert_eq!(queued(&app, "stock_alert_confirm"), 4);
    let due_now: i64 = email_outbox::table
        .filter(email_outbox::kind.eq("stock_alert_confirm"))
        .filter(email_outbox::next_attempt_at.le(comptoir::db::now()))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(due_now, 2);
    assert_eq!(queued(&app, "mail_ceiling_staff"), 1, "told once");
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("mail.ceiling"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    // The readiness report and the back-office's email log show it.
    let ready: serde_json::Value =
        serde_json::from_str(&app.browser().get("/readyz").body).unwrap();
    assert_eq!(ready["visitor_mail"]["held_last_day"], 2);
    assert_eq!(ready["visitor_mail"]["sent_last_hour"], 2);
    let staff = app.login_as(comptoir::auth::Role::Staff);
    let log = staff.get("/admin/emails");
    assert_eq!(log.texts(".mail-held"), vec!["2"]);
    assert_eq!(log.texts(".mail-sent-hour"), vec!["2 / 2"]);
}
