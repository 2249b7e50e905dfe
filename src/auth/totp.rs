//! Time-based one-time passwords (RFC 6238, the 6-digit, 30-second codes of authenticator
//! apps), their set-up QR code as SVG, and recovery codes.

use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

/// Codes from the previous and next 30-second windows are accepted too (clock drift).
const SKEW: i64 = 1;
const STEP: u64 = 30;

/// A new random secret (160 bits, as authenticator apps expect), base32-encoded.
pub fn new_secret() -> String {
    let mut bytes = vec![0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    Secret::Raw(bytes).to_encoded().to_string()
}

fn totp(secret: &str, issuer: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    // The otpauth URL forbids ':' in the issuer and the account name.
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP,
        bytes,
        Some(issuer.replace(':', " ")),
        account.replace(':', " "),
    )
    .ok()
}

/// The time step (30-second window number) whose code `code` is, near `unix_time`; `None` when
/// it is no such code. Callers refuse a step already used, so a code works once.
pub fn matching_step(secret: &str, code: &str, unix_time: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "x", "x")?;
    let now = (unix_time / STEP) as i64;
    (now - SKEW..=now + SKEW).filter(|s| *s >= 0).find(|s| {
        let expected = totp.generate(*s as u64 * STEP);
        bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            code.as_bytes(),
        ))
    })
}

/// Encrypts a secret for the database (AES-256-GCM under a key derived from the shop's
/// secret): a copy of the database alone does not give away anyone's second factor.
pub fn seal(key: &[u8], secret: &str) -> String {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::Engine as _;
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).expect("a 32-byte key");
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(aes_gcm::Nonce::from_slice(&nonce), secret.as_bytes())
        .expect("AES-GCM encryption");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    format!(
        "v1:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
    )
}

/// The secret `seal` stored, or `None` if it does not open with this key.
pub fn open(key: &[u8], stored: &str) -> Option<String> {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(stored.strip_prefix("v1:")?)
        .ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(key).ok()?;
    let plain = cipher
        .decrypt(aes_gcm::Nonce::from_slice(&bytes[..12]), &bytes[12..])
        .ok()?;
    String::from_utf8(plain).ok()
}

/// The code of the current window (for tests and the set-up page's self-check).
pub fn current_code(secret: &str, unix_time: u64) -> Option<String> {
    Some(totp(secret, "x", "x")?.generate(unix_time))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, issuer: &str, account: &str) -> Option<String> {
    Some(totp(secret, issuer, account)?.get_url())
}

/// The QR code of `text` as an SVG element (modules only: no text of the address appears).
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Drop the XML declaration: the SVG goes inline into the page.
    Some(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

/// Ten single-use recovery codes, `xxxxx-xxxxx` from an unambiguous alphabet (50 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| {
            let mut s = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    s.push('-');
                }
                let n = (rng.next_u32() as usize) % ALPHABET.len();
                s.push(ALPHABET[n] as char);
            }
            s
        })
        .collect()
}

/// How a recovery code is compared: lower case, without spaces or dashes.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_own_window_and_its_neighbours_only() {
        let secret = new_secret();
        let t = 1_800_000_000;
        let code = current_code(&secret, t).unwrap();
        assert_eq!(matching_step(&secret, &code, t), Some((t / 30) as i64));
        assert_eq!(matching_step(&secret, &code, t + 30), Some((t / 30) as i64));
        assert_eq!(matching_step(&secret, &code, t + 90), None);
        assert_eq!(matching_step(&secret, "12345", t), None);
        assert_eq!(matching_step(&secret, "abcdef", t), None);
    }

    #[test]
    fn rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s → 94287082
        // (8 digits); its last six digits are the 6-digit code.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(current_code(&secret, 59).as_deref(), Some("287082"));
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let secret = new_secret();
        let sealed = seal(&[1u8; 32], &secret);
        assert!(!sealed.contains(&secret));
        assert_eq!(open(&[1u8; 32], &sealed).as_deref(), Some(secret.as_str()));
        assert_eq!(open(&[2u8; 32], &sealed), None);
        assert_ne!(seal(&[1u8; 32], &secret), sealed, "a fresh nonce each time");
    }

    #[test]
    fn recovery_codes_are_distinct_and_readable() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert!(codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(normalise_recovery_code(" ABCDE-fghjk "), "abcdefghjk");
    }

    #[test]
    fn the_qr_code_is_an_svg_without_the_address_in_it() {
        let url = otpauth_url(&new_secret(), "Comptoir", "lea@comptoir.test").unwrap();
        assert!(url.starts_with("otpauth://totp/"));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("lea@"));
    }
}
