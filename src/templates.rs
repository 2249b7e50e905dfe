//! The Tera set-up that pages and emails share: the templates and static files embedded in
//! release builds (rust-embed reads the folders from disk in debug builds, so edits show
//! without a rebuild), `t()` for translations, the money filters, `local` for times in the
//! shop's zone, `asset()` for versioned static addresses; and the email templates, each a
//! folder `templates/email/<name>/` holding `subject`, `body.txt` and `body.html`.

use std::collections::HashMap;

use chrono_tz::Tz;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::i18n::{self, Lang};
use crate::money::{Money, VatRate};

/// Every email the shop sends: its name in the outbox (and the back-office's email log) and
/// the folder of its templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    /// Someone tried to register with an address that has an account.
    AccountExists,
    VerifyEmail,
    ConfirmNewEmail,
    PasswordReset,
    AccountLocked,
    StaffInvitation,
    OrderConfirmation,
    NewOrderStaff,
    OrderPaid,
    PaymentReceivedStaff,
    OrderShipped,
    OrderCancelled,
    OrderCancelledUnpaid,
    OrderRefunded,
    WithdrawalReceived,
    WithdrawalStaff,
    StockAlertConfirm,
    StockAlert,
    /// The staff are told that visitors' emails reached the hourly ceiling.
    MailCeilingStaff,
}

impl EmailKind {
    /// Every kind, for the checks that go over them all.
    pub const ALL: [EmailKind; 19] = [
        EmailKind::AccountExists,
        EmailKind::VerifyEmail,
        EmailKind::ConfirmNewEmail,
        EmailKind::PasswordReset,
        EmailKind::AccountLocked,
        EmailKind::StaffInvitation,
        EmailKind::OrderConfirmation,
        EmailKind::NewOrderStaff,
        EmailKind::OrderPaid,
        EmailKind::PaymentReceivedStaff,
        EmailKind::OrderShipped,
        EmailKind::OrderCancelled,
        EmailKind::OrderCancelledUnpaid,
        EmailKind::OrderRefunded,
        EmailKind::WithdrawalReceived,
        EmailKind::WithdrawalStaff,
        EmailKind::StockAlertConfirm,
        EmailKind::StockAlert,
        EmailKind::MailCeilingStaff,
    ];

    /// As the outbox stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::AccountExists => "account_exists",
            EmailKind::VerifyEmail => "verify_email",
            EmailKind::ConfirmNewEmail => "confirm_new_email",
            EmailKind::PasswordReset => "password_reset",
            EmailKind::AccountLocked => "account_locked",
            EmailKind::StaffInvitation => "staff_invitation",
            EmailKind::OrderConfirmation => "order_confirmation",
            EmailKind::NewOrderStaff => "new_order_staff",
            EmailKind::OrderPaid => "order_paid",
            EmailKind::PaymentReceivedStaff => "payment_received_staff",
            EmailKind::OrderShipped => "order_shipped",
            EmailKind::OrderCancelled => "order_cancelled",
            EmailKind::OrderCancelledUnpaid => "order_cancelled_unpaid",
            EmailKind::OrderRefunded => "order_refunded",
            EmailKind::WithdrawalReceived => "withdrawal_received",
            EmailKind::WithdrawalStaff => "withdrawal_staff",
            EmailKind::StockAlertConfirm => "stock_alert_confirm",
            EmailKind::StockAlert => "stock_alert",
            EmailKind::MailCeilingStaff => "mail_ceiling_staff",
        }
    }

    /// The folder `templates/email/<template>/`: the account links share one, which words
    /// itself by the kind.
    pub fn template(self) -> &'static str {
        match self {
            EmailKind::AccountExists
            | EmailKind::VerifyEmail
            | EmailKind::ConfirmNewEmail
            | EmailKind::PasswordReset => "account_link",
            EmailKind::StockAlert => "stock_alert_back",
            other => other.as_str(),
        }
    }
}

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone)]
pub struct Email {
    pub kind: EmailKind,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

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
    tera.register_function("field_label", field_label_function);
    tera.register_filter("money", money_filter);
    tera.register_filter("vat", vat_filter);
    tera.register_filter("percent", percent_filter);
    tera.register_filter("local", LocalTime(zone));
}

/// `field_label(name="full_name", lang=lang)`: the field's label, "" when it has none (an error
/// summary then shows the message alone).
fn field_label_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let name = args
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let lang = args
        .get("lang")
        .and_then(|v| v.as_str())
        .and_then(Lang::parse)
        .unwrap_or(Lang::Fr);
    Ok(tera::Value::String(
        lang.field_label(name).unwrap_or_default(),
    ))
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

/// `{{ basis_points | percent(lang=lang) }}`: any percentage (a sale's, a discount's).
fn percent_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let bp = value
        .as_i64()
        .and_then(|bp| i32::try_from(bp).ok())
        .ok_or_else(|| tera::Error::msg("percent expects basis points"))?;
    Ok(Value::String(crate::money::percent_label(
        bp,
        lang_arg(args),
    )))
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

/// The version a static file's address carries: the start of its SHA-256, so an address is
/// never reused for other contents and browsers may keep it for a year.
pub fn version_of(name: &str) -> Option<String> {
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

    /// Renders the email `kind` (`email/<its template>/…`) for one recipient in their
    /// language.
    pub fn render<T: Serialize>(
        &self,
        kind: EmailKind,
        to: &str,
        lang: Lang,
        data: &T,
    ) -> tera::Result<Email> {
        let mut ctx = Context::from_serialize(data)?;
        ctx.insert("lang", lang.code());
        ctx.insert("kind", kind.as_str());
        let name = kind.template();
        let subject = self
            .tera
            .render(&format!("email/{name}/subject"), &ctx)?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // The HTML part is a document of its own: its title is the subject.
        ctx.insert("subject", &subject);
        let part = |file: &str| self.tera.render(&format!("email/{name}/{file}"), &ctx);
        Ok(Email {
            kind,
            to: to.to_string(),
            text: part("body.txt")?,
            html: part("body.html")?,
            subject,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::EmailKind;

    /// A kind added to the enum and forgotten in `ALL` stops this from compiling (the match
    /// names them all) or from passing (its position).
    #[test]
    fn all_lists_every_kind_once() {
        fn position(kind: EmailKind) -> usize {
            match kind {
                EmailKind::AccountExists => 0,
                EmailKind::VerifyEmail => 1,
                EmailKind::ConfirmNewEmail => 2,
                EmailKind::PasswordReset => 3,
                EmailKind::AccountLocked => 4,
                EmailKind::StaffInvitation => 5,
                EmailKind::OrderConfirmation => 6,
                EmailKind::NewOrderStaff => 7,
                EmailKind::OrderPaid => 8,
                EmailKind::PaymentReceivedStaff => 9,
                EmailKind::OrderShipped => 10,
                EmailKind::OrderCancelled => 11,
                EmailKind::OrderCancelledUnpaid => 12,
                EmailKind::OrderRefunded => 13,
                EmailKind::WithdrawalReceived => 14,
                EmailKind::WithdrawalStaff => 15,
                EmailKind::StockAlertConfirm => 16,
                EmailKind::StockAlert => 17,
                EmailKind::MailCeilingStaff => 18,
            }
        }
        for (i, kind) in EmailKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
    }
}
