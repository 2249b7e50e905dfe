//! Pricing a parcel, without the database: a method's bands of weight or basket value, the
//! methods and pickup locations that serve an address, and what a checkout form chose.

use serde::Serialize;

use crate::config::Settings;
use crate::ids::{MethodId, PickupId};
use crate::money::Money;
use crate::shipping::flat::Shipping;
use crate::shipping::zones::Zone;

/// What a method's bands measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The parcel's weight in grams.
    Weight,
    /// The goods' value in cents, after any discount.
    Value,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Weight => "weight",
            Basis::Value => "value",
        }
    }

    pub fn parse(s: &str) -> Option<Basis> {
        match s {
            "weight" => Some(Basis::Weight),
            "value" => Some(Basis::Value),
            _ => None,
        }
    }
}

/// Up to `up_to` (grams or cents) included, this price; `None`: anything above the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    pub up_to: Option<i64>,
    pub price_cents: Money,
}

/// A delivery method of the shop, serving one zone.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub id: MethodId,
    pub name: String,
    pub name_en: String,
    pub zone: Zone,
    pub basis: Basis,
    pub express: bool,
    pub active: bool,
    /// Ascending, an open band (if any) last.
    pub bands: Vec<Band>,
}

impl Method {
    /// Its price for this parcel; `None` when no band covers it (too heavy, too dear).
    pub fn price(&self, weight_grams: i64, goods_cents: Money) -> Option<Money> {
        let measure = match self.basis {
            Basis::Weight => weight_grams,
            Basis::Value => goods_cents.cents(),
        };
        self.bands
            .iter()
            .find(|b| b.up_to.is_none_or(|limit| measure <= limit))
            .map(|b| b.price_cents)
    }
}

/// A place of the shop where customers collect their orders.
#[derive(Debug, Clone, Serialize)]
pub struct Pickup {
    pub id: PickupId,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub hours: String,
    /// The hours in English; empty: the French ones are shown.
    pub hours_en: String,
    pub active: bool,
}

impl Pickup {
    /// Its opening hours in the customer's language (French where English is missing).
    pub fn hours_in(&self, lang_en: bool) -> &str {
        if lang_en {
            crate::text::english_or(&self.hours_en, &self.hours)
        } else {
            &self.hours
        }
    }

    pub fn label(&self) -> String {
        format!(
            "{} — {}, {} {}",
            self.name, self.street, self.postal_code, self.city
        )
    }
}

/// The shop's methods and pickup locations on offer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub methods: Vec<Method>,
    pub pickups: Vec<Pickup>,
}

/// What a checkout form chose, by its code: a flat method of the settings (`standard`,
/// `express`, `pickup`), a method of the shop (`m12`), a pickup location (`p3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Flat(Shipping),
    Method(MethodId),
    Pickup(PickupId),
}

impl Choice {
    pub fn parse(code: &str) -> Option<Choice> {
        if let Some(m) = Shipping::parse(code) {
            return Some(Choice::Flat(m));
        }
        let id = |rest: &str| rest.parse::<i64>().ok().filter(|id| *id > 0);
        match code.split_at_checked(1) {
            Some(("m", rest)) => id(rest).map(|id| Choice::Method(MethodId(id))),
            Some(("p", rest)) => id(rest).map(|id| Choice::Pickup(PickupId(id))),
            _ => None,
        }
    }

    pub fn code(self) -> String {
        match self {
            Choice::Flat(m) => m.as_str().to_string(),
            Choice::Method(id) => format!("m{id}"),
            Choice::Pickup(id) => format!("p{id}"),
        }
    }

    /// Collected at the shop (what paying on pickup needs).
    pub fn is_pickup(self) -> bool {
        matches!(self, Choice::Flat(Shipping::Pickup) | Choice::Pickup(_))
    }
}

/// A way to receive the order, priced for one basket and address.
#[derive(Debug, Clone, Serialize)]
pub struct Offer {
    pub code: String,
    pub kind: Shipping,
    /// The shop's name for it; none for a flat method (named by its kind).
    pub name: Option<String>,
    pub cents: Money,
    /// A pickup location's address and opening hours.
    pub address: Option<String>,
    pub hours: Option<String>,
    #[serde(skip)]
    pub method_id: Option<MethodId>,
    #[serde(skip)]
    pub pickup_id: Option<PickupId>,
}

