//! Logs: one line per event through `tracing` — a JSON object a line in production, for a log
//! collector; readable text in development — with Rocket's records and the `log` crate's
//! bridged in (each request's id and access line: `site::logs`).

use tracing_subscriber::EnvFilter;

use crate::config::Settings;

/// How log lines are written (`log_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(format!("log_format must be text or json, not {other:?}")),
        }
    }
}

/// Installs the process's logger (once, before the server is built: Rocket then leaves its
/// own aside and its records come here). `filter` is an `EnvFilter` directive (`log_filter`,
/// or `RUST_LOG` when set).
pub fn init(settings: &Settings) -> Result<(), String> {
    let format = Format::parse(&settings.log_format)?;
    let filter = match std::env::var("RUST_LOG") {
        Ok(env) if !env.is_empty() => EnvFilter::new(env),
        _ => EnvFilter::new(&settings.log_filter),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    let done = match format {
        Format::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        Format::Text => builder.with_target(true).try_init(),
    };
    done.map_err(|e| format!("cannot install the logger: {e}"))
}
