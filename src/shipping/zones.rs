//! The zones a parcel goes to, from the address: mainland France, Corsica, the overseas
//! departments and collectivities, the other EU countries, elsewhere.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    Mainland,
    Corsica,
    Overseas,
    Eu,
    World,
}

/// The EU's members other than France (ISO 3166 codes).
const EU: [&str; 26] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

impl Zone {
    pub const ALL: [Zone; 5] = [
        Zone::Mainland,
        Zone::Corsica,
        Zone::Overseas,
        Zone::Eu,
        Zone::World,
    ];

    /// The zone of an address. Monaco is priced as the mainland, as La Poste does; a French
    /// postal code says Corsica (20xxx) or overseas (97xxx, 98xxx).
    pub fn of(country: &str, postal_code: &str) -> Zone {
        match country {
            "FR" => match postal_code.get(..2) {
                Some("20") => Zone::Corsica,
                Some("97") | Some("98") => Zone::Overseas,
                _ => Zone::Mainland,
            },
            "MC" => Zone::Mainland,
            c if EU.contains(&c) => Zone::Eu,
            _ => Zone::World,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Mainland => "mainland",
            Zone::Corsica => "corsica",
            Zone::Overseas => "overseas",
            Zone::Eu => "eu",
            Zone::World => "world",
        }
    }

    pub fn parse(s: &str) -> Option<Zone> {
        Zone::ALL.into_iter().find(|z| z.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_fall_in_their_zone() {
        assert_eq!(Zone::of("FR", "69003"), Zone::Mainland);
        assert_eq!(Zone::of("FR", "20000"), Zone::Corsica);
        assert_eq!(Zone::of("FR", "20290"), Zone::Corsica);
        assert_eq!(Zone::of("FR", "97400"), Zone::Overseas);
        assert_eq!(Zone::of("FR", "98800"), Zone::Overseas);
        assert_eq!(Zone::of("MC", "98000"), Zone::Mainland);
        assert_eq!(Zone::of("BE", "2000"), Zone::Eu);
        assert_eq!(Zone::of("DE", "10115"), Zone::Eu);
        assert_eq!(Zone::of("CH", "1200"), Zone::World);
        for z in Zone::ALL {
            assert_eq!(Zone::parse(z.as_str()), Some(z));
        }
    }
}
