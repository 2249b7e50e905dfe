//! The back-office forms of shipping: a delivery method with its bands, a pickup location.

use rocket::FromForm;
use serde::Serialize;
use validator::{Validate, ValidationError, ValidationErrors};

use crate::shipping::model::{NewMethod, NewPickup};
use crate::shipping::rates::{parse_bands, Basis};
use crate::shipping::zones::Zone;

/// A method form's errors: by field, and the first band refused (its line and message key).
pub type MethodErrors = (ValidationErrors, Option<(usize, &'static str)>);

#[derive(Debug, Clone, FromForm, Validate, Serialize, Default)]
pub struct MethodForm {
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub name: String,
    #[field(default = String::new())]
    #[validate(length(max = 100, code = "max_100"))]
    pub name_en: String,
    #[field(default = String::new())]
    pub zone: String,
    #[field(default = String::new())]
    pub basis: String,
    #[field(default = false)]
    pub express: bool,
    /// One band a line: `500 6,99` (grams or euros of goods, then the price), `* 0` above.
    #[field(default = String::new())]
    pub bands: String,
}

impl MethodForm {
    /// The method, or each field's error (a band's: its line and message key).
    pub fn check(&mut self) -> Result<NewMethod, MethodErrors> {
        self.name = self.name.trim().to_string();
        self.name_en = self.name_en.trim().to_string();
        let mut errors = self.validate().err().unwrap_or_default();
        let zone = Zone::parse(&self.zone);
        if zone.is_none() {
            errors.add("zone", ValidationError::new("choice"));
        }
        let basis = Basis::parse(&self.basis);
        if basis.is_none() {
            errors.add("basis", ValidationError::new("choice"));
        }
        let bands = basis.map(|b| parse_bands(&self.bands, b));
        let band_error = match &bands {
            Some(Err(e)) => Some((e.line, e.key)),
            _ => None,
        };
        match (zone, basis, bands) {
            (Some(zone), Some(basis), Some(Ok(bands))) if errors.is_empty() => Ok(NewMethod {
                name: self.name.clone(),
                name_en: self.name_en.clone(),
                zone,
                basis,
                express: self.express,
                bands,
            }),
            _ => Err((errors, band_error)),
        }
    }
}

#[derive(Debug, Clone, FromForm, Validate, Serialize, Default)]
pub struct PickupForm {
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub name: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 200, code = "required_200"))]
    pub street: String,
    #[field(default = String::new())]
    pub postal_code: String,
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 100, code = "required_100"))]
    pub city: String,
    /// As customers will read them, one line a day or period.
    #[field(default = String::new())]
    #[validate(length(min = 1, max = 500, code = "hours"))]
    pub hours: String,
    /// The same in English, optional.
    #[field(default = String::new())]
    #[validate(length(max = 500, code = "max_500"))]
    pub hours_en: String,
}

impl PickupForm {
    pub fn check(&mut self) -> Result<NewPickup, ValidationErrors> {
        for f in [
            &mut self.name,
            &mut self.street,
            &mut self.postal_code,
            &mut self.city,
            &mut self.hours,
            &mut self.hours_en,
        ] {
            *f = f.trim().to_string();
        }
        let mut errors = self.validate().err().unwrap_or_default();
        if !(self.postal_code.len() == 5 && self.postal_code.bytes().all(|b| b.is_ascii_digit())) {
            errors.add("postal_code", ValidationError::new("postal_code"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewPickup {
            name: self.name.clone(),
            street: self.street.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            hours: self.hours.clone(),
            hours_en: self.hours_en.clone(),
        })
    }
}