impl Offer {
    /// How the order names it: the shop's name, with a pickup location's address.
    pub fn label(&self) -> Option<String> {
        match (&self.name, &self.address) {
            (Some(name), Some(address)) => Some(format!("{name} — {address}")),
            (Some(name), None) => Some(name.clone()),
            _ => None,
        }
    }
}

/// The basket and address an offer is priced for.
#[derive(Debug, Clone, Copy)]
pub struct Parcel {
    /// None before an address is typed (product pages): the mainland.
    pub zone: Option<Zone>,
    pub weight_grams: i64,
    /// The goods after any discount; none before a basket (product pages).
    pub goods_cents: Option<Money>,
    /// In a country the flat prices of the settings serve ([`FLAT_COUNTRIES`]), or no
    /// address yet.
    pub flat_country: bool,
}

impl Parcel {
    pub fn to(
        country: Option<&str>,
        postal_code: &str,
        weight_grams: i64,
        goods_cents: Option<Money>,
    ) -> Parcel {
        Parcel {
            zone: country.map(|c| Zone::of(c, postal_code)),
            weight_grams,
            goods_cents,
            flat_country: country.is_none_or(|c| FLAT_COUNTRIES.contains(&c)),
        }
    }
}

/// The countries the flat prices of the settings serve (a shop without methods of its own).
pub const FLAT_COUNTRIES: [&str; 4] = ["FR", "BE", "LU", "MC"];

impl Table {
    /// When `code` names one of the shop's methods for another zone than `zone` (the details
    /// page offers the mainland's first, and the address turned out to be in Corsica or in
    /// Belgium), the kind of delivery it was: the checkout then takes the same kind for `zone`.
    pub fn kind_elsewhere(&self, code: &str, zone: Zone) -> Option<Shipping> {
        let Some(Choice::Method(id)) = Choice::parse(code) else {
            return None;
        };
        let method = self.methods.iter().find(|m| m.id == id)?;
        (method.zone != zone).then_some(if method.express {
            Shipping::Express
        } else {
            Shipping::Standard
        })
    }

    /// Every way to receive this parcel: the shop's methods serving its zone with a band that
    /// covers it (else, for a shop without methods, the flat prices of the settings within
    /// their countries), then each pickup location (else the shop itself). Standard delivery
    /// is free from the settings' threshold.
    pub fn offers(&self, s: &Settings, parcel: Parcel, lang_en: bool) -> Vec<Offer> {
        let zone = parcel.zone.unwrap_or(Zone::Mainland);
        let goods = parcel.goods_cents.unwrap_or(Money::ZERO);
        let free = |kind: Shipping| {
            kind == Shipping::Standard
                && s.free_shipping_from_cents.is_positive()
                && parcel
                    .goods_cents
                    .is_some_and(|g| g >= s.free_shipping_from_cents)
        };
        let mut offers = Vec::new();
        if self.methods.is_empty() {
            if parcel.flat_country {
                for kind in [Shipping::Standard, Shipping::Express] {
                    offers.push(Offer {
                        code: kind.as_str().to_string(),
                        kind,
                        name: None,
                        cents: kind.price(s, parcel.zone, parcel.goods_cents),
                        address: None,
                        hours: None,
                        method_id: None,
                        pickup_id: None,
                    });
                }
            }
        } else {
            for m in self.methods.iter().filter(|m| m.active && m.zone == zone) {
                let Some(price) = m.price(parcel.weight_grams, goods) else {
                    continue;
                };
                let kind = if m.express {
                    Shipping::Express
                } else {
                    Shipping::Standard
                };
                let name = if lang_en && !m.name_en.is_empty() {
                    &m.name_en
                } else {
                    &m.name
                };
                offers.push(Offer {
                    code: Choice::Method(m.id).code(),
                    kind,
                    name: Some(name.clone()),
                    cents: if free(kind) { Money::ZERO } else { price },
                    address: None,
                    hours: None,
                    method_id: Some(m.id),
                    pickup_id: None,
                });
            }
        }
        let pickups: Vec<&Pickup> = self.pickups.iter().filter(|p| p.active).collect();
        if pickups.is_empty() {
            offers.push(Offer {
                code: Shipping::Pickup.as_str().to_string(),
                kind: Shipping::Pickup,
                name: None,
                cents: Money::ZERO,
                address: None,
                hours: None,
                method_id: None,
                pickup_id: None,
            });
        }
        for p in pickups {
            offers.push(Offer {
                code: Choice::Pickup(p.id).code(),
                kind: Shipping::Pickup,
                name: Some(p.name.clone()),
                cents: Money::ZERO,
                address: Some(format!("{}, {} {}", p.street, p.postal_code, p.city)),
                hours: Some(p.hours_in(lang_en).to_string()),
                method_id: None,
                pickup_id: Some(p.id),
            });
        }
        offers
    }

