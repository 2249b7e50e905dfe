//! Shop settings, for admins only: name, notification address, shipping prices, unpaid-order
//! delay, bank and legal details (VAT franchise included), two-factor requirement for staff.

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;
use validator::{Validate, ValidationError, ValidationErrors};

use crate::config::store;
use crate::config::Settings;
use crate::config::Shop;
use crate::error::AppResult;
use crate::money::Money;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::page_cache::PageCache;
use crate::site::visitor::Admin;
use crate::site::visitor::Fresh;

pub fn routes() -> Vec<Route> {
    routes![show, save]
}

#[derive(Debug, Clone, FromForm, Validate, Serialize, Default)]
pub struct SettingsForm {
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub shop_name: String,
    #[field(default = String::new())]
    pub shop_email: String,
    #[field(default = String::new())]
    pub shipping_standard: String,
    #[field(default = String::new())]
    pub shipping_express: String,
    #[field(default = String::new())]
    pub shipping_corsica_extra: String,
    #[field(default = String::new())]
    pub shipping_overseas_extra: String,
    /// Empty or 0: standard delivery is never free.
    #[field(default = String::new())]
    pub free_shipping_from: String,
    #[field(default = String::new())]
    pub unpaid_cancel_days: String,
    #[field(default = String::new())]
    pub bank_iban: String,
    #[field(default = String::new())]
    pub bank_bic: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 200, code = "required_200"))]
    pub shop_legal_name: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 200, code = "required_200"))]
    pub shop_address: String,
    #[field(default = String::new())]
    pub shop_siret: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 40, code = "required_100"))]
    pub shop_vat_number: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_legal_form: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_capital: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_rcs: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_publisher: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_phone: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_host: String,
    #[field(default = String::new())]
    #[validate(length(max = 200, code = "max_200"))]
    pub shop_mediator: String,
    #[field(default = false)]
    pub require_staff_2fa: bool,
    #[field(default = false)]
    pub vat_franchise: bool,
}

/// Shipping prices an admin may set: 0 to 1,000 €.
const MAX_SHIPPING_CENTS: i64 = 100_000;
/// A free-shipping threshold an admin may set: up to 100,000 €.
const MAX_FREE_FROM_CENTS: i64 = 10_000_000;

impl SettingsForm {
    fn from_settings(s: &Settings, lang: &str) -> SettingsForm {
        SettingsForm {
            shop_name: s.shop_name.clone(),
            shop_email: s.shop_email.clone().unwrap_or_default(),
            shipping_standard: s.shipping_standard_cents.input_value(lang),
            shipping_express: s.shipping_express_cents.input_value(lang),
            shipping_corsica_extra: s.shipping_corsica_extra_cents.input_value(lang),
            shipping_overseas_extra: s.shipping_overseas_extra_cents.input_value(lang),
            free_shipping_from: match s.free_shipping_from_cents {
                Money::ZERO => String::new(),
                cents => cents.input_value(lang),
            },
            unpaid_cancel_days: s.unpaid_cancel_days.to_string(),
            bank_iban: s.bank_iban.clone(),
            bank_bic: s.bank_bic.clone(),
            shop_legal_name: s.shop_legal_name.clone(),
            shop_address: s.shop_address.clone(),
            shop_siret: s.shop_siret.clone(),
            shop_vat_number: s.shop_vat_number.clone(),
            shop_legal_form: s.shop_legal_form.clone(),
            shop_capital: s.shop_capital.clone(),
            shop_rcs: s.shop_rcs.clone(),
            shop_publisher: s.shop_publisher.clone(),
            shop_phone: s.shop_phone.clone(),
            shop_host: s.shop_host.clone(),
            shop_mediator: s.shop_mediator.clone(),
            require_staff_2fa: s.require_staff_2fa,
            vat_franchise: s.vat_franchise,
        }
    }

