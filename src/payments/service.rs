//! What the provider says, turned into order steps: a confirmed payment marks the order paid
//! (invoice, emails) through the workflow, a wrong amount flags it for staff, a refused card
//! lets the customer try again, and card orders left unpaid are cancelled. The same function
//! serves the webhook, the return page's reading and the reconciliation task, so a lost or
//! repeated webhook changes nothing.

use chrono::Duration;

use crate::audit;
use crate::config::Shop;
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::ids::{OrderId, RefundId};
use crate::orders::model::{self as orders, Order, Status};
use crate::orders::settle::{self, Refund};
use crate::payments::model::{self, Payment, PaymentStatus};
use crate::payments::stripe::Event;
use crate::payments::{Intent, IntentState, NewIntent, Provider, ProviderError};
use crate::templates::EmailKind;

/// What an event or a reading of the provider led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Paid,
    AlreadyPaid,
    /// Paid, but not as the order says: staff must look (the order is not marked paid).
    Flagged(String),
    Failed,
    Pending,
    Canceled,
    UnknownOrder,
    Ignored,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::AlreadyPaid => "already_paid",
            Outcome::Flagged(_) => "flagged",
            Outcome::Failed => "failed",
            Outcome::Pending => "pending",
            Outcome::Canceled => "canceled",
            Outcome::UnknownOrder => "unknown_order",
            Outcome::Ignored => "ignored",
        }
    }
}

/// The idempotency key of an order's payment: the same for every retry.
pub fn idempotency_key(order: &Order) -> String {
    format!("comptoir-order-{}-payment", order.number)
}

/// The idempotency key of one refund of an order: the same for every retry of that refund.
pub fn refund_key(order: &Order, refund_id: RefundId) -> String {
    format!("{}-refund-{refund_id}", idempotency_key(order))
}

/// Completes a refund the provider made (inside the caller's write transaction): its credit
/// note, email and audit row, and a line on the order's payment timeline.
pub fn record_refund(
    c: &mut DbConn,
    shop: &Shop,
    provider: &str,
    refund: &Refund,
    provider_refund_id: &str,
) -> Result<Refund, AppError> {
    let done = settle::complete_refund(c, shop, refund.id, Some(provider_refund_id))?;
    model::record_event(
        c,
        provider,
        provider_refund_id,
        "refund.created",
        Some(refund.order_id),
        "refunded",
    )?;
    Ok(done)
}

/// Refunds left pending (the provider timed out, or the process stopped between the provider
/// and the database) asked again with the same key: the provider makes them once.
fn finish_refunds(
    conn: &mut DbConn,
    shop: &Shop,
    provider: &dyn Provider,
    before: chrono::NaiveDateTime,
    done: &mut Reconciled,
) -> Result<(), AppError> {
    for refund in settle::pending_refunds_before(conn, before, 100)? {
        let order = orders::by_id(conn, refund.order_id)?;
        let intent = model::for_order(conn, order.id)?.and_then(|p| p.intent_id);
        let Some(intent) = intent else {
            conn.write_tx(|c| settle::complete_refund(c, shop, refund.id, None))?;
            continue;
        };
        let key = refund_key(&order, refund.id);
        match provider.refund(&intent, refund.total_cents, &key) {
            Ok(id) => {
                conn.write_tx(|c| record_refund(c, shop, provider.name(), &refund, &id))?;
                done.refunded += 1;
            }
            Err(ProviderError::Refused(e)) => {
                log::warn!(
                    "refund {} of order {} refused: {e}",
                    refund.id,
                    order.number
                );
                settle::fail_refund(conn, refund.id, &e)?;
            }
            Err(e) => {
                log::warn!(
                    "refund {} of order {} not made: {e}",
                    refund.id,
                    order.number
                );
                done.unavailable += 1;
            }
        }
    }
    Ok(())
}

/// What to ask the provider for, for this order's payment.
pub fn new_intent(order: &Order, payment: &Payment) -> NewIntent {
    NewIntent {
        order_number: order.number.clone(),
        amount_cents: payment.amount_cents,
        idempotency_key: idempotency_key(order),
    }
}

