//! Email templates: each email is a folder `templates/email/<name>/` holding `subject`,
//! `body.txt` and `body.html` (Tera, with `t()` and the money filters like pages).

use serde::Serialize;
use tera::{Context, Tera};

use super::Email;
use crate::web::assets::{register_helpers, TemplateFiles};
use crate::web::i18n::Lang;

pub struct MailTemplates {
    tera: Tera,
}

impl MailTemplates {
    pub fn load(zone: chrono_tz::Tz) -> tera::Result<MailTemplates> {
        let mut tera = Tera::default();
        // Only the HTML part is escaped; subject and text are plain text.
        tera.autoescape_on(vec![".html"]);
        let files: Vec<(String, String)> = TemplateFiles::iter()
            .filter(|p| p.starts_with("email/") && !p.ends_with(".tera"))
            .filter_map(|p| {
                let file = TemplateFiles::get(&p)?;
                Some((
                    p.to_string(),
                    String::from_utf8_lossy(&file.data).into_owned(),
                ))
            })
            .collect();
        tera.add_raw_templates(files)?;
        register_helpers(&mut tera, zone);
        Ok(MailTemplates { tera })
    }

    /// Renders `email/<name>/…` for one recipient in their language.
    pub fn render<T: Serialize>(
        &self,
        name: &str,
        to: &str,
        lang: Lang,
        data: &T,
    ) -> tera::Result<Email> {
        let mut ctx = Context::from_serialize(data)?;
        ctx.insert("lang", lang.code());
        let part = |file: &str| self.tera.render(&format!("email/{name}/{file}"), &ctx);
        Ok(Email {
            to: to.to_string(),
            subject: part("subject")?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            text: part("body.txt")?,
            html: part("body.html")?,
        })
    }
}
