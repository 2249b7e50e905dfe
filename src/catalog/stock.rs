//! Stock: taken by orders with a conditional UPDATE (never below zero), given back when an order
//! is cancelled, adjusted by staff, and every change recorded as a movement with its reason.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::db::schema::{product_variants, products, stock_movements, users};
use crate::db::{now, DbConn};
use crate::ids::{OrderId, ProductId, UserId, VariantId};

/// Most units a stock may count: more is a typing slip.
pub const MAX_STOCK: i32 = 1_000_000;

/// A stock as typed in a form or a file: a whole number from 0 to [`MAX_STOCK`].
pub fn parse_stock(typed: &str) -> Option<i32> {
    typed
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (0..=MAX_STOCK).contains(s))
}

/// Units of one variant to take or give back.
#[derive(Debug, Clone, Copy)]
pub struct Units {
    pub variant_id: VariantId,
    pub quantity: i32,
}

/// Units taken or given back, with the variant's stock after.
#[derive(Debug, Clone, Copy)]
pub struct Moved {
    pub variant_id: VariantId,
    pub product_id: ProductId,
    pub quantity: i32,
    pub left: i32,
}

/// Adds `delta` to products' totals (the stock of their variants on sale), one row each, in
/// the order of their ids: every multi-line change locks variants first, by id, then
/// products, by id, so two transactions never wait on each other the other way round.
fn follow(c: &mut DbConn, deltas: &mut [(ProductId, i32)]) -> QueryResult<()> {
    deltas.sort_unstable_by_key(|d| d.0);
    let mut i = 0;
    while i < deltas.len() {
        let product_id = deltas[i].0;
        let mut delta = 0;
        while i < deltas.len() && deltas[i].0 == product_id {
            delta += deltas[i].1;
            i += 1;
        }
        if delta != 0 {
            diesel::update(products::table.find(product_id))
                .set(products::stock.eq(products::stock + delta))
                .execute(c)?;
        }
    }
    Ok(())
}

/// Takes every line's units, or none: `Err(i)` names the first line (in `lines`' order of
/// ids) short of stock, and the caller's transaction must then roll back. Each variant is
/// decremented by a conditional UPDATE: the condition is what keeps stock from ever going
/// below zero, whatever runs concurrently. Only variants on sale, of products on sale.
pub fn take(c: &mut DbConn, lines: &[Units]) -> QueryResult<Result<Vec<Moved>, usize>> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_unstable_by_key(|&i| lines[i].variant_id);
    let mut moved = Vec::with_capacity(lines.len());
    for i in order {
        let Units {
            variant_id,
            quantity,
        } = lines[i];
        let row: Option<(ProductId, i32)> = diesel::update(
            product_variants::table
                .filter(product_variants::id.eq(variant_id))
                .filter(product_variants::active.eq(true))
                .filter(product_variants::stock.ge(quantity))
                .filter(
                    product_variants::product_id.eq_any(
                        products::table
                            .filter(products::active.eq(true))
                            .select(products::id),
                    ),
                ),
        )
        .set(product_variants::stock.eq(product_variants::stock - quantity))
        .returning((product_variants::product_id, product_variants::stock))
        .get_result(c)
        .optional()?;
        let Some((product_id, left)) = row else {
            return Ok(Err(i));
        };
        moved.push(Moved {
            variant_id,
            product_id,
            quantity,
            left,
        });
    }
    let mut deltas: Vec<_> = moved.iter().map(|m| (m.product_id, -m.quantity)).collect();
    follow(c, &mut deltas)?;
    Ok(Ok(moved))
}

/// What can be sold of a variant now (0 when it, or its product, is no longer on sale).
pub fn available(conn: &mut DbConn, variant_id: VariantId) -> QueryResult<i32> {
    let row: Option<(i32, bool, bool)> = product_variants::table
        .inner_join(products::table)
        .filter(product_variants::id.eq(variant_id))
        .select((
            product_variants::stock,
            product_variants::active,
            products::active,
        ))
        .first(conn)
        .optional()?;
    Ok(row.filter(|r| r.1 && r.2).map_or(0, |r| r.0))
}

