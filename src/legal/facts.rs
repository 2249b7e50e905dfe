//! The facts the legal pages state and the shop already knows: who the seller is, how long a
//! customer has to withdraw, how long an unpaid transfer order waits, where it delivers, its
//! pickup points, how customers pay. A page's text names them as `{{token}}`; they are filled
//! in when a version is published (and a new version is published when they change, see
//! `model::refresh`), so a page never states a fact the settings contradict and an older
//! version stays readable word for word.
//!
//! What only the owner can supply (legal form, capital, registry, publication director,
//! telephone, host, consumer mediator) comes from settings too; while one is missing the page
//! shows "[à compléter …]" and the back-office's "before you open" checklist lists it
//! ([`missing`]).

use diesel::QueryResult;

use crate::config::Settings;
use crate::db::DbConn;
use crate::i18n::Lang;
use crate::shipping::model::table;
use crate::shipping::rates::FLAT_COUNTRIES;
use crate::shipping::zones::Zone;

/// The withdrawal period of code de la consommation art. L221-18, in days.
pub const WITHDRAWAL_DAYS: i64 = 14;

/// The countries the checkout accepts (`address::COUNTRIES`), in the order pages list them.
const COUNTRIES: [&str; 8] = ["FR", "BE", "LU", "MC", "DE", "ES", "IT", "CH"];

/// A fact only the owner can supply: its setting, its token and how the checklist names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerFact {
    pub setting: &'static str,
    pub token: &'static str,
    /// Message key of its label (admin.ftl).
    pub label: &'static str,
}

pub const OWNER_FACTS: [OwnerFact; 7] = [
    OwnerFact {
        setting: "shop_legal_form",
        token: "legal_form",
        label: "field-legal-form",
    },
    OwnerFact {
        setting: "shop_capital",
        token: "capital",
        label: "field-capital",
    },
    OwnerFact {
        setting: "shop_rcs",
        token: "rcs",
        label: "field-rcs",
    },
    OwnerFact {
        setting: "shop_publisher",
        token: "publisher",
        label: "field-publisher",
    },
    OwnerFact {
        setting: "shop_phone",
        token: "phone",
        label: "field-shop-phone",
    },
    OwnerFact {
        setting: "shop_host",
        token: "host",
        label: "field-host",
    },
    OwnerFact {
        setting: "shop_mediator",
        token: "mediator",
        label: "field-mediator",
    },
];

fn owner_value<'s>(s: &'s Settings, fact: &OwnerFact) -> &'s str {
    match fact.setting {
        "shop_legal_form" => &s.shop_legal_form,
        "shop_capital" => &s.shop_capital,
        "shop_rcs" => &s.shop_rcs,
        "shop_publisher" => &s.shop_publisher,
        "shop_phone" => &s.shop_phone,
        "shop_host" => &s.shop_host,
        _ => &s.shop_mediator,
    }
    .trim()
}

/// The owner's facts still missing, for the "before you open" checklist.
pub fn missing(s: &Settings) -> Vec<OwnerFact> {
    OWNER_FACTS
        .into_iter()
        .filter(|f| owner_value(s, f).is_empty())
        .collect()
}

/// Every token a page's text may use, as the editor lists them.
pub const TOKENS: [&str; 19] = [
    "shop_name",
    "legal_name",
    "address",
    "siret",
    "vat_number",
    "email",
    "withdrawal_days",
    "unpaid_cancel_days",
    "delivery_areas",
    "pickup_points",
    "payment_methods",
    "withdrawal_function",
    "legal_form",
    "capital",
    "rcs",
    "publisher",
    "phone",
    "host",
    "mediator",
];

/// Every token's value in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    values: Vec<(&'static str, String)>,
}

