//! The flat ways to receive an order that the shop's settings price (standard, express, at the
//! shop), for a shop without delivery methods of its own; and what Corsica and overseas add.

use serde::Serialize;

use crate::config::Settings;
use crate::db::text_enum;
use crate::money::Money;
use crate::shipping::Zone;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Shipping {
    Standard,
    Express,
    Pickup,
}

impl Shipping {
    pub const ALL: [Shipping; 3] = [Shipping::Standard, Shipping::Express, Shipping::Pickup];

    pub fn as_str(self) -> &'static str {
        match self {
            Shipping::Standard => "standard",
            Shipping::Express => "express",
            Shipping::Pickup => "pickup",
        }
    }

    pub fn parse(s: &str) -> Option<Shipping> {
        Shipping::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// What it costs, tax included, with the shop's settings, to an address in `zone` (a
    /// French address; `None` elsewhere, priced as the mainland). Collecting at the shop is
    /// free wherever the customer lives.
    /// `goods_cents` (after any discount) makes standard delivery free from the shop's
    /// threshold; `None` prices it as if below (pages that show prices before a basket).
    pub fn price(self, s: &Settings, zone: Option<Zone>, goods_cents: Option<Money>) -> Money {
        let free_from = s.free_shipping_from_cents;
        if self == Shipping::Standard
            && free_from.is_positive()
            && goods_cents.is_some_and(|g| g >= free_from)
        {
            return Money::ZERO;
        }
        let base = match self {
            Shipping::Standard => s.shipping_standard_cents,
            Shipping::Express => s.shipping_express_cents,
            Shipping::Pickup => return Money::ZERO,
        };
        base + match zone {
            Some(Zone::Corsica) => s.shipping_corsica_extra_cents,
            Some(Zone::Overseas) => s.shipping_overseas_extra_cents,
            Some(Zone::Mainland) | Some(Zone::Eu) | Some(Zone::World) | None => Money::ZERO,
        }
    }

    /// Every method with its price to `zone`, as the checkout, the product pages and the footer
    /// show them (each method's label says its delivery time).
    pub fn choices(
        s: &Settings,
        zone: Option<Zone>,
        goods_cents: Option<Money>,
    ) -> Vec<ShippingChoice> {
        Shipping::ALL
            .iter()
            .map(|m| ShippingChoice {
                code: m.as_str(),
                cents: m.price(s, zone, goods_cents),
            })
            .collect()
    }
}

/// What delivery to Corsica and overseas adds, shown beside the mainland prices.
#[derive(Debug, Clone, Serialize)]
pub struct ShippingExtras {
    pub corsica_cents: Money,
    pub overseas_cents: Money,
}

impl ShippingExtras {
    pub fn of(s: &Settings) -> ShippingExtras {
        ShippingExtras {
            corsica_cents: s.shipping_corsica_extra_cents,
            overseas_cents: s.shipping_overseas_extra_cents,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ShippingChoice {
    pub code: &'static str,
    pub cents: Money,
}

text_enum!(Shipping);
