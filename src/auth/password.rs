//! Password hashing: HMAC pre-hash (so bcrypt's 72-byte limit truncates nothing), bcrypt on
//! blocking threads, and a semaphore so a flood of logins cannot take every core.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::{OnceCell, Semaphore};

use crate::error::{AppError, AppResult};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// How long a request waits for a hashing slot before it is answered 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(3);

pub struct Hasher {
    cost: u32,
    pepper: Vec<u8>,
    permits: Arc<Semaphore>,
    queue_wait: Duration,
    dummy: OnceCell<String>,
}

impl Hasher {
    pub fn new(cost: u32, pepper: Vec<u8>, concurrency: usize) -> Hasher {
        Hasher {
            cost,
            pepper,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            queue_wait: QUEUE_WAIT,
            dummy: OnceCell::new(),
        }
    }

    pub fn with_queue_wait(mut self, wait: Duration) -> Hasher {
        self.queue_wait = wait;
        self
    }

    fn prehash(pepper: &[u8], password: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(pepper).expect("HMAC takes any key");
        mac.update(password.as_bytes());
        STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Runs `job` on a blocking thread once a hashing slot is free.
    async fn run<T, F>(&self, job: F) -> AppResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = tokio::time::timeout(self.queue_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let out = tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await
        .map_err(|e| AppError::Internal(format!("hashing task failed: {e}")))?;
        Ok(out)
    }

    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let pre = Self::prehash(&self.pepper, password);
        let cost = self.cost;
        self.run(move || bcrypt::hash(pre, cost))
            .await?
            .map_err(|e| AppError::Internal(format!("bcrypt: {e}")))
    }

    /// Checks a password against a stored hash. With no hash (unknown email) it still runs one
    /// bcrypt verification, against a dummy, so the answer takes the same time.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> AppResult<bool> {
        let known = stored.is_some();
        let stored = match stored {
            Some(h) => h,
            None => self.dummy_hash().await?,
        };
        let pre = Self::prehash(&self.pepper, password);
        let ok = self
            .run(move || bcrypt::verify(pre, &stored).unwrap_or(false))
            .await?;
        Ok(ok && known)
    }

    async fn dummy_hash(&self) -> AppResult<String> {
        self.dummy
            .get_or_try_init(|| self.hash("a password nobody has, only for timing"))
            .await
            .cloned()
    }

    /// Synchronous hashing for the command line (`create-admin`, demo seeding).
    pub fn hash_blocking(&self, password: &str) -> Result<String, bcrypt::BcryptError> {
        bcrypt::hash(Self::prehash(&self.pepper, password), self.cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passwords_are_not_truncated() {
        let h = Hasher::new(4, b"pepper".to_vec(), 1);
        let base = "x".repeat(100);
        let stored = h.hash_blocking(&format!("{base}a")).unwrap();
        let pre_b = Hasher::prehash(b"pepper", &format!("{base}b"));
        assert!(!bcrypt::verify(pre_b, &stored).unwrap());
        let pre_a = Hasher::prehash(b"pepper", &format!("{base}a"));
        assert!(bcrypt::verify(pre_a, &stored).unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy() {
        let h = Hasher::new(4, b"pepper".to_vec(), 1).with_queue_wait(Duration::from_millis(50));
        let held = h.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(h.hash("some password").await, Err(AppError::Busy)));
        drop(held);
        assert!(h.hash("some password").await.is_ok());
    }

    #[tokio::test]
    async fn verify_rejects_unknown_and_wrong() {
        let h = Hasher::new(4, b"pepper".to_vec(), 1);
        let stored = h.hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$2b$04$"));
        assert!(h
            .verify("correct horse battery", Some(stored.clone()))
            .await
            .unwrap());
        assert!(!h.verify("wrong horse battery", Some(stored)).await.unwrap());
        assert!(!h.verify("correct horse battery", None).await.unwrap());
    }
}
