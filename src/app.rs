//! Assembles the Rocket instance: state, fairings, routes, catchers.

use std::path::PathBuf;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::shield::{Frame, Hsts, Referrer, Shield};
use rocket::{Build, Rocket};

use crate::auth::password::Hasher;
use crate::auth::Keys;
use crate::catalog;
use crate::config::Settings;
use crate::config::Shop;
use crate::mail;
use crate::mail::MailWaker;
use crate::site::assets;
use crate::site::catchers;
use crate::site::csrf::FormLimits;
use crate::site::db::Db;
use crate::templates::MailTemplates;

pub fn build(figment: Figment) -> Result<Rocket<Build>, String> {
    let settings: Settings = figment
        .extract()
        .map_err(|e| format!("invalid configuration: {e}"))?;
    let keys = Keys::new(settings.secret_bytes()?);
    let pepper = match &settings.password_pepper {
        Some(p) => p.as_bytes().to_vec(),
        None => keys.derive("password-pepper"),
    };
    let hasher = Hasher::new(settings.bcrypt_cost, pepper, settings.hash_concurrency);
    let zone = settings.zone()?;
    let mail = MailTemplates::load(zone).map_err(|e| format!("email templates: {e}"))?;
    let shop = Arc::new(Shop::new(
        figment.clone(),
        settings.clone(),
        keys.clone(),
        mail,
    ));
    let template_dir = template_dir(&figment);
    // Rocket's own key (its `secrets` feature is switched on by a dependency) follows ours,
    // so release builds need one secret only.
    let rocket_key = [keys.derive("rocket-key-1"), keys.derive("rocket-key-2")].concat();
    // Body limits: forms 16 KiB unless `FORM_LIMITS` says otherwise; pictures up to 5 MiB.
    let form_limits = FormLimits::from_table(FORM_LIMITS)?;
    let payments = crate::payments::Payments::from_settings(&settings);
    let address_api = crate::checkout::address_api::AddressApi::from_settings(&settings);
    let pool_timeout: u64 = figment
        .extract_inner("databases.comptoir.timeout")
        .unwrap_or(5);
    let request_log = crate::site::logs::RequestLog {
        trust_proxy: settings.trusted_ip_header.is_some(),
    };
    let figment = figment
        .join(("limits.form", "16 KiB"))
        .join(("limits.file", "5 MiB"))
        .join(("limits.data-form", "6 MiB"))
        .merge(("template_dir", template_dir))
        .merge(match &settings.trusted_ip_header {
            Some(h) => ("ip_header", rocket::figment::value::Value::from(h.clone())),
            None => ("ip_header", rocket::figment::value::Value::from(false)),
        })
        .merge(("secret_key", STANDARD.encode(rocket_key)))
        // Rocket's own grace (2 s) is shorter than a request waiting for a pooled connection.
        .merge(("shutdown.grace", settings.shutdown_grace_secs))
        .merge(("shutdown.mercy", 5));

    let mut shield = Shield::default()
        .enable(Frame::Deny)
        .enable(Referrer::StrictOriginWhenCrossOrigin);
    // Served over TLS (here or by a proxy in front, which `secure_cookies` tells): browsers
    // are told to use HTTPS only, for a year.
    if settings.secure_cookies {
        shield = shield.enable(Hsts::Enable(rocket::time::Duration::days(365)));
    }

    Ok(rocket::custom(figment)
        .manage(settings)
        .manage(keys)
        .manage(hasher)
        .manage(shop)
        .manage(MailWaker::default())
        .manage(crate::site::tasks::Tasks::default())
        .manage(Arc::new(crate::catalog::search::VocabularyCache::default()))
        .manage(Arc::new(crate::site::page_cache::PageCache::default()))
        .manage(crate::site::db::PoolTimeout(
            std::time::Duration::from_secs(pool_timeout),
        ))
        .manage(form_limits)
        .manage(payments)
        .manage(address_api)
        .attach(request_log)
        .attach(Db::fairing())
        .attach(crate::site::db::ReleaseConnection)
        .attach(crate::site::page_cache::Fairing)
        .attach(AdHoc::try_on_ignite("Migrations", migrate))
        .attach(AdHoc::on_liftoff("Base address check", |rocket| {
            Box::pin(async move { check_base_url(rocket) })
        }))
        .attach(assets::templates(zone))
        .attach(shield)
        .attach(crate::site::background::fairing())
        .attach(crate::site::headers::SecurityHeaders)
        .attach(crate::site::headers::StripNul)
        .mount("/", crate::site::routes())
        .mount("/admin", crate::site::admin::routes())
        .register("/", catchers::all()))
}

