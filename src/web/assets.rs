//! Templates and static files, embedded in release builds (rust-embed reads the folders from
//! disk in debug builds, so edits show without a rebuild).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use rocket::fairing::Fairing;
use rocket::http::{ContentType, Header};
use rocket::Responder;
use rocket_dyn_templates::Template;
use tera::{Tera, Value};

use super::i18n;
use chrono_tz::Tz;

use crate::money::{Money, VatRate};

#[derive(rust_embed::Embed)]
#[folder = "static/"]
pub struct StaticFiles;

#[derive(rust_embed::Embed)]
#[folder = "templates/"]
pub struct TemplateFiles;

const PAGE_SUFFIX: &str = ".html.tera";

/// Every page template, named as handlers render it (`shop/home` for `shop/home.html.tera`).
pub fn page_templates() -> Vec<(String, String)> {
    TemplateFiles::iter()
        .filter_map(|path| {
            let name = path.strip_suffix(PAGE_SUFFIX)?.to_string();
            let file = TemplateFiles::get(&path)?;
            Some((name, String::from_utf8_lossy(&file.data).into_owned()))
        })
        .collect()
}

/// The Tera set-up shared by pages: embedded templates, `t()` for translations, money filters,
/// and autoescaping for every template (they are all HTML).
pub fn configure_tera(tera: &mut Tera, zone: Tz) -> tera::Result<()> {
    tera.autoescape_on(vec![""]);
    tera.add_raw_templates(page_templates())?;
    register_helpers(tera, zone);
    Ok(())
}

/// What pages and emails share: `t()` for translations, the money filters, and `local` for
/// times in the shop's zone.
pub fn register_helpers(tera: &mut Tera, zone: Tz) {
    tera.register_function("t", i18n::tera_function());
    tera.register_filter("money", money_filter);
    tera.register_filter("vat", vat_filter);
    tera.register_filter("local", LocalTime(zone));
}

pub fn templates(zone: Tz) -> impl Fairing {
    Template::try_custom(move |engines| {
        configure_tera(&mut engines.tera, zone)?;
        Ok(())
    })
}

/// `{{ order.created_at | local(format="%d/%m/%Y %H:%M") }}`: a time stored in UTC, written
/// in the shop's time zone (summer time included).
struct LocalTime(Tz);

impl tera::Filter for LocalTime {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("local expects a time"))?;
        let utc = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|e| tera::Error::msg(format!("local: {text:?}: {e}")))?;
        let format = args
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or("%d/%m/%Y %H:%M");
        let local = chrono::TimeZone::from_utc_datetime(&self.0, &utc);
        Ok(Value::String(local.format(format).to_string()))
    }
}

fn lang_arg(args: &HashMap<String, Value>) -> &str {
    args.get("lang").and_then(Value::as_str).unwrap_or("fr")
}

/// `{{ cents | money(lang=lang) }}`
fn money_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let cents = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("money expects integer cents"))?;
    Ok(Value::String(Money(cents).format(lang_arg(args))))
}

/// `{{ basis_points | vat(lang=lang) }}`
fn vat_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    // No VAT at all (the VAT franchise): "0 %".
    if value.as_i64() == Some(0) {
        let zero = if lang_arg(args).starts_with("en") {
            "0%"
        } else {
            "0\u{a0}%"
        };
        return Ok(Value::String(zero.into()));
    }
    let rate = value
        .as_i64()
        .and_then(|bp| VatRate::from_basis_points(i32::try_from(bp).ok()?))
        .ok_or_else(|| tera::Error::msg("vat expects a French rate in basis points"))?;
    Ok(Value::String(rate.label(lang_arg(args))))
}

#[derive(Responder)]
pub struct Asset {
    body: Cow<'static, [u8]>,
    content_type: ContentType,
    cache: Header<'static>,
}

#[rocket::get("/static/<path..>")]
pub fn static_file(path: PathBuf) -> Option<Asset> {
    let name = path.to_str()?;
    let file = StaticFiles::get(name)?;
    let content_type = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ContentType::from_extension)
        .unwrap_or(ContentType::Binary);
    let cache = if cfg!(debug_assertions) {
        "no-cache"
    } else {
        "public, max-age=86400"
    };
    Some(Asset {
        body: file.data,
        content_type,
        cache: Header::new("Cache-Control", cache),
    })
}
