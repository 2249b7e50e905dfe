//! Goods a customer sent back, recorded line by line by staff: how many, in what state, and
//! whether they go back on sale (a stock movement). Money is the refunds' business; a return
//! only says what came back.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::stock;
use crate::db::schema::returned_items;
use crate::db::{now, text_enum, DbConn};
use crate::error::AppError;
use crate::ids::{OrderId, OrderLineId, UserId};
use crate::orders::model::{OrderView, Status};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    AsNew,
    Opened,
    Damaged,
}

impl Condition {
    pub const ALL: [Condition; 3] = [Condition::AsNew, Condition::Opened, Condition::Damaged];

    pub fn as_str(self) -> &'static str {
        match self {
            Condition::AsNew => "as_new",
            Condition::Opened => "opened",
            Condition::Damaged => "damaged",
        }
    }

    pub fn parse(s: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

text_enum!(Condition);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = returned_items)]
pub struct ReturnedItem {
    pub id: i64,
    pub order_id: OrderId,
    pub order_line_id: OrderLineId,
    pub quantity: i32,
    pub condition: Condition,
    pub restocked: bool,
    pub note: String,
    pub actor_id: Option<UserId>,
    pub received_at: NaiveDateTime,
}

/// One line of a return as staff entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub line_id: OrderLineId,
    pub quantity: i32,
    pub condition: Condition,
    pub restock: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ReturnError {
    #[error("return refused: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for ReturnError {
    fn from(e: diesel::result::Error) -> Self {
        ReturnError::App(AppError::Db(e))
    }
}

/// Goods come back once they left the shop.
pub fn returnable(status: Status) -> bool {
    matches!(
        status,
        Status::Shipped | Status::Delivered | Status::Refunded
    )
}

/// Records a return in one transaction: its lines, the stock given back for those put back on
/// sale, and the audit row. More than was sent (less what already came back) is refused.
pub fn record(
    c: &mut DbConn,
    view: &OrderView,
    items: &[Returned],
    note: &str,
    actor: UserId,
) -> Result<usize, ReturnError> {
    if !returnable(view.order.status) {
        return Err(ReturnError::Invalid("return-not-shipped"));
    }
    if note.chars().count() > 500 {
        return Err(ReturnError::Invalid("return-note-too-long"));
    }
    let items: Vec<&Returned> = items.iter().filter(|i| i.quantity != 0).collect();
    if items.is_empty() {
        return Err(ReturnError::Invalid("return-nothing"));
    }
    let earlier = for_order(c, view.order.id)?;
    let received_at = now();
    for item in &items {
        let line = view
            .lines
            .iter()
            .find(|l| l.id == item.line_id)
            .ok_or(ReturnError::Invalid("return-unknown-line"))?;
        let back: i32 = earlier
            .iter()
            .filter(|e| e.order_line_id == line.id)
            .map(|e| e.quantity)
            .sum();
        if item.quantity < 0 || item.quantity > line.quantity - back {
            return Err(ReturnError::Invalid("return-too-many"));
        }
        diesel::insert_into(returned_items::table)
            .values((
                returned_items::order_id.eq(view.order.id),
                returned_items::order_line_id.eq(line.id),
                returned_items::quantity.eq(item.quantity),
                returned_items::condition.eq(item.condition),
                returned_items::restocked.eq(item.restock),
                returned_items::note.eq(note.trim()),
                returned_items::actor_id.eq(Some(actor)),
                returned_items::received_at.eq(received_at),
            ))
            .execute(c)?;
        if let (true, Some(variant_id)) = (item.restock, line.variant_id) {
            stock::restock(
                c,
                view.order.id,
                &[stock::Units {
                    variant_id,
                    quantity: item.quantity,
                }],
                stock::REASON_RETURNED,
                Some(actor),
            )?;
        }
    }
    let after: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            serde_json::json!({
                "line": i.line_id,
                "quantity": i.quantity,
                "condition": i.condition.as_str(),
                "restocked": i.restock,
            })
        })
        .collect();
    audit::Change::new(Some(actor), "order.return", "order")
        .on(view.order.id)
        .after(&after)
        .record(c)?;
    Ok(items.len())
}

pub fn for_order(c: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<ReturnedItem>> {
    returned_items::table
        .filter(returned_items::order_id.eq(order_id))
        .order(returned_items::id)
        .select(ReturnedItem::as_select())
        .load(c)
}
