//! The right of withdrawal, online (EU Directive 2023/2673, French consumer code L221-18): a
//! customer withdraws from a delivered order during the 14 days after delivery, choosing the
//! items concerned, and gets an acknowledgement by email (a durable medium) at once; staff
//! see the request with the date by which the money must be back (14 days after it).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::config::Shop;
use crate::db::schema::withdrawals;
use crate::db::{is_unique_violation, now, DbConn};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::{OrderId, OrderLineId};
use crate::mail::outbox;
use crate::orders::model::{self, OrderView, Status};
use crate::templates::EmailKind;

/// Days after delivery during which a customer may withdraw, and days the shop has to refund.
pub const WITHDRAWAL_DAYS: i64 = 14;

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

/// Whether the order may still be withdrawn from, or why not (the message key).
pub fn open(view: &OrderView, at: NaiveDateTime) -> Result<NaiveDateTime, &'static str> {
    let order = &view.order;
    match (order.status, order.delivered_at) {
        (Status::Delivered, Some(delivered)) => {
            let deadline = delivered + Duration::days(WITHDRAWAL_DAYS);
            if at <= deadline {
                Ok(deadline)
            } else {
                Err("withdrawal-too-late")
            }
        }
        (Status::Refunded | Status::Cancelled, _) => Err("withdrawal-closed"),
        _ => Err("withdrawal-not-delivered"),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WithdrawError {
    #[error("withdrawal refused: {0}")]
    Refused(&'static str),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for WithdrawError {
    fn from(e: diesel::result::Error) -> Self {
        WithdrawError::App(AppError::Db(e))
    }
}

#[derive(Serialize)]
struct WithdrawalEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    withdrawal: &'a Withdrawal,
    shop_name: &'a str,
    link: String,
}

/// Records a withdrawal from the order `number` for `chosen` `(line id, quantity)` (every line
/// when empty), in one transaction with the customer's acknowledgement and the staff's notice.
/// A second request for the same order returns the first.
pub fn request(
    c: &mut DbConn,
    shop: &Shop,
    number: &str,
    chosen: &[(OrderLineId, i32)],
    comment: &str,
) -> Result<Withdrawal, WithdrawError> {
    c.write_tx(|c| {
        let view = model::view(c, number)?;
        if let Some(existing) = for_order(c, view.order.id)? {
            return Ok(existing);
        }
        let requested_at = now();
        open(&view, requested_at).map_err(WithdrawError::Refused)?;
        if comment.chars().count() > 1000 {
            return Err(WithdrawError::Refused("withdrawal-comment-too-long"));
        }
        let items = items_of(&view, chosen)?;
        let refund_by = requested_at + Duration::days(WITHDRAWAL_DAYS);
        let json = serde_json::to_string(&items).map_err(|e| AppError::Internal(e.to_string()))?;
        let inserted = c.transaction(|c| {
            diesel::insert_into(withdrawals::table)
                .values((
                    withdrawals::order_id.eq(view.order.id),
                    withdrawals::items.eq(&json),
                    withdrawals::comment.eq(comment.trim()),
                    withdrawals::requested_at.eq(requested_at),
                    withdrawals::refund_by.eq(refund_by),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => {}
            // The same request twice at once: the first one stands.
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
        let withdrawal = for_order(c, view.order.id)?.ok_or(AppError::NotFound)?;
        audit::Change::new(view.order.user_id, "order.withdraw", "order")
            .on(view.order.id)
            .after(&withdrawal.items)
            .record(c)?;
        notify(c, shop, &view, &withdrawal)?;
        Ok(withdrawal)
    })
}

/// The items withdrawn from: the chosen quantities, each at most what was ordered.
fn items_of(view: &OrderView, chosen: &[(OrderLineId, i32)]) -> Result<Vec<Item>, WithdrawError> {
    let everything: Vec<(OrderLineId, i32)>;
    let chosen = if chosen.iter().all(|(_, q)| *q == 0) {
        everything = view.lines.iter().map(|l| (l.id, l.quantity)).collect();
        &everything
    } else {
        chosen
    };
    let mut items = Vec::new();
    for &(line_id, quantity) in chosen.iter().filter(|(_, q)| *q != 0) {
        let line = view
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .ok_or(WithdrawError::Refused("withdrawal-unknown-item"))?;
        if quantity < 0 || quantity > line.quantity {
            return Err(WithdrawError::Refused("withdrawal-too-many"));
        }
        items.push(Item {
            line_id,
            product_name: line.product_name.clone(),
            quantity,
        });
    }
    Ok(items)
}

/// The customer's acknowledgement and, when the shop has an address, the staff's notice.
fn notify(
    c: &mut DbConn,
    shop: &Shop,
    view: &OrderView,
    withdrawal: &Withdrawal,
) -> Result<(), AppError> {
    let s = shop.settings();
    let data = WithdrawalEmail {
        view,
        withdrawal,
        shop_name: &s.shop_name,
        link: shop.order_link(&view.order.number),
    };
    let lang = Lang::parse(&view.order.locale).unwrap_or_default();
    let mut send = |kind: EmailKind, to: &str, lang: Lang| -> Result<(), AppError> {
        let email = shop
            .mail
            .render(kind, to, lang, &data)
            .map_err(|e| AppError::Mail(e.to_string()))?;
        outbox::enqueue(c, &email, Some(view.order.id))?;
        Ok(())
    };
    send(EmailKind::WithdrawalReceived, &view.order.email, lang)?;
    if let Some(to) = s.staff_address() {
        send(EmailKind::WithdrawalStaff, to, Lang::Fr)?;
    }
    Ok(())
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

/// Withdrawals whose orders still hold money, soonest deadline first (the dashboard's list).
pub fn awaiting_refund(c: &mut DbConn, limit: i64) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    use crate::db::schema::orders;
    withdrawals::table
        .inner_join(orders::table)
        .filter(orders::status.ne(Status::Refunded))
        .order(withdrawals::refund_by)
        .limit(limit)
        .select((orders::number, withdrawals::refund_by))
        .load(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_days_after_delivery_then_closed() {
        let at = now();
        let mut view = OrderView::new(
            crate::orders::model::Order::sample(Status::Delivered),
            vec![],
            vec![],
        );
        view.order.delivered_at = Some(at - Duration::days(14) + Duration::minutes(1));
        assert!(open(&view, at).is_ok());
        view.order.delivered_at = Some(at - Duration::days(15));
        assert_eq!(open(&view, at), Err("withdrawal-too-late"));
        view.order.status = Status::Shipped;
        view.order.delivered_at = None;
        assert_eq!(open(&view, at), Err("withdrawal-not-delivered"));
        view.order.status = Status::Refunded;
        assert_eq!(open(&view, at), Err("withdrawal-closed"));
    }
}