    /// The offer a form chose, if it serves this parcel.
    pub fn chosen(
        &self,
        s: &Settings,
        parcel: Parcel,
        choice: Choice,
        lang_en: bool,
    ) -> Option<Offer> {
        let code = choice.code();
        self.offers(s, parcel, lang_en)
            .into_iter()
            .find(|o| o.code == code)
    }
}

/// Why a method's bands were refused, with the line (from 1) that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BandError {
    pub line: usize,
    pub key: &'static str,
}

/// Heaviest band a weight method may have: 100 kg (parcels stop at 30 kg).
pub const MAX_BAND_GRAMS: i64 = 100_000;
/// Dearest a band may be: 1,000 €.
pub const MAX_BAND_CENTS: i64 = 100_000;
/// Most bands a method may have.
pub const MAX_BANDS: usize = 30;

/// Reads bands as staff type them, one a line: the limit then the price, e.g. `500 6,99`
/// (grams for weight, euros of goods for value), `* 0` for "anything above". Limits must
/// rise, prices be between 0 and 1,000 €, weights at most 100 kg.
pub fn parse_bands(text: &str, basis: Basis) -> Result<Vec<Band>, BandError> {
    let mut bands: Vec<Band> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |key| BandError { line: line_no, key };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(limit), Some(price), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("err-band-shape"));
        };
        if bands.last().is_some_and(|b| b.up_to.is_none()) {
            return Err(err("err-band-after-open"));
        }
        let up_to = match (limit, basis) {
            ("*", _) => None,
            (l, Basis::Weight) => Some(
                l.parse::<i64>()
                    .ok()
                    .filter(|g| (1..=MAX_BAND_GRAMS).contains(g))
                    .ok_or(err("err-band-weight"))?,
            ),
            (l, Basis::Value) => Some(
                crate::money::Money::parse_euros(l)
                    .map(|m| m.cents())
                    .filter(|c| *c > 0 && *c <= 100_000_000)
                    .ok_or(err("err-band-value"))?,
            ),
        };
        let price_cents = Money::parse_euros(price)
            .filter(|c| (0..=MAX_BAND_CENTS).contains(&c.cents()))
            .ok_or(err("err-band-price"))?;
        if let (Some(prev), Some(now)) = (bands.last().and_then(|b| b.up_to), up_to) {
            if now <= prev {
                return Err(err("err-band-order"));
            }
        }
        bands.push(Band { up_to, price_cents });
        if bands.len() > MAX_BANDS {
            return Err(err("err-band-too-many"));
        }
    }
    if bands.is_empty() {
        return Err(BandError {
            line: 1,
            key: "err-band-none",
        });
    }
    Ok(bands)
}

