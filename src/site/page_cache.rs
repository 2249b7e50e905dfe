//! Rendered storefront pages that every anonymous visitor sees alike (home, departments,
//! products, search), kept in memory per instance so that most visits render nothing and take
//! no database connection (issue #12).
//!
//! - A page is stored with two holes, the form token and the cart badge, filled for each
//!   visitor when it is served. Signed-in visitors and pages with a message (flash) are not
//!   cached.
//! - The database holds a version of what those pages show (`page_version`, raised by
//!   triggers on every change to the catalogue, settings, identity, and on visible stock
//!   changes). A page is served only while the version it was rendered at is still the current
//!   one. Every instance reads the version four times a second; after any request of this
//!   instance that may have written (any method but GET and HEAD), the next lookup reads it
//!   first, so staff see their own change at once. Without the background tasks (tests, a
//!   maintenance run), every lookup reads it.
//! - When the version moves, the settings are read again before the new version is used, so a
//!   page rendered at the new version never carries old settings.
//! - At most `MAX_PAGES` pages are kept (query strings are endless); when full, the store is
//!   emptied and fills again with what is asked.
//! - One flight per missing page: the first request for it renders it, the others asking for
//!   it meanwhile wait for that one (at most `FLIGHT_WAIT`) and are served what it kept, so a
//!   herd of visitors on a page that just went stale makes one render, not one each.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use rocket::request::Request;

use crate::config::Shop;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::shipping::footer::{self, DeliveryLine};
use crate::site::db::DbRef;
use crate::site::db::LazyDb;

/// Where the visitor's form token goes in a stored page.
pub const CSRF_HOLE: &str = "\u{1}csrf\u{1}";
/// Where the visitor's cart badge goes in a stored page.
pub const BADGE_HOLE: &str = "\u{1}badge\u{1}";
/// Pages kept at most (about 10 KB each).
const MAX_PAGES: usize = 1_000;
/// How often each instance reads the version.
pub const POLL: Duration = Duration::from_millis(250);
/// How long a request waits for another one rendering the page it asks for.
const FLIGHT_WAIT: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, (u64, Arc<str>)>>,
    /// The newest version this instance has seen (and read the settings at).
    known: AtomicU64,
    /// Requests that may have written, and how many of them a version read has followed.
    writes: AtomicU64,
    checked: AtomicU64,
    /// Set while the background reader runs.
    polled: AtomicBool,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Pages kept since the start.
    stored: AtomicU64,
    /// Pages being rendered, each with what its waiters wait on.
    flights: Mutex<HashMap<String, Arc<Landing>>>,
    /// The shop's own ways to receive an order as every page's footer lists them, read again
    /// with the settings when the version moves (none: the flat prices of the settings).
    delivery: RwLock<Option<Arc<Vec<DeliveryLine>>>>,
    /// Rung each time a version is read, for whoever waits for one ([`PageCache::wait_newer`]).
    read: (Mutex<u64>, Condvar),
}

/// What `/readyz` says of the cache.
#[derive(Debug, serde::Serialize)]
pub struct CacheStats {
    pub pages: usize,
    pub version: u64,
    pub hits: u64,
    pub misses: u64,
    pub stored: u64,
}

/// The end of a flight: set, then rung, when the page is kept or its renderer gave up.
#[derive(Default)]
struct Landing {
    done: AtomicBool,
    rung: tokio::sync::Notify,
}

/// A request rendering a missing page for the others: the flight ends when it is dropped
/// (the page kept, or the request over).
pub struct Flight<'a> {
    cache: &'a PageCache,
    key: String,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let landing = self
            .cache
            .flights
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
        if let Some(landing) = landing {
            landing.done.store(true, Ordering::SeqCst);
            landing.rung.notify_waiters();
        }
    }
}

impl PageCache {
    /// The version a page may be served or stored at, read from the database when this
    /// instance may have written since the last read, or when no background reader runs.
    pub async fn current(&self, db: &LazyDb, shop: &Arc<Shop>) -> AppResult<u64> {
        let writes = self.writes.load(Ordering::Acquire);
        if self.polled.load(Ordering::Acquire) && writes == self.checked.load(Ordering::Acquire) {
            return Ok(self.known.load(Ordering::Acquire));
        }
        let db = db.get().await.ok_or(AppError::Busy)?;
        let version = self.refresh(&db, shop).await?;
        self.checked.fetch_max(writes, Ordering::AcqRel);
        Ok(version)
    }

