//! Typed settings, read from a figment (Rocket's: Rocket.toml, `ROCKET_*` variables) plus
//! `DATABASE_URL`; tests hand their own figment to `app::build`.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use figment::Figment;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::db;
use crate::money::Money;

pub mod identity;
pub mod live;
pub mod store;

pub use live::Shop;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Settings {
    /// Shown in the header and in emails.
    pub shop_name: String,
    /// Absolute address of the shop, for links in emails.
    pub base_url: String,
    /// bcrypt cost: 12 in production, lowered by the tests.
    pub bcrypt_cost: u32,
    /// How many bcrypt computations may run at once (defaults to the number of cores).
    pub hash_concurrency: usize,
    /// Base64 secret from which CSRF tokens and signed links are derived.
    #[serde(skip_serializing)]
    pub shop_secret: Option<String>,
    /// Mixed into every password before bcrypt; defaults to a value derived from the secret.
    #[serde(skip_serializing)]
    pub password_pepper: Option<String>,
    /// Absolute lifetime of a session.
    pub session_hours: i64,
    /// A customer's session unused for this long ends (idle timeout): long enough for a
    /// checkout left open for a few hours.
    pub session_idle_minutes: i64,
    /// A staff member's session unused for this long ends (the back-office can refund, export
    /// and change roles).
    pub staff_session_idle_minutes: i64,
    /// How long a confirmed password lets a staff member make sensitive changes (refunds, roles,
    /// exports, staff) before asking again.
    pub reauth_minutes: i64,
    /// Mark cookies `Secure` (set it behind a TLS-terminating reverse proxy).
    pub secure_cookies: bool,
    /// Products per page in listings.
    pub page_size: i64,
    /// Where the shop keeps its files: the generated secret, uploads, mail when no SMTP.
    pub data_dir: PathBuf,
    /// Outgoing mail. With no `smtp_host`, messages are written as `.eml` files under
    /// `<data_dir>/mail` instead (and logged), never dropped.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: SmtpTls,
    #[serde(skip_serializing)]
    pub smtp_username: Option<String>,
    #[serde(skip_serializing)]
    pub smtp_password: Option<String>,
    /// The sender of every email, e.g. `Comptoir <boutique@example.fr>`.
    pub mail_from: String,
    /// Where new-order notifications for the staff go; none when unset.
    pub shop_email: Option<String>,
    /// How often the sender looks for due messages when it has not been woken.
    pub mail_poll_ms: u64,
    /// First retry delay; it doubles at each failed attempt.
    pub mail_retry_base_ms: u64,
    /// After this many failed attempts a message is marked failed for the staff to see.
    pub mail_max_attempts: i32,
    /// Bank-transfer orders not paid within this many days are cancelled and restocked.
    pub unpaid_cancel_days: i64,
    /// How often the unpaid-order check runs.
    pub unpaid_check_secs: u64,
    /// On SIGTERM or SIGHUP the shop stops taking connections and gives the requests in flight,
    /// and the background tasks' round in hand (an email being sent), this many seconds to
    /// finish before it exits; longer than the database pool's timeout. Rocket 0.5 waits the
    /// whole period whenever a connection was open when the signal came.
    pub shutdown_grace_secs: u32,
    /// Run the mail sender and the periodic tasks (expiry, housekeeping) in the background.
    /// Tests turn it off and run each task at a moment of their choosing.
    pub background_tasks: bool,
    /// Keep rendered storefront pages in memory for anonymous visitors (`web::page_cache`);
    /// off only to measure what rendering costs.
    pub page_cache: bool,
    /// The label of the first version of the terms of sale (the one orders carried before the
    /// terms were edited in the back-office, where each edit is a new version).
    pub terms_version: String,
    /// Bank details printed in bank-transfer instructions.
    pub bank_iban: String,
    pub bank_bic: String,
    /// Shipping prices, tax included.
    pub shipping_standard_cents: Money,
    pub shipping_express_cents: Money,
    /// What delivery to Corsica and to the overseas departments adds to the standard and
    /// express prices (the zone is read from a French address's postal code).
    pub shipping_corsica_extra_cents: Money,
    pub shipping_overseas_extra_cents: Money,
    /// Standard delivery is free from this much of goods (tax included, after any discount);
    /// 0: never.
    pub free_shipping_from_cents: Money,
    /// The header a reverse proxy in front of the shop sets to the client's address (for
    /// example `X-Real-IP`). Unset, the socket's address is used and such headers are ignored,
    /// so nobody can dodge login throttling by forging one.
    pub trusted_ip_header: Option<String>,
    /// The seller as invoices name it.
    pub shop_legal_name: String,
    pub shop_address: String,
    pub shop_siret: String,
    pub shop_vat_number: String,
    /// What only the owner can say, stated on the legal pages (code de commerce art. R123-237,
    /// loi n° 2004-575 art. 6, code de la consommation art. L616-1); each one missing is on the
    /// back-office's "before you open" checklist (`legal::facts`).
    pub shop_legal_form: String,
    pub shop_capital: String,
    pub shop_rcs: String,
    pub shop_publisher: String,
    pub shop_phone: String,
    pub shop_host: String,
    pub shop_mediator: String,
    /// Staff and admins must set up two-factor authentication before using the back-office.
    pub require_staff_2fa: bool,
    /// Card payments through Stripe, offered at checkout only when both keys are set. Keys
    /// and webhook secrets come from the environment (`ROCKET_STRIPE_SECRET_KEY`, …) and are
    /// never written out (not serialised, not logged).
    #[serde(skip_serializing)]
    pub stripe_secret_key: Option<String>,
    pub stripe_publishable_key: Option<String>,
    /// The webhook endpoint's signing secrets, comma-separated (several during a rotation).
    #[serde(skip_serializing)]
    pub stripe_webhook_secret: Option<String>,
    /// Where the API is (a test server such as localstripe in tests).
    pub stripe_api_base: String,
    /// Where Stripe.js is loaded from on the payment page.
    pub stripe_js_url: String,
    /// After this long, a card order still unpaid is asked about at the API (in case a webhook
    /// was lost) …
    pub card_check_minutes: i64,
    /// … and after this long it is cancelled, its stock returned and the customer told.
    pub card_unpaid_minutes: i64,
    /// Timeout of each call to the payment provider.
    pub payment_timeout_secs: u64,
    /// Where the shop is: times are stored in UTC and shown in this zone (IANA name).
    pub time_zone: String,
    /// The VAT franchise of small businesses (art. 293 B du CGI): no VAT is charged, prices
    /// are shown without it, and invoices carry "TVA non applicable, art. 293 B du CGI".
    pub vat_franchise: bool,
    /// Log lines as `text` (development) or `json` (one object a line, for a collector).
    pub log_format: String,
    /// Which events are logged (an `EnvFilter` directive; `RUST_LOG` wins when set).
    pub log_filter: String,
    /// Street suggestions at checkout from the national address API
    /// (`https://api-adresse.data.gouv.fr`, GeoCodeJSON); unset (the default), none are asked.
    pub address_api_url: Option<String>,
    /// How long a suggestion may take before the checkout does without it.
    pub address_api_timeout_ms: u64,
    /// Emails a visitor can have sent to an address they type (see `mail::limits`): at most
    /// this many per client in 10 minutes …
    pub mail_limit_per_client: i64,
    /// … this many to one address in an hour …
    pub mail_limit_per_address: i64,
    /// … and this many in an hour for the whole shop, above which they wait an hour and the
    /// staff are told.
    pub mail_hourly_ceiling: i64,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

impl Settings {
    /// Card payment is offered when both Stripe keys are set.
    pub fn cards_configured(&self) -> bool {
        let set = |k: &Option<String>| k.as_deref().is_some_and(|k| !k.is_empty());
        set(&self.stripe_secret_key) && set(&self.stripe_publishable_key)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            shop_name: "Comptoir".into(),
            base_url: "http://127.0.0.1:8000".into(),
            bcrypt_cost: 12,
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            shop_secret: None,
            password_pepper: None,
            session_hours: 24 * 14,
            session_idle_minutes: 8 * 60,
            staff_session_idle_minutes: 120,
            reauth_minutes: 10,
            secure_cookies: false,
            page_size: 24,
            data_dir: PathBuf::from("data"),
            smtp_host: None,
            smtp_port: 587,
            smtp_tls: SmtpTls::Starttls,
            smtp_username: None,
            smtp_password: None,
            mail_from: "Comptoir <boutique@comptoir.test>".into(),
            shop_email: None,
            mail_poll_ms: 5_000,
            mail_retry_base_ms: 30_000,
            mail_max_attempts: 8,
            unpaid_cancel_days: 7,
            unpaid_check_secs: 3_600,
            shutdown_grace_secs: 10,
            background_tasks: true,
            page_cache: true,
            terms_version: "2026-11".into(),
            bank_iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bank_bic: "AGRIFRPPXXX".into(),
            shipping_standard_cents: Money(490),
            shipping_express_cents: Money(990),
            shipping_corsica_extra_cents: Money(500),
            shipping_overseas_extra_cents: Money(1_500),
            free_shipping_from_cents: Money::ZERO,
            trusted_ip_header: None,
            shop_legal_name: "Comptoir SAS".into(),
            shop_address: "1 place du Marché, 69002 Lyon, France".into(),
            shop_siret: "123 456 789 00012".into(),
            shop_vat_number: "FR12 123456789".into(),
            shop_legal_form: String::new(),
            shop_capital: String::new(),
            shop_rcs: String::new(),
            shop_publisher: String::new(),
            shop_phone: String::new(),
            shop_host: String::new(),
            shop_mediator: String::new(),
            require_staff_2fa: false,
            stripe_secret_key: None,
            stripe_publishable_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: "https://api.stripe.com".into(),
            stripe_js_url: "https://js.stripe.com/v3/".into(),
            card_check_minutes: 5,
            card_unpaid_minutes: 60,
            payment_timeout_secs: 10,
            time_zone: "Europe/Paris".into(),
            vat_franchise: false,
            log_format: "text".into(),
            log_filter: "info,rocket=warn,rocket::server=error,_=warn,hyper=warn".into(),
            address_api_url: None,
            address_api_timeout_ms: 1_500,
            mail_limit_per_client: 3,
            mail_limit_per_address: 2,
            mail_hourly_ceiling: 200,
        }
    }
}

