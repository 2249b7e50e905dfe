//! Stock: taken by orders with a conditional UPDATE (never below zero), given back when an order
//! is cancelled, adjusted by staff, and every change recorded as a movement with its reason.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::db::schema::{products, stock_movements, users};
use crate::db::{now, DbConn};

/// Takes `quantity` units if that many are there: the condition in the UPDATE is what keeps
/// stock from ever going below zero, whatever runs concurrently. Returns the stock left.
pub fn take(conn: &mut DbConn, product_id: i64, quantity: i32) -> QueryResult<Option<i32>> {
    diesel::update(
        products::table
            .filter(products::id.eq(product_id))
            .filter(products::active.eq(true))
            .filter(products::stock.ge(quantity)),
    )
    .set(products::stock.eq(products::stock - quantity))
    .returning(products::stock)
    .get_result(conn)
    .optional()
}

/// What can be sold of a product now (0 when it is no longer on sale).
pub fn available(conn: &mut DbConn, product_id: i64) -> QueryResult<i32> {
    let row: Option<(i32, bool)> = products::table
        .find(product_id)
        .select((products::stock, products::active))
        .first(conn)
        .optional()?;
    Ok(row.filter(|r| r.1).map_or(0, |r| r.0))
}

pub fn give_back(conn: &mut DbConn, product_id: i64, quantity: i32) -> QueryResult<i32> {
    diesel::update(products::table.find(product_id))
        .set(products::stock.eq(products::stock + quantity))
        .returning(products::stock)
        .get_result(conn)
}

/// Puts a cancelled order's `(product, quantity)` lines back on sale, each return recorded
/// with `reason`.
pub fn restock(
    conn: &mut DbConn,
    order_id: i64,
    lines: impl IntoIterator<Item = (i64, i32)>,
    reason: &str,
    actor: Option<i64>,
) -> QueryResult<()> {
    for (product_id, quantity) in lines {
        let left = give_back(conn, product_id, quantity)?;
        record_movement(
            conn,
            product_id,
            quantity,
            left,
            reason,
            actor,
            Some(order_id),
        )?;
    }
    Ok(())
}

pub fn record_movement(
    conn: &mut DbConn,
    product_id: i64,
    delta: i32,
    resulting_stock: i32,
    reason: &str,
    actor: Option<i64>,
    order_id: Option<i64>,
) -> QueryResult<usize> {
    diesel::insert_into(stock_movements::table)
        .values((
            stock_movements::product_id.eq(product_id),
            stock_movements::delta.eq(delta),
            stock_movements::resulting_stock.eq(resulting_stock),
            stock_movements::reason.eq(reason),
            stock_movements::actor_user_id.eq(actor),
            stock_movements::order_id.eq(order_id),
            stock_movements::created_at.eq(crate::db::now()),
        ))
        .execute(conn)
}

#[derive(Debug, thiserror::Error)]
pub enum StockError {
    #[error("stock cannot go below zero")]
    BelowZero,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Adds `delta` (negative to remove) with a reason; refused if it would go below zero.
pub fn adjust(
    conn: &mut DbConn,
    id: i64,
    delta: i32,
    reason: &str,
    actor: i64,
) -> Result<i32, StockError> {
    conn.write_tx(|c| adjust_in(c, id, delta, reason, actor))
}

/// [`adjust`] inside the caller's transaction.
pub fn adjust_in(
    c: &mut DbConn,
    id: i64,
    delta: i32,
    reason: &str,
    actor: i64,
) -> Result<i32, StockError> {
    {
        let before: i32 = products::table.find(id).select(products::stock).first(c)?;
        let left: Option<i32> = diesel::update(
            products::table
                .filter(products::id.eq(id))
                .filter(products::stock.ge(-delta)),
        )
        .set((
            products::stock.eq(products::stock + delta),
            products::updated_at.eq(now()),
        ))
        .returning(products::stock)
        .get_result(c)
        .optional()?;
        let left = left.ok_or(StockError::BelowZero)?;
        record_movement(c, id, delta, left, reason, Some(actor), None)?;
        audit::Change::new(Some(actor), "stock.adjust", "product")
            .on(id)
            .before(&serde_json::json!({ "stock": before }))
            .after(&serde_json::json!({ "stock": left, "delta": delta, "reason": reason }))
            .record(c)?;
        Ok(left)
    }
}

/// The reasons the shop itself writes (staff type their own for adjustments): stored as
/// these words, shown in the reader's language.
pub const REASON_INITIAL: &str = "initial stock";
pub const REASON_ORDER: &str = "order";
pub const REASON_CANCELLED: &str = "order cancelled";
pub const REASON_UNPAID: &str = "unpaid order cancelled";
pub const REASON_RETURNED: &str = "returned";

/// The message key of a reason the shop wrote, none for one staff typed.
pub fn reason_key(reason: &str) -> Option<&'static str> {
    match reason {
        REASON_INITIAL => Some("stock-reason-initial"),
        REASON_ORDER => Some("stock-reason-order"),
        REASON_CANCELLED => Some("stock-reason-cancelled"),
        REASON_UNPAID => Some("stock-reason-unpaid"),
        REASON_RETURNED => Some("stock-reason-returned"),
        _ => None,
    }
}

#[derive(Debug, Serialize, Queryable)]
pub struct Movement {
    pub delta: i32,
    pub resulting_stock: i32,
    pub reason: String,
    pub order_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub actor: Option<String>,
}

/// A movement as the history shows it.
#[derive(Debug, Serialize)]
pub struct MovementView {
    #[serde(flatten)]
    pub movement: Movement,
    pub reason_key: Option<&'static str>,
}

pub fn history(conn: &mut DbConn, product_id: i64, limit: i64) -> QueryResult<Vec<MovementView>> {
    let rows: Vec<Movement> = stock_movements::table
        .left_join(users::table.on(stock_movements::actor_user_id.eq(users::id.nullable())))
        .filter(stock_movements::product_id.eq(product_id))
        .order((
            stock_movements::created_at.desc(),
            stock_movements::id.desc(),
        ))
        .limit(limit)
        .select((
            stock_movements::delta,
            stock_movements::resulting_stock,
            stock_movements::reason,
            stock_movements::order_id,
            stock_movements::created_at,
            users::email.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|movement| MovementView {
            reason_key: reason_key(&movement.reason),
            movement,
        })
        .collect())
}
