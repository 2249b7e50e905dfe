//! `Stripe-Signature` verification: an HMAC-SHA256 of `<t>.<raw body>` under one of the
//! endpoint's secrets (several during a rotation), compared in constant time, with the
//! timestamp no further than the tolerance from now (replays of old deliveries are refused).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a signature's timestamp may be from now.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no usable Stripe-Signature header")]
    Malformed,
    #[error("signature timestamp outside the tolerance")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `header` for `body` against any of `secrets`; returns the signed timestamp.
pub fn verify(
    header: &str,
    body: &[u8],
    secrets: &[String],
    now_unix: i64,
) -> Result<i64, SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => {
                if let Some(bytes) = hex(sig) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let t = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() || secrets.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_unix - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    for secret in secrets {
        for sig in &signatures {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
                .map_err(|_| SignatureError::Malformed)?;
            mac.update(t.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            // `verify_slice` compares in constant time.
            if mac.verify_slice(sig).is_ok() {
                return Ok(t);
            }
        }
    }
    Err(SignatureError::Mismatch)
}

/// Signs `body` as Stripe does (for tests and tools that play Stripe's part).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn secrets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_good_signature_passes_with_any_configured_secret() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign("whsec_new", NOW - 10, body);
        assert_eq!(
            verify(&header, body, &secrets(&["whsec_old", "whsec_new"]), NOW),
            Ok(NOW - 10)
        );
    }

    #[test]
    fn forged_stale_and_malformed_signatures_fail() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign("whsec_a", NOW, body);
        let s = secrets(&["whsec_a"]);
        assert_eq!(
            verify(&good, b"{\"id\":\"evt_2\"}", &s, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&sign("whsec_b", NOW, body), body, &s, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&sign("whsec_a", NOW - 301, body), body, &s, NOW),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("v1=abcd", body, &s, NOW),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify("t=1,v1=zz", body, &s, NOW),
            Err(SignatureError::Malformed)
        );
        assert_eq!(verify("", body, &s, NOW), Err(SignatureError::Malformed));
        assert_eq!(
            verify(&good, body, &[], NOW),
            Err(SignatureError::Malformed)
        );
    }
}
