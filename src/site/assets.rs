//! Static files served (gzipped once, versioned addresses kept a year), and the page templates
//! handed to Rocket's Tera (their set-up: `crate::templates`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use chrono_tz::Tz;
use rocket::fairing::Fairing;
use rocket::http::{ContentType, Header};
use rocket_dyn_templates::Template;

use crate::templates::{configure_tera, version_of, StaticFiles};

pub fn templates(zone: Tz) -> impl Fairing {
    Template::try_custom(move |engines| {
        configure_tera(&mut engines.tera, zone)?;
        Ok(())
    })
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