impl Facts {
    /// What the settings and the shipping tables say now, in `lang` (two or three queries).
    pub fn gather(c: &mut DbConn, s: &Settings, lang: Lang) -> QueryResult<Facts> {
        let shipping = table(c, false)?;
        let en = lang == Lang::En;
        let todo = |what: &str| {
            if en {
                format!("[to fill in: {what}]")
            } else {
                format!("[à compléter : {what}]")
            }
        };
        // The shop's address for customers, else the one its emails come from.
        let sender = s
            .mail_from
            .rsplit_once('<')
            .map_or(s.mail_from.as_str(), |(_, a)| a.trim_end_matches('>'))
            .trim();
        let email = match s.staff_address() {
            Some(address) => address.to_string(),
            None if sender.contains('@') => sender.to_string(),
            None => todo("email"),
        };
        // Where orders go: the zones the shop's own methods serve, or the flat prices' countries.
        let country = |code: &str| lang.t(&format!("country-{code}"));
        let areas = if shipping.methods.is_empty() {
            let names: Vec<String> = FLAT_COUNTRIES.iter().map(|c| country(c)).collect();
            let france = if en {
                "France (Corsica and overseas included, with a surcharge)"
            } else {
                "France (Corse et outre-mer compris, avec un supplément)"
            };
            std::iter::once(france.to_string())
                .chain(names.into_iter().skip(1))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            let served = |zone: Zone| shipping.methods.iter().any(|m| m.active && m.zone == zone);
            let mut parts = Vec::new();
            let zone_name = |fr: &str, english: &str| {
                if en {
                    english.to_string()
                } else {
                    fr.to_string()
                }
            };
            if served(Zone::Mainland) {
                parts.push(zone_name("France métropolitaine", "Mainland France"));
                parts.push(country("MC"));
            }
            if served(Zone::Corsica) {
                parts.push(zone_name("Corse", "Corsica"));
            }
            if served(Zone::Overseas) {
                parts.push(zone_name("outre-mer", "French overseas territories"));
            }
            for code in COUNTRIES {
                let zone = Zone::of(code, "");
                if matches!(zone, Zone::Eu | Zone::World) && served(zone) {
                    parts.push(country(code));
                }
            }
            parts.join(", ")
        };
        let pickups: Vec<String> = shipping
            .pickups
            .iter()
            .filter(|p| p.active)
            .map(|p| {
                let hours = match p.hours_in(en).trim() {
                    "" => String::new(),
                    hours => format!(" ({hours})"),
                };
                format!(
                    "{}, {}, {} {}{hours}",
                    p.name, p.street, p.postal_code, p.city
                )
            })
            .collect();
        let pickup_points = if pickups.is_empty() {
            format!("{}, {}", s.shop_legal_name, s.shop_address)
        } else {
            pickups.join(" ; ")
        };
        let mut methods = Vec::new();
        if s.cards_configured() {
            methods.push(if en { "bank card" } else { "carte bancaire" });
        }
        methods.push(if en {
            "bank transfer"
        } else {
            "virement bancaire"
        });
        methods.push(if en {
            "payment on collection, for an order picked up"
        } else {
            "paiement sur place, pour une commande retirée"
        });
        let mut values = vec![
            ("shop_name", s.shop_name.clone()),
            ("legal_name", s.shop_legal_name.clone()),
            ("address", s.shop_address.clone()),
            ("siret", s.shop_siret.clone()),
            ("vat_number", s.shop_vat_number.clone()),
            ("email", email),
            ("withdrawal_days", WITHDRAWAL_DAYS.to_string()),
            ("unpaid_cancel_days", s.unpaid_cancel_days.to_string()),
            ("delivery_areas", areas),
            ("pickup_points", pickup_points),
            ("payment_methods", methods.join(", ")),
            (
                "withdrawal_function",
                format!("{}/retractation", s.base_url.trim_end_matches('/')),
            ),
        ];
        for fact in OWNER_FACTS {
            let value = match owner_value(s, &fact) {
                "" => todo(&lang.t(fact.label).to_lowercase()),
                v => v.to_string(),
            };
            values.push((fact.token, value));
        }
        Ok(Facts { values })
    }

    /// A page's Markdown with every `{{token}}` replaced by its value, escaped as Markdown
    /// text (then rendered and sanitised like the rest of the page: a value can neither add
    /// markup nor a link). An unknown token stays as it is, for the admin to see.
    pub fn fill(&self, markdown: &str) -> String {
        let mut out = String::with_capacity(markdown.len() + 256);
        let mut rest = markdown;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = after[..end].trim();
            match self.values.iter().find(|(k, _)| *k == name) {
                Some((_, value)) => escape_into(&mut out, value),
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// Text as Markdown shows it literally: every ASCII punctuation character escaped (CommonMark
/// allows it before any of them), line breaks made spaces.
fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&'static str, &str)]) -> Facts {
        Facts {
            values: pairs.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        }
    }

    #[test]
    fn tokens_are_filled_escaped_and_unknown_ones_kept() {
        let f = facts(&[("shop_name", "Tom *&* <Jerry>"), ("withdrawal_days", "14")]);
        assert_eq!(
            f.fill("{{shop_name}}: {{ withdrawal_days }} jours, {{nope}} {{"),
            "Tom \\*\\&\\* \\<Jerry\\>: 14 jours, {{nope}} {{"
        );
        // Rendered, a value is text: no markup, no link, whatever it holds.
        let hostile = facts(&[("host", "<script>x</script> [a](javascript:alert(1))")]);
        let html = crate::legal::markdown::render(&hostile.fill("Hébergeur : {{host}}"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<a"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_editor_lists_every_token_the_facts_fill() {
        // The owner's facts follow the shop's own, in OWNER_FACTS order.
        let owner: Vec<&str> = OWNER_FACTS.iter().map(|f| f.token).collect();
        assert_eq!(&TOKENS[12..], owner.as_slice());
        assert_eq!(TOKENS.len(), 12 + OWNER_FACTS.len());
    }

    #[test]
    fn missing_owner_facts_are_listed() {
        let mut s = Settings::default();
        assert_eq!(missing(&s).len(), OWNER_FACTS.len());
        s.shop_mediator = "CM2C".into();
        s.shop_capital = "  ".into();
        let left: Vec<&str> = missing(&s).iter().map(|f| f.token).collect();
        assert!(!left.contains(&"mediator"));
        assert!(left.contains(&"capital"));
    }
}
