//! The database: one Diesel connection type over SQLite and PostgreSQL, migrations, and the
//! [`Runner`] through which async code reaches a connection (the web wing's pool implements it).

pub mod schema;

use futures::future::BoxFuture;
use std::sync::Mutex;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// The time now in UTC, as the database stores every time (pages show them in the shop's zone).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Every model function takes this connection; the backend is chosen by the URL at run time.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The version of what the storefront shows every visitor alike (see `web::page_cache`).
pub fn page_version(conn: &mut DbConn) -> QueryResult<u64> {
    schema::page_version::table
        .select(schema::page_version::version)
        .first::<i64>(conn)
        .map(|v| v as u64)
}

/// Something that runs a closure on a database connection, on a thread where blocking is
/// allowed: the server's pool (background tasks) or a request's connection (services called
/// from a handler). `None` when no connection could be had.
/// The future is boxed: an `impl Future + Send` here meets rustc's limits on higher-ranked
/// lifetimes in the handlers that await it (one small allocation beside a thread hand-off).
pub trait Runner: Send + Sync {
    fn run<T, F>(&self, f: F) -> BoxFuture<'_, Option<T>>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static;

    /// Gives a held connection back before a long wait that needs none (a password hash
    /// queued behind others); the next [`Runner::run`] takes one again.
    fn release(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// Stores an enum in a text column, on both backends: `as_str` writes it, `parse` reads it, and
/// a value `parse` does not know is an error (never a silent default). The enum derives
/// `diesel::AsExpression` and `diesel::FromSqlRow` with `#[diesel(sql_type = Text)]`.
macro_rules! text_enum {
    ($t:ty) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                out.set_value(self.as_str());
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                std::io::Write::write_all(out, self.as_str().as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, $crate::db::MultiBackend> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                out.set_value((diesel::sql_types::Text, self));
                Ok(diesel::serialize::IsNull::No)
            }
        }

        $crate::db::text_enum!(@from $t, diesel::sqlite::Sqlite);
        $crate::db::text_enum!(@from $t, diesel::pg::Pg);

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, $crate::db::MultiBackend>
            for $t
        {
            fn from_sql(
                bytes: <$crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                bytes.from_sql::<$t, diesel::sql_types::Text>()
            }
        }
    };
    (@from $t:ty, $db:ty) => {
        impl diesel::deserialize::FromSql<diesel::sql_types::Text, $db> for $t {
            fn from_sql(
                bytes: <$db as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, $db>>::from_sql(
                        bytes,
                    )?;
                <$t>::parse(&text)
                    .ok_or_else(|| format!("unknown {} {text:?}", stringify!($t)).into())
            }
        }
    };
}
pub(crate) use text_enum;

/// Stores a newtype over `i64` (an id, an amount in cents) in a `BigInt` column, on both
/// backends. The type derives `diesel::AsExpression` and `diesel::FromSqlRow` with
/// `#[diesel(sql_type = BigInt)]`.
macro_rules! bigint_newtype {
    ($t:ident) => {
        impl diesel::serialize::ToSql<diesel::sql_types::BigInt, diesel::sqlite::Sqlite> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                <i64 as diesel::serialize::ToSql<
                    diesel::sql_types::BigInt,
                    diesel::sqlite::Sqlite,
                >>::to_sql(&self.0, out)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::BigInt, diesel::pg::Pg> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <i64 as diesel::serialize::ToSql<diesel::sql_types::BigInt, diesel::pg::Pg>>::to_sql(
                    &self.0, out,
                )
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::BigInt, $crate::db::MultiBackend> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                out.set_value((diesel::sql_types::BigInt, self));
                Ok(diesel::serialize::IsNull::No)
            }
        }

        $crate::db::bigint_newtype!(@from $t, diesel::sqlite::Sqlite);
        $crate::db::bigint_newtype!(@from $t, diesel::pg::Pg);

        impl diesel::deserialize::FromSql<diesel::sql_types::BigInt, $crate::db::MultiBackend>
            for $t
        {
            fn from_sql(
                bytes: <$crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                bytes.from_sql::<$t, diesel::sql_types::BigInt>()
            }
        }
    };
    (@from $t:ident, $db:ty) => {
        impl diesel::deserialize::FromSql<diesel::sql_types::BigInt, $db> for $t {
            fn from_sql(
                bytes: <$db as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <i64 as diesel::deserialize::FromSql<diesel::sql_types::BigInt, $db>>::from_sql(
                    bytes,
                )
                .map($t)
            }
        }
    };
}
pub(crate) use bigint_newtype;

/// The migration after which product search keys are computed again (see `migrate`).
const SEARCH_FOLD_VERSION: &str = "20261128000006";

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");

