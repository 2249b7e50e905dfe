//! Backups: `comptoir backup` copies the live shop while customers check out, and
//! `comptoir restore` brings back every order acknowledged before the backup began.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use diesel::prelude::*;

use crate::concurrency::{confirm, product_id, ready_to_confirm};
use crate::helpers::{stock_of, Options, PEPPER};
use crate::server::TestServer;

const MUSTARD: &str = "moutarde-de-dijon-a-l-ancienne";

fn comptoir(args: &[&str], url: &str, data_dir: &std::path::Path) -> std::process::Output {
    comptoir_with(args, url, data_dir, &[])
}

fn comptoir_with(
    args: &[&str],
    url: &str,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("ROCKET_DATA_DIR", data_dir)
        .env("ROCKET_PASSWORD_PEPPER", PEPPER)
        .envs(env.iter().copied())
        .output()
        .expect("run comptoir")
}

/// Places one order of one mustard over HTTP; its number when acknowledged.
fn buy(server: &TestServer, product: &str, i: usize) -> Option<String> {
    let client = server.client();
    let (fields, key) = ready_to_confirm(&client, product, &format!("backup{i}@example.fr"));
    let (status, location) = confirm(&client, &fields, &key);
    (status == 303 && location.starts_with("/orders/")).then(|| {
        location
            .trim_start_matches("/orders/")
            .split('?')
            .next()
            .unwrap()
            .to_string()
    })
}

#[test]
fn a_backup_taken_under_checkout_load_restores_every_acknowledged_order() {
    // `VACUUM INTO` is SQLite's: PostgreSQL shops use pg_dump (the test below).
    let server = TestServer::start(Options {
        sqlite: true,
        ..Options::default()
    });
    let folder = std::env::temp_dir().join(format!("comptoir-backup-{}", server.port));
    let _ = std::fs::remove_dir_all(&folder);
    let data_dir = server.db.data_dir();
    let product = product_id(&server, MUSTARD);
    let initial = stock_of(&mut server.conn(), MUSTARD);
    let before: Vec<String> = (0..5).filter_map(|i| buy(&server, &product, i)).collect();
    assert_eq!(before.len(), 5);
    let stop = AtomicBool::new(false);
    let backup = std::thread::scope(|s| {
        let load = s.spawn(|| {
            let mut placed = 0;
            for i in 100..120 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                placed += usize::from(buy(&server, &product, i).is_some());
            }
            placed
        });
        let out = comptoir(
            &["backup", folder.to_str().unwrap()],
            server.db.url(),
            &data_dir,
        );
        stop.store(true, Ordering::SeqCst);
        let _ = load.join();
        out
    });
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(String::from_utf8_lossy(&backup.stdout).contains("Backup in"));
    assert!(folder.join("shop.db").is_file());
    // A second backup into the same folder is refused rather than mixed.
    let again = comptoir(
        &["backup", folder.to_str().unwrap()],
        server.db.url(),
        &data_dir,
    );
    assert!(!again.status.success());

    // Restored into a new shop folder.
    let fresh = folder.with_extension("restored");
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh).unwrap();
    let url = format!("sqlite://{}", fresh.join("shop.db").display());
    let restored = comptoir(
        &["restore", folder.to_str().unwrap()],
        &url,
        &fresh.join("data"),
    );
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(
        fresh.join("data/shop_secret").is_file(),
        "the secret comes back"
    );
    let mut conn = comptoir::db::connect(&url).unwrap();
    use comptoir::db::schema::{order_lines, orders};
    for number in &before {
        let lines: i64 = order_lines::table
            .inner_join(orders::table)
            .filter(orders::number.eq(number))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(lines, 1, "order {number} and its line are in the backup");
    }
    // A consistent snapshot: what was sold and what is left add up.
    let sold: i64 = order_lines::table
        .select(diesel::dsl::sum(order_lines::quantity))
        .first::<Option<i64>>(&mut conn)
        .unwrap()
        .unwrap_or(0);
    assert_eq!(
        i64::from(stock_of(&mut conn, MUSTARD)) + sold,
        i64::from(initial)
    );
    // A damaged backup is refused before anything is replaced.
    std::fs::write(folder.join("shop.db"), b"not a database").unwrap();
    let refused = comptoir(
        &["restore", folder.to_str().unwrap()],
        &url,
        &fresh.join("data"),
    );
    assert!(!refused.status.success());
    let still: i64 = orders::table.count().get_result(&mut conn).unwrap();
    assert!(still >= 5);
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_dir_all(&fresh);
}

#[test]
fn postgresql_shops_are_told_to_use_pg_dump() {
    let folder = std::env::temp_dir().join("comptoir-backup-pg-advice");
    let data = std::env::temp_dir().join("comptoir-backup-pg-advice-data");
    for command in ["backup", "restore"] {
        let out = comptoir_with(
            &[command, folder.to_str().unwrap()],
            "postgres://nobody@127.0.0.1:1/none",
            &data,
            &[("ROCKET_SHOP_SECRET", &base64_secret())],
        );
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("pg_dump"),
            "{command}"
        );
        assert!(!folder.exists());
    }
}

fn base64_secret() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode([3u8; 48])
}

/// Instances sharing a PostgreSQL database must share the secret: a secret generated into one
/// machine's data folder would not be shared, so none is generated there.
#[test]
fn a_postgresql_shop_without_a_configured_secret_refuses_to_start() {
    let data = std::env::temp_dir().join(format!("comptoir-pg-secret-{}", std::process::id()));
    for command in [&["serve"][..], &["migrate"]] {
        let out = comptoir(command, "postgres://nobody@127.0.0.1:1/none", &data);
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("ROCKET_SHOP_SECRET"), "{said}");
        assert!(!data.join("shop_secret").exists());
    }
}
