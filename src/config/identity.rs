//! The secret a shop's data was made with: every instance sharing a database must use the same
//! one (sessions, CSRF tokens, signed links and the password pepper derive from it). The first
//! instance records a fingerprint of it; an instance configured with another refuses to start
//! instead of signing everyone out and breaking every password.

use diesel::prelude::*;

use crate::auth::Keys;
use crate::db::schema::shop_identity;
use crate::db::{now, DbConn};

fn fingerprint(keys: &Keys) -> String {
    keys.sign("secret-fingerprint", "comptoir")
}

/// Records this instance's fingerprint, or checks it against the one recorded.
pub fn check(conn: &mut DbConn, keys: &Keys) -> Result<(), String> {
    let mine = fingerprint(keys);
    let recorded = conn
        .write_tx(|c| -> QueryResult<String> {
            let found: Option<String> = shop_identity::table
                .find(1)
                .select(shop_identity::secret_fingerprint)
                .first(c)
                .optional()?;
            match found {
                Some(f) => Ok(f),
                None => {
                    diesel::insert_into(shop_identity::table)
                        .values((
                            shop_identity::id.eq(1),
                            shop_identity::secret_fingerprint.eq(&mine),
                            shop_identity::created_at.eq(now()),
                        ))
                        .execute(c)?;
                    Ok(mine.clone())
                }
            }
        })
        .map_err(|e| format!("reading the shop's identity: {e}"))?;
    if recorded == mine {
        Ok(())
    } else {
        Err(
            "this database was set up with another shop_secret: give every instance that \
             shares it the same secret (ROCKET_SHOP_SECRET, or the same data/shop_secret file)"
                .to_string(),
        )
    }
}
