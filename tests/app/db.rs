//! The database layer itself: concurrent writers, and the command line against a real database.

use std::process::{Command, Stdio};

use diesel::prelude::*;
use rocket::http::Status;

use crate::helpers::{prepared_db, Options, TestApp, TestDb, PASSWORD, PEPPER};

#[test]
fn concurrent_writers_queue_instead_of_failing() {
    let app = TestApp::empty();
    diesel::sql_query("INSERT INTO order_counters (year, last_value) VALUES (2026, 0)")
        .execute(&mut app.conn())
        .unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let mut conn = app.conn();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    // Read, then write: a deferred SQLite transaction would have to upgrade its
                    // read lock and fail with "database is locked" under contention.
                    conn.write_tx(|c| {
                        use comptoir::db::schema::order_counters::dsl::*;
                        let _: i64 = order_counters.find(2026).select(last_value).first(c)?;
                        diesel::update(order_counters.find(2026))
                            .set(last_value.eq(last_value + 1))
                            .execute(c)
                    })
                    .expect("write transaction");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    use comptoir::db::schema::order_counters::dsl::*;
    let n: i64 = order_counters
        .find(2026)
        .select(last_value)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(n, 200);
}

fn cli(app: &TestApp, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args(args)
        .env("DATABASE_URL", app.db.url())
        .env("ROCKET_DATA_DIR", app.db.data_dir())
        .env("ROCKET_PASSWORD_PEPPER", PEPPER)
        .env("ROCKET_BCRYPT_COST", "4")
        // The test shops' secret (a PostgreSQL shop needs one configured).
        .env("ROCKET_SHOP_SECRET", crate::helpers::test_secret())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run comptoir");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn create_admin_reads_the_password_from_stdin() {
    let app = TestApp::empty();
    let short = cli(
        &app,
        &["create-admin", "--email", "boss@shop.fr"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 to 128"));
    assert_eq!(app.count("users"), 0);

    let ok = cli(
        &app,
        &["create-admin", "--email", "Boss@Shop.fr"],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let b = app.browser();
    let login = b.submit(
        "/login",
        &[("email", "boss@shop.fr"), ("password", PASSWORD)],
    );
    assert_eq!(login.status, Status::SeeOther);
    assert_eq!(
        b.get("/admin").status,
        Status::Ok,
        "the new account is an admin"
    );

    let again = cli(
        &app,
        &["create-admin", "--email", "boss@shop.fr"],
        &format!("{PASSWORD}\n"),
    );
    assert!(!again.status.success(), "an email is registered once");
}

#[test]
fn seed_demo_fills_an_empty_shop_once() {
    let app = TestApp::empty();
    let migrate = cli(&app, &["migrate"], "");
    assert!(migrate.status.success());
    let seeded = cli(&app, &["seed-demo"], "");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert_eq!(app.count("products"), 70);
    assert_eq!(app.count("categories"), 7);
    // A drawn picture for every product, served as uploads are, in listings with their
    // sizes (no layout shift) and a wider one for dense screens; every department shows one.
    assert_eq!(app.count("product_images"), 70);
    let b = app.browser();
    let home = b.get("/");
    let tiles = home.attrs(".categories img", "src");
    assert_eq!(tiles.len(), 7, "{tiles:?}");
    let cards = home.attrs(".card img", "src");
    assert!(!cards.is_empty());
    for img in ["width", "height", "srcset"] {
        assert_eq!(home.attrs(".card img", img).len(), cards.len(), "{img}");
    }
    // The first two cards are in a phone's first screen: loaded at once, the others lazily.
    let lazy = home.attrs(".card img", "loading");
    assert_eq!(lazy.len(), cards.len() - 2, "{lazy:?}");
    let (status, kind, bytes) = b.get_bytes(&cards[0]);
    assert_eq!((status, kind.as_deref()), (Status::Ok, Some("image/jpeg")));
    let thumb = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!(thumb.width(), 480);
    let product = b.get("/products/champagne-brut-reserve");
    let big = product
        .attr(".gallery img", "src")
        .expect("a picture on the product page");
    assert_eq!(b.get_bytes(&big).0, Status::Ok);
    assert_eq!(
        product.attr(".gallery img", "alt").as_deref(),
        Some("Champagne brut réserve")
    );
    let again = cli(&app, &["seed-demo"], "");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has products"));
    assert_eq!(app.count("products"), 70);
}

/// A migrated database with no server running (no background sender to race the test).
fn bare_db() -> TestDb {
    prepared_db(&Options {
        seed: false,
        ..Options::default()
    })
}

fn connect(db: &TestDb) -> comptoir::db::DbConn {
    comptoir::db::connect(db.url()).unwrap()
}

fn queue(db: &TestDb, n: usize) {
    let mut conn = connect(db);
    for i in 0..n {
        let email = comptoir::templates::Email {
            kind: comptoir::templates::EmailKind::OrderConfirmation,
            to: format!("c{i}@example.fr"),
            subject: format!("message {i}"),
            text: "text".into(),
            html: "<p>html</p>".into(),
        };
        comptoir::mail::outbox::enqueue(&mut conn, &email, None).unwrap();
    }
}

#[test]
fn concurrent_senders_never_claim_the_same_message() {
    use comptoir::mail::outbox;
    let db = bare_db();
    queue(&db, 40);
    let claims: Vec<Vec<comptoir::ids::OutboxId>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let mut conn = connect(&db);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    for _ in 0..10 {
                        let got =
                            outbox::claim_due(&mut conn, 3, chrono::Duration::minutes(2)).unwrap();
                        mine.extend(got.iter().map(|m| m.id));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<comptoir::ids::OutboxId> = claims.concat();
    // What the racing senders skipped (locked by another at that instant) is still due.
    let rest = outbox::claim_due(&mut connect(&db), 40, chrono::Duration::minutes(2)).unwrap();
    all.extend(rest.iter().map(|m| m.id));
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total, "no message claimed twice");
    assert_eq!(total, 40, "every message claimed once");
    // Claimed messages are leased: nothing is due now.
    assert!(
        outbox::claim_due(&mut connect(&db), 10, chrono::Duration::minutes(2))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_message_fails_for_good_after_the_last_attempt() {
    use comptoir::mail::outbox;
    let db = bare_db();
    queue(&db, 1);
    let mut conn = connect(&db);
    let base = chrono::Duration::zero();
    for attempt in 1..=3 {
        let claimed = outbox::claim_due(&mut conn, 1, chrono::Duration::zero()).unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt} is due");
        assert_eq!(claimed[0].attempts, attempt);
        outbox::mark_failed_attempt(&mut conn, &claimed[0], "421 try later", false, 3, base)
            .unwrap();
    }
    let status: String = comptoir::db::schema::email_outbox::table
        .select(comptoir::db::schema::email_outbox::status)
        .first(&mut conn)
        .unwrap();
    assert_eq!(status, "failed");
    assert!(outbox::claim_due(&mut conn, 1, chrono::Duration::zero())
        .unwrap()
        .is_empty());
}

/// Orders placed before `order_vat` existed get their rows from the migration, as they were
/// charged then: lines at their rates, shipping at 20 %.
#[test]
fn the_order_vat_migration_backfills_earlier_orders() {
    use comptoir::db::schema::order_vat;
    use comptoir::money::{Money, VatRate};

    let app = TestApp::spawn();
    let b = app.browser();
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 2); // 2 × 4,50 € at 5,5 %
    crate::orders::add(&app, &b, "cotes-du-rhone-villages-rouge-2022", 1); // 14,50 € at 20 %
    let placed = crate::orders::checkout(&b, &crate::helpers::address("old@example.fr"));
    assert_eq!(placed.status, Status::SeeOther);

    // Back to the schema before the table, then forward again.
    let mut conn = app.conn();
    let reverted = revert_through(&mut conn, "20261128000005");
    assert_eq!(conn.migrate().expect("migrate"), reverted);

    let rows: Vec<(i32, i64, i64, i64)> = order_vat::table
        .order(order_vat::rate_bp.desc())
        .select((
            order_vat::rate_bp,
            order_vat::gross_cents,
            order_vat::shipping_cents,
            order_vat::vat_cents,
        ))
        .load(&mut conn)
        .unwrap();
    let wine_and_shipping = 1450 + 490;
    assert_eq!(
        rows,
        vec![
            (
                2000,
                wine_and_shipping,
                490,
                VatRate::Standard.included_in(Money(wine_and_shipping)).0
            ),
            (550, 900, 0, VatRate::Reduced.included_in(Money(900)).0),
        ]
    );
}

#[test]
fn the_refunds_migration_keeps_earlier_credit_notes_as_whole_refunds() {
    use comptoir::db::schema::{invoices, orders, refund_lines, refund_vat, refunds};

    let app = TestApp::spawn();
    let b = app.browser();
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 2);
    crate::orders::add(&app, &b, "cotes-du-rhone-villages-rouge-2022", 1);
    let placed = crate::orders::checkout(&b, &crate::helpers::address("before@example.fr"));
    assert_eq!(placed.status, Status::SeeOther);
    let number: String = orders::table
        .select(orders::number)
        .first(&mut app.conn())
        .unwrap();
    let staff = app.login_as(comptoir::auth::Role::Staff);
    for step in ["mark_paid", "refund"] {
        let done = staff.submit(&format!("/admin/orders/{number}/step"), &[("step", step)]);
        assert_eq!(done.status, Status::SeeOther, "{step}");
    }

    // Back to one credit note per order with no refund rows, then forward again.
    let mut conn = app.conn();
    let reverted = revert_through(&mut conn, "20261128000009");
    assert_eq!(conn.migrate().expect("migrate"), reverted);

    let (total, vat): (i64, i64) = orders::table
        .select((orders::total_cents, orders::vat_cents))
        .first(&mut conn)
        .unwrap();
    let refund: (String, i64, i64, Option<i64>) = refunds::table
        .select((
            refunds::status,
            refunds::total_cents,
            refunds::shipping_cents,
            refunds::credit_note_id,
        ))
        .first(&mut conn)
        .unwrap();
    let note: (i64, i64, String) = invoices::table
        .filter(invoices::kind.eq("credit_note"))
        .select((invoices::id, invoices::vat_cents, invoices::buyer))
        .first(&mut conn)
        .unwrap();
    assert_eq!(refund, ("succeeded".to_string(), total, 490, Some(note.0)));
    assert_eq!(note.1, -vat);
    let buyer: serde_json::Value = serde_json::from_str(&note.2).expect("the buyer as JSON");
    assert_eq!(buyer["email"], "before@example.fr");
    let lines: i64 = refund_lines::table.count().get_result(&mut conn).unwrap();
    assert_eq!(lines, 2);
    let refunded_vat: Vec<i64> = refund_vat::table
        .select(refund_vat::vat_cents)
        .load(&mut conn)
        .unwrap();
    assert_eq!(refunded_vat.iter().sum::<i64>(), vat);
    // The credit note still opens, with its lines.
    let doc = staff.get(&format!(
        "/orders/{number}/documents/A{}-000001",
        chrono::Utc::now().format("%Y")
    ));
    assert_eq!(doc.status, Status::Ok);
    assert_eq!(
        doc.texts(".line:not(.shipping-line) .line-total").len(),
        2,
        "mustard and wine"
    );
}

/// Statuses, roles and methods are enums read and written by Diesel: a value the code does not
/// know is an error when read, never taken for another (an unknown role is not a customer).
#[test]
fn unknown_enum_values_in_rows_are_errors() {
    use comptoir::auth::Role;
    use comptoir::db::schema::orders;
    use comptoir::orders::model as order_model;
    use comptoir::orders::model::Payment;
    use comptoir::orders::model::Status;
    use comptoir::shipping::flat::Shipping;
    use diesel::dsl::sql;
    use diesel::sql_types::Text;

    let app = TestApp::spawn();
    let mut conn = app.conn();
    // What a column holds, read as each enum.
    fn read<T>(conn: &mut comptoir::db::DbConn, text: &str) -> QueryResult<T>
    where
        T: diesel::deserialize::FromSqlRow<Text, comptoir::db::MultiBackend> + 'static,
    {
        diesel::select(sql::<Text>(&format!("'{text}'"))).get_result::<T>(conn)
    }
    assert_eq!(read::<Role>(&mut conn, "staff").unwrap(), Role::Staff);
    assert_eq!(
        read::<Status>(&mut conn, "shipped").unwrap(),
        Status::Shipped
    );
    assert_eq!(
        read::<Shipping>(&mut conn, "pickup").unwrap(),
        Shipping::Pickup
    );
    assert_eq!(
        read::<Payment>(&mut conn, "on_pickup").unwrap(),
        Payment::OnPickup
    );
    let err = read::<Role>(&mut conn, "root").unwrap_err();
    assert!(format!("{err:?}").contains("unknown Role"), "{err:?}");
    assert!(read::<Status>(&mut conn, "lost_in_the_post").is_err());
    assert!(read::<Shipping>(&mut conn, "drone").is_err());
    assert!(read::<Payment>(&mut conn, "barter").is_err());

    // An order writes the text its columns always held, and reads it back as enums.
    let b = app.browser();
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 1);
    let placed = crate::orders::checkout(&b, &crate::helpers::address("enum@example.fr"));
    assert_eq!(placed.status, rocket::http::Status::SeeOther);
    let raw: (String, String, String, String) = orders::table
        .select((
            orders::number,
            orders::status,
            orders::shipping_method,
            orders::payment_method,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        (raw.1.as_str(), raw.2.as_str(), raw.3.as_str()),
        ("awaiting_payment", "standard", "bank_transfer")
    );
    let order = order_model::by_number(&mut conn, &raw.0).unwrap();
    assert_eq!(
        (order.status, order.shipping_method, order.payment_method),
        (
            Status::AwaitingPayment,
            Shipping::Standard,
            Payment::BankTransfer
        )
    );
}

/// Reverts the migrations down to `version` included; returns how many were reverted.
fn revert_through(conn: &mut comptoir::db::DbConn, version: &str) -> usize {
    use comptoir::db::DbConn;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    let dir = |backend: &str| {
        FileBasedMigrations::from_path(format!(
            "{}/migrations/{backend}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("migrations folder")
    };
    let mut reverted = 0;
    loop {
        let done = match conn {
            DbConn::Pg(c) => c.revert_last_migration(dir("postgresql")),
            DbConn::Sqlite(c) => c.revert_last_migration(dir("sqlite")),
        }
        .expect("revert a migration")
        .to_string();
        reverted += 1;
        if done == version {
            return reverted;
        }
    }
}

/// Search keys written before they were folded with deunicode are computed again by the
/// migration that announces it, so "strasse" finds "Straße" in existing products too.
#[test]
fn the_search_fold_migration_recomputes_existing_keys() {
    use comptoir::db::schema::products;
    let app = TestApp::spawn();
    let mut conn = app.conn();
    let id = app.product_id(crate::orders::MUSTARD);
    diesel::update(products::table.find(id))
        .set((
            products::name.eq("Moutarde de la Straße"),
            // As the earlier fold wrote it: accents gone, ß kept.
            products::search_text.eq("moutarde de la straße"),
        ))
        .execute(&mut conn)
        .unwrap();
    let b = app.browser();
    assert!(!b.get("/search?q=strasse").body.contains("Straße"));
    let reverted = revert_through(&mut conn, "20261128000006");
    assert_eq!(conn.migrate().expect("migrate"), reverted);
    let key: String = products::table
        .find(id)
        .select(products::search_text)
        .first(&mut conn)
        .unwrap();
    assert!(key.starts_with("moutarde de la strasse "), "{key}");
    assert!(b.get("/search?q=strasse").body.contains("Straße"));
}

/// Instances sharing a database must share the secret: one configured with another refuses to
/// start rather than sign everyone out and break every password.
#[test]
fn an_instance_with_another_secret_refuses_to_start() {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use rocket::local::blocking::Client;
    let options = Options::default();
    let db = prepared_db(&options);
    let start = |secret: [u8; 48]| {
        let figment = crate::helpers::test_figment(&db, &options)
            .merge(("shop_secret", STANDARD.encode(secret)));
        Client::untracked(comptoir::app::build(figment).expect("build"))
            .map(|_| ())
            // Looking at the error marks it handled (Rocket panics on an unread one).
            .map_err(|e| format!("{:?}", e.kind()))
    };
    assert!(
        start([7; 48]).is_ok(),
        "the first instance records its secret"
    );
    assert!(start([7; 48]).is_ok(), "the same secret starts again");
    assert!(start([9; 48]).is_err(), "another secret is refused");
}

/// Products from before variants each get one default variant holding their stock; carts,
/// order lines and stock history point at it; a shop migrated so sells as before.
#[test]
fn the_variants_migration_gives_every_product_its_default_variant() {
    use comptoir::db::schema::{cart_lines, order_lines, product_variants, products};
    let app = TestApp::spawn();
    let b = app.browser();
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 1);
    let placed = crate::orders::checkout(&b, &crate::helpers::address("avant@example.fr"));
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    crate::orders::add(&app, &b, crate::orders::MUSTARD, 2);
    let mut conn = app.conn();
    let reverted = revert_through(&mut conn, "20261129000019");
    assert_eq!(conn.migrate().expect("migrate"), reverted);
    let stocks: Vec<(i64, i32)> = products::table
        .order(products::id)
        .select((products::id, products::stock))
        .load(&mut conn)
        .unwrap();
    let variants: Vec<(i64, i32, String, String)> = product_variants::table
        .order(product_variants::product_id)
        .select((
            product_variants::product_id,
            product_variants::stock,
            product_variants::sku,
            product_variants::option1,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(variants.len(), stocks.len(), "one variant a product");
    for ((id, stock), (product, v_stock, sku, option)) in stocks.iter().zip(&variants) {
        assert_eq!((id, stock), (product, v_stock));
        assert!(!sku.is_empty() && option.is_empty());
    }
    let line: (i64, i64) = cart_lines::table
        .inner_join(product_variants::table.on(product_variants::id.eq(cart_lines::variant_id)))
        .select((cart_lines::product_id, product_variants::product_id))
        .first(&mut conn)
        .unwrap();
    assert_eq!(line.0, line.1, "the cart line holds its product's variant");
    let sold: (Option<i64>, String, i64) = order_lines::table
        .inner_join(
            product_variants::table.on(order_lines::variant_id.eq(product_variants::id.nullable())),
        )
        .select((
            order_lines::product_id,
            order_lines::sku,
            product_variants::product_id,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        sold.0,
        Some(sold.2),
        "the order line holds its product's variant"
    );
    assert!(!sold.1.is_empty(), "and its SKU");
    // The migrated cart checks out, and the old order cancels back into the variant.
    let done = crate::orders::checkout(&b, &crate::helpers::address("migre@example.fr"));
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(app.stock(crate::orders::MUSTARD), 21);
}