/// Applies what the provider says of a payment (inside the caller's write transaction).
pub fn apply_intent(
    c: &mut DbConn,
    shop: &Shop,
    intent: &Intent,
    failure: Option<&str>,
) -> Result<(Outcome, Option<OrderId>), AppError> {
    let payment = match model::by_intent(c, &intent.id)? {
        Some(p) => p,
        None => {
            // A payment opened by a request whose answer was lost: found by its order.
            let by_order = match intent.order_number.as_deref() {
                Some(number) => match orders::by_number(c, number) {
                    Ok(o) => model::for_order(c, o.id)?,
                    Err(diesel::result::Error::NotFound) => None,
                    Err(e) => return Err(e.into()),
                },
                None => None,
            };
            match by_order {
                Some(p) if p.intent_id.is_none() => {
                    model::set_intent(c, p.id, &intent.id, intent.client_secret.as_deref())?
                }
                _ => return Ok((Outcome::UnknownOrder, None)),
            }
        }
    };
    let order = orders::by_id(c, payment.order_id)?;
    let outcome = match intent.state {
        IntentState::Succeeded => succeeded(c, shop, intent, &payment, &order)?,
        IntentState::Canceled => {
            model::set_status(c, payment.id, PaymentStatus::Canceled, None)?;
            Outcome::Canceled
        }
        IntentState::Open if failure.is_some() => {
            model::set_status(c, payment.id, PaymentStatus::Failed, failure)?;
            Outcome::Failed
        }
        IntentState::Open | IntentState::Processing => Outcome::Pending,
    };
    Ok((outcome, Some(order.id)))
}

fn succeeded(
    c: &mut DbConn,
    shop: &Shop,
    intent: &Intent,
    payment: &Payment,
    order: &Order,
) -> Result<Outcome, AppError> {
    let problem = if intent.amount_cents != payment.amount_cents
        || !intent.currency.eq_ignore_ascii_case(&payment.currency)
    {
        Some(format!(
            "paid {} {} for an order of {} {}",
            intent.amount_cents, intent.currency, payment.amount_cents, payment.currency
        ))
    } else if order.status == Status::Cancelled {
        Some("paid after the order was cancelled: refund it".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        if model::set_status(c, payment.id, PaymentStatus::Flagged, Some(&problem))? {
            audit::Change::new(None, "payment.flagged", "order")
                .on(order.id)
                .after(&serde_json::json!({ "intent": intent.id, "problem": problem }))
                .record(c)?;
        }
        return Ok(Outcome::Flagged(problem));
    }
    model::set_status(c, payment.id, PaymentStatus::Succeeded, None)?;
    if order.status != Status::AwaitingPayment {
        return Ok(Outcome::AlreadyPaid);
    }
    settle::mark_paid(c, shop, &order.number)?;
    notify_staff(c, shop, &order.number)?;
    Ok(Outcome::Paid)
}

#[derive(serde::Serialize)]
struct StaffEmail<'a> {
    #[serde(flatten)]
    view: &'a orders::OrderView,
    shop_name: &'a str,
}

/// Tells the staff a card order is paid and can be prepared (in the same transaction).
fn notify_staff(c: &mut DbConn, shop: &Shop, number: &str) -> Result<(), AppError> {
    let s = shop.settings();
    let Some(to) = s.staff_address() else {
        return Ok(());
    };
    let view = orders::view(c, number)?;
    let data = StaffEmail {
        view: &view,
        shop_name: &s.shop_name,
    };
    let email = shop
        .mail
        .render(
            EmailKind::PaymentReceivedStaff,
            to,
            crate::i18n::Lang::Fr,
            &data,
        )
        .map_err(|e| AppError::Mail(e.to_string()))?;
    crate::mail::outbox::enqueue(c, &email, Some(view.order.id))?;
    Ok(())
}

