//! What a product's listing says about who makes it and what it holds, before purchase.
//!
//! - General Product Safety Regulation (EU) 2023/988, art. 19: the manufacturer's name or
//!   trademark with a postal **and** an electronic address (a); when it is outside the Union,
//!   the person responsible for it there (c); what identifies the product (b: its type, batch or
//!   serial number — brand, GTIN and reference are on the product); its warnings or safety
//!   information in the customer's language (d).
//! - Regulation (EU) 1169/2011 on food information, art. 14 with art. 9: for a food sold at a
//!   distance, its ingredients with the allergens of Annex II emphasised (art. 21), storage
//!   conditions, origin where required (art. 26), alcoholic strength above 1.2 % vol (art. 28)
//!   and its nutrition declaration per 100 g or 100 ml (art. 30 and 32): energy, fat, saturates,
//!   carbohydrate, sugars, protein, salt — all seven or none.
//!
//! A manufacturer is entered once and chosen on many products ([`Manufacturer`]); a product's
//! facts are one row ([`Facts`]), checked from what was typed by [`FactsInput::check`] for the
//! back-office form and the CSV import alike.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::schema::{manufacturers, product_facts};
use crate::db::{now, DbConn};
use crate::i18n::Lang;
use crate::ids::{ManufacturerId, ProductId, UserId};

/// The 14 allergen groups of Annex II of Regulation (EU) 1169/2011, in its order; a product's
/// `allergens` holds one bit each (bit *i* for `ALLERGENS[i]`). Pages name them by
/// `allergen-<code>` in the locales.
pub const ALLERGENS: [&str; 14] = [
    "gluten",
    "crustaceans",
    "eggs",
    "fish",
    "peanuts",
    "soybeans",
    "milk",
    "nuts",
    "celery",
    "mustard",
    "sesame",
    "sulphites",
    "lupin",
    "molluscs",
];

/// Words that name each group in an ingredients list, French and English, folded (lower case,
/// no accents): a word of the list that starts with one of them is emphasised when its group is
/// ticked ("moutarde", "graines de moutarde", "blé", "lait entier").
const ALLERGEN_WORDS: [&[&str]; 14] = [
    &[
        "gluten", "ble", "froment", "seigle", "orge", "avoine", "epeautre", "kamut", "wheat",
        "rye", "barley", "oat", "spelt",
    ],
    &[
        "crustace",
        "crevette",
        "crabe",
        "homard",
        "langoustine",
        "ecrevisse",
        "crustacean",
        "shrimp",
        "prawn",
        "crab",
        "lobster",
    ],
    &["oeuf", "œuf", "egg"],
    &[
        "poisson",
        "anchois",
        "thon",
        "saumon",
        "cabillaud",
        "sardine",
        "fish",
        "anchov",
        "tuna",
        "salmon",
        "cod",
    ],
    &["arachide", "cacahuete", "peanut", "groundnut"],
    &["soja", "soy"],
    &[
        "lait",
        "beurre",
        "creme",
        "fromage",
        "lactose",
        "lactoserum",
        "milk",
        "butter",
        "cream",
        "cheese",
        "whey",
    ],
    &[
        "amande",
        "noisette",
        "noix",
        "cajou",
        "pecan",
        "pistache",
        "macadamia",
        "almond",
        "hazelnut",
        "walnut",
        "cashew",
        "pistachio",
        "nut",
    ],
    &["celeri", "celery", "celeriac"],
    &["moutarde", "mustard"],
    &["sesame"],
    &[
        "sulfite",
        "sulphite",
        "anhydride sulfureux",
        "sulphur dioxide",
        "metabisulfite",
    ],
    &["lupin"],
    &[
        "mollusque",
        "moule",
        "huitre",
        "calmar",
        "escargot",
        "mollusc",
        "mussel",
        "oyster",
        "squid",
        "snail",
    ],
];

/// The Member States of the Union (ISO 3166-1 alpha-2): a manufacturer elsewhere needs a
/// responsible person in one of them (Regulation (EU) 2023/988 art. 16, 2019/1020 art. 4).
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

pub fn in_union(country: &str) -> bool {
    EU_COUNTRIES.contains(&country)
}

/// A manufacturer, or the person responsible for one in the Union.
#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = manufacturers)]
pub struct Manufacturer {
    pub id: ManufacturerId,
    pub name: String,
    pub address: String,
    pub country: String,
    pub email: String,
    pub contact_url: String,
    pub responsible_id: Option<ManufacturerId>,
}

