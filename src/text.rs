//! Text helpers: slugs and accent-insensitive search keys (catalogue, customers, orders, audit).

/// Lower-case ASCII (accents, ligatures and other scripts transliterated by `deunicode`), so
/// that "creme" finds "Crème" and "strasse" finds "Straße" on SQLite and PostgreSQL alike.
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Text made safe inside HTML or XML, in an element or a quoted attribute: `&`, `<`, `>` and
/// `"` as entities.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The English text of a product or department where one is written, else the French: the
/// one rule for pages, the cart and the English search key.
pub fn english_or<'a>(english: &'a str, french: &'a str) -> &'a str {
    if english.trim().is_empty() {
        french
    } else {
        english
    }
}

/// `Crème brûlée aux œufs` → `creme-brulee-aux-oeufs` (the `slug` crate, over `deunicode`).
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// What a product's search matches against: its name and description, folded.
pub fn search_key(name: &str, description: &str) -> String {
    fold(&format!("{name} {description}"))
}

/// A LIKE pattern matching `needle` anywhere, with `%`, `_` and `\` taken literally.
pub fn contains_pattern(needle: &str) -> String {
    let mut p = String::from("%");
    for c in fold(needle.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_slugs() {
        assert_eq!(fold("Crème BRÛLÉE"), "creme brulee");
        assert_eq!(slugify("Crème brûlée aux œufs !"), "creme-brulee-aux-oeufs");
        assert_eq!(slugify("  --Thé vert 100 g--"), "the-vert-100-g");
        assert_eq!(fold("Straße, Ørsted, Łódź"), "strasse, orsted, lodz");
        assert_eq!(slugify("Grüße aus Łódź"), "grusse-aus-lodz");
        assert_eq!(search_key("Œuf", "Frais"), "oeuf frais");
    }

    #[test]
    fn patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_off"), "%50\\%\\_off%");
        assert_eq!(contains_pattern(" Thé "), "%the%");
    }
}
