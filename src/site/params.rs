//! Typed ids where requests carry them: a path segment, a query value or a form field holding
//! a number is read straight into its id type, so handlers never hold a bare `i64`; `uri!`
//! writes them back into paths.

use std::fmt;

use rocket::form::{self, FromFormField, ValueField};
use rocket::http::uri::fmt::{Formatter, FromUriParam, Path, UriDisplay};
use rocket::request::FromParam;

use crate::ids::{
    CartId, CategoryId, CodeId, ImageId, InvoiceId, ManufacturerId, MethodId, OrderId, OrderLineId,
    OutboxId, PaymentId, PickupId, ProductId, RefundId, SaleId, SessionId, UserId, VariantId,
};

macro_rules! from_request_parts {
    ($($t:ident),* $(,)?) => {$(
        impl<'v> FromFormField<'v> for $t {
            fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
                i64::from_value(field).map($t)
            }
        }

        impl<'a> FromParam<'a> for $t {
            type Error = <i64 as FromParam<'a>>::Error;

            fn from_param(param: &'a str) -> Result<Self, Self::Error> {
                i64::from_param(param).map($t)
            }
        }

        impl UriDisplay<Path> for $t {
            fn fmt(&self, f: &mut Formatter<'_, Path>) -> fmt::Result {
                f.write_value(self.0)
            }
        }

        rocket::http::impl_from_uri_param_identity!([Path] $t);

        impl FromUriParam<Path, i64> for $t {
            type Target = $t;

            fn from_uri_param(id: i64) -> $t {
                $t(id)
            }
        }
    )*};
}

from_request_parts!(
    SaleId,
    ManufacturerId,
    CartId,
    CategoryId,
    CodeId,
    ImageId,
    InvoiceId,
    MethodId,
    OrderId,
    OrderLineId,
    OutboxId,
    PaymentId,
    PickupId,
    ProductId,
    RefundId,
    SessionId,
    UserId,
    VariantId,
);