    /// The values to store, by key, or the errors by field.
    fn check(&mut self) -> Result<Vec<(&'static str, String)>, ValidationErrors> {
        for f in [
            &mut self.shop_name,
            &mut self.shop_email,
            &mut self.bank_iban,
            &mut self.bank_bic,
            &mut self.shop_legal_name,
            &mut self.shop_address,
            &mut self.shop_siret,
            &mut self.shop_vat_number,
            &mut self.shop_legal_form,
            &mut self.shop_capital,
            &mut self.shop_rcs,
            &mut self.shop_publisher,
            &mut self.shop_phone,
            &mut self.shop_host,
            &mut self.shop_mediator,
        ] {
            *f = f.trim().to_string();
        }
        let mut errors = self.validate().err().unwrap_or_default();
        let mut err = |field: &'static str, code: &'static str| {
            errors.add(field, ValidationError::new(code));
        };
        if !self.shop_email.is_empty()
            && (!validator::ValidateEmail::validate_email(&self.shop_email)
                || self.shop_email.len() > 254)
        {
            err("shop_email", "email");
        }
        let price = |s: &str| {
            Money::parse_euros(s)
                .map(|m| m.cents())
                .filter(|c| (0..=MAX_SHIPPING_CENTS).contains(c))
        };
        let standard = price(&self.shipping_standard);
        if standard.is_none() {
            err("shipping_standard", "price");
        }
        let express = price(&self.shipping_express);
        if express.is_none() {
            err("shipping_express", "price");
        }
        let corsica = price(&self.shipping_corsica_extra);
        if corsica.is_none() {
            err("shipping_corsica_extra", "price");
        }
        let overseas = price(&self.shipping_overseas_extra);
        if overseas.is_none() {
            err("shipping_overseas_extra", "price");
        }
        let free_from = match self.free_shipping_from.trim() {
            "" => Some(0),
            typed => Money::parse_euros(typed)
                .map(|m| m.cents())
                .filter(|c| (0..=MAX_FREE_FROM_CENTS).contains(c)),
        };
        if free_from.is_none() {
            err("free_shipping_from", "price");
        }
        let days = self
            .unpaid_cancel_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=90).contains(d));
        if days.is_none() {
            err("unpaid_cancel_days", "days");
        }
        let iban = normalise_iban(&self.bank_iban);
        if iban.is_none() {
            err("bank_iban", "iban");
        }
        let bic = self.bank_bic.to_ascii_uppercase();
        if !(bic.len() == 8 || bic.len() == 11) || !bic.chars().all(|c| c.is_ascii_alphanumeric()) {
            err("bank_bic", "bic");
        }
        let siret: String = self.shop_siret.chars().filter(|c| *c != ' ').collect();
        if siret.len() != 14 || !siret.chars().all(|c| c.is_ascii_digit()) {
            err("shop_siret", "siret");
        }
        match (standard, express, corsica, overseas, free_from, days, iban) {
            (
                Some(standard),
                Some(express),
                Some(corsica),
                Some(overseas),
                Some(free_from),
                Some(days),
                Some(iban),
            ) if errors.is_empty() => Ok(vec![
                ("shop_name", self.shop_name.clone()),
                ("shop_email", self.shop_email.clone()),
                ("shipping_standard_cents", standard.to_string()),
                ("shipping_express_cents", express.to_string()),
                ("shipping_corsica_extra_cents", corsica.to_string()),
                ("shipping_overseas_extra_cents", overseas.to_string()),
                ("free_shipping_from_cents", free_from.to_string()),
                ("unpaid_cancel_days", days.to_string()),
                ("bank_iban", iban),
                ("bank_bic", bic),
                ("shop_legal_name", self.shop_legal_name.clone()),
                ("shop_address", self.shop_address.clone()),
                ("shop_siret", self.shop_siret.clone()),
                ("shop_vat_number", self.shop_vat_number.clone()),
                ("shop_legal_form", self.shop_legal_form.clone()),
                ("shop_capital", self.shop_capital.clone()),
                ("shop_rcs", self.shop_rcs.clone()),
                ("shop_publisher", self.shop_publisher.clone()),
                ("shop_phone", self.shop_phone.clone()),
                ("shop_host", self.shop_host.clone()),
                ("shop_mediator", self.shop_mediator.clone()),
                ("require_staff_2fa", self.require_staff_2fa.to_string()),
                ("vat_franchise", self.vat_franchise.to_string()),
            ]),
            _ => Err(errors),
        }
    }
}

/// An IBAN checked with its mod-97 check digits, printed in groups of four.
pub fn normalise_iban(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(15..=34).contains(&compact.len())
        || !compact.chars().all(|c| c.is_ascii_alphanumeric())
        || !compact[..2].chars().all(|c| c.is_ascii_alphabetic())
        || !compact[2..4].chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let rotated = compact[4..].chars().chain(compact[..4].chars());
    let mut rem: u32 = 0;
    for c in rotated {
        let v = c.to_digit(36)?;
        rem = if v < 10 {
            (rem * 10 + v) % 97
        } else {
            (rem * 100 + v) % 97
        };
    }
    if rem != 1 {
        return None;
    }
    let groups: Vec<String> = compact
        .as_bytes()
        .chunks(4)
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect();
    Some(groups.join(" "))
}

#[derive(Serialize)]
struct SettingsPage {
    form: FormView<SettingsForm>,
}

#[get("/settings")]
async fn show(ctx: PageCtx<'_>, _admin: Admin, shop: &State<Arc<Shop>>) -> Html {
    let form = SettingsForm::from_settings(&shop.settings(), ctx.lang().code());
    ctx.render(
        "admin/settings",
        SettingsPage {
            form: FormView::new(form),
        },
    )
}

#[post("/settings", data = "<form>")]
async fn save(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    _fresh: Fresh,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<PageCache>>,
    form: Protected<SettingsForm>,
) -> AppResult<Reply> {
    let mut form = form.0;
    let mut checked = form.check();
    // Requiring two-factor authentication of staff without having it oneself would lock the
    // admin out of the back-office on the next request.
    if form.require_staff_2fa && !admin.0.totp_enabled {
        let mut errors = checked.err().unwrap_or_default();
        errors.add(
            "require_staff_2fa",
            ValidationError::new("second_factor_first"),
        );
        checked = Err(errors);
    }
    let values = match checked {
        Ok(v) => v,
        Err(errors) => {
            let form = FormView::with_errors(form, &errors, ctx.lang());
            return Ok(Reply::Invalid(
                ctx.render("admin/settings", SettingsPage { form }),
            ));
        }
    };
    let (shop, cache, actor) = (Arc::clone(shop), Arc::clone(cache), admin.0.id);
    db.run(move |c| {
        store::save(c, &shop.settings(), &values, Some(actor))?;
        shop.reload(c)?;
        crate::legal::model::refresh(c, &shop.settings())?;
        cache.publish_delivery(c, &shop)
    })
    .await?;
    Ok(Reply::Flash(Flash::success(
        Redirect::to("/admin/settings"),
        ctx.lang().t("admin-saved"),
    )))
}

#[cfg(test)]
mod tests {
    use super::normalise_iban;

    #[test]
    fn iban_check_digits() {
        assert_eq!(
            normalise_iban("fr7630006000011234567890189").as_deref(),
            Some("FR76 3000 6000 0112 3456 7890 189")
        );
        assert_eq!(normalise_iban("FR76 3000 6000 0112 3456 7890 188"), None);
        assert_eq!(normalise_iban("FR76"), None);
        assert_eq!(normalise_iban("FR76 3000 6000 0112 3456 7890 18é"), None);
    }
}
