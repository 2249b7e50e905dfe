//! The audit log: who did what to which record, with the values before and after.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::now;
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

#[derive(Debug, Serialize, Queryable)]
pub struct Entry {
    pub id: i64,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the actor's email.
    pub actor: Option<String>,
    /// An action, or the start of one (`order.` for every order step).
    pub action: Option<String>,
    pub from: Option<chrono::NaiveDateTime>,
    pub until: Option<chrono::NaiveDateTime>,
}

pub fn search(
    conn: &mut DbConn,
    f: &Filter,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<Entry>, i64)> {
    use crate::db::schema::users;
    let filtered = || {
        let mut q = audit_log::table
            .left_join(users::table.on(audit_log::actor_user_id.eq(users::id.nullable())))
            .into_boxed();
        if let Some(a) = f.actor.as_deref().filter(|a| !a.is_empty()) {
            let pattern = crate::text::contains_pattern(a);
            q = q.filter(crate::db::lower(users::email).like(pattern).escape('\\'));
        }
        if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
            let prefix: String = a
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                .collect();
            q = q.filter(audit_log::action.like(format!("{prefix}%")));
        }
        if let Some(from) = f.from {
            q = q.filter(audit_log::created_at.ge(from));
        }
        if let Some(until) = f.until {
            q = q.filter(audit_log::created_at.lt(until));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let items = filtered()
        .order(audit_log::id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((
            audit_log::id,
            users::email.nullable(),
            audit_log::action,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::before_json,
            audit_log::after_json,
            audit_log::created_at,
        ))
        .load(conn)?;
    Ok((items, total))
}
