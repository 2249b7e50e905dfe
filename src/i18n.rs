//! French and English: the Fluent catalogues, `Lang`, and lookups from Rust code (how a request
//! chooses its language: `site::visitor`).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{FluentLoader, Loader};
use serde::Serialize;
use unic_langid::{langid, LanguageIdentifier};

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the shop speaks; French is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "fr")]
    Fr,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header. The ranges are put in the
    /// order of their weights (`q=0` means "not this one"), then matched by `fluent-langneg`,
    /// which reads only the order.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let range = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0 && !range.is_empty()).then_some((q, range))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        let ordered: Vec<&str> = ranges.iter().map(|(_, r)| *r).collect();
        let requested = fluent_langneg::parse_accepted_languages(&ordered.join(","));
        let available = Lang::ALL.map(Lang::langid);
        fluent_langneg::negotiate_languages(
            &requested,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        )
        .first()
        .and_then(|id| Lang::parse(id.language.as_str()))
    }

    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Fr => langid!("fr"),
            Lang::En => langid!("en"),
        }
    }

    /// A message from the catalogues, for text built in Rust (errors, flashes, emails).
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(&self.langid(), key)
    }

    /// The message, if the catalogues have it.
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.langid(), key)
    }

    /// A form field's label (`field-<name>`, `_` read as `-`), to name it in an error summary.
    pub fn field_label(self, field: &str) -> Option<String> {
        self.try_t(&format!("field-{}", field.replace('_', "-")))
    }

    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }

    /// A message that takes a count (plural forms are chosen by it).
    pub fn t_count(self, key: &str, count: i64) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            HashMap::from([(Cow::Borrowed("count"), FluentValue::from(count))]);
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }
}

/// The words of an invoice or a credit note: French always, as the French tax code wants a
/// French invoice (CGI art. 242 nonies A; a translation may accompany it), with the English
/// wording alongside ("Facture / Invoice") for an English-speaking customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Documents {
    pub english: bool,
}

impl Documents {
    /// For a customer who ordered in `lang`.
    pub fn for_customer(lang: Lang) -> Documents {
        Documents {
            english: lang == Lang::En,
        }
    }

    fn both(self, fr: String, en: impl FnOnce() -> String) -> String {
        if !self.english {
            return fr;
        }
        let en = en();
        if en == fr {
            fr
        } else {
            format!("{fr} / {en}")
        }
    }

    pub fn t(self, key: &str) -> String {
        self.both(Lang::Fr.t(key), || Lang::En.t(key))
    }

    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        self.both(Lang::Fr.t_args(key, args), || Lang::En.t_args(key, args))
    }
}

/// The Tera function `t(key=…, lang=…)` used by every template.
pub fn tera_function() -> FluentLoader<&'static fluent_templates::StaticLoader> {
    FluentLoader::new(&*LOCALES).with_default_lang(langid!("fr"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,fr;q=0.5,en;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(Lang::from_accept_language("fr-CA"), Some(Lang::Fr));
        assert_eq!(
            Lang::from_accept_language("fr;q=0, en-US;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("*"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn lookups_use_the_right_catalogue() {
        assert_ne!(Lang::Fr.t("nav-login"), Lang::En.t("nav-login"));
    }
}
