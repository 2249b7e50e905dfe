//! The audit log: who did what to which record, with the values before and after.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::now;
use crate::db::schema::audit_log;
use crate::db::DbConn;
use crate::ids::UserId;

/// One entry: who (`actor`, none for the shop's own tasks) did what (`action`, e.g.
/// `order.ship`) to which record, with its values before and after. Record it inside the
/// transaction that makes the change:
///
/// `audit::Change::new(Some(staff), "order.ship", "order").on(id).after(&tracking).record(c)?`
#[must_use = "an audit entry is written by `record`"]
pub struct Change<'a> {
    actor: Option<UserId>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

impl<'a> Change<'a> {
    pub fn new(actor: Option<UserId>, action: &'a str, entity: &'a str) -> Change<'a> {
        Change {
            actor,
            action,
            entity,
            entity_id: None,
            before: None,
            after: None,
        }
    }

    /// The record changed.
    pub fn on(mut self, id: impl Into<i64>) -> Self {
        self.entity_id = Some(id.into());
        self
    }

    pub fn before<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.before = Some(json(value));
        self
    }

    pub fn after<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.after = Some(json(value));
        self
    }

    pub fn record(self, conn: &mut DbConn) -> QueryResult<usize> {
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::actor_user_id.eq(self.actor),
                audit_log::action.eq(self.action),
                audit_log::entity.eq(self.entity),
                audit_log::entity_id.eq(self.entity_id),
                audit_log::before_json.eq(self.before),
                audit_log::after_json.eq(self.after),
                audit_log::created_at.eq(now()),
            ))
            .execute(conn)
    }
}

/// The JSON of an audited value (plain data: structs, maps with text keys, `json!` values).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"unserialisable\": \"{e}\"}}"))
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
