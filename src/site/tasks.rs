//! The background tasks (mail sender, unpaid-order expiry and card reconciliation, settings
//! refresh) and how they stop. Each works in rounds; shutdown never cuts a round short (an
//! email half-handed to SMTP, a refund half-asked), it only stops the task between rounds, and
//! `serve` waits for every task to end before the process exits.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::Shutdown;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Clone, Default)]
pub struct Tasks(Arc<Mutex<Vec<JoinHandle<()>>>>);

/// Whether shutdown has been asked for (for a round that does several things in a row, to stop
/// between two of them).
pub fn stopping(shutdown: &Shutdown) -> bool {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    std::pin::pin!(shutdown.clone()).poll(&mut cx).is_ready()
}

impl Tasks {
    /// Runs `round` again and again until shutdown. Each round returns how long to pause before
    /// the next; `wake` (when given) ends a pause early.
    pub fn every<F, Fut>(&self, shutdown: Shutdown, wake: Option<Arc<Notify>>, mut round: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Duration> + Send,
    {
        let handle = tokio::spawn(async move {
            loop {
                if stopping(&shutdown) {
                    break;
                }
                let pause = round().await;
                let woken = async {
                    match &wake {
                        Some(n) => n.notified().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    biased;
                    _ = shutdown.clone() => break,
                    _ = woken => {},
                    _ = tokio::time::sleep(pause) => {},
                }
            }
        });
        let mut handles = self.0.lock().unwrap_or_else(|e| e.into_inner());
        handles.retain(|h| !h.is_finished());
        handles.push(handle);
    }

    /// Waits, at most `limit`, for every task to finish its round and stop; returns how many
    /// were still running at the limit (they are then abandoned with the process).
    pub async fn finish(&self, limit: Duration) -> usize {
        let handles: Vec<JoinHandle<()>> =
            std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        let deadline = tokio::time::Instant::now() + limit;
        let mut left = 0;
        for handle in handles {
            if tokio::time::timeout_at(deadline, handle).await.is_err() {
                left += 1;
            }
        }
        left
    }
}
