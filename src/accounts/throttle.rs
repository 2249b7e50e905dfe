//! Login throttling (OWASP): failures are counted per account and per client address. After
//! a few free failures each new attempt must wait a delay that doubles up to 15 minutes, with
//! a hard cap per hour. A success clears an account's count.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::now;
use crate::db::schema::login_attempts;
use crate::db::DbConn;

/// The rules for one kind of key (an account, or a client address).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub free_failures: i64,
    pub first_delay_secs: i64,
    pub max_delay_secs: i64,
    pub hourly_cap: i64,
}

pub const PER_ACCOUNT: Rule = Rule {
    free_failures: 5,
    first_delay_secs: 30,
    max_delay_secs: 15 * 60,
    hourly_cap: 20,
};

/// An address may try several accounts (a family behind one router), so it gets more room.
pub const PER_ADDRESS: Rule = Rule {
    free_failures: 20,
    first_delay_secs: 30,
    max_delay_secs: 15 * 60,
    hourly_cap: 100,
};

/// Given the attempts of the last hour (newest first: time, succeeded), when may the next
/// attempt be made? `None` means now.
pub fn locked_until(
    rule: Rule,
    attempts: &[(NaiveDateTime, bool)],
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let failures: Vec<NaiveDateTime> = attempts
        .iter()
        .take_while(|(_, ok)| !ok)
        .map(|(at, _)| *at)
        .collect();
    let n = failures.len() as i64;
    if n >= rule.hourly_cap {
        // The oldest counted failure must leave the hour window.
        let oldest = failures[(rule.hourly_cap - 1) as usize];
        return Some(oldest + Duration::hours(1)).filter(|t| *t > now);
    }
    if n < rule.free_failures {
        return None;
    }
    let doublings = (n - rule.free_failures).min(20) as u32;
    let delay = (rule.first_delay_secs << doublings).min(rule.max_delay_secs);
    let until = failures[0] + Duration::seconds(delay);
    (until > now).then_some(until)
}

fn recent(
    conn: &mut DbConn,
    email: Option<&str>,
    ip: Option<&str>,
) -> QueryResult<Vec<(NaiveDateTime, bool)>> {
    let mut q = login_attempts::table
        .filter(login_attempts::created_at.gt(now() - Duration::hours(1)))
        .into_boxed();
    if let Some(e) = email {
        q = q.filter(login_attempts::email.eq(e.to_string()));
    }
    if let Some(i) = ip {
        q = q.filter(login_attempts::client_ip.eq(i.to_string()));
    }
    q.order((login_attempts::created_at.desc(), login_attempts::id.desc()))
        .limit(200)
        .select((login_attempts::created_at, login_attempts::succeeded))
        .load(conn)
}

/// When this account or this address may try again, if they must wait.
pub fn check(conn: &mut DbConn, email: &str, ip: &str) -> QueryResult<Option<NaiveDateTime>> {
    let now = now();
    let by_account = locked_until(PER_ACCOUNT, &recent(conn, Some(email), None)?, now);
    // For the address, only failures count: successes of one account don't clear the others.
    let mut by_ip = recent(conn, None, Some(ip))?;
    by_ip.retain(|(_, ok)| !ok);
    let by_address = locked_until(PER_ADDRESS, &by_ip, now);
    Ok(by_account.max(by_address))
}

/// Records an attempt; returns true when this failure is the one that starts the account's
/// lockout (the moment to warn the owner by email).
pub fn record(conn: &mut DbConn, email: &str, ip: &str, succeeded: bool) -> QueryResult<bool> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::client_ip.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::created_at.eq(now()),
        ))
        .execute(conn)?;
    if succeeded {
        return Ok(false);
    }
    let attempts = recent(conn, Some(email), None)?;
    let failures = attempts.iter().take_while(|(_, ok)| !ok).count() as i64;
    Ok(failures == PER_ACCOUNT.free_failures)
}

/// Forgets an account's attempts (its owner proved control of the mailbox by a reset link).
pub fn forget(conn: &mut DbConn, email: &str) -> QueryResult<usize> {
    diesel::delete(login_attempts::table.filter(login_attempts::email.eq(email))).execute(conn)
}

/// Old attempts are only needed for an hour.
pub fn purge(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(
        login_attempts::table.filter(login_attempts::created_at.lt(now() - Duration::days(1))),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + secs, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn five_free_failures_then_doubling_delays() {
        let now = t(1000);
        let fails = |n: usize, last: i64| -> Vec<(NaiveDateTime, bool)> {
            (0..n).map(|i| (t(last - i as i64), false)).collect()
        };
        assert_eq!(locked_until(PER_ACCOUNT, &fails(4, 999), now), None);
        assert_eq!(
            locked_until(PER_ACCOUNT, &fails(5, 999), now),
            Some(t(999 + 30))
        );
        assert_eq!(
            locked_until(PER_ACCOUNT, &fails(6, 999), now),
            Some(t(999 + 60))
        );
        assert_eq!(
            locked_until(PER_ACCOUNT, &fails(5, 900), now),
            None,
            "the delay has passed"
        );
        assert_eq!(
            locked_until(PER_ACCOUNT, &fails(14, 999), now),
            Some(t(999 + 900)),
            "capped at 15 minutes"
        );
        // A success clears the count.
        let mut with_success = fails(3, 999);
        with_success.push((t(990), true));
        with_success.extend(fails(10, 980));
        assert_eq!(locked_until(PER_ACCOUNT, &with_success, now), None);
        // The hourly cap holds until the oldest failure is an hour old.
        let many: Vec<_> = (0..20).map(|i| (t(999 - i * 100), false)).collect();
        assert_eq!(
            locked_until(PER_ACCOUNT, &many, now),
            Some(t(999 - 1900 + 3600))
        );
    }
}
