//! The real server on loopback with parallel clients: the last units go to exactly as many
//! buyers, and a checkout submitted many times at once makes one order.

use std::sync::{Arc, Barrier};

use crate::helpers::{address, as_refs, set_stock_of, stock_of, Options};
use crate::server::{HttpClient, TestServer};

const SALT: &str = "fleur-de-sel-de-guerande-250-g";

pub fn product_id(server: &TestServer, slug: &str) -> String {
    use comptoir::db::schema::products;
    use diesel::prelude::*;
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first::<i64>(&mut server.conn())
        .unwrap()
        .to_string()
}

/// Fills a cart and stops at the review step; returns the fields and the idempotency key.
pub fn ready_to_confirm(
    client: &HttpClient,
    product: &str,
    email: &str,
) -> (Vec<(&'static str, String)>, String) {
    ready_to_confirm_line(client, &[("product_id", product), ("quantity", "1")], email)
}

/// [`ready_to_confirm`] with the cart form's fields given (a variant, a quantity).
pub fn ready_to_confirm_line(
    client: &HttpClient,
    line: &[(&str, &str)],
    email: &str,
) -> (Vec<(&'static str, String)>, String) {
    let added = client.submit("/", "/cart/add", line);
    assert_eq!(added.status, 303);
    let fields = address(email);
    let review = client.submit("/cart", "/checkout", &as_refs(&fields));
    assert_eq!(review.status, 200, "{}", review.body);
    let key = review.input_value("key").expect("idempotency key");
    (fields, key)
}

pub fn confirm(client: &HttpClient, fields: &[(&'static str, String)], key: &str) -> (u16, String) {
    let token = client.get("/cart").input_value("_csrf").unwrap();
    let mut all = as_refs(fields);
    all.push(("_csrf", token.as_str()));
    all.push(("key", key));
    all.push(("accept_terms", "true"));
    // Buyers of age, should the basket hold alcohol.
    all.push(("adult", "true"));
    let r = client.post_form("/checkout/confirm", &all);
    (
        r.status,
        r.header("Location").unwrap_or_default().to_string(),
    )
}

/// Buyers ready at the review step, each with its client, fields and key.
pub type Ready = (HttpClient, Vec<(&'static str, String)>, String);

/// Every buyer confirms at the same moment; their (status, location), in order.
pub fn confirm_at_once(buyers: &[Ready]) -> Vec<(u16, String)> {
    let barrier = Arc::new(Barrier::new(buyers.len()));
    std::thread::scope(|s| {
        let handles: Vec<_> = buyers
            .iter()
            .map(|(client, fields, key)| {
                let barrier = barrier.clone();
                s.spawn(move || {
                    barrier.wait();
                    confirm(client, fields, key)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn count(server: &TestServer, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut server.conn())
        .unwrap()
        .n
}

#[test]
fn the_last_units_go_to_exactly_that_many_buyers() {
    const BUYERS: usize = 12;
    const UNITS: i32 = 3;
    let server = TestServer::start(Options::default());
    set_stock_of(&mut server.conn(), SALT, UNITS);
    let product = product_id(&server, SALT);
    let buyers: Vec<_> = (0..BUYERS)
        .map(|i| {
            let client = server.client();
            let (fields, key) =
                ready_to_confirm(&client, &product, &format!("buyer{i}@example.fr"));
            (client, fields, key)
        })
        .collect();
    let barrier = Arc::new(Barrier::new(BUYERS));
    let outcomes: Vec<(u16, String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = buyers
            .iter()
            .map(|(client, fields, key)| {
                let barrier = barrier.clone();
                s.spawn(move || {
                    barrier.wait();
                    let (status, location) = confirm(client, fields, key);
                    let cart = client.get("/cart").body;
                    (status, location, cart)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won: Vec<_> = outcomes
        .iter()
        .filter(|o| o.1.starts_with("/orders/"))
        .collect();
    let lost: Vec<_> = outcomes.iter().filter(|o| o.1 == "/cart").collect();
    assert!(
        outcomes.iter().all(|o| o.0 == 303),
        "no errors: {:?}",
        outcomes.iter().map(|o| o.0).collect::<Vec<_>>()
    );
    assert_eq!(won.len(), UNITS as usize);
    assert_eq!(lost.len(), BUYERS - UNITS as usize);
    for (_, _, cart) in &lost {
        assert!(
            cart.contains("plus disponible"),
            "the others are told it sold out"
        );
    }
    assert_eq!(stock_of(&mut server.conn(), SALT), 0);
    assert_eq!(count(&server, "orders"), i64::from(UNITS));
    let mut numbers: Vec<String> = won
        .iter()
        .map(|o| o.1.split('?').next().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), UNITS as usize, "distinct order numbers");
}

#[test]
fn a_checkout_submitted_many_times_at_once_makes_one_order() {
    const SUBMITS: usize = 8;
    let server = TestServer::start(Options::default());
    let client = server.client();
    let product = product_id(&server, "moutarde-de-dijon-a-l-ancienne");
    let (fields, key) = ready_to_confirm(&client, &product, "impatient@example.fr");
    let barrier = Arc::new(Barrier::new(SUBMITS));
    let outcomes: Vec<(u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..SUBMITS)
            .map(|_| {
                let (barrier, client, fields, key) = (barrier.clone(), &client, &fields, &key);
                s.spawn(move || {
                    barrier.wait();
                    confirm(client, fields, key)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(count(&server, "orders"), 1);
    let first = outcomes[0].1.split('?').next().unwrap().to_string();
    assert!(first.starts_with("/orders/"), "{outcomes:?}");
    for (status, location) in &outcomes {
        assert_eq!(*status, 303);
        assert_eq!(
            location.split('?').next().unwrap(),
            first,
            "every submit lands on the one order"
        );
    }
    assert_eq!(
        stock_of(&mut server.conn(), "moutarde-de-dijon-a-l-ancienne"),
        23
    );
}

/// Each request holds one pooled connection, shared by its guards and handler: more
/// concurrent page views than connections must queue, never deadlock the pool.
#[test]
fn more_concurrent_visitors_than_connections_all_get_their_pages() {
    const VISITORS: usize = 32;
    let server = TestServer::start(Options::default());
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..VISITORS)
            .map(|i| {
                let client = server.client();
                s.spawn(move || {
                    let mut got = Vec::new();
                    for path in ["/", "/categories/cave", "/search?q=the", "/cart"] {
                        got.push(client.get(path).status);
                    }
                    if i % 2 == 0 {
                        got.push(
                            client
                                .get("/products/moutarde-de-dijon-a-l-ancienne")
                                .status,
                        );
                    }
                    got
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(statuses.len(), VISITORS * 4 + VISITORS / 2);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

/// Forty buyers of the same two products, half with the lines in the other order, confirm at
/// once: every order the stock allows is placed, the others are told, nothing answers 5xx
/// (stock rows are taken in one order, and a transaction that still conflicts is retried).
#[test]
fn crossed_two_product_carts_never_deadlock() {
    const BUYERS: usize = 40;
    const UNITS: i32 = 30;
    let server = TestServer::start(Options::default());
    let (a, b) = ("moutarde-de-dijon-a-l-ancienne", SALT);
    set_stock_of(&mut server.conn(), a, UNITS);
    set_stock_of(&mut server.conn(), b, UNITS);
    let (pa, pb) = (product_id(&server, a), product_id(&server, b));
    let buyers: Vec<_> = (0..BUYERS)
        .map(|i| {
            let client = server.client();
            let (first, second) = if i % 2 == 0 { (&pa, &pb) } else { (&pb, &pa) };
            let added = client.submit(
                "/",
                "/cart/add",
                &[("product_id", first), ("quantity", "1")],
            );
            assert_eq!(added.status, 303);
            let (fields, key) =
                ready_to_confirm(&client, second, &format!("crossed{i}@example.fr"));
            (client, fields, key)
        })
        .collect();
    let outcomes = confirm_at_once(&buyers);
    let statuses: Vec<u16> = outcomes.iter().map(|o| o.0).collect();
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let placed = outcomes
        .iter()
        .filter(|o| o.1.starts_with("/orders/"))
        .count();
    assert_eq!(placed, UNITS as usize, "every order the stock allows");
    assert_eq!(count(&server, "orders"), i64::from(UNITS));
    assert_eq!(stock_of(&mut server.conn(), a), 0);
    assert_eq!(stock_of(&mut server.conn(), b), 0);
}
