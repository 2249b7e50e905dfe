//! CSRF protection as a data guard: `Protected<T>` reads a url-encoded form, refuses it (403)
//! when it comes from another site or lacks this visitor's synchronizer token, and parses `T`.

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::form::{Form, FromForm, ValueField};
use rocket::http::uri::Origin;
use rocket::http::{RawStr, Status};
use rocket::outcome::Outcome;
use rocket::request::Request;
use subtle::ConstantTimeEq;

use crate::auth::Keys;
use crate::site::visitor::Visitor;

/// The name of the hidden field every state-changing form carries.
pub const FIELD: &str = "_csrf";

pub struct Protected<T>(pub T);

impl<T> std::ops::Deref for Protected<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The form of a button that only needs the CSRF token (log out, delete, …).
#[derive(Debug, rocket::FromForm)]
pub struct Nothing {
    #[field(name = "_unused")]
    pub unused: Option<String>,
}

#[derive(Debug)]
pub enum CsrfError {
    CrossSite,
    BadToken,
    TooLarge,
    Io(std::io::Error),
    Unavailable,
}

/// What a form posted with a token that is no longer this visitor's (an expired session, a
/// page left open): passwords and the token aside, cut to fit a cookie. The 403 catcher sends
/// the visitor back to the form's page with it ([`DRAFT_COOKIE`]); the page fills the form
/// again and says why.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Draft {
    /// The path the form posts to: the form of the page that has this `action` is filled.
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// The cookie a [`Draft`] travels in, for one page view.
pub const DRAFT_COOKIE: &str = "draft";
/// A draft's fields, encoded, stay below this many bytes (a cookie holds about 4 KB).
const DRAFT_MAX: usize = 2_800;
/// Each value is cut to this many characters (a long text loses its end, not the form).
const DRAFT_VALUE_MAX: usize = 1_000;

/// The draft of a request refused for its token, if it was (see [`Draft`]).
#[derive(Default)]
pub struct Expired(pub Option<Draft>);

impl Draft {
    /// Keeps what may be shown again: not the token, not a password or a one-time code.
    pub fn of(action: &str, fields: &[(String, String)]) -> Draft {
        let secret = |name: &str| {
            let n = name.to_ascii_lowercase();
            n == FIELD || n.contains("password") || n.contains("totp") || n == "otp"
        };
        let mut draft = Draft {
            action: action.to_string(),
            fields: Vec::new(),
        };
        let mut size = action.len();
        for (name, value) in fields.iter().filter(|(n, _)| !secret(n)) {
            let value: String = value.chars().take(DRAFT_VALUE_MAX).collect();
            size += name.len() + value.len() + 8;
            if size > DRAFT_MAX {
                break;
            }
            draft.fields.push((name.chars().take(64).collect(), value));
        }
        draft
    }

    /// The cookie's value: the draft as JSON, base64url (no character a cookie refuses).
    pub fn encode(&self) -> String {
        use base64::Engine;
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(value: &str) -> Option<Draft> {
        use base64::Engine;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(value)
            .ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// The value a field was given (its first, for a name posted more than once).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The draft read into a form's type, as its handler would have read it.
    pub fn parse<'a, T: FromForm<'a>>(&'a self) -> Option<T> {
        let values = self
            .fields
            .iter()
            .map(|(n, v)| ValueField::from((n.as_str(), v.as_str())));
        Form::<T>::parse_iter(values).ok()
    }

    /// The draft as JSON safe inside a `<script type="application/json">` element.
    pub fn script_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }
}

/// The decoded fields, kept for the request's lifetime so `T` may borrow from them.
struct DecodedFields(Vec<(String, String)>);

/// Refuses requests a browser marks as cross-site, or whose `Origin` is not this host.
fn same_origin(req: &Request<'_>) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get_one("Sec-Fetch-Site") {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    match headers.get_one("Origin") {
        None => true,
        Some(origin) => {
            let host = headers.get_one("Host").unwrap_or_default();
            let authority = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            !host.is_empty() && authority.eq_ignore_ascii_case(host)
        }
    }
}

/// The form's fields, percent-decoded, without NUL characters (no text field can use one,
/// and PostgreSQL refuses them in text).
fn decode(body: &str) -> Vec<(String, String)> {
    let clean = |s: &str| RawStr::new(s).url_decode_lossy().replace('\0', "");
    body.split('&')
        .filter(|s| !s.is_empty())
        .map(|field| {
            let (name, value) = field.split_once('=').unwrap_or((field, ""));
            (clean(name), clean(value))
        })
        .collect()
}

/// Body limits of the forms that differ from `limits.form`, by their route's path (as mounted,
/// e.g. `/admin/products/<id>`): a new handler gets the default, whatever its name.
#[derive(Debug, Default)]
pub struct FormLimits(pub std::collections::HashMap<String, rocket::data::ByteUnit>);

