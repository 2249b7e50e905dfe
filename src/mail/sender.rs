//! The background sender: started with the server, it delivers due outbox messages and
//! retries with backoff. Woken at once after a commit that queued mail.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use futures::StreamExt;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use crate::config::{Settings, SmtpTls};
use crate::db::Runner;
use crate::mail::outbox::{self, OutboxMessage};

/// Lets request handlers wake the sender right after they commit mail.
#[derive(Clone, Default)]
pub struct MailWaker(Arc<Notify>);

impl MailWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// What the sender's loop waits on between rounds.
    pub fn notify(&self) -> Arc<Notify> {
        Arc::clone(&self.0)
    }
}

/// How long a claimed message is reserved for the sender that claimed it (renewed when its
/// turn comes): after a crash, another instance or the restarted one sends it after this long.
/// A batch that has taken half of it hands the rest back rather than outlive the lease.
const LEASE_SECS: i64 = 60;
const BATCH: i64 = 20;
/// How many messages of a batch are with SMTP at once. One at a time, a message costs a few
/// round trips to the mail server (and lettre's final "." waits out a delayed ACK, ~40 ms on
/// Linux), about 11 messages a second: a sale placing 100 orders a second left its
/// confirmations minutes behind (crash drill). Within lettre's pool of 10 connections.
const IN_FLIGHT: usize = 8;

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

/// Why a message was not delivered; permanent failures are not retried.
struct SendError {
    message: String,
    permanent: bool,
}

impl Transport {
    fn from_settings(s: &Settings) -> Result<Transport, String> {
        let Some(host) = s.smtp_host.as_deref().filter(|h| !h.is_empty()) else {
            let dir = s.data_dir.join("mail");
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            return Ok(Transport::Files(AsyncFileTransport::new(&dir), dir));
        };
        let builder = match s.smtp_tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| format!("SMTP settings: {e}"))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| format!("SMTP settings: {e}"))?,
        };
        let mut builder = builder
            .port(s.smtp_port)
            .timeout(Some(StdDuration::from_secs(15)));
        if let (Some(user), Some(pass)) = (&s.smtp_username, &s.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Transport::Smtp(builder.build()))
    }

    async fn send(
        &self,
        from: &Mailbox,
        m: &OutboxMessage,
        files: &[outbox::Attachment],
    ) -> Result<(), SendError> {
        let domain = from.email.domain().to_string();
        let permanent = |message: String| SendError {
            message,
            permanent: true,
        };
        let to: Mailbox = m
            .to_address
            .parse()
            .map_err(|e| permanent(format!("bad recipient {}: {e}", m.to_address)))?;
        let text = MultiPart::alternative_plain_html(m.body_text.clone(), m.body_html.clone());
        let body = if files.is_empty() {
            text
        } else {
            let mut mixed = MultiPart::mixed().multipart(text);
            for f in files {
                let kind = ContentType::parse(&f.content_type)
                    .map_err(|e| permanent(format!("attachment {}: {e}", f.filename)))?;
                mixed = mixed.singlepart(
                    LettreAttachment::new(f.filename.clone()).body(f.data.clone(), kind),
                );
            }
            mixed
        };
        let email = Message::builder()
            .message_id(Some(outbox::message_id(m, &domain)))
            .from(from.clone())
            .to(to)
            .subject(m.subject.clone())
            .multipart(body)
            .map_err(|e| permanent(format!("cannot build message: {e}")))?;
        match self {
            Transport::Smtp(t) => t.send(email).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(t, dir) => {
                let id = t.send(email).await.map_err(|e| SendError {
                    message: e.to_string(),
                    permanent: false,
                })?;
                log::info!(
                    "no SMTP configured: email #{} to {} written to {}/{id}.eml",
                    m.id,
                    m.to_address,
                    dir.display()
                );
                Ok(())
            }
        }
    }
}

/// Says whether the server is stopping (the background sender checks it between messages).
pub type Stopping = Arc<dyn Fn() -> bool + Send + Sync>;

/// What delivers: the transport and the sender's address, built from the settings.
pub struct Sender {
    transport: Transport,
    from: Mailbox,
    max_attempts: i32,
    retry_base: Duration,
    /// Set for the background sender: says when the server is stopping, so it finishes the
    /// message in hand, hands the rest of its batch back and stops.
    stopping: Option<Stopping>,
}

impl Sender {
    pub fn from_settings(s: &Settings) -> Result<Sender, String> {
        Ok(Sender {
            transport: Transport::from_settings(s)?,
            from: s
                .mail_from
                .parse()
                .map_err(|e| format!("bad mail_from: {e}"))?,
            max_attempts: s.mail_max_attempts,
            retry_base: Duration::milliseconds(s.mail_retry_base_ms.max(1) as i64),
            stopping: None,
        })
    }