/// Gives units back to their variants (on sale or not), variants first then products, as
/// [`take`] does.
fn give_back(c: &mut DbConn, lines: &[Units]) -> QueryResult<Vec<Moved>> {
    let mut sorted = lines.to_vec();
    sorted.sort_unstable_by_key(|l| l.variant_id);
    let mut moved = Vec::with_capacity(lines.len());
    let mut deltas = Vec::with_capacity(lines.len());
    for Units {
        variant_id,
        quantity,
    } in sorted
    {
        let row: Option<(ProductId, i32, bool)> =
            diesel::update(product_variants::table.find(variant_id))
                .set(product_variants::stock.eq(product_variants::stock + quantity))
                .returning((
                    product_variants::product_id,
                    product_variants::stock,
                    product_variants::active,
                ))
                .get_result(c)
                .optional()?;
        // A variant deleted since has nothing to take its units back.
        let Some((product_id, left, active)) = row else {
            continue;
        };
        if active {
            deltas.push((product_id, quantity));
        }
        moved.push(Moved {
            variant_id,
            product_id,
            quantity,
            left,
        });
    }
    follow(c, &mut deltas)?;
    Ok(moved)
}

/// Puts a cancelled or returned order's lines back on sale, each return recorded with
/// `reason`.
pub fn restock(
    conn: &mut DbConn,
    order_id: OrderId,
    lines: &[Units],
    reason: &str,
    actor: Option<UserId>,
) -> QueryResult<()> {
    for m in give_back(conn, lines)? {
        record_movement(conn, &m, m.quantity, reason, actor, Some(order_id))?;
    }
    Ok(())
}

/// Puts a variant on sale or takes it off; its stock joins or leaves its product's total.
/// Returns false when it already was so.
pub fn set_variant_active(
    c: &mut DbConn,
    variant_id: VariantId,
    active: bool,
) -> QueryResult<bool> {
    let row: Option<(ProductId, i32)> = diesel::update(
        product_variants::table
            .filter(product_variants::id.eq(variant_id))
            .filter(product_variants::active.ne(active)),
    )
    .set((
        product_variants::active.eq(active),
        product_variants::updated_at.eq(now()),
    ))
    .returning((product_variants::product_id, product_variants::stock))
    .get_result(c)
    .optional()?;
    let Some((product_id, stock)) = row else {
        return Ok(false);
    };
    let delta = if active { stock } else { -stock };
    follow(c, &mut [(product_id, delta)])?;
    Ok(true)
}