    /// [`read_version`] on the request's connection, then [`PageCache::advance`].
    async fn refresh(&self, db: &DbRef, shop: &Arc<Shop>) -> AppResult<u64> {
        let (known, shop) = (self.known.load(Ordering::Acquire), Arc::clone(shop));
        let (version, delivery) = db.run(move |c| read_version(c, known, &shop)).await?;
        self.advance(version, delivery);
        Ok(version)
    }

    /// The same on a connection of its own (the background reader).
    pub fn refresh_on(&self, conn: &mut DbConn, shop: &Shop) -> diesel::QueryResult<()> {
        let (version, delivery) = read_version(conn, self.known.load(Ordering::Acquire), shop)?;
        self.advance(version, delivery);
        Ok(())
    }

    /// The shop's own ways to receive an order, as last read.
    pub fn delivery(&self) -> Option<Arc<Vec<DeliveryLine>>> {
        self.delivery
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Puts the ways to receive an order in force on this instance (other instances follow the
    /// version): at start, and after the shipping methods or the settings change.
    pub fn publish_delivery(&self, conn: &mut DbConn, shop: &Shop) -> diesel::QueryResult<()> {
        self.set_delivery(footer::own(conn, &shop.settings())?);
        Ok(())
    }

    fn set_delivery(&self, lines: Option<Vec<DeliveryLine>>) {
        *self.delivery.write().unwrap_or_else(|e| e.into_inner()) = lines.map(Arc::new);
    }

    /// Any other version than the known one (raised, or back to 1 after the migrations were
    /// undone and done again) forgets every page.
    fn advance(&self, version: u64, delivery: Option<Delivery>) {
        if let Some(lines) = delivery {
            self.set_delivery(lines);
        }
        if self.known.swap(version, Ordering::AcqRel) != version {
            self.pages
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
        }
        let (seen, bell) = &self.read;
        *seen.lock().unwrap_or_else(|e| e.into_inner()) = version;
        bell.notify_all();
    }

    /// Blocks until this instance has read a version newer than `version` (a change made
    /// elsewhere reached it), or `limit` passed; returns the last version it read. For code
    /// outside the server's runtime (tests, tools): it blocks the thread.
    pub fn wait_newer(&self, version: u64, limit: Duration) -> u64 {
        let (seen, bell) = &self.read;
        let guard = seen.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = bell
            .wait_timeout_while(guard, limit, |v| *v <= version)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }

    pub fn set_polled(&self, on: bool) {
        self.polled.store(on, Ordering::Release);
    }

    /// A request that may have written went through this instance.
    pub fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// The stored page for `key`, if it was rendered at `version`.
    pub fn get(&self, key: &str, version: u64) -> Option<Arc<str>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        let found = pages
            .get(key)
            .filter(|(at, _)| *at == version)
            .map(|(_, page)| Arc::clone(page));
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// For a missing page: the flight when this request is to render it, or (another one
    /// renders it) nothing once that one has landed or `FLIGHT_WAIT` has passed.
    pub async fn lead_or_wait(&self, key: &str) -> Option<Flight<'_>> {
        let landing = {
            let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
            match flights.get(key) {
                Some(landing) => Arc::clone(landing),
                None => {
                    flights.insert(key.to_string(), Arc::default());
                    return Some(Flight {
                        cache: self,
                        key: key.to_string(),
                    });
                }
            }
        };
        let rung = landing.rung.notified();
        tokio::pin!(rung);
        // Listening before looking: a landing between the two is seen by one or the other.
        rung.as_mut().enable();
        if !landing.done.load(Ordering::SeqCst) {
            let _ = tokio::time::timeout(FLIGHT_WAIT, rung).await;
        }
        None
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            pages: self.len(),
            version: self.known.load(Ordering::Acquire),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            stored: self.stored.load(Ordering::Relaxed),
        }
    }

