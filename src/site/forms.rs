//! Form re-rendering: the values the user typed and one translated message per field.

use std::collections::BTreeMap;

use serde::Serialize;
use validator::ValidationErrors;

use crate::i18n::Lang;

/// A link's token as a form or query brought it, cut to 100 characters (none is longer): what
/// is looked up and shown again is never larger than that.
pub fn clip_token(token: Option<String>) -> String {
    token.unwrap_or_default().chars().take(100).collect()
}

/// What a form template needs: the typed values (a serialisable struct, passwords skipped)
/// and the errors by field name.
#[derive(Serialize)]
pub struct FormView<T: Serialize> {
    pub values: T,
    pub errors: BTreeMap<String, String>,
}

impl<T: Serialize> FormView<T> {
    pub fn new(values: T) -> FormView<T> {
        FormView {
            values,
            errors: BTreeMap::new(),
        }
    }

    /// Each field's first validation error, translated from `err-<code>`. A field that is
    /// filled but too long for a `required_<n>` rule is told only what is wrong with it
    /// (`err-max_<n>`: "100 caractères au plus."), not that it is required.
    pub fn with_errors(values: T, errors: &ValidationErrors, lang: Lang) -> FormView<T> {
        let mut view = FormView::new(values);
        let typed = serde_json::to_value(&view.values).ok();
        for (field, errs) in errors.field_errors() {
            if let Some(first) = errs.first() {
                let filled = typed
                    .as_ref()
                    .and_then(|v| v.get(field.as_ref()))
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| !s.trim().is_empty());
                let key = match first.code.strip_prefix("required_") {
                    Some(max) if filled => format!("err-max_{max}"),
                    _ => format!("err-{}", first.code),
                };
                view.errors.insert(field.to_string(), lang.t(&key));
            }
        }
        view
    }

    pub fn error(mut self, field: &str, message: String) -> FormView<T> {
        self.errors.insert(field.to_string(), message);
        self
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}
