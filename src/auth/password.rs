//! Password hashing: HMAC pre-hash (so bcrypt's 72-byte limit truncates nothing), bcrypt on
//! threads of its own that the system schedules after the ones serving pages (nice 10), and a
//! semaphore so a flood of logins cannot take every core: a wave of logins slows the logins,
//! not the shop.

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
    threads: std::sync::OnceLock<HashThreads>,
    concurrency: usize,
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads: as many as hashes may run at once, started on first use, ended when
/// the hasher is dropped.
struct HashThreads(std::sync::Mutex<std::sync::mpsc::Sender<Job>>);

impl HashThreads {
    fn start(count: usize) -> HashThreads {
        let (send, receive) = std::sync::mpsc::channel::<Job>();
        let receive = Arc::new(std::sync::Mutex::new(receive));
        for i in 0..count {
            let receive = Arc::clone(&receive);
            let started = std::thread::Builder::new()
                .name(format!("bcrypt-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = receive
                            .lock()
                            .map_err(|_| ())
                            .and_then(|r| r.recv().map_err(|_| ()));
                        match job {
                            // A panic ends the job (its caller is told), not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(()) => break,
                        }
                    }
                });
            if let Err(e) = started {
                log::error!("could not start a hashing thread: {e}");
            }
        }
        HashThreads(std::sync::Mutex::new(send))
    }
}

/// Nice 10 for the calling thread (Linux schedules threads one by one): under load, the
/// threads serving pages get about nine tenths of a shared core.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id; no memory is shared.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 10) != 0 {
            log::warn!("could not lower the hashing threads' priority");
        }
    }
}

impl Hasher {
    pub fn new(cost: u32, pepper: Vec<u8>, concurrency: usize) -> Hasher {
        Hasher {
            cost,
            pepper,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            queue_wait: QUEUE_WAIT,
            dummy: OnceCell::new(),
            threads: std::sync::OnceLock::new(),
            concurrency: concurrency.max(1),
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

    /// Runs `job` on a hashing thread once a hashing slot is free.
    async fn run<T, F>(&self, job: F) -> AppResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = tokio::time::timeout(self.queue_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (done, out) = tokio::sync::oneshot::channel();
        let threads = self
            .threads
            .get_or_init(|| HashThreads::start(self.concurrency));
        threads
            .0
            .lock()
            .map_err(|_| AppError::Internal("hashing threads poisoned".into()))?
            .send(Box::new(move || {
                let _ = done.send(job());
                drop(permit);
            }))
            .map_err(|_| AppError::Internal("hashing threads stopped".into()))?;
        out.await
            .map_err(|_| AppError::Internal("hashing task failed".into()))
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

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_on_threads_below_the_ones_serving_pages() {
        let h = Hasher::new(4, b"pepper".to_vec(), 1);
        h.hash("some password here").await.unwrap();
        let nice: Vec<i64> = std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|task| {
                let dir = task.ok()?.path();
                let name = std::fs::read_to_string(dir.join("comm")).ok()?;
                let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
                // Field 19 (nice), counted after the name in parentheses (fields 1 and 2).
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                (name.trim() == "bcrypt-0").then(|| fields.get(16)?.parse().ok())?
            })
            .collect();
        assert!(!nice.is_empty(), "no hashing thread");
        assert!(nice.iter().all(|n| *n == 10), "{nice:?}");
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
