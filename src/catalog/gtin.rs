//! A product's GTIN (the barcode number: EAN-13, UPC-A, EAN-8, GTIN-14), which identifies it on
//! its listing (General Product Safety Regulation (EU) 2023/988, art. 19 b) and in its
//! structured data. Checked by its check digit (GS1's modulo 10: weights 3 and 1 from the
//! right, the check digit aside).

/// The GTIN typed, its spaces and dashes removed, when it is one; empty stays empty.
pub fn normalize(typed: &str) -> Result<String, BadGtin> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Ok(digits);
    }
    if !matches!(digits.len(), 8 | 12 | 13 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadGtin);
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    let expected = (10 - sum % 10) % 10;
    if u32::from(check.as_bytes()[0] - b'0') != expected {
        return Err(BadGtin);
    }
    Ok(digits)
}

/// Not a GTIN: not 8, 12, 13 or 14 digits, or its check digit is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a GTIN")]
pub struct BadGtin;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtins_are_checked_by_their_check_digit() {
        assert_eq!(normalize("3 017620 422003"), Ok("3017620422003".into()));
        assert_eq!(normalize("4006381333931"), Ok("4006381333931".into()));
        assert_eq!(normalize("96385074"), Ok("96385074".into()));
        assert_eq!(normalize("036000291452"), Ok("036000291452".into()));
        assert_eq!(normalize(""), Ok(String::new()));
        assert_eq!(
            normalize("3017620422004"),
            Err(BadGtin),
            "wrong check digit"
        );
        assert_eq!(
            normalize("301762042200"),
            Err(BadGtin),
            "12 digits, wrong check"
        );
        assert_eq!(normalize("30176204220A3"), Err(BadGtin));
        assert_eq!(normalize("12345"), Err(BadGtin));
    }
}