/// A webhook event, verified: stored once (a replay is acknowledged and changes nothing) and
/// applied in the same transaction.
pub fn handle_event(
    conn: &mut DbConn,
    shop: &Shop,
    provider: &str,
    event: &Event,
) -> Result<Outcome, AppError> {
    conn.write_tx(|c| {
        if !model::record_event(c, provider, &event.id, &event.kind, None, "received")? {
            return Ok(Outcome::Ignored);
        }
        let applies = matches!(
            event.kind.as_str(),
            "payment_intent.succeeded"
                | "payment_intent.payment_failed"
                | "payment_intent.canceled"
                | "payment_intent.processing"
        );
        let (outcome, order_id) = match event.intent().filter(|_| applies) {
            Some(intent) => apply_intent(c, shop, &intent, event.failure_message().as_deref())?,
            None => (Outcome::Ignored, None),
        };
        model::set_event_outcome(c, provider, &event.id, order_id, outcome.as_str())?;
        Ok(outcome)
    })
}

/// What one pass of reconciliation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub paid: usize,
    pub cancelled: usize,
    /// Refunds left pending, made now.
    pub refunded: usize,
    pub unavailable: usize,
}

/// Asks the provider about card payments still open after `card_check_minutes` (a webhook may
/// have been lost) and applies what it says; cancels the orders still unpaid after
/// `card_unpaid_minutes` (payment cancelled at the provider first, stock returned, customer
/// emailed); makes the refunds left pending. Safe with several instances: every change is a conditional step.
pub fn reconcile(
    conn: &mut DbConn,
    shop: &Shop,
    provider: &dyn Provider,
) -> Result<Reconciled, AppError> {
    let s = shop.settings();
    let now = now();
    let check_before = now - Duration::minutes(s.card_check_minutes.max(0));
    let give_up_before = now - Duration::minutes(s.card_unpaid_minutes.max(1));
    let mut done = Reconciled::default();
    for payment in model::open_before(conn, check_before, 200)? {
        let order = orders::by_id(conn, payment.order_id)?;
        if order.status == Status::Cancelled {
            // Cancelled by staff while the payment was open: close it at the provider too. If
            // it was paid meanwhile, applying what the provider says flags it for a refund.
            if let Some(id) = payment.intent_id.as_deref() {
                let closed = match provider.cancel(id) {
                    Ok(intent) => Ok(intent),
                    Err(ProviderError::Refused(_)) => provider.fetch(id),
                    Err(e) => Err(e),
                };
                match closed {
                    Ok(intent) => {
                        conn.write_tx(|c| apply_intent(c, shop, &intent, None))?;
                    }
                    Err(e) => {
                        log::warn!("payment of order {} not closed: {e}", order.number);
                        done.unavailable += 1;
                    }
                }
            } else {
                model::set_status(conn, payment.id, PaymentStatus::Canceled, Some("unpaid"))?;
            }
            continue;
        }
        if order.status != Status::AwaitingPayment {
            continue;
        }
        let expired = payment.created_at < give_up_before;
        let intent = match payment.intent_id.as_deref() {
            Some(id) => match provider.fetch(id) {
                Ok(intent) => Some(intent),
                Err(e) => {
                    log::warn!("payment of order {} not checked: {e}", order.number);
                    done.unavailable += 1;
                    continue;
                }
            },
            None => None,
        };
        if let Some(intent) = &intent {
            let (outcome, _) = conn.write_tx(|c| apply_intent(c, shop, intent, None))?;
            if outcome == Outcome::Paid {
                done.paid += 1;
                continue;
            }
            if matches!(outcome, Outcome::AlreadyPaid | Outcome::Flagged(_)) || !expired {
                continue;
            }
            if intent.state != IntentState::Canceled {
                match provider.cancel(&intent.id) {
                    Ok(_) => {}
                    // Paid at the last moment: the next pass (or the webhook) applies it.
                    Err(ProviderError::Refused(e)) => {
                        log::warn!("payment of order {} not cancelled: {e}", order.number);
                        continue;
                    }
                    Err(e) => {
                        log::warn!("payment of order {} not cancelled: {e}", order.number);
                        done.unavailable += 1;
                        continue;
                    }
                }
            }
        } else if !expired {
            continue;
        }
        conn.write_tx(|c| -> Result<(), AppError> {
            settle::cancel_unpaid(c, shop, &order.number)?;
            model::set_status(c, payment.id, PaymentStatus::Canceled, Some("unpaid"))?;
            Ok(())
        })?;
        done.cancelled += 1;
    }
    finish_refunds(conn, shop, provider, check_before, &mut done)?;
    Ok(done)
}
