//! Card payments: a small provider interface (Stripe is the first implementation; another,
//! such as Mollie, plugs in beside it without touching checkout or orders), the `payments` and
//! `payment_events` tables, the service that turns what the provider says into order steps,
//! and the routes: the payment page, its return page and the provider's webhook.

pub mod model;
pub mod open;
pub mod service;
pub mod stripe;

use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::money::Money;

/// A payment to open at the provider for an order.
#[derive(Debug, Clone)]
pub struct NewIntent {
    pub order_number: String,
    pub amount_cents: Money,
    /// Derived from the order, so a retry or a double click never opens a second payment.
    pub idempotency_key: String,
}

/// Where a payment stands at the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentState {
    /// Waiting for the customer (or for another try after a refused card).
    Open,
    /// The provider is still confirming it.
    Processing,
    Succeeded,
    Canceled,
}

/// A payment as the provider describes it.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub state: IntentState,
    pub amount_cents: Money,
    pub currency: String,
    /// What the browser needs to confirm it (Stripe.js).
    pub client_secret: Option<String>,
    pub order_number: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    /// Down, slow, or answering nonsense: try again later; nothing is lost.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
    /// The provider said no (bad request, unknown payment, refused refund).
    #[error("payment provider refused: {0}")]
    Refused(String),
}

/// What the shop asks of a payment provider. Calls block (bounded by a timeout): run them on a
/// blocking thread, never on an async worker.
pub trait Provider: Send + Sync {
    /// Its name in the `payments` table and in its webhook's path.
    fn name(&self) -> &'static str;
    fn create(&self, new: &NewIntent) -> Result<Intent, ProviderError>;
    fn fetch(&self, id: &str) -> Result<Intent, ProviderError>;
    fn cancel(&self, id: &str) -> Result<Intent, ProviderError>;
    /// Returns the refund's id.
    fn refund(&self, id: &str, amount_cents: Money, key: &str) -> Result<String, ProviderError>;
}

/// The card-payment set-up, managed as state: the provider when keys are configured, and what
/// the payment page and the webhook need.
#[derive(Clone, Default)]
pub struct Payments {
    pub provider: Option<Arc<dyn Provider>>,
    pub publishable_key: String,
    pub js_url: String,
    pub api_base: String,
    pub webhook_secrets: Vec<String>,
}

impl Payments {
    pub fn from_settings(s: &Settings) -> Payments {
        let secrets: Vec<String> = s
            .stripe_webhook_secret
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect();
        let provider = match (&s.stripe_secret_key, &s.stripe_publishable_key) {
            (Some(secret), Some(public)) if !secret.is_empty() && !public.is_empty() => {
                Some(Arc::new(stripe::StripeProvider::new(
                    &s.stripe_api_base,
                    secret,
                    Duration::from_secs(s.payment_timeout_secs.max(1)),
                )) as Arc<dyn Provider>)
            }
            _ => None,
        };
        Payments {
            provider,
            publishable_key: s.stripe_publishable_key.clone().unwrap_or_default(),
            js_url: s.stripe_js_url.clone(),
            api_base: s.stripe_api_base.clone(),
            webhook_secrets: secrets,
        }
    }

    /// Card payment is offered at checkout.
    pub fn cards(&self) -> bool {
        self.provider.is_some()
    }
}

/// `scheme://host[:port]` of a URL, for the payment page's Content-Security-Policy.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let ok = matches!(scheme, "https" | "http")
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin("https://js.stripe.com/v3/").as_deref(),
            Some("https://js.stripe.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:8420/js.stripe.com/v3/").as_deref(),
            Some("http://127.0.0.1:8420")
        );
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://a.b'; script-src *"), None);
    }
}
