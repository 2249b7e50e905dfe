//! The real binary as a child process: its JSON log lines are read on a thread of their own and
//! handed over one by one, so a test waits for an event the server reports, never for a time.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::helpers::{TestDb, PEPPER};
use crate::server::HttpClient;
use crate::smtp::free_port;

/// How long a test waits for an event the server should report.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Served {
    child: Child,
    lines: Receiver<serde_json::Value>,
    pub port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// `comptoir serve` on a free port with JSON logs, no background tasks unless `env` says
    /// otherwise; returns once it listens.
    pub fn start(db: &TestDb, env: &[(&str, &str)]) -> Served {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .arg("serve")
            .env("DATABASE_URL", db.url())
            .env("ROCKET_DATA_DIR", db.data_dir())
            .env("ROCKET_PASSWORD_PEPPER", PEPPER)
            .env("ROCKET_BCRYPT_COST", "4")
            .env(
                "ROCKET_SHOP_SECRET",
                "bG9ncy10ZXN0LXNlY3JldC1sb2dzLXRlc3Qtc2VjcmV0LTAxMjM=",
            )
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_FORMAT", "json")
            .env("ROCKET_BACKGROUND_TASKS", "false")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run comptoir serve");
        let stdout = child.stdout.take().expect("the server's output");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let event: serde_json::Value =
                    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: not JSON: {line}"));
                if tx.send(event).is_err() {
                    break;
                }
            }
        });
        let served = Served { child, lines, port };
        served.event("the server listens", |e| {
            message(e).contains("Rocket has launched")
        });
        served
    }

    /// The next log event that `matches`, skipping the others.
    pub fn event(
        &self,
        what: &str,
        matches: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(event) if matches(&event) => return event,
                Ok(_) => {}
                Err(e) => panic!("waiting for {what}: {e:?}"),
            }
        }
    }

    pub fn client(&self) -> HttpClient {
        HttpClient::at(self.port)
    }

    /// Sends SIGTERM, as systemd does to stop a service.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success());
    }

    /// Waits for the process to exit (its output closes first), within the patience.
    pub fn exit_status(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not exit"),
            }
        }
        self.child.wait().expect("the server's exit status")
    }
}

pub fn message(event: &serde_json::Value) -> &str {
    event["message"].as_str().unwrap_or("")
}
