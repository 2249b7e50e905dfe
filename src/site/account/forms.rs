//! The account forms and their validation rules.

use rocket::FromForm;
use serde::Serialize;
use validator::{Validate, ValidationError, ValidationErrors};

#[derive(Debug, FromForm, Validate, Serialize, Default)]
pub struct RegisterForm {
    #[field(default = String::new())]
    #[validate(email(code = "email"), length(min = 1, max = 254, code = "email"))]
    pub email: String,
    #[field(default = String::new())]
    #[validate(length(max = 100, code = "too_long"))]
    pub display_name: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password_confirm: String,
}

impl RegisterForm {
    /// The derive's rules, plus those that compare fields.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = match self.validate() {
            Ok(()) => ValidationErrors::new(),
            Err(e) => e,
        };
        for (field, code) in password_problems(&self.password, &self.password_confirm, &self.email)
        {
            errors.add(field, ValidationError::new(code));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The rules of a new password, as (field, error code) in the order they are checked: 12 to
/// 128 characters, not the account's email address, typed twice alike.
pub fn password_problems(
    password: &str,
    confirm: &str,
    email: &str,
) -> Vec<(&'static str, &'static str)> {
    use crate::auth::password::{MAX_LEN, MIN_LEN};
    let mut problems = Vec::new();
    if !(MIN_LEN..=MAX_LEN).contains(&password.chars().count()) {
        problems.push(("password", "password_length"));
    }
    if !password.is_empty() && password.trim().to_lowercase() == email.trim().to_lowercase() {
        problems.push(("password", "password_is_email"));
    }
    if password != confirm {
        problems.push(("password_confirm", "password_mismatch"));
    }
    problems
}

#[derive(Debug, Clone, FromForm, Serialize, Default)]
pub struct LoginForm {
    #[field(default = String::new())]
    pub email: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password: String,
    pub next: Option<String>,
}

#[derive(Debug, FromForm)]
pub struct LangForm {
    #[field(default = String::new())]
    pub lang: String,
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(email: &str, pw: &str, confirm: &str) -> RegisterForm {
        RegisterForm {
            email: email.into(),
            display_name: "Ana".into(),
            password: pw.into(),
            password_confirm: confirm.into(),
        }
    }

    fn codes(e: &ValidationErrors, field: &str) -> Vec<String> {
        e.field_errors()
            .get(field)
            .map(|v| v.iter().map(|x| x.code.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn register_rules() {
        assert!(
            form("ana@example.fr", "a long passphrase", "a long passphrase")
                .check()
                .is_ok()
        );
        let e = form("not-an-email", "short", "other").check().unwrap_err();
        assert!(codes(&e, "email").contains(&"email".to_string()));
        assert_eq!(codes(&e, "password"), vec!["password_length"]);
        assert_eq!(codes(&e, "password_confirm"), vec!["password_mismatch"]);
        let e = form(
            "someone@example.fr",
            "Someone@Example.fr",
            "Someone@Example.fr",
        )
        .check()
        .unwrap_err();
        assert_eq!(codes(&e, "password"), vec!["password_is_email"]);
        let long = "x".repeat(129);
        let e = form("a@b.fr", &long, &long).check().unwrap_err();
        assert_eq!(codes(&e, "password"), vec!["password_length"]);
    }
}
