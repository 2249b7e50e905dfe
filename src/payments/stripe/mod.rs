//! Stripe: the REST client, webhook signatures, and the [`Provider`](crate::payments::Provider) they make.

pub mod client;
pub mod signature;

use std::time::Duration;

use crate::money::Money;
use crate::payments::{Intent, NewIntent, Provider, ProviderError};
use client::StripeClient;

pub struct StripeProvider {
    client: StripeClient,
}

impl StripeProvider {
    pub fn new(api_base: &str, secret_key: &str, timeout: Duration) -> StripeProvider {
        StripeProvider {
            client: StripeClient::new(api_base, secret_key, timeout),
        }
    }
}

impl Provider for StripeProvider {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn create(&self, new: &NewIntent) -> Result<Intent, ProviderError> {
        self.client.create_intent(new)
    }

    fn fetch(&self, id: &str) -> Result<Intent, ProviderError> {
        self.client.intent(id)
    }

    fn cancel(&self, id: &str) -> Result<Intent, ProviderError> {
        self.client.cancel_intent(id)
    }

    fn refund(&self, id: &str, amount_cents: Money, key: &str) -> Result<String, ProviderError> {
        self.client.refund(id, amount_cents, key)
    }
}

/// The part of a webhook event the shop reads.
#[derive(Debug, serde::Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, serde::Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

impl Event {
    /// The payment the event is about, when it is about a PaymentIntent.
    pub fn intent(&self) -> Option<Intent> {
        let o = &self.data.object;
        if o.get("object")?.as_str()? != "payment_intent" {
            return None;
        }
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Some(Intent {
            id: text("id")?,
            state: client::state_of(&text("status").unwrap_or_default()),
            amount_cents: Money(o.get("amount")?.as_i64()?),
            currency: text("currency").unwrap_or_default(),
            client_secret: None,
            order_number: o
                .get("metadata")
                .and_then(|m| m.get("order"))
                .and_then(|v| v.as_str())
                .map(str::to_string),
        })
    }

    /// Why a payment attempt failed, as the provider words it.
    pub fn failure_message(&self) -> Option<String> {
        self.data
            .object
            .get("last_payment_error")
            .and_then(|e| e.get("message"))
            .and_then(|m| m.as_str())
            .map(str::to_string)
    }
}
