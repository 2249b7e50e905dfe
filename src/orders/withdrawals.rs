//! The right of withdrawal, online. Code de la consommation, art. L221-18: the consumer may
//! withdraw from the conclusion of the contract until 14 days after receiving the goods (the
//! last item of a split delivery); art. L221-21 and D221-5 as amended by ordonnance n° 2026-2
//! and décret n° 2026-3 of 5 January 2026 (Directive 2023/2673), in force since 19 June 2026:
//! a function labelled "se rétracter du contrat ici", reachable for the whole period, asking
//! only what identifies the contract, ending on a distinct confirmation step, and an
//! acknowledgement on a durable medium stating its content, date and time (here, by email).
//!
//! What a withdrawal does depends on where the order stands when it comes:
//! - not paid yet (bank transfer awaited): the order is cancelled, its goods back on sale;
//! - paid, not shipped: the goods chosen go back on sale and are refunded (the whole order:
//!   cancelled and refunded with its shipping, art. L221-24), through the provider for a card;
//! - shipped: the goods come back and staff refund within 14 days of the withdrawal (they may
//!   wait for the goods, L221-24), from the order's page where it shows with its deadline.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::config::Shop;
use crate::db::schema::{orders, withdrawals};
use crate::db::{is_unique_violation, now, DbConn};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::OrderLineId;
use crate::mail::outbox;
use crate::orders::model::{self, OrderView, Status};
use crate::orders::refunds::{self, Request as RefundRequest};
use crate::orders::workflow::{self, Step, StepError};
use crate::templates::EmailKind;

/// Days after delivery during which a customer may withdraw, and days the shop has to refund.
pub const WITHDRAWAL_DAYS: i64 = 14;

pub use crate::orders::withdrawal_rows::{for_order, Item, Withdrawal, WithdrawalRow};

/// Where the order stood when the customer withdrew, which says what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Not paid: the order is cancelled.
    Unpaid,
    /// Paid, not shipped: the goods go back on sale and are refunded at once.
    NotShipped,
    /// On its way or delivered: the goods come back, staff refund by the deadline.
    Shipped,
}

impl Stage {
    pub fn of(status: Status) -> Option<Stage> {
        match status {
            Status::AwaitingPayment => Some(Stage::Unpaid),
            Status::Paid => Some(Stage::NotShipped),
            Status::Shipped | Status::Delivered => Some(Stage::Shipped),
            Status::Cancelled | Status::Refunded => None,
        }
    }
}

/// Whether the order may be withdrawn from at `at`: open from the order (the conclusion of
/// the contract) until 14 days after delivery — `Ok(None)` while it is not delivered, with
/// no deadline yet — or the key of the message saying why not.
pub fn open(view: &OrderView, at: NaiveDateTime) -> Result<Option<NaiveDateTime>, &'static str> {
    let order = &view.order;
    if Stage::of(order.status).is_none() {
        return Err("withdrawal-closed");
    }
    match (order.status, order.delivered_at) {
        (Status::Delivered, Some(delivered)) => {
            let deadline = delivered + Duration::days(WITHDRAWAL_DAYS);
            if at <= deadline {
                Ok(Some(deadline))
            } else {
                Err("withdrawal-too-late")
            }
        }
        _ => Ok(None),
    }
}

/// An item the customer may still withdraw from: what was ordered less what was refunded.
#[derive(Debug, Clone, Serialize)]
pub struct Offered {
    pub line_id: OrderLineId,
    pub product_name: String,
    pub variant_label: String,
    pub quantity: i32,
}

/// The items of the order still open to withdrawal (lines already refunded are left out).
pub fn offered(c: &mut DbConn, view: &OrderView) -> QueryResult<Vec<Offered>> {
    let balance = refunds::balance(c, view)?;
    Ok(view
        .lines
        .iter()
        .zip(&balance.lines_left)
        .filter(|(_, (_, left))| *left > 0)
        .map(|(l, (_, left))| Offered {
            line_id: l.id,
            product_name: l.product_name.clone(),
            variant_label: l.variant_label.clone(),
            quantity: *left,
        })
        .collect())
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

/// A withdrawal recorded (or found: the same request twice is one withdrawal).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub withdrawal: Withdrawal,
    pub stage: Stage,
    /// Made by this request (not the one an earlier request made).
    pub fresh: bool,
    /// The refund to make now (paid, not shipped), keyed by the withdrawal.
    pub refund: Option<RefundRequest>,
}

