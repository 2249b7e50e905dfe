//! The audit log: who did what to which record, with the values before and after.

use diesel::prelude::*;
use serde::Serialize;

use crate::auth::session::now;
use crate::db::schema::audit_log;
use crate::db::DbConn;

/// Writes one entry; call it inside the transaction that makes the change.
pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConn,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&B>,
    after: Option<&A>,
) -> QueryResult<usize> {
    let json = |v: Option<String>| v;
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(actor),
            audit_log::action.eq(action),
            audit_log::entity.eq(entity),
            audit_log::entity_id.eq(entity_id),
            audit_log::before_json.eq(json(before.and_then(|b| serde_json::to_string(b).ok()))),
            audit_log::after_json.eq(json(after.and_then(|a| serde_json::to_string(a).ok()))),
            audit_log::created_at.eq(now()),
        ))
        .execute(conn)
}
