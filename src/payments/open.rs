//! Calls to the provider from a request (opening an order's payment, refunding part or all of
//! it): the database reads and writes on the pool's threads, the provider's call on a blocking
//! thread of its own (it waits on the network, bounded by the timeout).

use std::sync::Arc;

use crate::config::Shop;
use crate::db::Runner;
use crate::error::AppError;
use crate::ids::{OrderId, OrderLineId, UserId};
use crate::orders::model as orders;
use crate::orders::settle::{self, Refund, RefundError, RefundRequest as Request, RefundStatus};
use crate::orders::withdrawals::{self, Recorded, WithdrawError};
use crate::payments::model::{self, Payment, PaymentStatus};
use crate::payments::{service, Provider, ProviderError};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    App(#[from] AppError),
}

/// The order's payment, opened at the provider if it was not yet. A retry or a concurrent
/// request asks the provider with the same idempotency key and keeps the first id recorded.
pub async fn open(
    db: &impl Runner,
    provider: Arc<dyn Provider>,
    order_id: OrderId,
) -> Result<Payment, OpenError> {
    let (order, payment) = db
        .run(move |c| -> Result<_, AppError> {
            let order = orders::by_id(c, order_id)?;
            let payment = model::for_order(c, order_id)?.ok_or(AppError::NotFound)?;
            Ok((order, payment))
        })
        .await
        .ok_or(AppError::Busy)??;
    if payment.intent_id.is_some() {
        return Ok(payment);
    }
    let new = service::new_intent(&order, &payment);
    let created = tokio::task::spawn_blocking(move || provider.create(&new))
        .await
        .map_err(|e| AppError::Internal(format!("payment call: {e}")))?;
    let id = payment.id;
    match created {
        Ok(intent) => Ok(db
            .run(move |c| model::set_intent(c, id, &intent.id, intent.client_secret.as_deref()))
            .await
            .ok_or(AppError::Busy)?
            .map_err(AppError::from)?),
        Err(e) => {
            log::warn!("payment of order {} not opened: {e}", order.number);
            let text = e.to_string();
            db.run(move |c| model::set_error(c, id, &text))
                .await
                .ok_or(AppError::Busy)?
                .map_err(AppError::from)?;
            Err(e.into())
        }
    }
}

/// Why a refund did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RefundFailure {
    /// Refused by the shop's rules (the key of the message for staff).
    #[error("refund refused: {0}")]
    Refused(&'static str),
    /// The provider could not give the money back: nothing changed, the balance is free again.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for RefundFailure {
    fn from(e: diesel::result::Error) -> Self {
        RefundFailure::App(AppError::Db(e))
    }
}

impl From<RefundError> for RefundFailure {
    fn from(e: RefundError) -> Self {
        match e {
            RefundError::Invalid(key) => RefundFailure::Refused(key),
            RefundError::App(e) => RefundFailure::App(e),
        }
    }
}

/// What a reserved refund still needs: for a card order, the provider's payment to refund.
struct Reserved {
    refund: Refund,
    card: Option<(String, String)>,
}

/// Gives money back on order `number`: reserved first (so two refunds at once cannot exceed
/// the balance), then, for a card order, through the provider with a key derived from the
/// refund (a repeated call is one refund there), then completed with its credit note. Orders
/// paid otherwise (transfer, at pickup) are repaid by staff and complete at once.
pub async fn refund(
    db: &impl Runner,
    shop: Arc<Shop>,
    provider: Option<Arc<dyn Provider>>,
    number: String,
    request: Request,
    actor: Option<UserId>,
) -> Result<Refund, RefundFailure> {
    let for_tx = Arc::clone(&shop);
    let reserved = db
        .run(move |c| {
            c.write_tx(|c| -> Result<Reserved, RefundFailure> {
                let view = orders::view(c, &number).map_err(AppError::from)?;
                let refund = settle::reserve_refund(c, &view, &request, actor)?;
                let card = match model::for_order(c, view.order.id).map_err(AppError::from)? {
                    Some(Payment {
                        intent_id: Some(intent),
                        status: PaymentStatus::Succeeded,
                        ..
                    }) => Some((intent, service::refund_key(&view.order, refund.id))),
                    _ => None,
                };
                if card.is_none() && refund.status == RefundStatus::Pending {
                    let refund = settle::complete_refund(c, &for_tx, refund.id, None)?;
                    return Ok(Reserved { refund, card });
                }
                Ok(Reserved { refund, card })
            })
        })
        .await
        .ok_or(AppError::Busy)??;
    let Reserved {
        refund,
        card: Some((intent, key)),
    } = reserved
    else {
        return Ok(reserved.refund);
    };
    if refund.status != RefundStatus::Pending {
        return Ok(refund);
    }
    give_back(db, shop, provider, refund, intent, key).await
}