#[derive(Serialize)]
struct WithdrawalEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    withdrawal: &'a Withdrawal,
    stage: Stage,
    shop_name: &'a str,
    link: String,
}

/// The items chosen, checked: `(line id, quantity)` pairs, every item offered when none is
/// given; zero quantities are items left out.
pub fn items_of(
    offered: &[Offered],
    chosen: &[(OrderLineId, i32)],
) -> Result<Vec<Item>, &'static str> {
    let everything: Vec<(OrderLineId, i32)>;
    let chosen = if chosen.is_empty() {
        everything = offered.iter().map(|o| (o.line_id, o.quantity)).collect();
        &everything
    } else {
        chosen
    };
    let mut items = Vec::new();
    for &(line_id, quantity) in chosen.iter().filter(|(_, q)| *q != 0) {
        let line = offered
            .iter()
            .find(|o| o.line_id == line_id)
            .ok_or("withdrawal-unknown-item")?;
        if quantity < 0 || quantity > line.quantity {
            return Err("withdrawal-too-many");
        }
        items.push(Item {
            line_id,
            product_name: line.product_name.clone(),
            quantity,
        });
    }
    if items.is_empty() {
        return Err("withdrawal-nothing");
    }
    Ok(items)
}

/// Records a withdrawal from the order `number` for `chosen` `(line id, quantity)` (every item
/// still open when empty), in one transaction with what it does at once (an unpaid order
/// cancelled; unshipped goods back on sale), the customer's acknowledgement and the staff's
/// notice. A second request for the same order returns the first. The refund of a paid,
/// unshipped order is the caller's next step (`Recorded::refund`): it may go through the
/// payment provider.
pub fn request(
    c: &mut DbConn,
    shop: &Shop,
    number: &str,
    chosen: &[(OrderLineId, i32)],
    comment: &str,
) -> Result<Recorded, WithdrawError> {
    c.write_tx(|c| {
        let order = model::by_number(c, number)?;
        // One withdrawal at a time for an order, and none while staff ship it: the row lock
        // (PostgreSQL; SQLite has one writer) orders this against a step or a refund.
        diesel::update(orders::table.find(order.id))
            .set(orders::updated_at.eq(orders::updated_at))
            .execute(c)?;
        let view = model::view(c, number)?;
        if let Some(existing) = for_order(c, view.order.id)? {
            let stage = Stage::of(view.order.status).unwrap_or(Stage::Shipped);
            return Ok(Recorded {
                withdrawal: existing,
                stage,
                fresh: false,
                refund: None,
            });
        }
        let requested_at = now();
        open(&view, requested_at).map_err(WithdrawError::Refused)?;
        let stage =
            Stage::of(view.order.status).ok_or(WithdrawError::Refused("withdrawal-closed"))?;
        if comment.chars().count() > 1000 {
            return Err(WithdrawError::Refused("withdrawal-comment-too-long"));
        }
        let offered = offered(c, &view)?;
        // Nothing paid yet: the withdrawal is of the whole order, which is cancelled.
        let chosen = if stage == Stage::Unpaid {
            &[][..]
        } else {
            chosen
        };
        let items = items_of(&offered, chosen).map_err(WithdrawError::Refused)?;
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
            .after(&serde_json::json!({
                "items": &withdrawal.items,
                "stage": stage,
            }))
            .record(c)?;
        let whole = items.len() == offered.len()
            && items
                .iter()
                .zip(&offered)
                .all(|(i, o)| i.line_id == o.line_id && i.quantity == o.quantity);
        let refund = match stage {
            Stage::Unpaid => {
                match workflow::apply_in(c, shop, number, &Step::Cancel, None) {
                    Ok(_) => {}
                    Err(StepError::App(e)) => return Err(e.into()),
                    Err(_) => return Err(WithdrawError::Refused("withdrawal-closed")),
                }
                None
            }
            Stage::NotShipped => {
                if !whole {
                    // These units will not ship: back on sale now; the rest ships.
                    restock_items(c, &view, &items)?;
                }
                Some(RefundRequest {
                    key: format!("withdrawal-{}", withdrawal.row.id),
                    lines: items.iter().map(|i| (i.line_id, i.quantity)).collect(),
                    reason: "Rétractation (art. L221-18 du code de la consommation)".into(),
                    // The whole order: cancelled, refunded with its shipping, goods restocked
                    // when the refund completes.
                    everything: whole,
                    cancels: whole,
                    ..RefundRequest::default()
                })
            }
            Stage::Shipped => None,
        };
        notify(c, shop, &view, &withdrawal, stage)?;
        Ok(Recorded {
            withdrawal,
            stage,
            fresh: true,
            refund,
        })
    })
}

