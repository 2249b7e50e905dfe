//! Operations: backups, logs, and the periodic round (unpaid orders, card reconciliation,
//! housekeeping).

pub mod backup;
pub mod logs;
pub mod periodic;
