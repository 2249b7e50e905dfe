//! The checkout form: contact, shipping address, shipping and payment methods, as typed; checked
//! into [`CheckoutDetails`] by the address and business rules.

use rocket::FromForm;
use serde::Serialize;
use validator::{Validate, ValidationError, ValidationErrors};

use crate::accounts::addresses::SavedAddress;
use crate::accounts::model::User;
use crate::address::places;
use crate::address::places::TownCheck;
use crate::address::{phone_ok, postal_code_ok, Address, COUNTRIES};
use crate::checkout::business;
use crate::checkout::details::CheckoutDetails;
use crate::orders::model::Payment;
use crate::shipping::flat::Shipping;
use crate::shipping::rates::Choice;

#[derive(Debug, Clone, FromForm, Validate, Serialize, Default)]
pub struct CheckoutForm {
    #[field(default = String::new())]
    #[validate(email(code = "email"), length(min = 1, max = 254, code = "email"))]
    pub email: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub full_name: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 200, code = "required_200"))]
    pub street: String,
    #[field(default = String::new())]
    pub postal_code: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub city: String,
    #[field(default = String::from("FR"))]
    pub country: String,
    #[field(default = String::new())]
    #[validate(length(max = 30, code = "phone"))]
    pub phone: String,
    /// A business buyer's company, SIREN or SIRET, and intra-community VAT number (optional).
    #[field(default = String::new())]
    #[validate(length(max = 100, code = "max_100"))]
    pub company: String,
    #[field(default = String::new())]
    pub siret: String,
    #[field(default = String::new())]
    pub vat_number: String,
    #[field(default = String::from("standard"))]
    pub shipping: String,
    #[field(default = String::from("bank_transfer"))]
    pub payment: String,
    #[field(default = false)]
    #[serde(skip)]
    pub accept_terms: bool,
    /// The buyer declares being 18 or over (asked when the basket holds an alcoholic
    /// beverage: code de la santé publique art. L3342-1).
    #[field(default = false)]
    #[serde(skip)]
    pub adult: bool,
    #[field(default = String::new())]
    pub key: String,
    /// The total the review showed, in cents: an order whose total moved since (a sale
    /// ended, a price changed) is shown again rather than placed.
    #[field(default = String::new())]
    #[serde(skip)]
    pub total: String,
}

impl CheckoutForm {
    /// The details step's first form: a signed-in customer's address and name, else France,
    /// standard delivery and a bank transfer.
    pub fn prefilled(customer: Option<(&User, Option<&SavedAddress>)>) -> CheckoutForm {
        let mut form = CheckoutForm {
            country: "FR".into(),
            shipping: Shipping::Standard.as_str().into(),
            payment: Payment::BankTransfer.as_str().into(),
            ..CheckoutForm::default()
        };
        if let Some((user, saved)) = customer {
            form.email = user.email.clone();
            form.full_name = user.display_name.clone();
            if let Some(a) = saved.map(|s| &s.address) {
                form.full_name = a.full_name.clone();
                form.street = a.street.clone();
                form.postal_code = a.postal_code.clone();
                form.city = a.city.clone();
                form.country = a.country.clone();
                form.phone = a.phone.clone().unwrap_or_default();
            }
        }
        form
    }

    /// Trims what the user typed, so that kept input and stored values agree.
    pub fn trimmed(mut self) -> CheckoutForm {
        for f in [
            &mut self.email,
            &mut self.full_name,
            &mut self.street,
            &mut self.postal_code,
            &mut self.city,
            &mut self.country,
            &mut self.phone,
            &mut self.company,
        ] {
            *f = f.trim().to_string();
        }
        self.siret = business::compact(&self.siret);
        self.vat_number = business::compact(&self.vat_number);
        self.postal_code = self.postal_code.replace(' ', "");
        self.country = self.country.to_uppercase();
        self
    }

