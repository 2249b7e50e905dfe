//! The order status workflow: which step may follow which, and applying one step (status,
//! stock, audit log and the customer's email) in one transaction.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::stock::Units;
use crate::config::Shop;
use crate::db::now;
use crate::db::schema::orders;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::{OrderId, UserId};
use crate::mail::outbox;
use crate::orders::invoices;
use crate::orders::model::{self, OrderView, Status};
use crate::orders::pdf;
use crate::orders::withdrawal_rows;
use crate::templates::EmailKind;

/// What staff can do to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    MarkPaid,
    Ship { tracking: String },
    Deliver,
    Cancel,
}

/// Whether money may be given back on an order in `status` (refunds are their own service,
/// [`crate::orders::refunds`]: lines, shipping or an amount, each with its credit note).
pub fn refundable(status: Status) -> bool {
    matches!(status, Status::Paid | Status::Shipped | Status::Delivered)
}

impl Step {
    pub fn name(&self) -> &'static str {
        match self {
            Step::MarkPaid => "mark_paid",
            Step::Ship { .. } => "ship",
            Step::Deliver => "deliver",
            Step::Cancel => "cancel",
        }
    }

    /// The status this step leads to from `from`, if allowed.
    pub fn from_status(&self, from: Status) -> Option<Status> {
        use Status::*;
        match (self, from) {
            (Step::MarkPaid, AwaitingPayment) => Some(Paid),
            (Step::Ship { .. }, Paid) => Some(Shipped),
            (Step::Deliver, Shipped) => Some(Delivered),
            // Cancelling puts the goods back on sale: only before they leave the shop. A paid
            // order is cancelled by refunding it whole (`refunds::Request::cancels`).
            (Step::Cancel, AwaitingPayment) => Some(Cancelled),
            _ => None,
        }
    }

    /// The email a customer expects after this step (none for the delivery they saw).
    fn email(&self) -> Option<EmailKind> {
        match self {
            Step::MarkPaid => Some(EmailKind::OrderPaid),
            Step::Ship { .. } => Some(EmailKind::OrderShipped),
            Step::Deliver => None,
            Step::Cancel => Some(EmailKind::OrderCancelled),
        }
    }

    pub fn parse(name: &str, tracking: Option<&str>) -> Option<Step> {
        Some(match name {
            "mark_paid" => Step::MarkPaid,
            "ship" => Step::Ship {
                tracking: tracking?.trim().to_string(),
            },
            "deliver" => Step::Deliver,
            "cancel" => Step::Cancel,
            _ => return None,
        })
    }
}

/// The steps offered for an order in `status` (the buttons on its page), refunding the whole
/// balance last.
pub fn available_steps(status: Status) -> Vec<&'static str> {
    let probes = [
        Step::MarkPaid,
        Step::Ship {
            tracking: String::new(),
        },
        Step::Deliver,
        Step::Cancel,
    ];
    let mut steps: Vec<&'static str> = probes
        .iter()
        .filter(|s| s.from_status(status).is_some())
        .map(Step::name)
        .collect();
    if status == Status::Paid {
        steps.push("cancel");
    }
    if refundable(status) {
        steps.push("refund");
    }
    steps
}

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("this step is not allowed from the order's current status")]
    NotAllowed,
    /// The customer withdrew from every item before it shipped (art. L221-18).
    #[error("the customer withdrew from this order")]
    Withdrawn,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for StepError {
    fn from(e: diesel::result::Error) -> Self {
        StepError::App(AppError::Db(e))
    }
}

#[derive(Serialize)]
struct StepEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    shop_name: &'a str,
    link: String,
}

#[derive(Serialize)]
struct Snapshot<'a> {
    status: &'a str,
    tracking_number: Option<&'a str>,
}

/// Applies `step` to the order `number` on behalf of `actor`, in its own transaction.
pub fn apply(
    conn: &mut DbConn,
    shop: &Shop,
    number: &str,
    step: &Step,
    actor: UserId,
) -> Result<Status, StepError> {
    conn.write_tx(|c| apply_in(c, shop, number, step, Some(actor)))
}

