//! The back-office form of a variant: what staff type, checked into a variant's data.

use rocket::FromForm;
use serde::Serialize;
use validator::{ValidationError, ValidationErrors};

use crate::catalog::model::Product;
use crate::catalog::variants::{parse_weight, Variant, VariantData};
use crate::money::Money;

#[derive(Debug, Clone, FromForm, Serialize, Default)]
pub struct VariantForm {
    #[field(default = String::new())]
    pub sku: String,
    #[field(default = String::new())]
    pub option1: String,
    #[field(default = String::new())]
    pub option2: String,
    /// Empty: the product's price.
    #[field(default = String::new())]
    pub price: String,
    /// Grams; empty: the product's weight.
    #[field(default = String::new())]
    pub weight: String,
    #[field(default = String::from("0"))]
    pub position: String,
    /// Its own GTIN; empty: the product's.
    #[field(default = String::new())]
    pub gtin: String,
    /// Only when adding a variant (then its stock moves through adjustments).
    #[field(default = String::from("0"))]
    pub stock: String,
}

impl VariantForm {
    pub fn of(v: &Variant, lang: &str) -> VariantForm {
        VariantForm {
            sku: v.sku.clone(),
            option1: v.option1.clone(),
            option2: v.option2.clone(),
            price: v
                .price_cents
                .map(|c| c.input_value(lang))
                .unwrap_or_default(),
            weight: v.weight_grams.map(|g| g.to_string()).unwrap_or_default(),
            position: v.position.to_string(),
            gtin: v.gtin.clone(),
            stock: v.stock.to_string(),
        }
    }

    /// The variant's data and first stock, or the errors by field. A product with a named
    /// option needs a value for it, and one without none.
    pub fn check(&mut self, product: &Product) -> Result<(VariantData, i32), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.sku = self.sku.trim().to_uppercase();
        self.option1 = self.option1.trim().to_string();
        self.option2 = self.option2.trim().to_string();
        let sku_ok = (1..=64).contains(&self.sku.len())
            && self
                .sku
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !sku_ok {
            errors.add("sku", ValidationError::new("sku"));
        }
        for (field, value, named) in [
            ("option1", &self.option1, &product.option1_name),
            ("option2", &self.option2, &product.option2_name),
        ] {
            if value.is_empty() != named.is_empty() || value.chars().count() > 60 {
                errors.add(field, ValidationError::new("variant_option"));
            }
        }
        let price = match self.price.trim() {
            "" => Some(None),
            typed => Money::parse_euros(typed).map(Some),
        };
        if price.is_none() {
            errors.add("price", ValidationError::new("price"));
        }
        let weight = parse_weight(&self.weight);
        if weight.is_none() {
            errors.add("weight", ValidationError::new("weight"));
        }
        // Left empty: first (the form offers the place after the last one).
        let position = match self.position.trim() {
            "" => Some(0),
            typed => typed.parse::<i32>().ok().filter(|p| (0..=1000).contains(p)),
        };
        if position.is_none() {
            errors.add("position", ValidationError::new("position"));
        }
        let stock = crate::catalog::stock::parse_stock(&self.stock);
        if stock.is_none() {
            errors.add("stock", ValidationError::new("stock"));
        }
        let gtin = crate::catalog::gtin::normalize(&self.gtin);
        if gtin.is_err() {
            errors.add("gtin", ValidationError::new("gtin"));
        }
        match (price, weight, position, stock, gtin) {
            (Some(price_cents), Some(weight_grams), Some(position), Some(stock), Ok(gtin))
                if errors.is_empty() =>
            {
                Ok((
                    VariantData {
                        sku: self.sku.clone(),
                        option1: self.option1.clone(),
                        option2: self.option2.clone(),
                        price_cents,
                        weight_grams,
                        position,
                        gtin,
                    },
                    stock,
                ))
            }
            _ => Err(errors),
        }
    }
}
