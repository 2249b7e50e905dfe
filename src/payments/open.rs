//! Opening an order's payment at the provider, from a request: the database read and write
//! on the pool's threads, the provider's call on a blocking thread of its own (it waits on the
//! network, bounded by the timeout).

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