    /// The background sender: it stops between messages once `stopping` says so.
    pub fn stopping_when(self, stopping: Stopping) -> Sender {
        Sender {
            stopping: Some(stopping),
            ..self
        }
    }

    fn stopping(&self) -> bool {
        self.stopping.as_ref().is_some_and(|s| s())
    }

    /// One pass: claims up to a batch of due messages, sends them — [`IN_FLIGHT`] at a time —
    /// and records each outcome. Returns how many were claimed.
    pub async fn deliver_due(&self, pool: &impl Runner) -> usize {
        let claimed = match pool
            .run(|c| outbox::claim_due(c, BATCH, Duration::seconds(LEASE_SECS)))
            .await
        {
            Some(Ok(claimed)) => claimed,
            Some(Err(e)) => {
                log::error!("mail sender cannot read the outbox: {e}");
                Vec::new()
            }
            None => Vec::new(),
        };
        let started = std::time::Instant::now();
        let untried = std::sync::Mutex::new(Vec::new());
        futures::stream::iter(&claimed)
            .for_each_concurrent(IN_FLIGHT, |message| async {
                // Checked as each message's turn comes: a batch cut short by shutdown or by its
                // lease running low hands back what it has not started.
                let late = started.elapsed() > StdDuration::from_secs(LEASE_SECS as u64 / 2);
                if late || self.stopping() {
                    untried
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(message.id);
                    return;
                }
                self.deliver_one(pool, message).await;
            })
            .await;
        let rest = untried.into_inner().unwrap_or_else(|e| e.into_inner());
        if !rest.is_empty() {
            if let Some(Err(e)) = pool.run(move |c| outbox::release(c, &rest)).await {
                log::warn!("claimed emails not handed back: {e}");
            }
        }
        claimed.len()
    }

    /// Marks one claimed message as being sent, hands it to SMTP and records the outcome. No
    /// database connection is held while SMTP answers.
    async fn deliver_one(&self, pool: &impl Runner, message: &OutboxMessage) {
        let id = message.id;
        let marked = pool
            .run(move |c| {
                outbox::mark_sending(c, id, Duration::seconds(LEASE_SECS))?;
                outbox::attachments_of(c, id)
            })
            .await;
        // The database is away: the lease runs out and the message is claimed again.
        let Some(marked) = marked else {
            return;
        };
        let files = match marked {
            Ok(files) => files,
            Err(e) => {
                log::error!("cannot mark email #{id} as being sent: {e}");
                return;
            }
        };
        let outcome = self.transport.send(&self.from, message, &files).await;
        let (m, max, base) = (message.clone(), self.max_attempts, self.retry_base);
        let recorded = match outcome {
            Ok(()) => pool.run(move |c| outbox::mark_sent(c, m.id)).await,
            Err(e) => {
                log::warn!(
                    "email #{} to {} not sent (attempt {}): {}",
                    m.id,
                    m.to_address,
                    m.attempts,
                    e.message
                );
                pool.run(move |c| {
                    outbox::mark_failed_attempt(c, &m, &e.message, e.permanent, max, base)
                })
                .await
            }
        };
        match recorded {
            Some(Ok(_)) => {}
            Some(Err(e)) => log::error!("cannot record the outcome of email #{id}: {e}"),
            None => log::error!("cannot record the outcome of email #{id}: database unavailable"),
        }
    }

    /// Delivers everything due now, a batch at a time; returns how many messages were tried.
    /// The background loop's work, and what tests call to run it at a moment of their choosing.
    pub async fn deliver_all_due(&self, pool: &impl Runner) -> usize {
        let mut tried = 0;
        loop {
            let n = self.deliver_due(pool).await;
            tried += n;
            if n < BATCH as usize || self.stopping() {
                return tried;
            }
        }
    }
}

/// One round of the background sender: delivers what is due, then says how long to sleep —
/// until the next retry falls due, or `poll` at most (for messages queued by another instance);
/// a commit that queues mail wakes it earlier.
pub async fn round(pool: &impl Runner, sender: &Sender, poll: StdDuration) -> StdDuration {
    sender.deliver_all_due(pool).await;
    let next = pool
        .run(outbox::next_due)
        .await
        .and_then(Result::ok)
        .flatten();
    next.map(|at| {
        (at - crate::db::now())
            .to_std()
            .unwrap_or(StdDuration::ZERO)
    })
    .map_or(poll, |until| until.min(poll))
    .max(StdDuration::from_millis(100))
}
