//! Backups of a SQLite shop: `VACUUM INTO` makes a consistent copy of the live database while
//! the shop runs (readers and writers carry on) — pictures included, they live in the database
//! — with the shop's secret (the password pepper and every signed link hang on it). A restore checks the copy's integrity
//! and migrations before it replaces anything. PostgreSQL shops use `pg_dump`/`pg_restore`.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use diesel_migrations::MigrationHarness;

use crate::db::{self, DbConn, SQLITE_MIGRATIONS};

/// What the PostgreSQL way is, for the command to say.
pub const PG_ADVICE: &str = "this shop runs on PostgreSQL: back it up with \
     `pg_dump -Fc -f comptoir.dump \"$DATABASE_URL\"` (and restore with `pg_restore --clean \
     --if-exists -d \"$DATABASE_URL\" comptoir.dump`; the pictures are in the database), and \
     copy the data folder's shop_secret beside it";

const DB_FILE: &str = "shop.db";

#[derive(Debug)]
pub struct Summary {
    pub orders: i64,
    pub products: i64,
    pub pictures: usize,
}

fn count(conn: &mut DbConn, table: &str) -> Result<i64, String> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    // `table` is one of the constants below.
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(conn)
        .map(|r| r.n)
        .map_err(|e| e.to_string())
}

/// Copies the files of `from` into `to` (created); returns how many.
fn copy_dir(from: &Path, to: &Path) -> Result<usize, String> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let mut n = 0;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            n += copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Makes a backup of the shop in the folder `to`, which must not exist yet.
pub fn backup(conn: &mut DbConn, data_dir: &Path, to: &Path) -> Result<Summary, String> {
    if matches!(conn, DbConn::Pg(_)) {
        return Err(PG_ADVICE.to_string());
    }
    if to.exists() {
        return Err(format!(
            "{} exists already: name a new folder",
            to.display()
        ));
    }
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let file = to.join(DB_FILE);
    let path = file
        .to_str()
        .ok_or("the backup folder's name is not UTF-8")?
        .replace('\'', "''");
    // One consistent snapshot, taken while the shop goes on serving.
    conn.batch_execute(&format!("VACUUM INTO '{path}'"))
        .map_err(|e| format!("copying the database: {e}"))?;
    let secret = data_dir.join("shop_secret");
    if secret.exists() {
        std::fs::copy(&secret, to.join("shop_secret"))
            .map_err(|e| format!("copying the shop's secret: {e}"))?;
    }
    let mut copy = db::connect(&format!("sqlite://{}", file.display()))
        .map_err(|e| format!("reading the copy: {e}"))?;
    Ok(Summary {
        orders: count(&mut copy, "orders")?,
        products: count(&mut copy, "products")?,
        pictures: count(&mut copy, "product_images")? as usize,
    })
}

/// Checks a backup: its database whole, and made by this version or an earlier one.
fn check(file: &Path) -> Result<(), String> {
    let mut conn = SqliteConnection::establish(
        file.to_str()
            .ok_or("the backup folder's name is not UTF-8")?,
    )
    .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| format!("not a database: {e}"))?;
    if rows.len() != 1 || rows[0].integrity_check != "ok" {
        return Err("the backup's database is damaged (integrity check failed)".into());
    }
    let known: Vec<String> = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| e.to_string())?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let applied = conn
        .applied_migrations()
        .map_err(|e| format!("the backup has no migrations table: {e}"))?;
    if let Some(newer) = applied
        .iter()
        .map(|v| v.to_string())
        .find(|v| !known.contains(v))
    {
        return Err(format!(
            "the backup was made by a newer version of Comptoir (migration {newer})"
        ));
    }
    Ok(())
}

/// A name for what a restore moves aside, so that nothing is lost by restoring.
fn aside(path: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!("{name}.before-restore-{stamp}"))
}

/// Restores the backup in `from` over the shop's database (`url`, SQLite) and data folder.
/// Stop the shop first. What it replaces is moved aside, not deleted.
pub fn restore(from: &Path, url: &str, data_dir: &Path) -> Result<Summary, String> {
    if db::Backend::of_url(url) == db::Backend::Postgres {
        return Err(PG_ADVICE.to_string());
    }
    let source = from.join(DB_FILE);
    if !source.is_file() {
        return Err(format!("no {DB_FILE} in {}", from.display()));
    }
    check(&source)?;
    let target = PathBuf::from(db::sqlite_path(url));
    // Prepared beside the target, migrated, then put in place in one rename.
    let staged = target.with_extension("restoring");
    std::fs::copy(&source, &staged).map_err(|e| format!("copying the database: {e}"))?;
    let mut conn = db::connect_and_migrate(&format!("sqlite://{}", staged.display()))?;
    let summary = Summary {
        orders: count(&mut conn, "orders")?,
        products: count(&mut conn, "products")?,
        pictures: count(&mut conn, "product_images")? as usize,
    };
    drop(conn);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", staged.display()));
    }
    if target.exists() {
        std::fs::rename(&target, aside(&target)).map_err(|e| e.to_string())?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
    }
    std::fs::rename(&staged, &target).map_err(|e| format!("putting the database in place: {e}"))?;
    std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
    let media = data_dir.join("media");
    if media.exists() {
        std::fs::rename(&media, aside(&media)).map_err(|e| e.to_string())?;
    }
    // A backup made by an earlier version carries its pictures as files: put back, they are
    // read into the database at the next start.
    copy_dir(&from.join("media"), &media)?;
    let secret = from.join("shop_secret");
    if secret.exists() {
        let current = data_dir.join("shop_secret");
        if current.exists() {
            std::fs::rename(&current, aside(&current)).map_err(|e| e.to_string())?;
        }
        std::fs::copy(&secret, &current).map_err(|e| e.to_string())?;
    }
    Ok(summary)
}
