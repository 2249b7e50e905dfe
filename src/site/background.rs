//! The background tasks the server runs once it has lifted off (unless `background_tasks` is
//! off, as in tests, which run each round when they choose): the mail sender, the periodic
//! round (unpaid orders, card reconciliation, housekeeping), back-in-stock alerts, and the
//! settings refresh. Each round's work belongs to its area; here is only when it runs.

use std::sync::Arc;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::{Orbit, Rocket};

use crate::config::{Settings, Shop};
use crate::mail::sender::{self, Sender};
use crate::mail::MailWaker;
use crate::payments::Payments;
use crate::site::db::{Db, Pool};
use crate::site::tasks::{stopping, Tasks};

/// How often each running instance reads the stored settings again, so that several
/// instances behind one PostgreSQL database agree within this delay (the instance that saves
/// them applies them at once).
const SETTINGS_REFRESH: Duration = Duration::from_secs(30);

/// What every task needs from the server, when background tasks are on.
struct Ground {
    shop: Arc<Shop>,
    tasks: Tasks,
    pool: Pool,
    waker: MailWaker,
}

fn ground(rocket: &Rocket<Orbit>, task: &str) -> Option<Ground> {
    let found = (
        rocket.state::<Arc<Shop>>().cloned(),
        rocket.state::<Tasks>().cloned(),
        Db::pool(rocket).cloned(),
        rocket.state::<MailWaker>().cloned(),
    );
    let (Some(shop), Some(tasks), Some(pool), Some(waker)) = found else {
        log::error!("{task} not started: missing state");
        return None;
    };
    shop.settings().background_tasks.then_some(Ground {
        shop,
        tasks,
        pool,
        waker,
    })
}

pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("Background tasks", |rocket| {
        Box::pin(async move {
            let Some(g) = ground(rocket, "background tasks") else {
                return;
            };
            mail_sender(rocket, &g);
            periodic(rocket, &g);
            stock_alerts(rocket, &g);
            sales_clock(rocket, &g);
            settings_refresh(rocket, &g);
        })
    })
}

/// Delivers the outbox: woken by a commit that queued mail, else every `mail_poll_ms` or when
/// the next retry falls due.
fn mail_sender(rocket: &Rocket<Orbit>, g: &Ground) {
    let Some(settings) = rocket.state::<Settings>() else {
        return;
    };
    let sender = match Sender::from_settings(settings) {
        Ok(s) => s,
        Err(e) => {
            log::error!("mail sender not started: {e}");
            return;
        }
    };
    let poll = Duration::from_millis(settings.mail_poll_ms.max(10));
    let shutdown = rocket.shutdown();
    let watched = shutdown.clone();
    let sender = Arc::new(sender.stopping_when(Arc::new(move || stopping(&watched))));
    let pool = g.pool.clone();
    g.tasks.every(shutdown, Some(g.waker.notify()), move || {
        let (sender, pool) = (sender.clone(), pool.clone());
        async move { sender::round(&pool, &sender, poll).await }
    });
}

/// The periodic round, at start-up and then every `unpaid_check_secs`.
fn periodic(rocket: &Rocket<Orbit>, g: &Ground) {
    let Some(payments) = rocket.state::<Payments>().cloned() else {
        log::error!("periodic round not started: missing state");
        return;
    };
    let every = Duration::from_secs(g.shop.settings().unpaid_check_secs.max(1));
    let (shop, pool, waker) = (Arc::clone(&g.shop), g.pool.clone(), g.waker.clone());
    g.tasks.every(rocket.shutdown(), None, move || {
        let (shop, pool, waker, payments) = (
            Arc::clone(&shop),
            pool.clone(),
            waker.clone(),
            payments.clone(),
        );
        async move {
            if crate::ops::periodic::round(&pool, &shop, &payments).await {
                waker.wake();
            }
            every
        }
    });
}

/// Releases due back-in-stock alerts every `mail_poll_ms` (the pace at which queued mail goes
/// out), and wakes the mail sender when it queued some.
fn stock_alerts(rocket: &Rocket<Orbit>, g: &Ground) {
    let every = Duration::from_millis(g.shop.settings().mail_poll_ms.max(100));
    let (shop, pool, waker) = (Arc::clone(&g.shop), g.pool.clone(), g.waker.clone());
    g.tasks.every(rocket.shutdown(), None, move || {
        let (shop, pool, waker) = (Arc::clone(&shop), pool.clone(), waker.clone());
        async move {
            use crate::db::Runner;
            match pool
                .run(move |c| crate::catalog::alerts::release_due(c, &shop))
                .await
            {
                None | Some(Ok(0)) => {}
                Some(Ok(n)) => {
                    log::info!("back in stock: {n} alert(s) queued");
                    waker.wake();
                }
                Some(Err(e)) => log::error!("back-in-stock alerts failed: {e}"),
            }
            every
        }
    });
}

/// Starts and ends sales on time: at each sale's start and end (at the latest every minute),
/// writes its prices in the history and moves the pages' cache version. Prices follow the
/// clock to the second without it (`catalog::sales::live`).
fn sales_clock(rocket: &Rocket<Orbit>, g: &Ground) {
    const AT_MOST: Duration = Duration::from_secs(60);
    let pool = g.pool.clone();
    g.tasks.every(rocket.shutdown(), None, move || {
        let pool = pool.clone();
        async move {
            use crate::db::Runner;
            let now = crate::db::now();
            match pool.run(move |c| crate::catalog::sales::tick(c, now)).await {
                Some(Ok(Some(next))) => (next - now).to_std().map_or(Duration::from_secs(1), |d| {
                    d.clamp(Duration::from_secs(1), AT_MOST)
                }),
                Some(Ok(None)) | None => AT_MOST,
                Some(Err(e)) => {
                    log::error!("sales clock failed: {e}");
                    AT_MOST
                }
            }
        }
    });
}

/// Reads the stored settings again every [`SETTINGS_REFRESH`]; the first round, at start-up,
/// waits (the shop has just read them).
fn settings_refresh(rocket: &Rocket<Orbit>, g: &Ground) {
    let (shop, pool) = (Arc::clone(&g.shop), g.pool.clone());
    let mut first = true;
    g.tasks.every(rocket.shutdown(), None, move || {
        let (shop, pool) = (Arc::clone(&shop), pool.clone());
        let skip = std::mem::take(&mut first);
        async move {
            if !skip {
                use crate::db::Runner;
                if let Some(Err(e)) = pool.run(move |c| shop.reload(c)).await {
                    log::error!("reading the shop settings failed: {e}");
                }
            }
            SETTINGS_REFRESH
        }
    });
}
