//! Typed ids: each main table's key is its own type, so an order's id can never be passed where
//! a product's is expected. Stored as `BigInt` on both backends, written in JSON and templates
//! as the plain number.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        crate::db::bigint_newtype!($name);

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// An account: a customer, or staff (`users`).
    UserId;
    /// A signed-in session (`sessions`).
    SessionId;
    /// A department (`categories`).
    CategoryId;
    /// A product (`products`).
    ProductId;
    /// One variant of a product, the unit that is sold and stocked (`product_variants`).
    VariantId;
    /// A picture of a product (`product_images`).
    ImageId;
    /// A cart (`carts`).
    CartId;
    /// An order (`orders`).
    OrderId;
    /// A line of an order (`order_lines`).
    OrderLineId;
    /// An invoice or a credit note (`invoices`).
    InvoiceId;
    /// A refund (`refunds`).
    RefundId;
    /// An order's card payment (`payments`).
    PaymentId;
    /// A discount code or automatic promotion (`discount_codes`).
    CodeId;
    /// A delivery method (`shipping_methods`).
    MethodId;
    /// A sale: reduced prices for a time (`sales`).
    SaleId;
    /// A manufacturer or a person responsible for one in the Union (`manufacturers`).
    ManufacturerId;
    /// A pickup location (`pickup_points`).
    PickupId;
    /// A queued email (`email_outbox`).
    OutboxId;
}
