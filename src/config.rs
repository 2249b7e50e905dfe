//! Typed settings, read from Rocket's figment (Rocket.toml, `ROCKET_*` variables) plus
//! `DATABASE_URL`; tests hand their own figment to `app::build`.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;
use rocket::figment::Figment;
use serde::Deserialize;

use crate::db;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Shown in the header and in emails.
    pub shop_name: String,
    /// Absolute address of the shop, for links in emails.
    pub base_url: String,
    /// bcrypt cost: 12 in production, lowered by the tests.
    pub bcrypt_cost: u32,
    /// How many bcrypt computations may run at once (defaults to the number of cores).
    pub hash_concurrency: usize,
    /// Base64 secret from which CSRF tokens and signed links are derived.
    pub shop_secret: Option<String>,
    /// Mixed into every password before bcrypt; defaults to a value derived from the secret.
    pub password_pepper: Option<String>,
    /// Absolute lifetime of a session.
    pub session_hours: i64,
    /// Mark cookies `Secure` (set it behind a TLS-terminating reverse proxy).
    pub secure_cookies: bool,
    /// Products per page in listings.
    pub page_size: i64,
    /// Where the shop keeps its files: the generated secret, uploads, mail when no SMTP.
    pub data_dir: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            shop_name: "Comptoir".into(),
            base_url: "http://127.0.0.1:8000".into(),
            bcrypt_cost: 12,
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            shop_secret: None,
            password_pepper: None,
            session_hours: 24 * 14,
            secure_cookies: false,
            page_size: 24,
            data_dir: PathBuf::from("data"),
        }
    }
}

impl Settings {
    pub fn secret_bytes(&self) -> Result<Vec<u8>, String> {
        let key = self
            .shop_secret
            .as_deref()
            .ok_or("no shop_secret configured")?;
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|e| format!("shop_secret is not base64: {e}"))?;
        if bytes.len() < 32 {
            return Err("shop_secret must hold at least 32 bytes".into());
        }
        Ok(bytes)
    }
}

/// Rocket's own figment, plus `DATABASE_URL`, defaults that let the binary run with no
/// `Rocket.toml` beside it, and a secret kept in the data folder when none is configured.
pub fn figment() -> Result<Figment, String> {
    let mut figment = rocket::Config::figment();
    if let Ok(url) = std::env::var("DATABASE_URL") {
        figment = figment.merge(("databases.comptoir.url", url));
    }
    figment = figment.join(("databases.comptoir.url", db::DEFAULT_URL));
    if !figment.contains("shop_secret") {
        let data_dir: PathBuf = figment
            .extract_inner("data_dir")
            .unwrap_or_else(|_| Settings::default().data_dir);
        figment = figment.merge(("shop_secret", load_or_create_secret(&data_dir)?));
    }
    Ok(figment)
}

/// The secret must survive restarts (sessions and the password pepper hang on it), so the
/// first start writes one to `<data_dir>/shop_secret`, readable by the owner only.
fn load_or_create_secret(data_dir: &Path) -> Result<String, String> {
    let path = data_dir.join("shop_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().to_string());
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key = STANDARD.encode(bytes);
    write_private(&path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
