//! All Diesel code for `legal_versions`: the version in force of each page, any earlier one by
//! its label, publishing a new one, and the texts a fresh shop starts with.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::config::Settings;
use crate::db::schema::legal_versions;
use crate::db::{is_unique_violation, now, DbConn};
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::legal::facts::Facts;
use crate::legal::{markdown, Page};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = legal_versions)]
pub struct LegalVersion {
    pub id: i64,
    pub page: String,
    pub version: i32,
    /// How orders and pages name it (`2026-11`, `2026-12-03`, `2026-12-03.2`).
    pub label: String,
    pub title_fr: String,
    pub body_fr: String,
    pub html_fr: String,
    pub title_en: String,
    pub body_en: String,
    pub html_en: String,
    pub actor_id: Option<UserId>,
    pub created_at: NaiveDateTime,
}

impl LegalVersion {
    pub fn title(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.title_en
        } else {
            &self.title_fr
        }
    }

    /// Sanitised when it was published.
    pub fn html(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.html_en
        } else {
            &self.html_fr
        }
    }
}

/// A page's text as an admin writes it, in both languages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Draft {
    pub title_fr: String,
    pub body_fr: String,
    pub title_en: String,
    pub body_en: String,
}

/// One line of a page's history.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct VersionSummary {
    pub version: i32,
    pub label: String,
    pub created_at: NaiveDateTime,
}

/// The version in force: the latest.
pub fn current(c: &mut DbConn, page: Page) -> QueryResult<Option<LegalVersion>> {
    legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .order(legal_versions::version.desc())
        .select(LegalVersion::as_select())
        .first(c)
        .optional()
}

/// The label of the terms of sale in force (what a customer accepts at the order button);
/// `fallback` (the configured `terms_version`) before any version exists.
pub fn terms_label(c: &mut DbConn, fallback: &str) -> QueryResult<String> {
    let label: Option<String> = legal_versions::table
        .filter(legal_versions::page.eq(Page::Terms.as_str()))
        .order(legal_versions::version.desc())
        .select(legal_versions::label)
        .first(c)
        .optional()?;
    Ok(label.unwrap_or_else(|| fallback.to_string()))
}

pub fn by_label(c: &mut DbConn, page: Page, label: &str) -> QueryResult<Option<LegalVersion>> {
    legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .filter(legal_versions::label.eq(label))
        .select(LegalVersion::as_select())
        .first(c)
        .optional()
}

/// Every version of a page, newest first.
pub fn history(c: &mut DbConn, page: Page) -> QueryResult<Vec<VersionSummary>> {
    legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .order(legal_versions::version.desc())
        .select((
            legal_versions::version,
            legal_versions::label,
            legal_versions::created_at,
        ))
        .load(c)
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Another admin published this page at the same moment.
    #[error("published meanwhile")]
    Conflict,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Publishes a new version of `page` (call inside a write transaction): numbered after the
/// last one, labelled by its date (`2026-12-03`, then `2026-12-03.2` the same day), Markdown
/// rendered and sanitised once here with the shop's facts filled in (`facts`), the edit
/// audited.
pub fn publish(
    c: &mut DbConn,
    s: &Settings,
    page: Page,
    draft: &Draft,
    actor: Option<UserId>,
) -> Result<LegalVersion, PublishError> {
    let rendered = Rendered::of(c, s, draft)?;
    publish_rendered(c, page, draft, &rendered, actor)
}

/// A draft's HTML in both languages, facts filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rendered {
    html_fr: String,
    html_en: String,
}

impl Rendered {
    fn of(c: &mut DbConn, s: &Settings, draft: &Draft) -> QueryResult<Rendered> {
        let (fr, en) = (
            Facts::gather(c, s, Lang::Fr)?,
            Facts::gather(c, s, Lang::En)?,
        );
        Ok(Rendered {
            html_fr: markdown::render(&fr.fill(&draft.body_fr)),
            html_en: markdown::render(&en.fill(&draft.body_en)),
        })
    }
}

fn publish_rendered(
    c: &mut DbConn,
    page: Page,
    draft: &Draft,
    rendered: &Rendered,
    actor: Option<UserId>,
) -> Result<LegalVersion, PublishError> {
    let last: Option<(i32, String)> = legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .order(legal_versions::version.desc())
        .select((legal_versions::version, legal_versions::label))
        .first(c)
        .optional()?;
    let created_at = now();
    let day = created_at.format("%Y-%m-%d").to_string();
    let same_day: i64 = legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .filter(legal_versions::label.like(format!("{day}%")))
        .count()
        .get_result(c)?;
    let label = if same_day == 0 {
        day
    } else {
        format!("{day}.{}", same_day + 1)
    };
    let version = last.map_or(1, |(v, _)| v + 1);
    let slot = Slot {
        page,
        version,
        label: &label,
        created_at,
    };
    insert(c, slot, draft, rendered, actor)?;
    audit::Change::new(actor, "legal.publish", "legal_page")
        .after(&serde_json::json!({
            "page": page.as_str(),
            "version": version,
            "label": label,
        }))
        .record(c)?;
    Ok(by_label(c, page, &label)?.ok_or(diesel::result::Error::NotFound)?)
}