/// The default database when `DATABASE_URL` is not set: a file in the working directory.
pub const DEFAULT_URL: &str = "comptoir.db";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// `sqlite://path`, `sqlite:path` or a plain path all name a SQLite file.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Settings every SQLite connection needs: WAL for concurrent readers, a busy handler so that
/// writers wait instead of failing, and enforced foreign keys (off by default in SQLite).
/// The write turn of this process's SQLite transactions (see [`DbConn::write_tx`]). One for
/// the process: a shop has one database (tests, with many, only wait a little more).
static SQLITE_WRITER: Mutex<()> = Mutex::new(());

/// The busy timeout comes first: switching to WAL takes a lock, and a connection opened while
/// another runs recovery (a restart after a crash) or its own pragmas would otherwise fail at
/// once with "database is locked" instead of waiting its turn.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON;";

/// Opens one connection, picking the backend from the URL scheme so that a PostgreSQL error is
/// reported as it is (Diesel's own `establish` tries each backend in turn and hides it).
pub fn connect(url: &str) -> ConnectionResult<DbConn> {
    match Backend::of_url(url) {
        Backend::Postgres => PgConnection::establish(url).map(DbConn::Pg),
        Backend::Sqlite => {
            let mut conn = SqliteConnection::establish(sqlite_path(url))?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Applies every pending migration of this backend's folder.
    pub fn migrate(&mut self) -> Result<usize, String> {
        let applied: Vec<String> = match self {
            DbConn::Pg(c) => c
                .run_pending_migrations(PG_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
            DbConn::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
        }
        .map_err(|e| e.to_string())?;
        // Data steps SQL cannot do, run once, right after the migration that announces them.
        if applied.iter().any(|v| v == SEARCH_FOLD_VERSION) {
            let n = self
                .reindex_search()
                .map_err(|e| format!("recomputing search keys: {e}"))?;
            log::info!("search keys of {n} product(s) computed again");
        }
        Ok(applied.len())
    }

    /// Migrations this binary has that the database has not run yet.
    pub fn pending_migrations(&mut self) -> Result<usize, String> {
        match self {
            DbConn::Pg(c) => c.pending_migrations(PG_MIGRATIONS).map(|v| v.len()),
            DbConn::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        }
        .map_err(|e| e.to_string())
    }

    /// Every product's search key, from its name and description (`text::search_key`).
    fn reindex_search(&mut self) -> QueryResult<usize> {
        use schema::products;
        self.write_tx(|c| {
            let rows: Vec<(i64, String, String)> = products::table
                .select((products::id, products::name, products::description))
                .load(c)?;
            for (id, name, description) in &rows {
                diesel::update(products::table.find(id))
                    .set(products::search_text.eq(crate::text::search_key(name, description)))
                    .execute(c)?;
            }
            Ok(rows.len())
        })
    }

    /// A transaction for work that writes. On SQLite it starts with `BEGIN IMMEDIATE`: a
    /// deferred transaction that later upgrades to a writer bypasses the busy handler and fails
    /// with "database is locked" under concurrent writers.
    pub fn write_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        match self {
            DbConn::Pg(_) => self.transaction(f),
            DbConn::Sqlite(inner) => {
                // One writer at a time, queued here: SQLite lets a second writer wait by
                // sleeping and trying again (1, 2, 5, … 100 ms), which under a sale makes
                // orders wait for nothing; a mutex hands the turn over at once.
                let _turn = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
                AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
                match f(self) {
                    Ok(value) => {
                        AnsiTransactionManager::commit_transaction(self.sqlite())?;
                        Ok(value)
                    }
                    Err(e) => {
                        AnsiTransactionManager::rollback_transaction(self.sqlite())?;
                        Err(e)
                    }
                }
            }
        }
    }

    fn sqlite(&mut self) -> &mut SqliteConnection {
        match self {
            DbConn::Sqlite(c) => c,
            DbConn::Pg(_) => unreachable!("sqlite() is only called on the SQLite arm"),
        }
    }
}

/// Connects and migrates; used by the command line and by the start-up fairing.
pub fn connect_and_migrate(url: &str) -> Result<DbConn, String> {
    let mut conn = connect(url).map_err(|e| format!("cannot open the database: {e}"))?;
    conn.migrate()
        .map_err(|e| format!("migrations failed: {e}"))?;
    Ok(conn)
}

// `lower()` exists on both backends; used for case-insensitive search and email lookups.
diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Whether an error is a unique-constraint violation (mapped to a field error by forms).
/// A transaction that lost to a concurrent one and may succeed if tried again: a deadlock or
/// serialization failure (PostgreSQL), a busy database (SQLite past its busy timeout).
pub fn is_conflict(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("deadlock detected") || m.contains("database is locked")
        }
        _ => false,
    }
}

/// Whether the database went away under the request (a closed connection, a server shutting
/// down): the request is answered 503, as when no connection can be had.
pub fn is_unavailable(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("terminating connection")
                || m.contains("server closed the connection")
                || m.contains("the database system is")
                || m.contains("no connection to the server")
        }
        _ => false,
    }
}

pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