impl FormLimits {
    /// Reads `("/path", "4 KiB")` pairs; a size that does not read is a configuration error.
    pub fn from_table(table: &[(&str, &str)]) -> Result<FormLimits, String> {
        table
            .iter()
            .map(|(path, size)| {
                size.parse()
                    .map(|limit| (path.to_string(), limit))
                    .map_err(|_| format!("form limit {size:?} for {path}"))
            })
            .collect::<Result<_, _>>()
            .map(FormLimits)
    }
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r>> FromData<'r> for Protected<T> {
    type Error = CsrfError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        if !same_origin(req) {
            return Outcome::Error((Status::Forbidden, CsrfError::CrossSite));
        }
        let (visitor, keys) = match (req.guard::<&Visitor>().await, req.rocket().state::<Keys>()) {
            (Outcome::Success(v), Some(k)) => (v, k),
            // The visitor could not be read (a database away: 503).
            (Outcome::Error((status, _)), _) => {
                return Outcome::Error((status, CsrfError::Unavailable))
            }
            _ => return Outcome::Error((Status::InternalServerError, CsrfError::Unavailable)),
        };
        // Each form has its own cap (`FormLimits`, by the route's path), else `limits.form`.
        let limit = req
            .route()
            .zip(req.rocket().state::<FormLimits>())
            .and_then(|(route, limits)| limits.0.get(route.uri.path()).copied())
            .or_else(|| req.limits().get("form"))
            .unwrap_or(16.kibibytes());
        let body = match data.open(limit).into_string().await {
            Ok(s) if s.is_complete() => s.into_inner(),
            Ok(_) => return Outcome::Error((Status::PayloadTooLarge, CsrfError::TooLarge)),
            Err(e) => return Outcome::Error((Status::BadRequest, CsrfError::Io(e))),
        };
        let fields = &req.local_cache(move || DecodedFields(decode(&body))).0;
        let expected = visitor.csrf_token(keys);
        let presented = fields
            .iter()
            .find(|(name, _)| name == FIELD)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !bool::from(expected.as_bytes().ct_eq(presented.as_bytes())) {
            // From this site, with a token that is not (or no longer) this visitor's: the
            // catcher brings the form back filled.
            req.local_cache(|| Expired(Some(Draft::of(req.uri().path().as_str(), fields))));
            return Outcome::Error((Status::Forbidden, CsrfError::BadToken));
        }
        let values = fields
            .iter()
            .filter(|(name, _)| name != FIELD)
            .map(|(n, v)| ValueField::from((n.as_str(), v.as_str())));
        match Form::<T>::parse_iter(values) {
            Ok(value) => Outcome::Success(Protected(value)),
            Err(_) => Outcome::Error((Status::UnprocessableEntity, CsrfError::BadToken)),
        }
    }
}

/// For multipart forms (uploads), which `Protected` does not parse: a request guard that
/// refuses cross-site requests; the handler then checks the token with [`token_matches`].
pub struct SameOrigin;

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for SameOrigin {
    type Error = CsrfError;

    async fn from_request(req: &'r Request<'_>) -> rocket::request::Outcome<Self, CsrfError> {
        if same_origin(req) {
            Outcome::Success(SameOrigin)
        } else {
            Outcome::Error((Status::Forbidden, CsrfError::CrossSite))
        }
    }
}

/// For multipart forms, which carry their token in a field of their own: the request comes
/// from this site (see [`SameOrigin`]), and [`MultipartCsrf::matches`] checks the token.
pub struct MultipartCsrf<'r> {
    visitor: &'r Visitor,
    keys: &'r Keys,
}

impl MultipartCsrf<'_> {
    pub fn matches(&self, presented: &str) -> bool {
        token_matches(self.visitor, self.keys, presented)
    }
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for MultipartCsrf<'r> {
    type Error = CsrfError;

    async fn from_request(req: &'r Request<'_>) -> rocket::request::Outcome<Self, CsrfError> {
        if !same_origin(req) {
            return Outcome::Error((Status::Forbidden, CsrfError::CrossSite));
        }
        let visitor = match req.guard::<&Visitor>().await {
            Outcome::Success(v) => v,
            _ => return Outcome::Error((Status::Forbidden, CsrfError::CrossSite)),
        };
        match req.rocket().state::<Keys>() {
            Some(keys) => Outcome::Success(MultipartCsrf { visitor, keys }),
            None => Outcome::Error((Status::InternalServerError, CsrfError::CrossSite)),
        }
    }
}

pub fn token_matches(visitor: &Visitor, keys: &Keys, presented: &str) -> bool {
    visitor
        .csrf_token(keys)
        .as_bytes()
        .ct_eq(presented.as_bytes())
        .into()
}

/// Only a path on this site may be the target of a post-login redirect: `/x` but not `//x`,
/// `/\x` or `javascript:`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\')
                && Origin::parse(n).is_ok() =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_the_shop() {
        assert_eq!(safe_next(Some("/admin?x=1")), "/admin?x=1");
        assert_eq!(safe_next(Some("//evil.test")), "/");
        assert_eq!(safe_next(Some("/\\evil.test")), "/");
        assert_eq!(safe_next(Some("javascript:alert(1)")), "/");
        assert_eq!(safe_next(Some("https://evil.test/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn a_draft_keeps_no_secret_and_fits_a_cookie() {
        let fields: Vec<(String, String)> = [
            ("_csrf", "t"),
            ("email", "a@b.fr"),
            ("password", "secret"),
            ("new_password", "secret2"),
            ("full_name", "Zoé </script><b>"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let draft = Draft::of("/checkout", &fields);
        assert_eq!(draft.value("email"), Some("a@b.fr"));
        assert_eq!(draft.value("password"), None);
        assert_eq!(draft.value("new_password"), None);
        assert_eq!(draft.value("_csrf"), None);
        assert_eq!(Draft::decode(&draft.encode()), Some(draft.clone()));
        assert!(!draft.script_json().contains('<'));
        let long = vec![("notes".to_string(), "é".repeat(5000)); 3];
        let cut = Draft::of("/x", &long);
        assert!(cut.encode().len() < 4000, "{}", cut.encode().len());
        assert_eq!(cut.fields[0].1.chars().count(), DRAFT_VALUE_MAX);
        assert_eq!(Draft::decode("not base64 !"), None);
    }

    #[test]
    fn decodes_plus_and_percent() {
        let f = decode("a+b=c%20d&e=%26&_csrf=x");
        assert_eq!(f[0], ("a b".into(), "c d".into()));
        assert_eq!(f[1], ("e".into(), "&".into()));
    }
}
