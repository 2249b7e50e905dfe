//! Where the settings an admin changes from the back-office (shop name, shipping prices, bank
//! and legal details…) are kept: the `shop_settings` table, as text, laid over the configured
//! ones by `live`. Technical settings (secret, database, SMTP, folders) stay in the
//! configuration.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::audit;
use crate::config::Settings;
use crate::db::schema::shop_settings;
use crate::db::{now, DbConn};
use crate::ids::UserId;

/// Every stored `(key, value)` pair, as text.
pub fn stored(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    shop_settings::table
        .order(shop_settings::key)
        .select((shop_settings::key, shop_settings::value))
        .load(conn)
}

/// The value of setting `key` in `s` as text, the form it is stored in (`""` for none).
fn text_of(s: &Settings, key: &str) -> String {
    match serde_json::to_value(s)
        .ok()
        .and_then(|v| v.get(key).cloned())
    {
        Some(serde_json::Value::String(t)) => t,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Stores the values that differ from `current`, audited with their old and new values, in
/// one transaction. Returns how many changed.
pub fn save(
    conn: &mut DbConn,
    current: &Settings,
    values: &[(&'static str, String)],
    actor: Option<UserId>,
) -> QueryResult<usize> {
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    for (key, value) in values {
        let old = text_of(current, key);
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
                    shop_settings::updated_by.eq(actor),
                ))
                .execute(c)?;
        }
        audit::Change::new(actor, "settings.update", "settings")
            .before(&before)
            .after(&after)
            .record(c)?;
        Ok(after.len())
    })
}