/// [`apply`] inside the caller's transaction; `actor` is none for the shop's own steps (a
/// payment confirmed by the provider, an unpaid card order cancelled).
pub fn apply_in(
    c: &mut DbConn,
    shop: &Shop,
    number: &str,
    step: &Step,
    actor: Option<UserId>,
) -> Result<Status, StepError> {
    {
        let order = model::by_number(c, number).map_err(AppError::from)?;
        let from = order.status;
        let to = step.from_status(from).ok_or(StepError::NotAllowed)?;
        let now = now();
        let tracking = match step {
            Step::Ship { tracking } => Some(tracking.as_str()),
            _ => order.tracking_number.as_deref(),
        };
        // The WHERE on the old status makes a concurrent step lose cleanly.
        let target = orders::table
            .filter(orders::id.eq(order.id))
            .filter(orders::status.eq(from));
        let changed = match to {
            Status::Paid => diesel::update(target)
                .set((
                    orders::status.eq(to),
                    orders::paid_at.eq(Some(now)),
                    orders::updated_at.eq(now),
                ))
                .execute(c)?,
            Status::Shipped => diesel::update(target)
                .set((
                    orders::status.eq(to),
                    orders::shipped_at.eq(Some(now)),
                    orders::tracking_number.eq(tracking),
                    orders::updated_at.eq(now),
                ))
                .execute(c)?,
            Status::Delivered => diesel::update(target)
                .set((
                    orders::status.eq(to),
                    orders::delivered_at.eq(Some(now)),
                    orders::updated_at.eq(now),
                ))
                .execute(c)?,
            Status::Cancelled => diesel::update(target)
                .set((
                    orders::status.eq(to),
                    orders::cancelled_at.eq(Some(now)),
                    orders::updated_at.eq(now),
                ))
                .execute(c)?,
            Status::Refunded | Status::AwaitingPayment => 0,
        };
        if changed == 0 {
            return Err(StepError::NotAllowed);
        }
        let view = model::view(c, number)?;
        // Read after the update, which waits for a withdrawal being recorded at this moment
        // (it locks the order's row first); the caller's transaction rolls the step back.
        if to == Status::Shipped && withdrawal_rows::stops_shipping(c, &view)? {
            return Err(StepError::Withdrawn);
        }
        let invoice = match to {
            Status::Paid => Some(invoices::issue_invoice(
                c,
                &view.order,
                &invoices::Seller::of(&shop.settings()),
            )?),
            _ => None,
        };
        if to == Status::Cancelled {
            restock(c, &view, crate::catalog::stock::REASON_CANCELLED, actor)?;
        }
        audit::Change::new(actor, &format!("order.{}", step.name()), "order")
            .on(order.id)
            .before(&Snapshot {
                status: from.as_str(),
                tracking_number: order.tracking_number.as_deref(),
            })
            .after(&Snapshot {
                status: to.as_str(),
                tracking_number: tracking,
            })
            .record(c)?;
        if let Some(kind) = step.email() {
            let lang = Lang::parse(&view.order.locale).unwrap_or_default();
            let data = StepEmail {
                view: &view,
                shop_name: &shop.settings().shop_name,
                link: shop.order_link(number),
            };
            let email = shop
                .mail
                .render(kind, &view.order.email, lang, &data)
                .map_err(|e| AppError::Mail(e.to_string()))?;
            let queued = outbox::enqueue(c, &email, Some(order.id))?;
            // The invoice travels with the "paid" email.
            if let Some(invoice) = &invoice {
                let file = pdf::attachment(c, &shop.settings(), number, invoice)?;
                outbox::attach(c, queued, &file)?;
            }
        }
        Ok(to)
    }
}

/// Marks an order refunded once nothing is left to give back (the refund service calls it in
/// the transaction that completes the last refund). False when it was not refundable.
pub fn mark_refunded(c: &mut DbConn, order_id: OrderId) -> diesel::QueryResult<bool> {
    let now = now();
    let target = orders::table
        .filter(orders::id.eq(order_id))
        .filter(orders::status.eq_any([Status::Paid, Status::Shipped, Status::Delivered]));
    let changed = diesel::update(target)
        .set((
            orders::status.eq(Status::Refunded),
            orders::refunded_at.eq(Some(now)),
            orders::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(changed == 1)
}

/// Marks a paid, unshipped order cancelled once it is refunded whole (the refund service calls
/// it in the transaction that completes that refund). False when it was no longer paid.
pub fn mark_cancelled(c: &mut DbConn, order_id: OrderId) -> diesel::QueryResult<bool> {
    let now = now();
    let target = orders::table
        .filter(orders::id.eq(order_id))
        .filter(orders::status.eq(Status::Paid));
    let changed = diesel::update(target)
        .set((
            orders::status.eq(Status::Cancelled),
            orders::cancelled_at.eq(Some(now)),
            orders::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(changed == 1)
}

/// Undoes what a cancelled order took: its lines go back on sale (lines whose product was
/// deleted stay gone) and its discount code's use is given back, so an order never paid does
/// not spend a code limited in uses.
pub fn restock(
    c: &mut DbConn,
    view: &OrderView,
    reason: &str,
    actor: Option<UserId>,
) -> diesel::QueryResult<()> {
    let lines: Vec<Units> = view
        .lines
        .iter()
        .filter_map(|l| {
            l.variant_id.map(|variant_id| Units {
                variant_id,
                quantity: l.quantity,
            })
        })
        .collect();
    crate::catalog::stock::restock(c, view.order.id, &lines, reason, actor)?;
    crate::discounts::model::give_back(c, view.order.id)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_workflow() {
        let ship = Step::Ship {
            tracking: "X".into(),
        };
        assert_eq!(Step::MarkPaid.from_status(AwaitingPayment), Some(Paid));
        assert_eq!(ship.from_status(Paid), Some(Shipped));
        assert_eq!(Step::Deliver.from_status(Shipped), Some(Delivered));
        assert_eq!(Step::Cancel.from_status(AwaitingPayment), Some(Cancelled));
        assert_eq!(
            Step::Cancel.from_status(Paid),
            None,
            "a paid order is cancelled by refunding it"
        );
        assert!(refundable(Delivered) && refundable(Paid) && refundable(Shipped));
        // Refused steps.
        assert_eq!(
            ship.from_status(AwaitingPayment),
            None,
            "no shipping before payment"
        );
        assert_eq!(
            Step::Cancel.from_status(Shipped),
            None,
            "no cancelling once shipped"
        );
        assert_eq!(Step::MarkPaid.from_status(Paid), None);
        assert!(!refundable(AwaitingPayment) && !refundable(Cancelled) && !refundable(Refunded));
        assert_eq!(Step::Deliver.from_status(Cancelled), None);
        for s in [Cancelled, Refunded] {
            assert!(available_steps(s).is_empty(), "{s:?} is final");
        }
        assert_eq!(
            available_steps(AwaitingPayment),
            vec!["mark_paid", "cancel"]
        );
        assert_eq!(available_steps(Paid), vec!["ship", "cancel", "refund"]);
    }
}
