//! The shop's legal pages (legal notice, terms of sale, privacy, delivery and returns,
//! contact): written by admins in Markdown, French and English, every edit a new version kept
//! for good, so the terms a customer accepted stay readable word for word.

pub mod facts;
pub mod markdown;
pub mod model;

use serde::Serialize;

/// The address of the terms of sale as they were at version `label` (what an order accepted).
pub fn terms_path(label: &str) -> String {
    let safe: String = label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    format!("{}?version={safe}", Page::Terms.path())
}

/// One legal page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    LegalNotice,
    Terms,
    Privacy,
    Delivery,
    Contact,
    /// What the shop does for accessibility (European Accessibility Act, directive (EU)
    /// 2019/882; loi n° 2005-102 art. 47 as amended).
    Accessibility,
}

impl Page {
    /// In the footer's order.
    pub const ALL: [Page; 6] = [
        Page::LegalNotice,
        Page::Terms,
        Page::Privacy,
        Page::Delivery,
        Page::Contact,
        Page::Accessibility,
    ];

    /// Its key in the database and in message keys (`legal-<key>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Page::LegalNotice => "legal_notice",
            Page::Terms => "terms",
            Page::Privacy => "privacy",
            Page::Delivery => "delivery",
            Page::Contact => "contact",
            Page::Accessibility => "accessibility",
        }
    }

    /// Its address on the storefront.
    pub fn path(self) -> &'static str {
        match self {
            Page::LegalNotice => "/mentions-legales",
            Page::Terms => "/cgv",
            Page::Privacy => "/privacy",
            Page::Delivery => "/delivery",
            Page::Contact => "/contact",
            Page::Accessibility => "/accessibilite",
        }
    }

    pub fn parse(key: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.as_str() == key)
    }

    pub fn from_path_segment(segment: &str) -> Option<Page> {
        Page::ALL
            .into_iter()
            .find(|p| p.path().trim_start_matches('/') == segment)
    }

    /// The text a fresh shop starts with, in `lang` (`fr` or `en`), its facts as `{{token}}`.
    pub fn default_text(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Page::LegalNotice, "en") => include_str!("defaults/legal_notice.en.md"),
            (Page::LegalNotice, _) => include_str!("defaults/legal_notice.fr.md"),
            (Page::Terms, "en") => include_str!("defaults/terms.en.md"),
            (Page::Terms, _) => include_str!("defaults/terms.fr.md"),
            (Page::Privacy, "en") => include_str!("defaults/privacy.en.md"),
            (Page::Privacy, _) => include_str!("defaults/privacy.fr.md"),
            (Page::Delivery, "en") => include_str!("defaults/delivery.en.md"),
            (Page::Delivery, _) => include_str!("defaults/delivery.fr.md"),
            (Page::Contact, "en") => include_str!("defaults/contact.en.md"),
            (Page::Contact, _) => include_str!("defaults/contact.fr.md"),
            (Page::Accessibility, "en") => include_str!("defaults/accessibility.en.md"),
            (Page::Accessibility, _) => include_str!("defaults/accessibility.fr.md"),
        }
    }
}
