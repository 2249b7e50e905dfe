//! A product's net quantity and the unit price shown beside its price (arrêté du 16 novembre
//! 1999 relatif à l'information du consommateur sur les prix, art. 5 and 7: pre-packaged goods
//! sold by quantity show their price per kilogram or per litre; goods sold by the piece, per
//! piece). Kept in grams, millilitres or pieces; typed and shown in the unit customers read
//! ("250 g", "1,5 kg", "50 cl").

use serde::Serialize;

use crate::money::Money;

/// What a net quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetUnit {
    Gram,
    Millilitre,
    Piece,
}

impl NetUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            NetUnit::Gram => "g",
            NetUnit::Millilitre => "ml",
            NetUnit::Piece => "piece",
        }
    }

    pub fn parse(s: &str) -> Option<NetUnit> {
        match s {
            "g" => Some(NetUnit::Gram),
            "ml" => Some(NetUnit::Millilitre),
            "piece" => Some(NetUnit::Piece),
            _ => None,
        }
    }
}

/// The units a form offers, with how many stored units each is.
pub const TYPED_UNITS: [(&str, NetUnit, i64); 6] = [
    ("g", NetUnit::Gram, 1),
    ("kg", NetUnit::Gram, 1000),
    ("ml", NetUnit::Millilitre, 1),
    ("cl", NetUnit::Millilitre, 10),
    ("l", NetUnit::Millilitre, 1000),
    ("piece", NetUnit::Piece, 1),
];

/// Most stored units a product may hold (a 1,000 kg pallet).
const MAX: i64 = 1_000_000;

/// A typed quantity that is not one: no unit, not a positive number, too precise or too big.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a net quantity")]
pub struct BadQuantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NetQuantity {
    pub amount: i32,
    pub unit: NetUnit,
}

/// The price per kilogram, litre or piece, rounded to the cent once (half up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnitPrice {
    pub cents: Money,
    /// `kg`, `l` or `piece`.
    pub per: &'static str,
}

impl NetQuantity {
    /// From the stored columns.
    pub fn of(amount: Option<i32>, unit: Option<&str>) -> Option<NetQuantity> {
        Some(NetQuantity {
            amount: amount.filter(|a| *a > 0)?,
            unit: NetUnit::parse(unit?)?,
        })
    }

    /// As typed in a form: an amount ("1,5", "250") and one of [`TYPED_UNITS`]; both empty is
    /// none; anything else wrong is an error.
    pub fn parse(amount: &str, unit: &str) -> Result<Option<NetQuantity>, BadQuantity> {
        let (amount, unit) = (amount.trim(), unit.trim());
        if amount.is_empty() && unit.is_empty() {
            return Ok(None);
        }
        let (_, stored, factor) = TYPED_UNITS
            .iter()
            .find(|(name, _, _)| *name == unit)
            .ok_or(BadQuantity)?;
        // Up to three decimals ("1,125 kg"): read as thousandths.
        let (whole, fraction) = amount
            .replace(',', ".")
            .split_once('.')
            .map(|(w, f)| (w.to_string(), f.to_string()))
            .unwrap_or_else(|| (amount.to_string(), String::new()));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 3
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 7
        {
            return Err(BadQuantity);
        }
        let thousandths = whole.parse::<i64>().map_err(|_| BadQuantity)? * 1000
            + format!("{fraction:0<3}")
                .parse::<i64>()
                .map_err(|_| BadQuantity)?;
        let scaled = thousandths * factor;
        if scaled % 1000 != 0 {
            return Err(BadQuantity);
        }
        let value = scaled / 1000;
        if !(1..=MAX).contains(&value) {
            return Err(BadQuantity);
        }
        Ok(Some(NetQuantity {
            amount: value as i32,
            unit: *stored,
        }))
    }

    /// The form's values for it: the amount in the unit it reads best in, and that unit.
    pub fn input(&self) -> (String, &'static str) {
        let (value, unit) = self.best();
        (value.replace(',', "."), unit)
    }

    /// "250 g", "1,5 kg", "50 cl", "1 l", "6" (pieces are said by the caller).
    pub fn label(&self, lang: &str) -> String {
        let (value, unit) = self.best();
        let value = if lang == "en" {
            value.replace(',', ".")
        } else {
            value
        };
        match self.unit {
            NetUnit::Piece => value,
            _ => format!("{value}\u{a0}{unit}"),
        }
    }