    /// Keeps a page rendered from data read after `version` was current; not if the version
    /// has moved since (checked under the lock that [`PageCache::advance`] clears with).
    pub fn put(&self, key: String, version: u64, page: Arc<str>) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if version != self.known.load(Ordering::Acquire) {
            return;
        }
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, (version, page));
        self.stored.fetch_add(1, Ordering::Relaxed);
    }

    pub fn len(&self) -> usize {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The shop's own ways to receive an order, read again (`None` inside: the flat prices).
type Delivery = Option<Vec<DeliveryLine>>;

/// The version in the database; when it is not `known`, the settings and the ways to receive
/// an order are read again first, so nothing is rendered at the new version with the old ones.
fn read_version(
    conn: &mut DbConn,
    known: u64,
    shop: &Shop,
) -> diesel::QueryResult<(u64, Option<Delivery>)> {
    let version = crate::db::page_version(conn)?;
    if version == known {
        return Ok((version, None));
    }
    shop.reload(conn)?;
    Ok((version, Some(footer::own(conn, &shop.settings())?)))
}

/// Reads the version four times a second on every instance (with the background tasks), and
/// marks every request that may have written.
pub struct Fairing;

#[rocket::async_trait]
impl rocket::fairing::Fairing for Fairing {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "Page cache",
            kind: rocket::fairing::Kind::Liftoff | rocket::fairing::Kind::Response,
        }
    }

    async fn on_liftoff(&self, rocket: &rocket::Rocket<rocket::Orbit>) {
        let (Some(cache), Some(shop), Some(tasks), Some(pool)) = (
            rocket.state::<Arc<PageCache>>().cloned(),
            rocket.state::<Arc<Shop>>().cloned(),
            rocket.state::<crate::site::tasks::Tasks>().cloned(),
            crate::site::db::Db::pool(rocket).cloned(),
        ) else {
            log::error!("page cache: missing state; pages are not cached");
            return;
        };
        if !shop.settings().background_tasks {
            return;
        }
        tasks.every(rocket.shutdown(), None, move || {
            let (cache, shop, pool) = (Arc::clone(&cache), Arc::clone(&shop), pool.clone());
            async move {
                if let Some(db) = pool.get().await {
                    let reader = Arc::clone(&cache);
                    match db.run(move |c| reader.refresh_on(c, &shop)).await {
                        Ok(()) => cache.set_polled(true),
                        Err(e) => {
                            // Until the version is read again, every lookup reads it.
                            cache.set_polled(false);
                            log::warn!("page cache: reading the version failed: {e}");
                        }
                    }
                }
                POLL
            }
        });
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, _res: &mut rocket::Response<'r>) {
        if !matches!(
            req.method(),
            rocket::http::Method::Get | rocket::http::Method::Head
        ) {
            if let Some(cache) = req.rocket().state::<Arc<PageCache>>() {
                cache.wrote();
            }
        }
    }
}

/// Fills a stored page's holes for one visitor.
pub fn fill(page: &str, csrf: &str, badge: &str) -> String {
    let mut out = String::with_capacity(page.len() + 256);
    let mut rest = page;
    while let Some(at) = rest.find('\u{1}') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix(CSRF_HOLE) {
            out.push_str(csrf);
            rest = after;
        } else if let Some(after) = tail.strip_prefix(BADGE_HOLE) {
            out.push_str(badge);
            rest = after;
        } else {
            out.push('\u{1}');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_filled_and_other_text_kept() {
        let page = format!("<a>{CSRF_HOLE}</a><b>{BADGE_HOLE}</b><i>{CSRF_HOLE}</i>\u{1}x é");
        assert_eq!(
            fill(&page, "tok", "<span>2</span>"),
            "<a>tok</a><b><span>2</span></b><i>tok</i>\u{1}x é"
        );
    }

    #[test]
    fn pages_older_than_the_version_are_not_served_and_a_move_forgets_them() {
        let cache = PageCache::default();
        cache.advance(3, None);
        cache.put("/a".into(), 3, Arc::from("A"));
        cache.put("/old".into(), 2, Arc::from("rendered before the change"));
        assert_eq!(cache.get("/a", 3).as_deref(), Some("A"));
        assert_eq!(cache.get("/old", 3), None, "not stored");
        cache.advance(4, None);
        assert_eq!(cache.get("/a", 4), None);
        assert!(cache.is_empty());
        // Back to an older number (migrations undone and done again): forgotten too.
        cache.put("/a".into(), 4, Arc::from("A"));
        cache.advance(1, None);
        assert!(cache.is_empty());
    }
}