/// Forms whose body limit differs from `limits.form` (16 KiB), by the route's path (POST):
/// sign-in and one-field forms are tiny, product texts and bulk edits larger.
pub const FORM_LIMITS: &[(&str, &str)] = &[
    ("/login", "4 KiB"),
    ("/logout", "1 KiB"),
    ("/lang", "2 KiB"),
    ("/password/forgot", "2 KiB"),
    ("/account/verify", "2 KiB"),
    ("/account/sessions/end", "1 KiB"),
    ("/cart/add", "2 KiB"),
    ("/cart/remove", "2 KiB"),
    // A product: a description of 5,000 characters, percent-encoded.
    ("/admin/products", "64 KiB"),
    ("/admin/products/<id>", "64 KiB"),
    // Bulk edits carry one id per selected product.
    ("/admin/products/bulk", "64 KiB"),
    ("/admin/products/bulk/apply", "64 KiB"),
    // A legal page: up to 60,000 characters in each language, percent-encoded.
    ("/admin/legal/<page>", "512 KiB"),
];

async fn migrate(rocket: Rocket<Build>) -> Result<Rocket<Build>, Rocket<Build>> {
    let Some(db) = Db::get_one(&rocket).await else {
        log::error!("no database connection for migrations");
        return Err(rocket);
    };
    let shop = rocket.state::<Arc<Shop>>().map(Arc::clone);
    let cache = rocket
        .state::<Arc<crate::site::page_cache::PageCache>>()
        .map(Arc::clone);
    let keys = rocket.state::<Keys>().cloned();
    let data_dir = rocket.state::<Settings>().map(|s| s.data_dir.clone());
    let ready = db
        .run(move |c| {
            let n = c.migrate()?;
            if let Some(dir) = &data_dir {
                let adopted = crate::catalog::images::adopt_files(c, dir)
                    .map_err(|e| format!("reading pictures into the database: {e}"))?;
                if adopted > 0 {
                    log::info!(
                        "{adopted} picture(s) read from {} into the database",
                        dir.display()
                    );
                }
            }
            if let Some(keys) = &keys {
                crate::config::identity::check(c, keys)?;
            }
            if let Some(shop) = shop {
                shop.reload(c)
                    .map_err(|e| format!("reading the shop settings: {e}"))?;
                if let Some(cache) = &cache {
                    cache
                        .publish_delivery(c, &shop)
                        .map_err(|e| format!("reading the shipping methods: {e}"))?;
                }
                // A fresh shop shows every legal page from the first request.
                crate::legal::model::ensure_defaults(c, &shop.settings())
                    .map_err(|e| format!("writing the first legal pages: {e}"))?;
            }
            Ok::<_, String>(n)
        })
        .await;
    match ready {
        Ok(n) => {
            if n > 0 {
                log::info!("applied {n} migration(s)");
            }
            Ok(rocket)
        }
        Err(e) => {
            log::error!("the database is not ready: {e}");
            Err(rocket)
        }
    }
}