/// Writes one line of a variant's stock history.
pub fn record_movement(
    conn: &mut DbConn,
    moved: &Moved,
    delta: i32,
    reason: &str,
    actor: Option<UserId>,
    order_id: Option<OrderId>,
) -> QueryResult<usize> {
    diesel::insert_into(stock_movements::table)
        .values((
            stock_movements::product_id.eq(moved.product_id),
            stock_movements::variant_id.eq(Some(moved.variant_id)),
            stock_movements::delta.eq(delta),
            stock_movements::resulting_stock.eq(moved.left),
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
    /// A product with several variants: which one must be said.
    #[error("which variant?")]
    ChooseVariant,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Adds `delta` (negative to remove) to a variant's stock with a reason, inside the caller's
/// transaction; refused if it would go below zero.
pub fn adjust_in(
    c: &mut DbConn,
    variant_id: VariantId,
    delta: i32,
    reason: &str,
    actor: UserId,
) -> Result<i32, StockError> {
    let row: Option<(ProductId, i32, bool, String)> = diesel::update(
        product_variants::table
            .filter(product_variants::id.eq(variant_id))
            .filter(product_variants::stock.ge(-delta)),
    )
    .set((
        product_variants::stock.eq(product_variants::stock + delta),
        product_variants::updated_at.eq(now()),
    ))
    .returning((
        product_variants::product_id,
        product_variants::stock,
        product_variants::active,
        product_variants::sku,
    ))
    .get_result(c)
    .optional()?;
    let Some((product_id, left, active, sku)) = row else {
        // No such variant is a 404 for the caller, not "below zero".
        product_variants::table
            .find(variant_id)
            .select(product_variants::id)
            .first::<VariantId>(c)?;
        return Err(StockError::BelowZero);
    };
    if active {
        follow(c, &mut [(product_id, delta)])?;
    }
    diesel::update(products::table.find(product_id))
        .set(products::updated_at.eq(now()))
        .execute(c)?;
    let moved = Moved {
        variant_id,
        product_id,
        quantity: delta,
        left,
    };
    record_movement(c, &moved, delta, reason, Some(actor), None)?;
    audit::Change::new(Some(actor), "stock.adjust", "product")
        .on(product_id)
        .before(&serde_json::json!({ "sku": sku, "stock": left - delta }))
        .after(&serde_json::json!({ "sku": sku, "stock": left, "delta": delta, "reason": reason }))
        .record(c)?;
    Ok(left)
}

/// The reasons the shop itself writes (staff type their own for adjustments): stored as
/// these words, shown in the reader's language.
pub const REASON_INITIAL: &str = "initial stock";
pub const REASON_ORDER: &str = "order";
pub const REASON_CANCELLED: &str = "order cancelled";
pub const REASON_UNPAID: &str = "unpaid order cancelled";
pub const REASON_RETURNED: &str = "returned";
/// Units a customer withdrew from before they shipped.
pub const REASON_WITHDRAWN: &str = "withdrawn before shipment";

/// The message key of a reason the shop wrote, none for one staff typed.
pub fn reason_key(reason: &str) -> Option<&'static str> {
    match reason {
        REASON_INITIAL => Some("stock-reason-initial"),
        REASON_ORDER => Some("stock-reason-order"),
        REASON_CANCELLED => Some("stock-reason-cancelled"),
        REASON_UNPAID => Some("stock-reason-unpaid"),
        REASON_RETURNED => Some("stock-reason-returned"),
        REASON_WITHDRAWN => Some("stock-reason-withdrawn"),
        _ => None,
    }
}

#[derive(Debug, Serialize, Queryable)]
pub struct Movement {
    pub delta: i32,
    pub resulting_stock: i32,
    pub reason: String,
    pub order_id: Option<OrderId>,
    pub created_at: NaiveDateTime,
    pub actor: Option<String>,
    /// The variant moved (none for history older than variants whose variant is gone).
    pub sku: Option<String>,
}

/// A movement as the history shows it.
#[derive(Debug, Serialize)]
pub struct MovementView {
    #[serde(flatten)]
    pub movement: Movement,
    pub reason_key: Option<&'static str>,
}

/// A variant on sale running low, as the low-stock list shows it.
#[derive(Debug, Serialize, Queryable)]
pub struct LowRow {
    pub product_id: ProductId,
    pub name: String,
    pub sku: String,
    pub option1: String,
    pub option2: String,
    pub stock: i32,
}

/// Variants on sale (of products on sale) with at most `threshold` units, fewest first: a
/// product in sizes is listed by the size that runs out, not by its total.
pub fn low(conn: &mut DbConn, threshold: i32, limit: i64) -> QueryResult<Vec<LowRow>> {
    product_variants::table
        .inner_join(products::table)
        .filter(products::active.eq(true))
        .filter(product_variants::active.eq(true))
        .filter(product_variants::stock.le(threshold))
        .order((
            product_variants::stock,
            products::name,
            product_variants::position,
        ))
        .limit(limit)
        .select((
            products::id,
            products::name,
            product_variants::sku,
            product_variants::option1,
            product_variants::option2,
            product_variants::stock,
        ))
        .load(conn)
}

/// A product's stock history, all its variants together, newest first.
pub fn history(
    conn: &mut DbConn,
    product_id: ProductId,
    limit: i64,
) -> QueryResult<Vec<MovementView>> {
    let rows: Vec<Movement> = stock_movements::table
        .left_join(users::table.on(stock_movements::actor_user_id.eq(users::id.nullable())))
        .left_join(
            product_variants::table
                .on(stock_movements::variant_id.eq(product_variants::id.nullable())),
        )
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
            product_variants::sku.nullable(),
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
