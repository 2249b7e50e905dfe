//! Street suggestions at checkout from the national address API (Base Adresse Nationale,
//! `api-adresse.data.gouv.fr`), when a shop switches it on (`address_api_url`). It answers in
//! GeoCodeJSON: a FeatureCollection whose features' `properties` carry `label`, `name` (number
//! and street), `postcode` and `city`. Calls are bounded by a short timeout; whatever goes wrong
//! (timeout, an error status, an unreadable answer), the customer simply gets no suggestion and
//! the embedded postal-code check still applies when the form is sent.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::address::places;
use crate::address::places::TownCheck;
use crate::config::Settings;

/// At most this many suggestions are asked for and offered.
const LIMIT: usize = 5;

/// The client, when the shop uses the API (managed state; `None` when it is off).
#[derive(Clone)]
pub struct AddressApi(Option<Arc<Client>>);

pub struct Client {
    agent: ureq::Agent,
    base: String,
}

/// One address offered for the street field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub label: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
}

#[derive(Deserialize)]
struct Properties {
    label: String,
    name: String,
    postcode: Option<String>,
    city: Option<String>,
}

impl AddressApi {
    /// The API's base URL when the shop has set one.
    pub fn configured(s: &Settings) -> Option<&str> {
        s.address_api_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }

    pub fn from_settings(s: &Settings) -> AddressApi {
        AddressApi(AddressApi::configured(s).map(|base| {
            let agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_millis(s.address_api_timeout_ms.max(1))))
                .build()
                .into();
            Arc::new(Client {
                agent,
                base: base.trim_end_matches('/').to_string(),
            })
        }))
    }

    pub fn enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Addresses matching what the customer typed (within `postal_code` when it has one), on a
    /// blocking thread; empty when the API is off, slow or failing, or the query too short.
    pub async fn suggest(&self, query: &str, postal_code: &str) -> Vec<Suggestion> {
        let Some(client) = self.0.clone() else {
            return Vec::new();
        };
        let query = query.trim().to_string();
        let chars = query.chars().count();
        if !(3..=200).contains(&chars) {
            return Vec::new();
        }
        let postal_code = Some(postal_code.split_whitespace().collect::<String>())
            .filter(|c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()));
        tokio::task::spawn_blocking(move || {
            client
                .search(&query, postal_code.as_deref())
                .unwrap_or_else(|e| {
                    log::warn!("address API: {e}");
                    Vec::new()
                })
        })
        .await
        .unwrap_or_default()
    }
}

impl Client {
    fn search(&self, query: &str, postal_code: Option<&str>) -> Result<Vec<Suggestion>, String> {
        let mut request = self
            .agent
            .get(format!("{}/search/", self.base))
            .query("q", query)
            .query("limit", LIMIT.to_string())
            .query("autocomplete", "1")
            .header("Accept", "application/json");
        if let Some(code) = postal_code {
            request = request.query("postcode", code);
        }
        let mut response = request.call().map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        let found: Collection = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(suggestions(found))
    }
}

/// Addresses the checkout would accept as they are: a French postal code whose communes
/// include the town (so a suggestion never leads to a refusal).
fn suggestions(found: Collection) -> Vec<Suggestion> {
    found
        .features
        .into_iter()
        .filter_map(|f| {
            let p = f.properties;
            let (postal_code, city) = (p.postcode?, p.city?);
            (places::check(&postal_code, &city) == TownCheck::Matches).then_some(Suggestion {
                label: p.label,
                street: p.name,
                postal_code,
                city,
            })
        })
        .take(LIMIT)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_geocodejson_and_keeps_what_the_checkout_accepts() {
        let answer = r#"{"type":"FeatureCollection","version":"draft","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[4.85,45.76]},
           "properties":{"label":"12 Rue de la République 69002 Lyon","score":0.9,
             "housenumber":"12","id":"69382_1234_00012","name":"12 Rue de la République",
             "postcode":"69002","citycode":"69382","city":"Lyon","type":"housenumber",
             "context":"69, Rhône, Auvergne-Rhône-Alpes","street":"Rue de la République"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},
           "properties":{"label":"Somewhere 99999 Nowhere","name":"Somewhere",
             "postcode":"99999","city":"Nowhere","type":"street"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},
           "properties":{"label":"Lyon","name":"Lyon","type":"municipality"}}
        ],"query":"12 rue de la republique"}"#;
        let found: Collection = serde_json::from_str(answer).unwrap();
        assert_eq!(
            suggestions(found),
            vec![Suggestion {
                label: "12 Rue de la République 69002 Lyon".into(),
                street: "12 Rue de la République".into(),
                postal_code: "69002".into(),
                city: "Lyon".into(),
            }]
        );
    }
}
