//! The request's database connection: the one pool (Rocket's, over [`DbConn`]), one connection
//! per request shared by every guard that needs it, taken on first use and given back as soon
//! as the response is ready.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::ConnectionError;
use rocket::{Build, Rocket};
use rocket_sync_db_pools::{database, r2d2, Config, PoolResult, Poolable};

use futures::future::BoxFuture;

use crate::db::{connect, DbConn, Runner};

/// The one pool. Handlers and guards take [`DbRef`]: one connection per request, shared by
/// every guard that needs it (taking two per request deadlocks the pool under load).
#[database("comptoir")]
pub struct Db(DbConn);

/// The request's one connection, taken on first use and shared for the rest of the request.
pub struct DbRef(Arc<Db>);

impl std::ops::Deref for DbRef {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.0
    }
}

/// How long a request waits for a connection in all (`databases.comptoir.timeout`, 5 s by
/// default). The pool's own wait is twice that at worst (its queue, then r2d2's), and a
/// database that has gone away must not hold a visitor longer than this.
#[derive(Debug, Clone, Copy)]
pub struct PoolTimeout(pub Duration);

/// Where the request keeps its connection until the response fairing gives it back.
#[derive(Default)]
struct DbSlot(Arc<tokio::sync::Mutex<Slot>>);

/// The request's connection once taken, and whether taking one already failed: a request waits
/// for the pool once at most, however many guards ask (a database that went away must not hold
/// a visitor for twice the timeout).
#[derive(Default)]
struct Slot {
    db: Option<Arc<Db>>,
    failed: bool,
}

/// The way to the request's connection without taking it yet: pages served from memory take
/// none (taking one and giving it back are two hand-offs to the blocking pool).
#[derive(Clone)]
pub struct LazyDb {
    slot: Arc<tokio::sync::Mutex<Slot>>,
    pool: Option<rocket_sync_db_pools::ConnectionPool<Db, DbConn>>,
    limit: Duration,
}

impl LazyDb {
    pub fn of(req: &rocket::Request<'_>) -> LazyDb {
        let slot = req.local_cache(DbSlot::default);
        LazyDb {
            slot: Arc::clone(&slot.0),
            pool: Db::pool(req.rocket()).cloned(),
            limit: req
                .rocket()
                .state::<PoolTimeout>()
                .map_or(Duration::from_secs(5), |t| t.0),
        }
    }

    /// The request's connection, taken now if it was not yet; `None` when the pool gave
    /// none within the timeout.
    pub async fn get(&self) -> Option<DbRef> {
        let mut slot = self.slot.lock().await;
        if let Some(db) = slot.db.as_ref() {
            return Some(DbRef(Arc::clone(db)));
        }
        if slot.failed {
            return None;
        }
        let pool = self.pool.as_ref()?;
        let got = rocket::tokio::time::timeout(self.limit, pool.get()).await;
        let Some(conn) = got.ok().flatten() else {
            slot.failed = true;
            return None;
        };
        let db = Arc::new(Db(conn));
        slot.db = Some(Arc::clone(&db));
        Some(DbRef(db))
    }

    /// Gives the request's connection back to the pool now, before a long wait that needs
    /// none (a password hash queued behind others); the next [`LazyDb::get`] takes one again.
    /// The caller drops its own [`DbRef`] first.
    pub async fn release(&self) {
        let taken = self.slot.lock().await.db.take();
        drop(taken);
    }
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for DbRef {
    type Error = ();

    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        match LazyDb::of(req).get().await {
            Some(db) => rocket::request::Outcome::Success(db),
            None => rocket::request::Outcome::Error((rocket::http::Status::ServiceUnavailable, ())),
        }
    }
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for LazyDb {
    type Error = ();

    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(LazyDb::of(req))
    }
}

/// Returns each request's connection to the pool as soon as its response is ready (inside the
/// runtime, as the pool requires).
pub struct ReleaseConnection;

#[rocket::async_trait]
impl rocket::fairing::Fairing for ReleaseConnection {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "Release the request's connection",
            kind: rocket::fairing::Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r rocket::Request<'_>, _res: &mut rocket::Response<'r>) {
        let slot = req.local_cache(DbSlot::default);
        let taken = slot.0.lock().await.db.take();
        drop(taken);
    }
}

/// r2d2 manager that opens connections with [`connect`].
#[derive(Debug)]
pub struct DbManager {
    url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error(transparent)]
    Connection(#[from] ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = PoolError;

    fn connect(&self) -> Result<DbConn, PoolError> {
        Ok(connect(&self.url)?)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), PoolError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

impl Poolable for DbConn {
    type Manager = DbManager;
    type Error = PoolError;

    fn pool(db_name: &str, rocket: &Rocket<Build>) -> PoolResult<Self> {
        let config = Config::from(db_name, rocket)?;
        let manager = DbManager { url: config.url };
        let pool = r2d2::Pool::builder()
            .max_size(config.pool_size)
            .connection_timeout(Duration::from_secs(config.timeout.into()))
            .build(manager)?;
        Ok(pool)
    }
}

/// The server's pool, as background tasks take it.
pub type Pool = rocket_sync_db_pools::ConnectionPool<Db, DbConn>;

impl Runner for Pool {
    fn run<T, F>(&self, f: F) -> BoxFuture<'_, Option<T>>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static,
    {
        Box::pin(async move { Some(self.get().await?.run(f).await) })
    }
}

impl Runner for DbRef {
    fn run<T, F>(&self, f: F) -> BoxFuture<'_, Option<T>>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static,
    {
        Box::pin(async move { Some(Db::run(self, f).await) })
    }
}

/// The request's connection, taken when first asked for and given back by
/// [`LazyDb::release`].
impl Runner for LazyDb {
    fn run<T, F>(&self, f: F) -> BoxFuture<'_, Option<T>>
    where
        F: FnOnce(&mut DbConn) -> T + Send + 'static,
        T: Send + 'static,
    {
        Box::pin(async move {
            let db = self.get().await?;
            Some(Db::run(&db, f).await)
        })
    }

    fn release(&self) -> BoxFuture<'_, ()> {
        Box::pin(LazyDb::release(self))
    }
}
