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
    // The bounds are password::MIN_LEN and MAX_LEN (the derive wants literals).
    #[validate(length(min = 12, max = 128, code = "password_length"))]
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
        if !self.password.is_empty()
            && self.password.trim().to_lowercase() == self.email.trim().to_lowercase()
        {
            errors.add("password", ValidationError::new("password_is_email"));
        }
        if self.password != self.password_confirm {
            errors.add(
                "password_confirm",
                ValidationError::new("password_mismatch"),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, FromForm, Serialize, Default)]
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
