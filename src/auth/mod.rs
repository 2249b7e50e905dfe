//! Who is asking: server-side sessions, password hashing, request guards for roles, CSRF.

pub mod password;
pub mod session;
pub mod totp;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use session::SessionUser;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "customer" => Some(Role::Customer),
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn is_staff(self) -> bool {
        self >= Role::Staff
    }
}

crate::db::text_enum!(Role);

/// The server's secret, from which every MAC (CSRF tokens, signed links) is derived.
#[derive(Clone)]
pub struct Keys {
    secret: Vec<u8>,
}

impl Keys {
    pub fn new(secret: Vec<u8>) -> Keys {
        Keys { secret }
    }

    /// A MAC over `data` for one `purpose`, so that a value signed for one use never
    /// validates for another.
    pub fn sign(&self, purpose: &str, data: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    pub fn verify(&self, purpose: &str, data: &str, signature: &str) -> bool {
        use subtle::ConstantTimeEq;
        let expected = self.sign(purpose, data);
        expected.as_bytes().ct_eq(signature.as_bytes()).into()
    }

    /// The pepper mixed into passwords before bcrypt, derived so it never equals the secret.
    pub fn derive(&self, purpose: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// A random token for a cookie or a link, and the hash under which the database keeps it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(ha, hash_token(&a));
        assert_eq!(ha.len(), 64);
        assert!(!ha.contains(&a));
    }

    #[test]
    fn signatures_are_bound_to_purpose_and_key() {
        let keys = Keys::new(b"k1".to_vec());
        let sig = keys.sign("csrf", "abc");
        assert!(keys.verify("csrf", "abc", &sig));
        assert!(!keys.verify("link", "abc", &sig));
        assert!(!keys.verify("csrf", "abd", &sig));
        assert!(!Keys::new(b"k2".to_vec()).verify("csrf", "abc", &sig));
    }

    #[test]
    fn roles_order() {
        assert!(Role::Admin.is_staff() && Role::Staff.is_staff() && !Role::Customer.is_staff());
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