/// A manufacturer as typed in the back-office, before it is checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ManufacturerData {
    pub name: String,
    pub address: String,
    pub country: String,
    pub email: String,
    pub contact_url: String,
    pub responsible_id: Option<ManufacturerId>,
}

/// The fields of a manufacturer that are wrong, each with its message code.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

impl ManufacturerData {
    /// Trims it and checks it against the others (`others`: every manufacturer but this one).
    pub fn check(mut self, others: &[Manufacturer]) -> Result<ManufacturerData, FieldErrors> {
        self.name = self.name.trim().to_string();
        self.address = self.address.trim().replace("\r\n", "\n");
        self.country = self.country.trim().to_uppercase();
        self.email = self.email.trim().to_string();
        self.contact_url = self.contact_url.trim().to_string();
        let mut errors = Vec::new();
        if self.name.is_empty() || self.name.chars().count() > 200 {
            errors.push(("name", "required_200"));
        } else if others.iter().any(|m| m.name == self.name) {
            errors.push(("name", "manufacturer_taken"));
        }
        // A postal address: at least a street line and a town line.
        if self
            .address
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
            < 2
            || self.address.chars().count() > 500
        {
            errors.push(("address", "postal_address"));
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(("country", "manufacturer_country"));
        }
        if self.email.is_empty() && self.contact_url.is_empty() {
            errors.push(("email", "electronic_address"));
        }
        if !self.email.is_empty() && !validator::ValidateEmail::validate_email(&self.email) {
            errors.push(("email", "email"));
        }
        if !self.contact_url.is_empty()
            && (!self.contact_url.starts_with("https://") || self.contact_url.len() > 300)
        {
            errors.push(("contact_url", "https_url"));
        }
        let responsible = self
            .responsible_id
            .and_then(|id| others.iter().find(|m| m.id == id));
        match (in_union(&self.country), responsible) {
            (true, None) if self.responsible_id.is_none() => {}
            (true, _) => errors.push(("responsible_id", "responsible_not_needed")),
            (false, Some(r)) if in_union(&r.country) => {}
            (false, _) if self.country.len() == 2 => {
                errors.push(("responsible_id", "responsible_needed"));
            }
            (false, _) => {}
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// Every manufacturer, by name.
pub fn manufacturers(conn: &mut DbConn) -> QueryResult<Vec<Manufacturer>> {
    manufacturers::table
        .order(manufacturers::name)
        .select(Manufacturer::as_select())
        .load(conn)
}

/// How many products name each manufacturer.
pub fn product_counts(conn: &mut DbConn) -> QueryResult<HashMap<ManufacturerId, i64>> {
    let rows: Vec<(Option<ManufacturerId>, i64)> = product_facts::table
        .filter(product_facts::manufacturer_id.is_not_null())
        .group_by(product_facts::manufacturer_id)
        .select((product_facts::manufacturer_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum ManufacturerError {
    #[error("invalid manufacturer")]
    Invalid(FieldErrors),
    #[error("no such manufacturer")]
    NotFound,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Adds a manufacturer (`None`) or changes one, checked against the others, audited.
pub fn save_manufacturer(
    conn: &mut DbConn,
    id: Option<ManufacturerId>,
    data: ManufacturerData,
    actor: Option<UserId>,
) -> Result<ManufacturerId, ManufacturerError> {
    conn.write_tx(|c| {
        let all = manufacturers(c)?;
        if id.is_some_and(|id| !all.iter().any(|m| m.id == id)) {
            return Err(ManufacturerError::NotFound);
        }
        let others: Vec<Manufacturer> = all.into_iter().filter(|m| Some(m.id) != id).collect();
        let data = data.check(&others).map_err(ManufacturerError::Invalid)?;
        let at = now();
        let values = (
            manufacturers::name.eq(&data.name),
            manufacturers::address.eq(&data.address),
            manufacturers::country.eq(&data.country),
            manufacturers::email.eq(&data.email),
            manufacturers::contact_url.eq(&data.contact_url),
            manufacturers::responsible_id.eq(data.responsible_id),
            manufacturers::updated_at.eq(at),
        );
        let (id, action) = match id {
            Some(id) => {
                diesel::update(manufacturers::table.find(id))
                    .set(values)
                    .execute(c)?;
                (id, "manufacturer.update")
            }
            None => {
                let id = diesel::insert_into(manufacturers::table)
                    .values((values, manufacturers::created_at.eq(at)))
                    .returning(manufacturers::id)
                    .get_result(c)?;
                (id, "manufacturer.create")
            }
        };
        // A manufacturer now in the Union is nobody's responsible person any more if it was
        // not before; one that left it cannot stay one.
        if !in_union(&data.country) {
            let represented: i64 = manufacturers::table
                .filter(manufacturers::responsible_id.eq(id))
                .count()
                .get_result(c)?;
            if represented > 0 {
                return Err(ManufacturerError::Invalid(vec![(
                    "country",
                    "responsible_outside",
                )]));
            }
        }
        audit::Change::new(actor, action, "manufacturer")
            .on(id)
            .after(&data)
            .record(c)?;
        Ok(id)
    })
}

/// A food's nutrition declaration per 100 g or 100 ml: energy in kJ and kcal, the rest in
/// hundredths of a gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nutrition {
    pub energy_kj: i32,
    pub energy_kcal: i32,
    pub fat_cg: i32,
    pub saturates_cg: i32,
    pub carbohydrate_cg: i32,
    pub sugars_cg: i32,
    pub protein_cg: i32,
    pub salt_cg: i32,
}

/// The nutrition fields in the order of Annex XV (their names in forms and CSV files).
pub const NUTRITION_FIELDS: [&str; 8] = [
    "energy_kj",
    "energy_kcal",
    "fat",
    "saturates",
    "carbohydrate",
    "sugars",
    "protein",
    "salt",
];

impl Nutrition {
    fn values(&self) -> [i32; 8] {
        [
            self.energy_kj,
            self.energy_kcal,
            self.fat_cg,
            self.saturates_cg,
            self.carbohydrate_cg,
            self.sugars_cg,
            self.protein_cg,
            self.salt_cg,
        ]
    }

    /// Each field as typed back into a form or a CSV file ("12.5", "0.03"; kJ and kcal whole).
    pub fn inputs(&self) -> [String; 8] {
        let v = self.values();
        std::array::from_fn(|i| {
            if i < 2 {
                v[i].to_string()
            } else {
                grams(v[i], ".")
            }
        })
    }
}

/// Hundredths of a gram written as grams, without trailing zeros ("12,5", "0,03", "4").
pub fn grams(cg: i32, separator: &str) -> String {
    let (whole, hundredths) = (cg / 100, cg % 100);
    match hundredths {
        0 => whole.to_string(),
        h if h % 10 == 0 => format!("{whole}{separator}{}", h / 10),
        h => format!("{whole}{separator}{h:02}"),
    }
}

/// Grams as typed ("12,5", "0.03", "4"): hundredths of a gram, at most 100 g (per 100 g).
fn parse_grams(typed: &str) -> Option<i32> {
    let typed = typed.trim().replace(',', ".");
    let (whole, fraction) = typed.split_once('.').unwrap_or((&typed, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || whole.len() > 3
    {
        return None;
    }
    let whole: i32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i32 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole * 100 + fraction).filter(|cg| *cg <= 10_000)
}

/// A percentage by volume as typed ("13,5"): tenths of a per cent, at most 100.
fn parse_strength(typed: &str) -> Option<i32> {
    let typed = typed
        .trim()
        .trim_end_matches("% vol")
        .trim_end_matches('%')
        .trim();
    parse_grams(typed)
        .filter(|cg| cg % 10 == 0)
        .map(|cg| cg / 10)
}

/// A product's facts as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsData {
    pub manufacturer_id: Option<ManufacturerId>,
    pub mpn: String,
    pub batch: String,
    pub warnings: String,
    pub warnings_en: String,
    pub food: bool,
    pub ingredients: String,
    pub ingredients_en: String,
    pub allergens: i32,
    pub nutrition: Option<Nutrition>,
    pub storage: String,
    pub storage_en: String,
    pub origin: String,
    pub origin_en: String,
    pub alcohol_tenths: Option<i32>,
}

type FactsRow = (
    ProductId,
    Option<ManufacturerId>,
    (String, String, String, String, bool, String, String, i32),
    (
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
    ),
    (String, String, String, String, Option<i32>),
);

macro_rules! facts_columns {
    () => {
        (
            product_facts::product_id,
            product_facts::manufacturer_id,
            (
                product_facts::mpn,
                product_facts::batch,
                product_facts::warnings,
                product_facts::warnings_en,
                product_facts::food,
                product_facts::ingredients,
                product_facts::ingredients_en,
                product_facts::allergens,
            ),
            (
                product_facts::energy_kj,
                product_facts::energy_kcal,
                product_facts::fat_cg,
                product_facts::saturates_cg,
                product_facts::carbohydrate_cg,
                product_facts::sugars_cg,
                product_facts::protein_cg,
                product_facts::salt_cg,
            ),
            (
                product_facts::storage,
                product_facts::storage_en,
                product_facts::origin,
                product_facts::origin_en,
                product_facts::alcohol_tenths,
            ),
        )
    };
}

fn from_row(row: FactsRow) -> (ProductId, FactsData) {
    let (id, manufacturer_id, text, n, more) = row;
    let nutrition = match n {
        (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f), Some(g), Some(h)) => {
            Some(Nutrition {
                energy_kj: a,
                energy_kcal: b,
                fat_cg: c,
                saturates_cg: d,
                carbohydrate_cg: e,
                sugars_cg: f,
                protein_cg: g,
                salt_cg: h,
            })
        }
        _ => None,
    };
    (
        id,
        FactsData {
            manufacturer_id,
            mpn: text.0,
            batch: text.1,
            warnings: text.2,
            warnings_en: text.3,
            food: text.4,
            ingredients: text.5,
            ingredients_en: text.6,
            allergens: text.7,
            nutrition,
            storage: more.0,
            storage_en: more.1,
            origin: more.2,
            origin_en: more.3,
            alcohol_tenths: more.4,
        },
    )
}

/// A product's facts; none written yet: empty ones.
pub fn of_product(conn: &mut DbConn, id: ProductId) -> QueryResult<FactsData> {
    Ok(product_facts::table
        .find(id)
        .select(facts_columns!())
        .first::<FactsRow>(conn)
        .optional()?
        .map(|row| from_row(row).1)
        .unwrap_or_default())
}

/// Every product's facts (for the CSV export and import).
pub fn all(conn: &mut DbConn) -> QueryResult<HashMap<ProductId, FactsData>> {
    Ok(product_facts::table
        .select(facts_columns!())
        .load::<FactsRow>(conn)?
        .into_iter()
        .map(from_row)
        .collect())
}

/// Writes a product's facts (inside the caller's transaction), audited when they changed.
pub fn save_in(
    conn: &mut DbConn,
    id: ProductId,
    data: &FactsData,
    actor: Option<UserId>,
) -> QueryResult<()> {
    let before = of_product(conn, id)?;
    if before == *data {
        return Ok(());
    }
    let n = data.nutrition.as_ref();
    let values = (
        product_facts::manufacturer_id.eq(data.manufacturer_id),
        (
            product_facts::mpn.eq(&data.mpn),
            product_facts::batch.eq(&data.batch),
            product_facts::warnings.eq(&data.warnings),
            product_facts::warnings_en.eq(&data.warnings_en),
            product_facts::food.eq(data.food),
            product_facts::ingredients.eq(&data.ingredients),
            product_facts::ingredients_en.eq(&data.ingredients_en),
            product_facts::allergens.eq(data.allergens),
        ),
        (
            product_facts::energy_kj.eq(n.map(|n| n.energy_kj)),
            product_facts::energy_kcal.eq(n.map(|n| n.energy_kcal)),
            product_facts::fat_cg.eq(n.map(|n| n.fat_cg)),
            product_facts::saturates_cg.eq(n.map(|n| n.saturates_cg)),
            product_facts::carbohydrate_cg.eq(n.map(|n| n.carbohydrate_cg)),
            product_facts::sugars_cg.eq(n.map(|n| n.sugars_cg)),
            product_facts::protein_cg.eq(n.map(|n| n.protein_cg)),
            product_facts::salt_cg.eq(n.map(|n| n.salt_cg)),
        ),
        (
            product_facts::storage.eq(&data.storage),
            product_facts::storage_en.eq(&data.storage_en),
            product_facts::origin.eq(&data.origin),
            product_facts::origin_en.eq(&data.origin_en),
            product_facts::alcohol_tenths.eq(data.alcohol_tenths),
        ),
        product_facts::updated_at.eq(now()),
    );
    let updated = diesel::update(product_facts::table.find(id))
        .set(values)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(product_facts::table)
            .values((product_facts::product_id.eq(id), values))
            .execute(conn)?;
    }
    audit::Change::new(actor, "product.facts", "product")
        .on(id)
        .before(&before)
        .after(data)
        .record(conn)?;
    Ok(())
}

/// A product's facts as typed in the back-office or a CSV file, text until checked; the
/// manufacturer is resolved by the caller (chosen in a list, or named in the file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FactsInput {
    pub mpn: String,
    pub batch: String,
    pub warnings: String,
    pub warnings_en: String,
    pub food: bool,
    pub ingredients: String,
    pub ingredients_en: String,
    /// Codes of [`ALLERGENS`].
    pub allergens: Vec<String>,
    /// As typed, in the order of [`NUTRITION_FIELDS`].
    pub nutrition: [String; 8],
    pub storage: String,
    pub storage_en: String,
    pub origin: String,
    pub origin_en: String,
    pub alcohol: String,
}

impl FactsInput {
    /// What the back-office form or a CSV file shows for stored facts.
    pub fn of(data: &FactsData) -> FactsInput {
        FactsInput {
            mpn: data.mpn.clone(),
            batch: data.batch.clone(),
            warnings: data.warnings.clone(),
            warnings_en: data.warnings_en.clone(),
            food: data.food,
            ingredients: data.ingredients.clone(),
            ingredients_en: data.ingredients_en.clone(),
            allergens: allergen_codes(data.allergens).map(str::to_string).collect(),
            nutrition: data.nutrition.map(|n| n.inputs()).unwrap_or_default(),
            storage: data.storage.clone(),
            storage_en: data.storage_en.clone(),
            origin: data.origin.clone(),
            origin_en: data.origin_en.clone(),
            alcohol: data
                .alcohol_tenths
                .map(|t| grams(t * 10, "."))
                .unwrap_or_default(),
        }
    }

    /// The facts, or the fields that are wrong with their message codes.
    pub fn check(&self, manufacturer_id: Option<ManufacturerId>) -> Result<FactsData, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let short = |s: &str| s.trim().chars().count() <= 100;
        for (field, value) in [("mpn", &self.mpn), ("batch", &self.batch)] {
            if !short(value) {
                errors.push((field, "max_100"));
            }
        }
        for (field, value, max) in [
            ("warnings", &self.warnings, 5000),
            ("warnings_en", &self.warnings_en, 5000),
            ("ingredients", &self.ingredients, 5000),
            ("ingredients_en", &self.ingredients_en, 5000),
            ("storage", &self.storage, 500),
            ("storage_en", &self.storage_en, 500),
            ("origin", &self.origin, 200),
            ("origin_en", &self.origin_en, 200),
        ] {
            if value.chars().count() > max {
                errors.push((field, "too_long"));
            }
        }
        let mut allergens = 0;
        for code in &self.allergens {
            match ALLERGENS.iter().position(|a| *a == code.trim()) {
                Some(bit) => allergens |= 1 << bit,
                None => errors.push(("allergens", "allergen")),
            }
        }
        // All seven particulars (energy in both units) or none (Regulation 1169/2011 art. 30).
        let typed: Vec<bool> = self
            .nutrition
            .iter()
            .map(|v| !v.trim().is_empty())
            .collect();
        let mut values = [0; 8];
        if typed.iter().any(|t| *t) {
            for (i, field) in NUTRITION_FIELDS.iter().enumerate() {
                let value = self.nutrition[i].trim();
                let parsed = if value.is_empty() {
                    errors.push((field, "nutrition_missing"));
                    continue;
                } else if i < 2 {
                    value.parse::<i32>().ok().filter(|v| (0..=4000).contains(v))
                } else {
                    parse_grams(value)
                };
                match parsed {
                    Some(v) => values[i] = v,
                    None => errors.push((field, "nutrition_value")),
                }
            }
            // "of which": saturates within fat, sugars within carbohydrate.
            if errors.is_empty() && values[3] > values[2] {
                errors.push(("saturates", "nutrition_part"));
            }
            if errors.is_empty() && values[5] > values[4] {
                errors.push(("sugars", "nutrition_part"));
            }
        }
        let alcohol = match self.alcohol.trim() {
            "" => Some(None),
            typed => parse_strength(typed).map(Some),
        };
        if alcohol.is_none() {
            errors.push(("alcohol", "alcohol_strength"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let nutrition = typed.iter().any(|t| *t).then_some(Nutrition {
            energy_kj: values[0],
            energy_kcal: values[1],
            fat_cg: values[2],
            saturates_cg: values[3],
            carbohydrate_cg: values[4],
            sugars_cg: values[5],
            protein_cg: values[6],
            salt_cg: values[7],
        });
        let text = |s: &str| s.trim().replace("\r\n", "\n");
        Ok(FactsData {
            manufacturer_id,
            mpn: text(&self.mpn),
            batch: text(&self.batch),
            warnings: text(&self.warnings),
            warnings_en: text(&self.warnings_en),
            // Ingredients, allergens or a nutrition declaration make a food.
            food: self.food || allergens != 0 || nutrition.is_some(),
            ingredients: text(&self.ingredients),
            ingredients_en: text(&self.ingredients_en),
            allergens,
            nutrition,
            storage: text(&self.storage),
            storage_en: text(&self.storage_en),
            origin: text(&self.origin),
            origin_en: text(&self.origin_en),
            alcohol_tenths: alcohol.flatten(),
        })
    }
}

/// The codes of the allergen groups a bit set holds, in the order of Annex II.
pub fn allergen_codes(bits: i32) -> impl Iterator<Item = &'static str> {
    ALLERGENS
        .iter()
        .enumerate()
        .filter(move |(i, _)| bits & (1 << i) != 0)
        .map(|(_, code)| *code)
}

/// An ingredients list as HTML, escaped, with the words of the allergen groups it holds
/// emphasised in `<strong>` (Regulation (EU) 1169/2011 art. 21: "by means of a typeset that
/// clearly distinguishes it from the rest of the list"), and any span the shop wrote between
/// `**` emphasised as well.
pub fn emphasise(ingredients: &str, allergens: i32) -> String {
    use crate::text::{escape_html as escape, fold};
    // Folded once here, not for each word of the list.
    let words: Vec<String> = ALLERGEN_WORDS
        .iter()
        .enumerate()
        .filter(|(i, _)| allergens & (1 << i) != 0)
        .flat_map(|(_, w)| w.iter().map(|w| fold(w)))
        .collect();
    let mut out = String::with_capacity(ingredients.len() + 32);
    let parts = ingredients.split("**").count();
    for (n, part) in ingredients.split("**").enumerate() {
        // Odd parts were between two `**`; the last one, when odd, was opened but not closed.
        if n % 2 == 1 && n + 1 < parts {
            out.push_str("<strong>");
            out.push_str(&escape(part));
            out.push_str("</strong>");
            continue;
        }
        if n % 2 == 1 {
            out.push_str("**");
        }
        let mut word = String::new();
        for c in part.chars().chain(std::iter::once('\u{0}')) {
            if c.is_alphanumeric() || c == '\'' || c == '’' || c == 'œ' {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                let folded = fold(&word);
                let bare = folded.rsplit(['\'', '’']).next().unwrap_or(&folded);
                if words.iter().any(|w| bare.starts_with(w.as_str())) {
                    out.push_str("<strong>");
                    out.push_str(&escape(&word));
                    out.push_str("</strong>");
                } else {
                    out.push_str(&escape(&word));
                }
                word.clear();
            }
            if c != '\u{0}' {
                let mut buf = [0; 4];
                out.push_str(&escape(c.encode_utf8(&mut buf)));
            }
        }
    }
    out
}

/// Each manufacturer by name, for the CSV import.
pub fn by_name(conn: &mut DbConn) -> QueryResult<HashMap<String, ManufacturerId>> {
    Ok(manufacturers(conn)?
        .into_iter()
        .map(|m| (m.name, m.id))
        .collect())
}

/// A product's facts as its page shows them, in the visitor's language once
/// [`FactsView::localize`] has run.
#[derive(Debug, Clone, Serialize)]
pub struct FactsView {
    pub manufacturer: Option<Manufacturer>,
    pub responsible: Option<Manufacturer>,
    pub mpn: String,
    pub batch: String,
    /// Markdown, and as HTML (sanitised).
    pub warnings: String,
    pub warnings_html: String,
    pub food: bool,
    /// HTML (escaped, allergens emphasised).
    pub ingredients_html: String,
    pub allergens: Vec<&'static str>,
    pub nutrition: Option<Nutrition>,
    pub storage: String,
    pub origin: String,
    pub alcohol_tenths: Option<i32>,
    /// The lines of the nutrition table, its alcoholic strength and its economic operators
    /// (manufacturer, then responsible person), written for the visitor's language.
    pub nutrition_rows: Vec<NutritionRow>,
    pub alcohol: String,
    pub operators: Vec<OperatorView>,
    #[serde(skip)]
    data: FactsData,
}

/// A manufacturer or responsible person on a product page: its role (`manufacturer`,
/// `responsible`), its data and its country's name.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorView {
    pub role: &'static str,
    pub operator: Manufacturer,
    pub country: String,
}

/// A line of the nutrition table: its message key, its value, and whether it is an "of which".
#[derive(Debug, Clone, Serialize)]
pub struct NutritionRow {
    pub key: &'static str,
    pub value: String,
    pub part: bool,
}

impl FactsView {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.data == FactsData::default()
    }

    /// The texts in the visitor's language (the French where the English is empty).
    pub fn localize(&mut self, lang: Lang) {
        let english = lang == Lang::En;
        let pick = |fr: &str, en: &str| {
            if english {
                crate::text::english_or(en, fr).to_string()
            } else {
                fr.to_string()
            }
        };
        let d = &self.data;
        self.warnings = pick(&d.warnings, &d.warnings_en);
        self.warnings_html = crate::legal::markdown::render(&self.warnings);
        self.ingredients_html = emphasise(&pick(&d.ingredients, &d.ingredients_en), d.allergens);
        self.storage = pick(&d.storage, &d.storage_en);
        self.origin = pick(&d.origin, &d.origin_en);
        let separator = if english { "." } else { "," };
        self.alcohol = d
            .alcohol_tenths
            .map(|t| grams(t * 10, separator))
            .unwrap_or_default();
        self.nutrition_rows = d
            .nutrition
            .map(|n| {
                let g = |cg: i32| format!("{} g", grams(cg, separator));
                vec![
                    NutritionRow {
                        key: "energy",
                        value: format!("{} kJ / {} kcal", n.energy_kj, n.energy_kcal),
                        part: false,
                    },
                    NutritionRow {
                        key: "fat",
                        value: g(n.fat_cg),
                        part: false,
                    },
                    NutritionRow {
                        key: "saturates",
                        value: g(n.saturates_cg),
                        part: true,
                    },
                    NutritionRow {
                        key: "carbohydrate",
                        value: g(n.carbohydrate_cg),
                        part: false,
                    },
                    NutritionRow {
                        key: "sugars",
                        value: g(n.sugars_cg),
                        part: true,
                    },
                    NutritionRow {
                        key: "protein",
                        value: g(n.protein_cg),
                        part: false,
                    },
                    NutritionRow {
                        key: "salt",
                        value: g(n.salt_cg),
                        part: false,
                    },
                ]
            })
            .unwrap_or_default();
        self.operators = [
            ("manufacturer", &self.manufacturer),
            ("responsible", &self.responsible),
        ]
        .into_iter()
        .filter_map(|(role, m)| {
            let m = m.as_ref()?;
            Some(OperatorView {
                role,
                country: lang
                    .try_t(&format!("country-{}", m.country))
                    .unwrap_or_else(|| m.country.clone()),
                operator: m.clone(),
            })
        })
        .collect();
    }
}

/// A product's facts for its page, with its manufacturer and responsible person (a query each).
pub fn for_page(conn: &mut DbConn, id: ProductId) -> QueryResult<FactsView> {
    let data = of_product(conn, id)?;
    let find = |conn: &mut DbConn, id: Option<ManufacturerId>| match id {
        Some(id) => manufacturers::table
            .find(id)
            .select(Manufacturer::as_select())
            .first(conn)
            .optional(),
        None => Ok(None),
    };
    let manufacturer = find(conn, data.manufacturer_id)?;
    let responsible = find(conn, manufacturer.as_ref().and_then(|m| m.responsible_id))?;
    let view = FactsView {
        manufacturer,
        responsible,
        mpn: data.mpn.clone(),
        batch: data.batch.clone(),
        warnings: String::new(),
        warnings_html: String::new(),
        food: data.food,
        ingredients_html: String::new(),
        allergens: allergen_codes(data.allergens).collect(),
        nutrition: data.nutrition,
        storage: String::new(),
        origin: String::new(),
        alcohol_tenths: data.alcohol_tenths,
        nutrition_rows: Vec::new(),
        alcohol: String::new(),
        operators: Vec::new(),
        data,
    };
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_read_and_written() {
        assert_eq!(parse_grams("12,5"), Some(1250));
        assert_eq!(parse_grams("0.03"), Some(3));
        assert_eq!(parse_grams("4"), Some(400));
        assert_eq!(parse_grams(",5"), Some(50));
        assert_eq!(parse_grams("100"), Some(10_000));
        assert_eq!(parse_grams("100.01"), None, "more than 100 g per 100 g");
        assert_eq!(parse_grams("-1"), None);
        assert_eq!(parse_grams("0.005"), None);
        assert_eq!(parse_grams("abc"), None);
        assert_eq!(grams(1250, ","), "12,5");
        assert_eq!(grams(3, ","), "0,03");
        assert_eq!(grams(400, "."), "4");
        assert_eq!(parse_strength("13,5 % vol"), Some(135));
        assert_eq!(parse_strength("13,55"), None);
    }

    #[test]
    fn nutrition_is_all_or_nothing() {
        let mut input = FactsInput {
            nutrition: std::array::from_fn(|i| {
                ["1500", "360", "12,5", "2", "50", "3", "8", "0,9"][i].to_string()
            }),
            ..FactsInput::default()
        };
        let data = input.check(None).unwrap();
        assert!(data.food, "a nutrition declaration makes a food");
        assert_eq!(data.nutrition.unwrap().fat_cg, 1250);
        input.nutrition[7].clear();
        assert_eq!(
            input.check(None).unwrap_err(),
            vec![("salt", "nutrition_missing")]
        );
        input.nutrition[7] = "-1".into();
        assert_eq!(
            input.check(None).unwrap_err(),
            vec![("salt", "nutrition_value")]
        );
        input.nutrition[7] = "1".into();
        input.nutrition[3] = "13".into();
        assert_eq!(
            input.check(None).unwrap_err(),
            vec![("saturates", "nutrition_part")]
        );
        let none = FactsInput::default().check(None).unwrap();
        assert_eq!(none, FactsData::default());
    }

    #[test]
    fn allergens_are_emphasised() {
        let mustard = 1 << 9;
        let sulphites = 1 << 11;
        assert_eq!(
            emphasise(
                "Eau, graines de moutarde, vinaigre, sel, disulfite de potassium",
                mustard | sulphites
            ),
            "Eau, graines de <strong>moutarde</strong>, vinaigre, sel, disulfite de potassium"
        );
        assert_eq!(
            emphasise("Farine de blé, lait, l'œuf <b>", (1 << 0) | (1 << 6) | (1 << 2)),
            "Farine de <strong>blé</strong>, <strong>lait</strong>, <strong>l'œuf</strong> &lt;b&gt;"
        );
        assert_eq!(
            emphasise("Vin, **sulfites**", 0),
            "Vin, <strong>sulfites</strong>"
        );
        assert_eq!(emphasise("a ** b", 0), "a ** b");
    }

    #[test]
    fn manufacturers_outside_the_union_need_a_responsible_person() {
        let data = |country: &str, responsible: Option<i64>| ManufacturerData {
            name: "Maker".into(),
            address: "1 rue X\n75001 Paris".into(),
            country: country.into(),
            email: "contact@example.com".into(),
            contact_url: String::new(),
            responsible_id: responsible.map(ManufacturerId),
        };
        let eu = Manufacturer {
            id: ManufacturerId(7),
            name: "EU rep".into(),
            address: "a\nb".into(),
            country: "BE".into(),
            email: "rep@example.com".into(),
            contact_url: String::new(),
            responsible_id: None,
        };
        let others = [eu];
        assert!(data("FR", None).check(&others).is_ok());
        assert_eq!(
            data("CN", None).check(&others).unwrap_err(),
            vec![("responsible_id", "responsible_needed")]
        );
        assert!(data("CN", Some(7)).check(&others).is_ok());
        let mut no_address = data("FR", None);
        no_address.address = "Paris".into();
        no_address.email.clear();
        assert_eq!(
            no_address.check(&others).unwrap_err(),
            vec![
                ("address", "postal_address"),
                ("email", "electronic_address")
            ]
        );
    }
}