/// Where a new version goes: its page, number, label and time.
struct Slot<'a> {
    page: Page,
    version: i32,
    label: &'a str,
    created_at: NaiveDateTime,
}

fn insert(
    c: &mut DbConn,
    slot: Slot<'_>,
    draft: &Draft,
    rendered: &Rendered,
    actor: Option<UserId>,
) -> Result<(), PublishError> {
    let Slot {
        page,
        version,
        label,
        created_at,
    } = slot;
    // In a savepoint: on PostgreSQL a failed insert would spoil the caller's transaction.
    let inserted = c.transaction(|c| {
        diesel::insert_into(legal_versions::table)
            .values((
                legal_versions::page.eq(page.as_str()),
                legal_versions::version.eq(version),
                legal_versions::label.eq(label),
                legal_versions::title_fr.eq(draft.title_fr.trim()),
                legal_versions::body_fr.eq(&draft.body_fr),
                legal_versions::html_fr.eq(&rendered.html_fr),
                legal_versions::title_en.eq(draft.title_en.trim()),
                legal_versions::body_en.eq(&draft.body_en),
                legal_versions::html_en.eq(&rendered.html_en),
                legal_versions::actor_id.eq(actor),
                legal_versions::created_at.eq(created_at),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(PublishError::Conflict),
        Err(e) => Err(e.into()),
    }
}

/// The text a fresh shop starts with: the built-in templates, whose facts (`{{token}}`) are
/// filled in when published.
pub fn default_draft(page: Page) -> Draft {
    let (title_fr, title_en) = match page {
        Page::LegalNotice => ("Mentions légales", "Legal notice"),
        Page::Terms => ("Conditions générales de vente", "Terms of sale"),
        Page::Privacy => ("Politique de confidentialité", "Privacy policy"),
        Page::Delivery => ("Livraison et retours", "Delivery and returns"),
        Page::Contact => ("Contact", "Contact"),
        Page::Accessibility => ("Accessibilité", "Accessibility"),
    };
    Draft {
        title_fr: title_fr.into(),
        body_fr: page.default_text("fr").into(),
        title_en: title_en.into(),
        body_en: page.default_text("en").into(),
    }
}

/// Gives every page without a version its first one, from the built-in templates (at start-up;
/// the terms take the label orders already carry, `terms_version`); a page no admin ever
/// edited gets the current built-in text (how a shop receives the texts of a new law); then
/// [`refresh`]. Returns how many versions were written.
pub fn ensure_defaults(c: &mut DbConn, s: &Settings) -> QueryResult<usize> {
    let mut created = 0;
    for page in Page::ALL {
        let draft = default_draft(page);
        let written = match current(c, page)? {
            None => {
                let label = match page {
                    Page::Terms => s.terms_version.clone(),
                    _ => now().format("%Y-%m-%d").to_string(),
                };
                let rendered = Rendered::of(c, s, &draft)?;
                let slot = Slot {
                    page,
                    version: 1,
                    label: &label,
                    created_at: now(),
                };
                insert(c, slot, &draft, &rendered, None).map(|_| true)
            }
            Some(v) if v.body_fr != draft.body_fr || v.body_en != draft.body_en => {
                if edited_by_staff(c, page)? {
                    continue;
                }
                publish(c, s, page, &draft, None).map(|_| true)
            }
            Some(_) => continue,
        };
        match written {
            Ok(_) => created += 1,
            // Another instance starting at the same moment wrote it.
            Err(PublishError::Conflict) => {}
            Err(PublishError::Db(e)) => return Err(e),
        }
    }
    Ok(created + refresh(c, s)?)
}

/// Whether an admin ever published a version of `page`.
fn edited_by_staff(c: &mut DbConn, page: Page) -> QueryResult<bool> {
    let edits: i64 = legal_versions::table
        .filter(legal_versions::page.eq(page.as_str()))
        .filter(legal_versions::actor_id.is_not_null())
        .count()
        .get_result(c)?;
    Ok(edits > 0)
}

/// Publishes again, unchanged in its words, each page whose facts changed (the settings, the
/// pickup points or the delivery methods moved), so the version in force states them as they
/// are and the earlier ones stay as customers read them. Returns how many.
pub fn refresh(c: &mut DbConn, s: &Settings) -> QueryResult<usize> {
    let (fr, en) = (
        Facts::gather(c, s, Lang::Fr)?,
        Facts::gather(c, s, Lang::En)?,
    );
    let mut published = 0;
    for page in Page::ALL {
        let Some(v) = current(c, page)? else {
            continue;
        };
        let rendered = Rendered {
            html_fr: markdown::render(&fr.fill(&v.body_fr)),
            html_en: markdown::render(&en.fill(&v.body_en)),
        };
        if rendered.html_fr == v.html_fr && rendered.html_en == v.html_en {
            continue;
        }
        let draft = Draft {
            title_fr: v.title_fr,
            body_fr: v.body_fr,
            title_en: v.title_en,
            body_en: v.body_en,
        };
        match publish_rendered(c, page, &draft, &rendered, None) {
            Ok(_) => published += 1,
            Err(PublishError::Conflict) => {}
            Err(PublishError::Db(e)) => return Err(e),
        }
    }
    Ok(published)
}