/// What a customer's withdrawal did.
#[derive(Debug)]
pub struct Withdrawn {
    pub recorded: Recorded,
    /// The refund it made (a paid order that had not shipped), or why it could not be made
    /// now: it then shows on the staff's dashboard among the withdrawals to refund.
    pub refund: Option<Result<Refund, RefundFailure>>,
}

/// A customer withdraws from order `number` (see `orders::withdrawals`): recorded with what
/// it does at once and both emails, then, for a paid order that had not shipped, the refund
/// of what was withdrawn through the provider for a card, with its credit note.
pub async fn withdraw(
    db: &impl Runner,
    shop: Arc<Shop>,
    provider: Option<Arc<dyn Provider>>,
    number: String,
    chosen: Vec<(OrderLineId, i32)>,
    comment: String,
) -> Result<Withdrawn, WithdrawError> {
    let (s, n) = (Arc::clone(&shop), number.clone());
    let recorded = db
        .run(move |c| withdrawals::request(c, &s, &n, &chosen, &comment))
        .await
        .ok_or(AppError::Busy)??;
    let refund = match (&recorded.refund, recorded.fresh) {
        (Some(request), true) => {
            let done = refund(db, shop, provider, number.clone(), request.clone(), None).await;
            if let Err(e) = &done {
                log::warn!("order {number}: the withdrawal's refund waits for staff: {e}");
            }
            Some(done)
        }
        _ => None,
    };
    Ok(Withdrawn { recorded, refund })
}

/// Asks the provider to refund a pending refund and completes it, or marks it failed when the
/// provider refuses. Left pending when the provider cannot be reached: the reconciliation asks
/// again with the same key.
async fn give_back(
    db: &impl Runner,
    shop: Arc<Shop>,
    provider: Option<Arc<dyn Provider>>,
    refund: Refund,
    intent: String,
    key: String,
) -> Result<Refund, RefundFailure> {
    let id = refund.id;
    let Some(provider) = provider else {
        let text = "card payments are not configured";
        db.run(move |c| settle::fail_refund(c, id, text))
            .await
            .ok_or(AppError::Busy)?
            .map_err(AppError::from)?;
        return Err(ProviderError::Unavailable(text.to_string()).into());
    };
    let amount = refund.total_cents;
    let name = provider.name();
    let given = tokio::task::spawn_blocking(move || provider.refund(&intent, amount, &key))
        .await
        .map_err(|e| AppError::Internal(format!("payment call: {e}")))?;
    match given {
        Ok(provider_id) => Ok(db
            .run(move |c| {
                c.write_tx(|c| -> Result<Refund, AppError> {
                    service::record_refund(c, &shop, name, &refund, &provider_id)
                })
            })
            .await
            .ok_or(AppError::Busy)??),
        Err(e) => {
            // A timeout may have refunded at the provider: such a refund stays pending, and
            // the reconciliation asks again with the same key (one refund there).
            if let ProviderError::Refused(text) = &e {
                let text = text.clone();
                db.run(move |c| settle::fail_refund(c, id, &text))
                    .await
                    .ok_or(AppError::Busy)?
                    .map_err(AppError::from)?;
            }
            Err(e.into())
        }
    }
}
