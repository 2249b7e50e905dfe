//! A product's composition and safety facts as the back-office form types them
//! (`catalog::facts::FactsInput` once read).

use rocket::FromForm;
use serde::Serialize;

use crate::catalog::facts::{FactsData, FactsInput};

/// A product's facts as typed: the manufacturer chosen by id, the allergen groups ticked, the
/// nutrition values per 100 g or ml.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct FactsForm {
    #[field(default = String::new())]
    pub manufacturer_id: String,
    #[field(default = String::new())]
    pub mpn: String,
    #[field(default = String::new())]
    pub batch: String,
    #[field(default = String::new())]
    pub warnings: String,
    #[field(default = String::new())]
    pub warnings_en: String,
    #[field(default = false)]
    pub food: bool,
    #[field(default = String::new())]
    pub ingredients: String,
    #[field(default = String::new())]
    pub ingredients_en: String,
    #[field(default = Vec::new())]
    pub allergens: Vec<String>,
    #[field(default = String::new())]
    pub energy_kj: String,
    #[field(default = String::new())]
    pub energy_kcal: String,
    #[field(default = String::new())]
    pub fat: String,
    #[field(default = String::new())]
    pub saturates: String,
    #[field(default = String::new())]
    pub carbohydrate: String,
    #[field(default = String::new())]
    pub sugars: String,
    #[field(default = String::new())]
    pub protein: String,
    #[field(default = String::new())]
    pub salt: String,
    #[field(default = String::new())]
    pub storage: String,
    #[field(default = String::new())]
    pub storage_en: String,
    #[field(default = String::new())]
    pub origin: String,
    #[field(default = String::new())]
    pub origin_en: String,
    #[field(default = String::new())]
    pub alcohol: String,
}

impl FactsForm {
    pub fn of(data: &FactsData) -> FactsForm {
        let input = FactsInput::of(data);
        let [energy_kj, energy_kcal, fat, saturates, carbohydrate, sugars, protein, salt] =
            input.nutrition;
        FactsForm {
            manufacturer_id: data
                .manufacturer_id
                .map(|m| m.to_string())
                .unwrap_or_default(),
            mpn: input.mpn,
            batch: input.batch,
            warnings: input.warnings,
            warnings_en: input.warnings_en,
            food: input.food,
            ingredients: input.ingredients,
            ingredients_en: input.ingredients_en,
            allergens: input.allergens,
            energy_kj,
            energy_kcal,
            fat,
            saturates,
            carbohydrate,
            sugars,
            protein,
            salt,
            storage: input.storage,
            storage_en: input.storage_en,
            origin: input.origin,
            origin_en: input.origin_en,
            alcohol: input.alcohol,
        }
    }

    pub fn input(&self) -> FactsInput {
        FactsInput {
            mpn: self.mpn.clone(),
            batch: self.batch.clone(),
            warnings: self.warnings.clone(),
            warnings_en: self.warnings_en.clone(),
            food: self.food,
            ingredients: self.ingredients.clone(),
            ingredients_en: self.ingredients_en.clone(),
            allergens: self.allergens.clone(),
            nutrition: [
                self.energy_kj.clone(),
                self.energy_kcal.clone(),
                self.fat.clone(),
                self.saturates.clone(),
                self.carbohydrate.clone(),
                self.sugars.clone(),
                self.protein.clone(),
                self.salt.clone(),
            ],
            storage: self.storage.clone(),
            storage_en: self.storage_en.clone(),
            origin: self.origin.clone(),
            origin_en: self.origin_en.clone(),
            alcohol: self.alcohol.clone(),
        }
    }
}
