//! Stripe's REST API over HTTPS (`ureq`, blocking: call it from a blocking thread), with a
//! bounded timeout on every call. Only what the shop uses: PaymentIntents and refunds.

use std::time::Duration;

use serde::Deserialize;

use crate::money::Money;
use crate::payments::{Intent, IntentState, NewIntent, ProviderError};

pub struct StripeClient {
    agent: ureq::Agent,
    base: String,
    secret_key: String,
}

#[derive(Deserialize)]
struct ApiIntent {
    id: String,
    status: String,
    amount: i64,
    currency: String,
    client_secret: Option<String>,
    #[serde(default)]
    metadata: std::collections::HashMap<String, String>,
}

#[derive(Deserialize)]
struct ApiRefund {
    id: String,
}

#[derive(Deserialize)]
struct ApiError {
    error: ApiErrorBody,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    message: Option<String>,
}

impl StripeClient {
    pub fn new(base: &str, secret_key: &str, timeout: Duration) -> StripeClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        StripeClient {
            agent,
            base: base.trim_end_matches('/').to_string(),
            secret_key: secret_key.to_string(),
        }
    }

    fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        idempotency_key: Option<&str>,
        form: &[(&str, String)],
    ) -> Result<T, ProviderError> {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.secret_key));
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        read(request.send_form(pairs))
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, ProviderError> {
        let request = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.secret_key));
        read(request.call())
    }

    pub fn create_intent(&self, new: &NewIntent) -> Result<Intent, ProviderError> {
        let form = [
            ("amount", new.amount_cents.to_string()),
            ("currency", "eur".to_string()),
            ("payment_method_types[]", "card".to_string()),
            ("metadata[order]", new.order_number.clone()),
        ];
        self.post::<ApiIntent>("/v1/payment_intents", Some(&new.idempotency_key), &form)
            .map(Intent::from)
    }

    pub fn intent(&self, id: &str) -> Result<Intent, ProviderError> {
        self.get::<ApiIntent>(&format!("/v1/payment_intents/{}", path_segment(id)?))
            .map(Intent::from)
    }

    pub fn cancel_intent(&self, id: &str) -> Result<Intent, ProviderError> {
        self.post::<ApiIntent>(
            &format!("/v1/payment_intents/{}/cancel", path_segment(id)?),
            None,
            &[],
        )
        .map(Intent::from)
    }

    pub fn refund(
        &self,
        intent_id: &str,
        amount_cents: Money,
        idempotency_key: &str,
    ) -> Result<String, ProviderError> {
        let form = [
            ("payment_intent", intent_id.to_string()),
            ("amount", amount_cents.to_string()),
        ];
        self.post::<ApiRefund>("/v1/refunds", Some(idempotency_key), &form)
            .map(|r| r.id)
    }
}

/// Ids go into URL paths: only the characters Stripe's ids are made of.
fn path_segment(id: &str) -> Result<&str, ProviderError> {
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(id)
    } else {
        Err(ProviderError::Refused(format!("bad id {id:?}")))
    }
}

fn read<T: serde::de::DeserializeOwned>(
    sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<T, ProviderError> {
    let mut response = sent.map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    if status >= 500 || status == 429 {
        return Err(ProviderError::Unavailable(format!("HTTP {status}")));
    }
    if status >= 400 {
        let message = serde_json::from_str::<ApiError>(&text)
            .ok()
            .and_then(|e| e.error.message)
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(ProviderError::Refused(message));
    }
    serde_json::from_str(&text)
        .map_err(|e| ProviderError::Unavailable(format!("unreadable answer: {e}")))
}

/// A PaymentIntent's `status` as the shop sees it.
pub fn state_of(status: &str) -> IntentState {
    match status {
        "succeeded" => IntentState::Succeeded,
        "canceled" => IntentState::Canceled,
        "processing" => IntentState::Processing,
        // requires_payment_method (also after a refused card), requires_action, …
        _ => IntentState::Open,
    }
}

impl From<ApiIntent> for Intent {
    fn from(a: ApiIntent) -> Intent {
        Intent {
            state: state_of(&a.status),
            id: a.id,
            amount_cents: Money(a.amount),
            currency: a.currency,
            client_secret: a.client_secret,
            order_number: a.metadata.get("order").cloned(),
        }
    }
}