/// Units withdrawn before shipment go back on sale.
fn restock_items(c: &mut DbConn, view: &OrderView, items: &[Item]) -> QueryResult<()> {
    let units: Vec<crate::catalog::stock::Units> = items
        .iter()
        .filter_map(|i| {
            let line = view.lines.iter().find(|l| l.id == i.line_id)?;
            Some(crate::catalog::stock::Units {
                variant_id: line.variant_id?,
                quantity: i.quantity,
            })
        })
        .collect();
    crate::catalog::stock::restock(
        c,
        view.order.id,
        &units,
        crate::catalog::stock::REASON_WITHDRAWN,
        None,
    )
}

/// The customer's acknowledgement and the staff's notice.
fn notify(
    c: &mut DbConn,
    shop: &Shop,
    view: &OrderView,
    withdrawal: &Withdrawal,
    stage: Stage,
) -> Result<(), AppError> {
    let s = shop.settings();
    let data = WithdrawalEmail {
        view,
        withdrawal,
        stage,
        shop_name: &s.shop_name,
        link: shop.order_link(&view.order.number),
    };
    let lang = Lang::parse(&view.order.locale).unwrap_or_default();
    let staff = crate::accounts::staff::notice_addresses(c, &s)?;
    let mut send = |kind: EmailKind, to: &str, lang: Lang| -> Result<(), AppError> {
        let email = shop
            .mail
            .render(kind, to, lang, &data)
            .map_err(|e| AppError::Mail(e.to_string()))?;
        outbox::enqueue(c, &email, Some(view.order.id))?;
        Ok(())
    };
    send(EmailKind::WithdrawalReceived, &view.order.email, lang)?;
    for to in staff {
        send(EmailKind::WithdrawalStaff, &to, Lang::Fr)?;
    }
    Ok(())
}

/// What a guest's search for their order found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The order's number.
    Found(String),
    /// No order has this number and this email: the same answer whichever is wrong.
    NoMatch,
    /// Too many wrong pairs from this client, or for this number: try again later.
    Locked { minutes: i64 },
}

/// A guest identifies their order with its number and email, throttled as logins are
/// (`accounts::throttle`: per order number and per client address).
pub fn lookup(c: &mut DbConn, number: &str, email: &str, client_ip: &str) -> QueryResult<Lookup> {
    let number = number.trim();
    let key: String = format!("withdrawal:{}", number.to_lowercase())
        .chars()
        .take(80)
        .collect();
    if let Some(until) = crate::accounts::throttle::check(c, &key, client_ip)? {
        let minutes = ((until - now()).num_seconds() + 59) / 60;
        return Ok(Lookup::Locked {
            minutes: minutes.max(1),
        });
    }
    let found = find_for_guest(c, number, email)?;
    crate::accounts::throttle::record(c, &key, client_ip, found.is_some())?;
    Ok(found.map_or(Lookup::NoMatch, Lookup::Found))
}

/// Orders a guest may withdraw from, found by number and email (the email compared without
/// case): the number of the order, or `None` for a pair that does not match.
fn find_for_guest(c: &mut DbConn, number: &str, email: &str) -> QueryResult<Option<String>> {
    let found: Option<(String, String)> = orders::table
        .filter(orders::number.eq(number.trim()))
        .select((orders::number, orders::email))
        .first(c)
        .optional()?;
    Ok(found
        .filter(|(_, e)| e.trim().eq_ignore_ascii_case(email.trim()))
        .map(|(n, _)| n))
}