    fn best(&self) -> (String, &'static str) {
        let a = i64::from(self.amount);
        let decimal = |n: i64, per: i64| {
            let whole = n / per;
            let rest = n % per;
            if rest == 0 {
                whole.to_string()
            } else {
                let digits = per.to_string().len() - 1;
                let fraction = format!("{rest:0digits$}");
                format!("{whole},{}", fraction.trim_end_matches('0'))
            }
        };
        match self.unit {
            NetUnit::Gram if a >= 1000 => (decimal(a, 1000), "kg"),
            NetUnit::Gram => (a.to_string(), "g"),
            NetUnit::Millilitre if a >= 1000 => (decimal(a, 1000), "l"),
            NetUnit::Millilitre if a % 10 == 0 => ((a / 10).to_string(), "cl"),
            NetUnit::Millilitre => (a.to_string(), "ml"),
            NetUnit::Piece => (a.to_string(), "piece"),
        }
    }

    /// What one kilogram, litre or piece costs at `price`.
    pub fn unit_price(&self, price: Money) -> UnitPrice {
        let (per_units, per) = match self.unit {
            NetUnit::Gram => (1000, "kg"),
            NetUnit::Millilitre => (1000, "l"),
            NetUnit::Piece => (1, "piece"),
        };
        let amount = i64::from(self.amount);
        let cents = (price.cents() * per_units * 2 + amount) / (2 * amount);
        UnitPrice {
            cents: Money(cents),
            per,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(amount: &str, unit: &str) -> Option<NetQuantity> {
        NetQuantity::parse(amount, unit).unwrap()
    }

    #[test]
    fn typed_quantities_are_kept_in_grams_millilitres_or_pieces() {
        assert_eq!(q("250", "g").unwrap().amount, 250);
        assert_eq!(q("1,5", "kg").unwrap().amount, 1500);
        assert_eq!(q("50", "cl").unwrap(), q("500", "ml").unwrap());
        assert_eq!(q("0.75", "l").unwrap().amount, 750);
        assert_eq!(q("6", "piece").unwrap().unit, NetUnit::Piece);
        assert_eq!(q("", ""), None);
        for (amount, unit) in [
            ("250", ""),
            ("", "g"),
            ("-3", "g"),
            ("0", "kg"),
            ("1,5", "g"),
            ("abc", "kg"),
            ("2", "lb"),
            ("5000", "kg"),
        ] {
            assert!(NetQuantity::parse(amount, unit).is_err(), "{amount} {unit}");
        }
    }

    #[test]
    fn quantities_read_in_the_unit_customers_expect() {
        assert_eq!(q("250", "g").unwrap().label("fr"), "250\u{a0}g");
        assert_eq!(q("1500", "g").unwrap().label("fr"), "1,5\u{a0}kg");
        assert_eq!(q("1500", "g").unwrap().label("en"), "1.5\u{a0}kg");
        assert_eq!(q("500", "ml").unwrap().label("fr"), "50\u{a0}cl");
        assert_eq!(q("1", "l").unwrap().label("fr"), "1\u{a0}l");
        assert_eq!(q("1,125", "kg").unwrap().input(), ("1.125".into(), "kg"));
    }

    #[test]
    fn the_unit_price_is_rounded_to_the_cent_once() {
        // 18,90 € for 50 cl: 37,80 € a litre.
        let oil = q("50", "cl").unwrap().unit_price(Money(1890));
        assert_eq!((oil.cents, oil.per), (Money(3780), "l"));
        // 6,90 € for 250 g: 27,60 € a kilogram; 4,50 € for 210 g: 21,428… → 21,43 €.
        assert_eq!(
            q("250", "g").unwrap().unit_price(Money(690)).cents,
            Money(2760)
        );
        assert_eq!(
            q("210", "g").unwrap().unit_price(Money(450)).cents,
            Money(2143)
        );
        assert_eq!(
            q("3", "piece").unwrap().unit_price(Money(1000)).cents,
            Money(333)
        );
    }
}
