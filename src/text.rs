//! Text helpers: slugs and accent-insensitive search keys (catalogue, customers, orders, audit).

/// Lower case without diacritics, so that "creme" finds "Crème" on SQLite and PostgreSQL alike.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect::<String>()
        .replace('œ', "oe")
        .replace('æ', "ae")
}

/// `Crème brûlée aux œufs` → `creme-brulee-aux-oeufs`.
pub fn slugify(s: &str) -> String {
    let folded = fold(s);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
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
    }

    #[test]
    fn patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_off"), "%50\\%\\_off%");
        assert_eq!(contains_pattern(" Thé "), "%the%");
    }
}