/// A customer's orders still open to withdrawal, newest first (at most `limit`).
pub fn open_orders_of(
    c: &mut DbConn,
    user: crate::ids::UserId,
    limit: i64,
) -> QueryResult<Vec<OpenOrder>> {
    let numbers: Vec<String> = orders::table
        .left_join(withdrawals::table)
        .filter(orders::user_id.eq(user))
        .filter(withdrawals::id.is_null())
        .filter(orders::status.eq_any([
            Status::AwaitingPayment,
            Status::Paid,
            Status::Shipped,
            Status::Delivered,
        ]))
        .filter(
            orders::delivered_at
                .is_null()
                .or(orders::delivered_at.gt(now() - Duration::days(WITHDRAWAL_DAYS))),
        )
        .order(orders::id.desc())
        .limit(limit)
        .select(orders::number)
        .load(c)?;
    let mut open_orders = Vec::with_capacity(numbers.len());
    for number in numbers {
        let view = model::view(c, &number)?;
        let until = open(&view, now()).ok().flatten();
        open_orders.push(OpenOrder {
            number,
            created_at: view.order.created_at,
            total_cents: view.order.total_cents,
            status: view.order.status,
            until,
        });
    }
    Ok(open_orders)
}

/// An order its customer may still withdraw from, as the withdrawal page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenOrder {
    pub number: String,
    pub created_at: NaiveDateTime,
    pub total_cents: crate::money::Money,
    pub status: Status,
    pub until: Option<NaiveDateTime>,
}

/// Withdrawals whose money is still to give back, soonest deadline first (the dashboard's
/// list): orders neither refunded nor cancelled.
pub fn awaiting_refund(c: &mut DbConn, limit: i64) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    withdrawals::table
        .inner_join(orders::table)
        .filter(orders::status.ne_all([Status::Refunded, Status::Cancelled]))
        .order(withdrawals::refund_by)
        .limit(limit)
        .select((orders::number, withdrawals::refund_by))
        .load(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_from_the_order_until_fourteen_days_after_delivery() {
        let at = now();
        let mut view = OrderView::new(
            crate::orders::model::Order::sample(Status::AwaitingPayment),
            vec![],
            vec![],
        );
        assert_eq!(
            open(&view, at),
            Ok(None),
            "from the conclusion of the contract"
        );
        view.order.status = Status::Paid;
        assert_eq!(open(&view, at), Ok(None));
        view.order.status = Status::Shipped;
        assert_eq!(open(&view, at), Ok(None));
        view.order.status = Status::Delivered;
        view.order.delivered_at = Some(at - Duration::days(14) + Duration::minutes(1));
        assert_eq!(
            open(&view, at),
            Ok(view.order.delivered_at.map(|d| d + Duration::days(14)))
        );
        view.order.delivered_at = Some(at - Duration::days(15));
        assert_eq!(open(&view, at), Err("withdrawal-too-late"));
        view.order.status = Status::Refunded;
        assert_eq!(open(&view, at), Err("withdrawal-closed"));
        view.order.status = Status::Cancelled;
        assert_eq!(open(&view, at), Err("withdrawal-closed"));
    }

    #[test]
    fn items_are_checked_against_what_is_left() {
        let offered = vec![
            Offered {
                line_id: OrderLineId(1),
                product_name: "Moutarde".into(),
                variant_label: String::new(),
                quantity: 2,
            },
            Offered {
                line_id: OrderLineId(2),
                product_name: "Vin".into(),
                variant_label: String::new(),
                quantity: 1,
            },
        ];
        assert_eq!(
            items_of(&offered, &[]).unwrap().len(),
            2,
            "everything by default"
        );
        assert_eq!(
            items_of(&offered, &[(OrderLineId(1), 0), (OrderLineId(2), 0)]),
            Err("withdrawal-nothing")
        );
        let one = items_of(&offered, &[(OrderLineId(1), 1), (OrderLineId(2), 0)]).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].quantity, 1);
        assert_eq!(
            items_of(&offered, &[(OrderLineId(1), 3)]),
            Err("withdrawal-too-many")
        );
        assert_eq!(
            items_of(&offered, &[(OrderLineId(9), 1)]),
            Err("withdrawal-unknown-item"),
            "a line refunded already is not offered"
        );
        assert_eq!(
            items_of(&offered, &[(OrderLineId(1), -1)]),
            Err("withdrawal-too-many")
        );
    }
}
