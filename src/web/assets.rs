//! Templates and static files, embedded in release builds (rust-embed reads the folders from
//! disk in debug builds, so edits show without a rebuild).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use rocket::fairing::Fairing;
use rocket::http::{ContentType, Header};
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
    tera.register_function("asset", asset_function);
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

pub struct Asset {
    body: Cow<'static, [u8]>,
    content_type: ContentType,
    cache: &'static str,
    gzip: bool,
}

impl<'r> rocket::response::Responder<'r, 'static> for Asset {
    fn respond_to(self, _: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let mut response = rocket::Response::build();
        response
            .header(self.content_type)
            .header(Header::new("Cache-Control", self.cache))
            .header(Header::new("Vary", "Accept-Encoding"));
        if self.gzip {
            response.header(Header::new("Content-Encoding", "gzip"));
        }
        let body = self.body;
        response.sized_body(body.len(), std::io::Cursor::new(body));
        Ok(response.finalize())
    }
}

/// The version a static file's address carries: the start of its SHA-256, so an address is
/// never reused for other contents and browsers may keep it for a year.
fn version_of(name: &str) -> Option<String> {
    let file = StaticFiles::get(name)?;
    Some(
        file.metadata.sha256_hash()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// `{{ asset(path="css/shop.css") }}`: the file's address with its version.
fn asset_function(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let path = args
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg("asset expects a path"))?;
    let version =
        version_of(path).ok_or_else(|| tera::Error::msg(format!("no static file {path}")))?;
    Ok(Value::String(format!("/static/{path}?v={version}")))
}

/// Text files, compressed once with gzip on first request (they are small: the style sheet,
/// scripts, the icon).
fn gzipped(name: &str, data: &[u8]) -> Option<Cow<'static, [u8]>> {
    use std::io::Write as _;
    use std::sync::{Mutex, OnceLock};
    static DONE: OnceLock<Mutex<HashMap<String, &'static [u8]>>> = OnceLock::new();
    let done = DONE.get_or_init(Default::default);
    if let Some(bytes) = done.lock().ok()?.get(name) {
        return Some(Cow::Borrowed(*bytes));
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).ok()?;
    // Leaked once per embedded file: they live as long as the binary, like the files.
    let bytes: &'static [u8] = Box::leak(encoder.finish().ok()?.into_boxed_slice());
    done.lock().ok()?.insert(name.to_string(), bytes);
    Some(Cow::Borrowed(bytes))
}

/// Whether the browser takes gzip (`Accept-Encoding`).
pub struct AcceptsGzip(bool);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for AcceptsGzip {
    type Error = std::convert::Infallible;

    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        let gzip = req
            .headers()
            .get("Accept-Encoding")
            .flat_map(|h| h.split(','))
            .any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused =
                    parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                name.eq_ignore_ascii_case("gzip") && !refused
            });
        rocket::request::Outcome::Success(AcceptsGzip(gzip))
    }
}

#[rocket::get("/static/<path..>?<v>")]
pub fn static_file(path: PathBuf, v: Option<&str>, gzip: AcceptsGzip) -> Option<Asset> {
    let name = path.to_str()?;
    let file = StaticFiles::get(name)?;
    let content_type = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ContentType::from_extension)
        .unwrap_or(ContentType::Binary);
    let cache = if cfg!(debug_assertions) {
        "no-cache"
    } else if v.is_some() && v == version_of(name).as_deref() {
        // A versioned address: its contents never change.
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let text = content_type.is_css()
        || content_type.is_javascript()
        || content_type.is_svg()
        || content_type.is_text();
    let (body, gzip) = match (text && gzip.0)
        .then(|| gzipped(name, &file.data))
        .flatten()
    {
        Some(packed) => (packed, true),
        None => (file.data, false),
    };
    Some(Asset {
        body,
        content_type,
        cache,
        gzip,
    })
}
