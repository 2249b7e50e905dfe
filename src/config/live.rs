//! The settings in force, and the shop's shared handles (signing keys, email templates): the
//! configured settings (Rocket.toml, environment) with the values an admin stored from the
//! back-office laid over them by figment. Managed as `Arc<Shop>` so a `db.run` closure can own
//! a handle; read with [`Shop::settings`], put in force again with [`Shop::reload`].

use std::sync::{Arc, RwLock};

use diesel::QueryResult;
use figment::providers::Serialized;
use figment::Figment;

use crate::auth::Keys;
use crate::config::{store, Settings};
use crate::db::DbConn;
use crate::templates::MailTemplates;

pub struct Shop {
    /// The configuration as given (Rocket.toml, environment, or a test's figment).
    boot: Figment,
    /// `boot` with the stored values over it, as last read.
    live: RwLock<Arc<Settings>>,
    pub keys: Keys,
    pub mail: MailTemplates,
}

impl Shop {
    /// `settings` is `boot` extracted (what the shop runs with until the stored values are read).
    pub fn new(boot: Figment, settings: Settings, keys: Keys, mail: MailTemplates) -> Shop {
        Shop {
            boot,
            live: RwLock::new(Arc::new(settings)),
            keys,
            mail,
        }
    }

    /// The settings in force now (cheap: one shared pointer).
    pub fn settings(&self) -> Arc<Settings> {
        Arc::clone(&self.live.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads the back-office's settings again and puts them in force.
    pub fn reload(&self, conn: &mut DbConn) -> QueryResult<()> {
        let fresh = Arc::new(overlay(&self.boot, &store::stored(conn)?));
        *self.live.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// The path of an order's page (`suffix`: `""`, `"/pay"`, `"/payment"`), signed so that it
    /// opens without signing in (guests).
    pub fn order_path(&self, number: &str, suffix: &str) -> String {
        format!(
            "/orders/{number}{suffix}?t={}",
            self.keys.sign("order", number)
        )
    }

    /// The link to an order that works without signing in (sent to guests by email).
    pub fn order_link(&self, number: &str) -> String {
        self.absolute(&self.order_path(number, ""))
    }

    /// A time stored in UTC as the shop's clocks read it (its time zone), in `format`.
    pub fn local(&self, utc: chrono::NaiveDateTime, format: &str) -> String {
        let zone = self.settings().zone().unwrap_or(chrono_tz::Europe::Paris);
        chrono::TimeZone::from_utc_datetime(&zone, &utc)
            .format(format)
            .to_string()
    }

    /// A path of the shop as a full address, for emails and documents.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.settings().base_url.trim_end_matches('/'))
    }
}

/// `boot` with the stored `(key, text)` pairs over it. Stored values are text, read as the
/// field's type (`"490"` as a number, `"true"` as a flag). A row that does not fit its field
/// is left out (and logged), so a bad row can never stop the shop from starting.
fn overlay(boot: &Figment, rows: &[(String, String)]) -> Settings {
    let with = |rows: &[&(String, String)]| -> Result<Settings, String> {
        let stored: std::collections::BTreeMap<&str, &str> =
            rows.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut s: Settings = boot
            .clone()
            .merge(Serialized::globals(stored))
            .extract_lossy()
            .map_err(|e| e.to_string())?;
        s.shop_email = s.shop_email.filter(|e| !e.is_empty());
        Ok(s)
    };
    let all: Vec<&(String, String)> = rows.iter().collect();
    if let Ok(s) = with(&all) {
        return s;
    }
    let good: Vec<&(String, String)> = rows
        .iter()
        .filter(|row| match with(&[row]) {
            Ok(_) => true,
            Err(e) => {
                log::warn!("shop setting {} = {:?} ignored: {e}", row.0, row.1);
                false
            }
        })
        .collect();
    with(&good).unwrap_or_else(|e| {
        log::error!("the configured settings no longer read: {e}");
        boot.extract_lossy().unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn stored_values_lie_over_the_configured_ones() {
        let boot = Figment::from(Serialized::defaults(Settings::default()))
            .merge(("shop_name", "Configured"));
        let s = overlay(
            &boot,
            &[
                row("shop_name", "Stored"),
                row("shipping_standard_cents", "550"),
                row("require_staff_2fa", "true"),
                row("shop_email", ""),
            ],
        );
        assert_eq!(s.shop_name, "Stored");
        assert_eq!(s.shipping_standard_cents, 550);
        assert!(s.require_staff_2fa);
        assert_eq!(s.shop_email, None);
        assert_eq!(s.bcrypt_cost, Settings::default().bcrypt_cost);
    }

    #[test]
    fn a_bad_row_is_left_out() {
        let boot = Figment::from(Serialized::defaults(Settings::default()));
        let s = overlay(
            &boot,
            &[
                row("shipping_express_cents", "a lot"),
                row("shop_name", "Still read"),
            ],
        );
        assert_eq!(
            s.shipping_express_cents,
            Settings::default().shipping_express_cents
        );
        assert_eq!(s.shop_name, "Still read");
    }
}