impl Settings {
    /// The shop's time zone, checked.
    pub fn zone(&self) -> Result<chrono_tz::Tz, String> {
        self.time_zone
            .parse()
            .map_err(|_| format!("time_zone {:?} is not a time zone name", self.time_zone))
    }

    /// Where the staff's notifications go, when an address is set.
    pub fn staff_address(&self) -> Option<&str> {
        self.shop_email.as_deref().filter(|e| !e.is_empty())
    }

    pub fn secret_bytes(&self) -> Result<Vec<u8>, String> {
        let key = self
            .shop_secret
            .as_deref()
            .ok_or("no shop_secret configured")?;
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|e| format!("shop_secret is not base64: {e}"))?;
        if bytes.len() < 32 {
            return Err("shop_secret must hold at least 32 bytes".into());
        }
        Ok(bytes)
    }
}

/// Why a PostgreSQL shop will not start without a configured secret.
pub const NEEDS_SECRET: &str = "a PostgreSQL shop may run as several instances, which must all \
     sign with one secret: set ROCKET_SHOP_SECRET (48 random bytes in base64, e.g. \
     `head -c 48 /dev/urandom | base64 -w0`) to the same value for every instance";

/// `base` (Rocket's own figment: `Rocket.toml`, `ROCKET_*`) plus `DATABASE_URL`, defaults that
/// let the binary run with no `Rocket.toml` beside it, and a secret kept in the data folder when
/// none is configured.
pub fn figment(base: Figment) -> Result<Figment, String> {
    let mut figment = base;
    if let Ok(url) = std::env::var("DATABASE_URL") {
        figment = figment.merge(("databases.comptoir.url", url));
    }
    figment = figment.join(("databases.comptoir.url", db::DEFAULT_URL));
    let url: String = figment
        .extract_inner("databases.comptoir.url")
        .unwrap_or_default();
    if !figment.contains("shop_secret") && url.starts_with("postgres") {
        // Instances sharing a database must share the secret; one generated into a data folder
        // is one machine's.
        return Err(NEEDS_SECRET.to_string());
    }
    if !figment.contains("shop_secret") {
        let data_dir: PathBuf = figment
            .extract_inner("data_dir")
            .unwrap_or_else(|_| Settings::default().data_dir);
        figment = figment.merge(("shop_secret", load_or_create_secret(&data_dir)?));
    }
    Ok(figment)
}

/// The secret must survive restarts (sessions and the password pepper hang on it), so the
/// first start writes one to `<data_dir>/shop_secret`, readable by the owner only.
fn load_or_create_secret(data_dir: &Path) -> Result<String, String> {
    let path = data_dir.join("shop_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().to_string());
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key = STANDARD.encode(bytes);
    write_private(&path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