/// Bands as staff typed them, to show a method again.
pub fn bands_text(bands: &[Band], basis: Basis) -> String {
    bands
        .iter()
        .map(|b| {
            let limit = match (b.up_to, basis) {
                (None, _) => "*".to_string(),
                (Some(g), Basis::Weight) => g.to_string(),
                (Some(c), Basis::Value) => crate::money::Money(c).input_value("fr"),
            };
            format!("{limit} {}", b.price_cents.input_value("fr"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colissimo() -> Method {
        Method {
            id: MethodId(1),
            name: "Colissimo".into(),
            name_en: String::new(),
            zone: Zone::Mainland,
            basis: Basis::Weight,
            express: false,
            active: true,
            bands: parse_bands("250 4,99\n500 6,99\n1000 8,10\n2000 9,35", Basis::Weight).unwrap(),
        }
    }

    #[test]
    fn a_parcel_is_priced_by_the_first_band_that_holds_it() {
        let m = colissimo();
        assert_eq!(m.price(1, Money(0)), Some(Money(499)));
        assert_eq!(m.price(250, Money(0)), Some(Money(499)));
        assert_eq!(m.price(251, Money(0)), Some(Money(699)));
        assert_eq!(m.price(2000, Money(0)), Some(Money(935)));
        assert_eq!(m.price(2001, Money(0)), None, "too heavy for this method");
        let by_value = Method {
            basis: Basis::Value,
            bands: parse_bands("49,99 5,90\n* 0", Basis::Value).unwrap(),
            ..colissimo()
        };
        assert_eq!(by_value.price(9_000, Money(4_999)), Some(Money(590)));
        assert_eq!(by_value.price(9_000, Money(5_000)), Some(Money(0)));
    }

    #[test]
    fn bands_refuse_negative_absurd_and_unordered_values_by_line() {
        let e = |t: &str| parse_bands(t, Basis::Weight).unwrap_err();
        assert_eq!(
            e("250 -1"),
            BandError {
                line: 1,
                key: "err-band-price"
            }
        );
        assert_eq!(
            e("-250 4"),
            BandError {
                line: 1,
                key: "err-band-weight"
            }
        );
        assert_eq!(
            e("250 4\n200000 9"),
            BandError {
                line: 2,
                key: "err-band-weight"
            }
        );
        assert_eq!(
            e("500 4\n250 3"),
            BandError {
                line: 2,
                key: "err-band-order"
            }
        );
        assert_eq!(
            e("250 4\n* 9\n900 10"),
            BandError {
                line: 3,
                key: "err-band-after-open"
            }
        );
        assert_eq!(
            e("250 4000"),
            BandError {
                line: 1,
                key: "err-band-price"
            }
        );
        assert_eq!(
            e("250"),
            BandError {
                line: 1,
                key: "err-band-shape"
            }
        );
        assert_eq!(
            e("\n \n"),
            BandError {
                line: 1,
                key: "err-band-none"
            }
        );
        let typed = "250 4,99\n* 12";
        assert_eq!(
            bands_text(&parse_bands(typed, Basis::Weight).unwrap(), Basis::Weight),
            "250 4,99\n* 12,00"
        );
    }

    #[test]
    fn offers_serve_the_zone_and_standard_ones_are_free_from_the_threshold() {
        let settings = Settings {
            free_shipping_from_cents: Money(5_000),
            ..Settings::default()
        };
        let table = Table {
            methods: vec![
                colissimo(),
                Method {
                    id: MethodId(2),
                    name: "Chronopost".into(),
                    express: true,
                    ..colissimo()
                },
                Method {
                    id: MethodId(3),
                    zone: Zone::Eu,
                    ..colissimo()
                },
            ],
            pickups: Vec::new(),
        };
        let codes = |parcel| {
            table
                .offers(&settings, parcel, false)
                .into_iter()
                .map(|o| (o.code, o.cents))
                .collect::<Vec<_>>()
        };
        let lyon = |goods| Parcel::to(Some("FR"), "69003", 600, Some(Money(goods)));
        assert_eq!(
            codes(lyon(4_999)),
            vec![
                ("m1".into(), Money(810)),
                ("m2".into(), Money(810)),
                ("pickup".into(), Money(0))
            ]
        );
        assert_eq!(
            codes(lyon(5_000)),
            vec![
                ("m1".into(), Money(0)),
                ("m2".into(), Money(810)),
                ("pickup".into(), Money(0))
            ],
            "standard is free from the threshold, express is not"
        );
        let berlin = Parcel::to(Some("DE"), "10115", 600, Some(Money(1_000)));
        assert_eq!(
            codes(berlin),
            vec![("m3".into(), Money(810)), ("pickup".into(), Money(0))]
        );
        // A shop without methods: the flat prices, in their four countries only.
        let flat = Table::default();
        let kinds = |parcel| flat.offers(&settings, parcel, false).len();
        assert_eq!(
            kinds(Parcel::to(Some("BE"), "1000", 600, Some(Money(1_000)))),
            3
        );
        assert_eq!(kinds(berlin), 1, "only collecting");
    }

    #[test]
    fn choices_read_back_what_they_write() {
        for c in [
            Choice::Flat(Shipping::Express),
            Choice::Method(MethodId(12)),
            Choice::Pickup(PickupId(3)),
        ] {
            assert_eq!(Choice::parse(&c.code()), Some(c));
        }
        assert_eq!(Choice::parse("m"), None);
        assert_eq!(Choice::parse("m-1"), None);
        assert_eq!(Choice::parse("drone"), None);
        assert!(
            Choice::Pickup(PickupId(3)).is_pickup() && !Choice::Method(MethodId(3)).is_pickup()
        );
    }
}
