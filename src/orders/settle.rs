//! What the payment side may do to an order, and nothing else: mark it paid when the provider
//! says the money arrived, cancel it when it was never paid, and reserve, complete or fail a
//! refund. `payments` calls these (and reads orders through `orders::model`); orders never call
//! payments, so a payment's walk goes down, never back.

use crate::config::Shop;
use crate::db::DbConn;
use crate::error::AppError;
use crate::ids::{RefundId, UserId};
use crate::orders::model::OrderView;
use crate::orders::workflow::{self, Step, StepError};

pub use crate::orders::refunds::{
    pending_before as pending_refunds_before, Refund, RefundError, RefundStatus,
    Request as RefundRequest,
};

/// The provider confirmed the payment: the order is paid (its invoice issued, the customer
/// told). An order that cannot be paid any more (cancelled meanwhile) is an error the caller
/// records.
pub fn mark_paid(c: &mut DbConn, shop: &Shop, number: &str) -> Result<(), AppError> {
    match workflow::apply_in(c, shop, number, &Step::MarkPaid, None) {
        Ok(_) => Ok(()),
        Err(StepError::App(e)) => Err(e),
        Err(StepError::NotAllowed | StepError::Withdrawn) => {
            Err(AppError::Internal("order step refused".into()))
        }
    }
}

/// Never paid: the order is cancelled and its stock returned, unless it already moved on
/// (paid meanwhile, or cancelled by staff), which is left as it is.
pub fn cancel_unpaid(c: &mut DbConn, shop: &Shop, number: &str) -> Result<(), AppError> {
    match workflow::apply_in(c, shop, number, &Step::Cancel, None) {
        Ok(_) | Err(StepError::NotAllowed | StepError::Withdrawn) => Ok(()),
        Err(StepError::App(e)) => Err(e),
    }
}

/// Reserves the refund a request asks for (see `orders::refunds::reserve`).
pub fn reserve_refund(
    c: &mut DbConn,
    view: &OrderView,
    request: &RefundRequest,
    actor: Option<UserId>,
) -> Result<Refund, RefundError> {
    crate::orders::refunds::reserve(c, view, request, actor)
}

/// The money went back: the refund is done, its credit note issued and the order's status
/// follows.
pub fn complete_refund(
    c: &mut DbConn,
    shop: &Shop,
    refund: RefundId,
    provider_refund_id: Option<&str>,
) -> Result<Refund, AppError> {
    crate::orders::refunds::complete(c, shop, refund, provider_refund_id)
}

/// The provider refused the refund: nothing was given back, the balance is free again.
pub fn fail_refund(c: &mut DbConn, refund: RefundId, reason: &str) -> diesel::QueryResult<usize> {
    crate::orders::refunds::fail(c, refund, reason)
}
