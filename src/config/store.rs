//! The settings an admin changes from the back-office (shop name, shipping prices, bank and
//! legal details…), kept in the `shop_settings` table as text and laid over the configured
//! ones. Technical settings (secret, database, SMTP, folders) stay in the configuration file.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::Settings;
use crate::audit;
use crate::auth::session::now;
use crate::db::schema::shop_settings;
use crate::db::DbConn;

/// Every key the settings page may store, in the order the page shows them.
pub const KEYS: &[&str] = &[
    "shop_name",
    "shop_email",
    "shipping_standard_cents",
    "shipping_express_cents",
    "unpaid_cancel_days",
    "bank_iban",
    "bank_bic",
    "shop_legal_name",
    "shop_address",
    "shop_siret",
    "shop_vat_number",
    "terms_version",
    "require_staff_2fa",
];

/// The stored value of `key` as text (the form of every stored setting).
pub fn get(s: &Settings, key: &str) -> Option<String> {
    Some(match key {
        "shop_name" => s.shop_name.clone(),
        "shop_email" => s.shop_email.clone().unwrap_or_default(),
        "shipping_standard_cents" => s.shipping_standard_cents.to_string(),
        "shipping_express_cents" => s.shipping_express_cents.to_string(),
        "unpaid_cancel_days" => s.unpaid_cancel_days.to_string(),
        "bank_iban" => s.bank_iban.clone(),
        "bank_bic" => s.bank_bic.clone(),
        "shop_legal_name" => s.shop_legal_name.clone(),
        "shop_address" => s.shop_address.clone(),
        "shop_siret" => s.shop_siret.clone(),
        "shop_vat_number" => s.shop_vat_number.clone(),
        "terms_version" => s.terms_version.clone(),
        "require_staff_2fa" => s.require_staff_2fa.to_string(),
        _ => return None,
    })
}

/// Sets `key` from its stored text; a value that does not parse is ignored (and logged), so a
/// bad row can never stop the shop from starting.
pub fn set(s: &mut Settings, key: &str, value: &str) {
    fn num<T: std::str::FromStr>(key: &str, value: &str, into: &mut T) {
        match value.parse() {
            Ok(v) => *into = v,
            Err(_) => log::warn!("shop setting {key} = {value:?} is not a number: ignored"),
        }
    }
    let text = value.to_string();
    match key {
        "shop_name" => s.shop_name = text,
        "shop_email" => s.shop_email = Some(text).filter(|t| !t.is_empty()),
        "shipping_standard_cents" => num(key, value, &mut s.shipping_standard_cents),
        "shipping_express_cents" => num(key, value, &mut s.shipping_express_cents),
        "unpaid_cancel_days" => num(key, value, &mut s.unpaid_cancel_days),
        "bank_iban" => s.bank_iban = text,
        "bank_bic" => s.bank_bic = text,
        "shop_legal_name" => s.shop_legal_name = text,
        "shop_address" => s.shop_address = text,
        "shop_siret" => s.shop_siret = text,
        "shop_vat_number" => s.shop_vat_number = text,
        "terms_version" => s.terms_version = text,
        "require_staff_2fa" => s.require_staff_2fa = value == "true",
        other => log::warn!("unknown shop setting {other:?}: ignored"),
    }
}

/// The configured settings with the stored ones over them.
pub fn load(conn: &mut DbConn, boot: &Settings) -> QueryResult<Settings> {
    let rows: Vec<(String, String)> = shop_settings::table
        .select((shop_settings::key, shop_settings::value))
        .load(conn)?;
    let mut s = boot.clone();
    for (k, v) in rows {
        set(&mut s, &k, &v);
    }
    Ok(s)
}

/// Stores the values that differ from `current`, audited with their old and new values, in
/// one transaction. Returns how many changed.
pub fn save(
    conn: &mut DbConn,
    current: &Settings,
    values: &[(&'static str, String)],
    actor: i64,
) -> QueryResult<usize> {
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    for (key, value) in values {
        let old = get(current, key).unwrap_or_default();
        if &old != value {
            before.insert(*key, old);
            after.insert(*key, value.clone());
        }
    }
    if after.is_empty() {
        return Ok(0);
    }
    conn.write_tx(|c| {
        for (key, value) in &after {
            diesel::delete(shop_settings::table.filter(shop_settings::key.eq(*key))).execute(c)?;
            diesel::insert_into(shop_settings::table)
                .values((
                    shop_settings::key.eq(*key),
                    shop_settings::value.eq(value),
                    shop_settings::updated_at.eq(now()),
                    shop_settings::updated_by.eq(Some(actor)),
                ))
                .execute(c)?;
        }
        audit::record(
            c,
            Some(actor),
            "settings.update",
            "settings",
            None,
            Some(&before),
            Some(&after),
        )?;
        Ok(after.len())
    })
}

/// How often each running instance reads the stored settings again, so that several
/// instances behind one PostgreSQL database agree within this delay (the instance that
/// saves them applies them at once).
const REFRESH: std::time::Duration = std::time::Duration::from_secs(30);

pub fn refresher() -> rocket::fairing::AdHoc {
    use std::sync::Arc;

    use crate::checkout::service::Shop;
    use crate::db::Db;

    rocket::fairing::AdHoc::on_liftoff("Shop settings refresh", |rocket| {
        Box::pin(async move {
            let (Some(shop), Some(pool)) = (
                rocket.state::<Arc<Shop>>().cloned(),
                Db::pool(rocket).cloned(),
            ) else {
                log::error!("shop settings refresh not started: missing state");
                return;
            };
            let mut shutdown = rocket.shutdown();
            tokio::spawn(async move {
                let work = async {
                    loop {
                        tokio::time::sleep(REFRESH).await;
                        if let Some(db) = pool.get().await {
                            let s = Arc::clone(&shop);
                            if let Err(e) = db.run(move |c| s.reload(c)).await {
                                log::error!("reading the shop settings failed: {e}");
                            }
                        }
                    }
                };
                tokio::select! {
                    _ = work => {},
                    _ = &mut shutdown => {},
                }
            });
        })
    })
}