/// Every link in an email starts with `base_url`: say so loudly when it cannot be the address
/// customers use (the default in a release build, or another port than the one served when no
/// proxy is configured in front).
fn check_base_url(rocket: &Rocket<rocket::Orbit>) {
    let Some(s) = rocket.state::<Settings>() else {
        return;
    };
    let default = Settings::default().base_url;
    let release = rocket.figment().profile() == "release";
    if release && s.base_url == default {
        log::warn!(
            "base_url is still {default}: every link in the emails points there. Set \
             ROCKET_BASE_URL to the address customers use."
        );
    }
    let port = rocket.config().port;
    let url_port = s
        .base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|host| host.rsplit_once(':'))
        .and_then(|(_, p)| p.parse::<u16>().ok());
    if s.trusted_ip_header.is_none() && url_port.is_some_and(|p| p != port) {
        log::warn!(
            "base_url {} names another port than the one served ({port}) and no proxy is \
             configured: links in emails will not reach this shop.",
            s.base_url
        );
    }
}

/// Templates are embedded in the binary, but Rocket's loader wants a folder to start from (and
/// watches it for changes in debug builds): the project's `templates/` when it is there, else
/// an empty folder.
fn template_dir(figment: &Figment) -> PathBuf {
    let configured: PathBuf = figment
        .extract_inner("template_dir")
        .unwrap_or_else(|_| PathBuf::from("templates"));
    if configured.is_dir() {
        return configured;
    }
    let empty = std::env::temp_dir().join("comptoir-embedded-templates");
    if let Err(e) = std::fs::create_dir_all(&empty) {
        log::warn!("cannot create {}: {e}", empty.display());
    }
    empty
}

/// The shop's background work (mail delivery, unpaid-order expiry, housekeeping), run on
/// demand: what the background loops do at each beat, for a caller that turned them off
/// (`background_tasks = false`, as the tests do) and wants it done now, deterministically.
#[derive(Clone)]
pub struct Background {
    pool: crate::site::db::Pool,
    settings: Settings,
    shop: Arc<Shop>,
    payments: crate::payments::Payments,
}

impl Background {
    pub fn of<P: rocket::Phase>(rocket: &Rocket<P>) -> Option<Background> {
        Some(Background {
            pool: Db::pool(rocket)?.clone(),
            settings: rocket.state::<Settings>()?.clone(),
            shop: Arc::clone(rocket.state::<Arc<Shop>>()?),
            payments: rocket.state::<crate::payments::Payments>()?.clone(),
        })
    }

    fn block_on<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for background work")
            .block_on(work)
    }

    /// Delivers every email due now (blocking); returns how many were tried.
    pub fn deliver_outbox(&self) -> Result<usize, String> {
        let sender = mail::sender::Sender::from_settings(&self.settings)?;
        Ok(self.block_on(sender.deliver_all_due(&self.pool)))
    }

    /// One pass of card-payment reconciliation (blocking): what the provider says of the card
    /// orders still unpaid after `card_check_minutes`, and those unpaid too long cancelled.
    pub fn reconcile_payments(
        &self,
    ) -> Result<crate::payments::service::Reconciled, crate::error::AppError> {
        let provider = self
            .payments
            .provider
            .clone()
            .ok_or_else(|| crate::error::AppError::Internal("no card payments".into()))?;
        let shop = Arc::clone(&self.shop);
        self.with_conn(move |c| crate::payments::service::reconcile(c, &shop, provider.as_ref()))
    }

    /// Runs `work` on one of the pool's connections (blocking).
    fn with_conn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut crate::db::DbConn) -> Result<T, crate::error::AppError> + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        self.block_on(async move {
            let db =
                self.pool.get().await.ok_or_else(|| {
                    crate::error::AppError::Internal("no database connection".into())
                })?;
            db.run(work).await
        })
    }

    /// One beat of the back-in-stock alerts (blocking); returns how many emails it queued.
    pub fn release_stock_alerts(&self) -> Result<usize, crate::error::AppError> {
        let shop = Arc::clone(&self.shop);
        self.with_conn(move |c| catalog::alerts::release_due(c, &shop))
    }

    /// One beat of the periodic tasks (blocking); returns how many unpaid orders it cancelled.
    pub fn run_periodic(&self) -> Result<usize, crate::error::AppError> {
        let shop = Arc::clone(&self.shop);
        self.with_conn(move |c| crate::ops::periodic::run_once(c, &shop))
    }
}