    /// `cards`: card payment is offered (the provider is configured).
    pub fn check(&self, cards: bool) -> Result<CheckoutDetails, ValidationErrors> {
        let mut errors = match self.validate() {
            Ok(()) => ValidationErrors::new(),
            Err(e) => e,
        };
        if !COUNTRIES.contains(&self.country.as_str()) {
            errors.add("country", ValidationError::new("country"));
        } else if !postal_code_ok(&self.country, &self.postal_code) {
            errors.add("postal_code", ValidationError::new("postal_code"));
        } else if self.country == "FR" {
            match places::check(&self.postal_code, &self.city) {
                TownCheck::UnknownCode => {
                    errors.add("postal_code", ValidationError::new("postal_code_unknown"))
                }
                TownCheck::Mismatch if !self.city.is_empty() => {
                    errors.add("city", ValidationError::new("city_postal_code"))
                }
                _ => {}
            }
        }
        if !self.phone.is_empty() && !phone_ok(&self.phone) {
            errors.add("phone", ValidationError::new("phone"));
        }
        if !self.siret.is_empty() && !business::siren_or_siret_ok(&self.siret) {
            errors.add("siret", ValidationError::new("buyer_siret"));
        }
        if !self.vat_number.is_empty() && !business::vat_number_ok(&self.vat_number) {
            errors.add("vat_number", ValidationError::new("buyer_vat_number"));
        }
        let identified = !self.siret.is_empty() || !self.vat_number.is_empty();
        if identified && self.company.is_empty() {
            errors.add("company", ValidationError::new("company_required"));
        }
        let shipping = Choice::parse(&self.shipping);
        if shipping.is_none() {
            errors.add("shipping", ValidationError::new("choice"));
        }
        let payment = Payment::parse(&self.payment);
        match (payment, shipping) {
            (None, _) => errors.add("payment", ValidationError::new("choice")),
            (Some(Payment::Card), _) if !cards => {
                errors.add("payment", ValidationError::new("choice"))
            }
            (Some(Payment::OnPickup), Some(s)) if !s.is_pickup() => {
                errors.add("payment", ValidationError::new("pay_on_pickup"))
            }
            _ => {}
        }
        match (shipping, payment) {
            (Some(shipping), Some(payment)) if errors.is_empty() => Ok(CheckoutDetails {
                email: self.email.to_lowercase(),
                address: Address {
                    full_name: self.full_name.clone(),
                    street: self.street.clone(),
                    postal_code: self.postal_code.clone(),
                    city: self.city.clone(),
                    country: self.country.clone(),
                    phone: Some(self.phone.clone()).filter(|p| !p.is_empty()),
                },
                company: Some(self.company.clone()).filter(|c| !c.is_empty()),
                siret: Some(self.siret.clone()).filter(|c| !c.is_empty()),
                vat_number: Some(self.vat_number.clone()).filter(|c| !c.is_empty()),
                shipping,
                payment,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_french_town_must_match_its_postal_code() {
        let codes = |f: CheckoutForm| -> Vec<(String, String)> {
            let errors = f.trimmed().check(false).unwrap_err();
            errors
                .field_errors()
                .iter()
                .flat_map(|(k, v)| v.iter().map(move |e| (k.to_string(), e.code.to_string())))
                .collect()
        };
        let wrong_town = CheckoutForm {
            city: "Marseille".into(),
            ..good()
        };
        assert_eq!(
            codes(wrong_town),
            vec![("city".into(), "city_postal_code".into())]
        );
        let no_such_code = CheckoutForm {
            postal_code: "99999".into(),
            ..good()
        };
        assert_eq!(
            codes(no_such_code),
            vec![("postal_code".into(), "postal_code_unknown".into())]
        );
        let spelled_otherwise = CheckoutForm {
            postal_code: "75 016".into(),
            city: "PARIS 16E".into(),
            ..good()
        };
        assert!(spelled_otherwise.trimmed().check(false).is_ok());
        // Only French addresses are checked against the table.
        let belgian = CheckoutForm {
            country: "BE".into(),
            postal_code: "1000".into(),
            city: "Bruxelles".into(),
            ..good()
        };
        assert!(belgian.trimmed().check(false).is_ok());
    }

    fn good() -> CheckoutForm {
        CheckoutForm {
            email: "ana@example.fr".into(),
            full_name: "Ana Lefèvre".into(),
            street: "12 rue des Lilas".into(),
            postal_code: "69003".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            phone: "".into(),
            company: String::new(),
            siret: String::new(),
            vat_number: String::new(),
            shipping: "standard".into(),
            payment: "bank_transfer".into(),
            accept_terms: false,
            adult: false,
            key: String::new(),
            total: String::new(),
        }
    }

    fn field_codes(f: CheckoutForm) -> Vec<(String, String)> {
        match f.trimmed().check(false) {
            Ok(_) => vec![],
            Err(e) => {
                let mut v: Vec<_> = e
                    .field_errors()
                    .iter()
                    .map(|(k, errs)| (k.to_string(), errs[0].code.to_string()))
                    .collect();
                v.sort();
                v
            }
        }
    }

    #[test]
    fn accepts_a_french_address() {
        assert!(field_codes(good()).is_empty());
        let spaced = CheckoutForm {
            postal_code: " 69 003 ".into(),
            ..good()
        };
        assert_eq!(
            spaced.trimmed().check(false).unwrap().address.postal_code,
            "69003"
        );
    }

    #[test]
    fn a_business_buyer_is_checked_by_its_keys() {
        let business = CheckoutForm {
            company: " Épicerie Lumière SARL ".into(),
            siret: "732 829 320 00074".into(),
            vat_number: "fr 44 732829320".into(),
            ..good()
        };
        let d = business.trimmed().check(false).unwrap();
        assert_eq!(d.company.as_deref(), Some("Épicerie Lumière SARL"));
        assert_eq!(d.siret.as_deref(), Some("73282932000074"));
        assert_eq!(d.vat_number.as_deref(), Some("FR44732829320"));
        let wrong = CheckoutForm {
            siret: "732 829 320 00075".into(),
            vat_number: "FR45732829320".into(),
            ..good()
        };
        assert_eq!(
            field_codes(wrong),
            vec![
                ("company".to_string(), "company_required".to_string()),
                ("siret".to_string(), "buyer_siret".to_string()),
                ("vat_number".to_string(), "buyer_vat_number".to_string()),
            ]
        );
    }

    #[test]
    fn refuses_bad_fields() {
        let bad = CheckoutForm {
            email: "nope".into(),
            postal_code: "6900".into(),
            phone: "call me".into(),
            shipping: "drone".into(),
            ..good()
        };
        let codes = field_codes(bad);
        assert!(codes.contains(&("email".into(), "email".into())));
        assert!(codes.contains(&("postal_code".into(), "postal_code".into())));
        assert!(codes.contains(&("phone".into(), "phone".into())));
        assert!(codes.contains(&("shipping".into(), "choice".into())));
        let pickup_pay = CheckoutForm {
            payment: "on_pickup".into(),
            ..good()
        };
        assert_eq!(
            field_codes(pickup_pay),
            vec![("payment".into(), "pay_on_pickup".into())]
        );
        let be = CheckoutForm {
            country: "be".into(),
            postal_code: "1000".into(),
            ..good()
        };
        assert!(field_codes(be).is_empty());
        let mars = CheckoutForm {
            country: "MARS".into(),
            ..good()
        };
        assert_eq!(
            field_codes(mars),
            vec![("country".into(), "country".into())]
        );
    }
}
