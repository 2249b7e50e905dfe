//! Calls to the provider from a request (opening an order's payment, refunding it): the
//! database reads and writes on the pool's threads, the provider's call on a blocking thread of
//! its own (it waits on the network, bounded by the timeout).

use std::sync::Arc;

use super::model::{self, Payment};
use super::{service, Provider, ProviderError};
use crate::db::DbRef;
use crate::error::AppError;
use crate::orders::model as orders;

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
    db: &DbRef,
    provider: Arc<dyn Provider>,
    order_id: i64,
) -> Result<Payment, OpenError> {
    let (order, payment) = db
        .run(move |c| -> Result<_, AppError> {
            let order = orders::by_id(c, order_id)?;
            let payment = model::for_order(c, order_id)?.ok_or(AppError::NotFound)?;
            Ok((order, payment))
        })
        .await?;
    if payment.intent_id.is_some() {
        return Ok(payment);
    }
    let new = service::new_intent(&order, &payment);
    let created = rocket::tokio::task::spawn_blocking(move || provider.create(&new))
        .await
        .map_err(|e| AppError::Internal(format!("payment call: {e}")))?;
    let id = payment.id;
    match created {
        Ok(intent) => Ok(db
            .run(move |c| model::set_intent(c, id, &intent.id, intent.client_secret.as_deref()))
            .await
            .map_err(AppError::from)?),
        Err(e) => {
            log::warn!("payment of order {} not opened: {e}", order.number);
            let text = e.to_string();
            db.run(move |c| model::set_error(c, id, &text))
                .await
                .map_err(AppError::from)?;
            Err(e.into())
        }
    }
}

/// Gives a card order's payment back through the provider before staff's refund step is
/// applied; `None` when the order was not paid by card (nothing to do there). The idempotency
/// key makes a repeated click one refund at the provider.
pub async fn refund(
    db: &DbRef,
    provider: Option<Arc<dyn Provider>>,
    number: String,
) -> Result<Option<String>, OpenError> {
    let found = db
        .run(move |c| -> Result<_, AppError> {
            let order = orders::by_number(c, &number)?;
            Ok((model::for_order(c, order.id)?, order))
        })
        .await?;
    let (Some(payment), order) = found else {
        return Ok(None);
    };
    let (Some(intent), model::PaymentStatus::Succeeded) =
        (payment.intent_id.clone(), payment.status)
    else {
        return Ok(None);
    };
    let provider = provider.ok_or_else(|| {
        ProviderError::Unavailable("card payments are not configured".to_string())
    })?;
    let key = format!("{}-refund", service::idempotency_key(&order));
    let amount = payment.amount_cents;
    let refunded =
        rocket::tokio::task::spawn_blocking(move || provider.refund(&intent, amount, &key))
            .await
            .map_err(|e| AppError::Internal(format!("payment call: {e}")))??;
    let (name, id, order_id) = ("stripe", refunded.clone(), order.id);
    db.run(move |c| {
        model::record_event(c, name, &id, "refund.created", Some(order_id), "refunded")
    })
    .await
    .map_err(AppError::from)?;
    Ok(Some(refunded))
}
