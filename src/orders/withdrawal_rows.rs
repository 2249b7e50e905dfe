//! The withdrawals table as the rest of `orders` reads it: a customer's withdrawal with its
//! items, and whether it stops an order from shipping. Below both `withdrawals` (which records
//! them) and `workflow` (which will not ship an order withdrawn from whole).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::withdrawals;
use crate::db::DbConn;
use crate::ids::{OrderId, OrderLineId};
use crate::orders::model::OrderView;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = withdrawals)]
pub struct WithdrawalRow {
    pub id: i64,
    pub order_id: OrderId,
    items: String,
    pub comment: String,
    pub requested_at: NaiveDateTime,
    pub refund_by: NaiveDateTime,
}

/// One item withdrawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub line_id: OrderLineId,
    pub product_name: String,
    pub quantity: i32,
}

/// A withdrawal as pages and emails show it.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    #[serde(flatten)]
    pub row: WithdrawalRow,
    pub items: Vec<Item>,
}

impl Withdrawal {
    /// Every unit of the order is in it.
    pub fn covers(&self, view: &OrderView) -> bool {
        view.lines.iter().all(|l| {
            let withdrawn: i32 = self
                .items
                .iter()
                .filter(|i| i.line_id == l.id)
                .map(|i| i.quantity)
                .sum();
            withdrawn >= l.quantity
        })
    }
}

pub fn for_order(c: &mut DbConn, order_id: OrderId) -> QueryResult<Option<Withdrawal>> {
    let row: Option<WithdrawalRow> = withdrawals::table
        .filter(withdrawals::order_id.eq(order_id))
        .select(WithdrawalRow::as_select())
        .first(c)
        .optional()?;
    Ok(row.map(|row| Withdrawal {
        items: serde_json::from_str(&row.items).unwrap_or_default(),
        row,
    }))
}

/// Whether a withdrawal stops the order from shipping: every unit of it was withdrawn from
/// before it left (its refund may still be on its way).
pub fn stops_shipping(c: &mut DbConn, view: &OrderView) -> QueryResult<bool> {
    Ok(for_order(c, view.order.id)?.is_some_and(|w| w.covers(view)))
}
