//! A business buyer's identifiers, checked by their check digits: SIREN (9 digits) and SIRET
//! (14 digits) by the Luhn key (La Poste's establishments by their own rule), and
//! intra-community VAT numbers by each country's key where it is public (France, Belgium,
//! Luxembourg, Germany), by their shape elsewhere in the EU.

/// EU member states' VAT prefixes (Greece is EL; XI is Northern Ireland).
const EU: [&str; 28] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

/// Spaces, dots and dashes taken out, letters upper-cased.
pub fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                (x * 2) / 10 + (x * 2) % 10
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A SIREN (9 digits) or SIRET (14 digits) whose key is right.
pub fn siren_or_siret_ok(compacted: &str) -> bool {
    let Some(d) = digits(compacted) else {
        return false;
    };
    match d.len() {
        9 => luhn(&d),
        // La Poste's establishments share one SIREN and follow another rule.
        14 if compacted.starts_with("356000000") => d.iter().sum::<u32>().is_multiple_of(5),
        14 => luhn(&d) && luhn(&d[..9]),
        _ => false,
    }
}

/// An intra-community VAT number, e.g. `FR40303265045`, `BE0403170701`, `DE136695976`.
pub fn vat_number_ok(compacted: &str) -> bool {
    if compacted.len() < 4 || !compacted.is_ascii() {
        return false;
    }
    let (country, rest) = compacted.split_at(2);
    if !EU.contains(&country) || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    match country {
        "FR" => {
            let (key, siren) = rest.split_at(2.min(rest.len()));
            let Some(d) = digits(siren).filter(|d| d.len() == 9) else {
                return false;
            };
            match key.parse::<u64>() {
                Ok(key) => {
                    let n: u64 = siren.parse().unwrap_or(0);
                    key == (12 + 3 * (n % 97)) % 97
                }
                // The newer alphanumeric keys are not public: the SIREN must still be right.
                Err(_) => key.chars().all(|c| c.is_ascii_alphanumeric()) && luhn(&d),
            }
        }
        "BE" => {
            let Some(_) = digits(rest).filter(|d| d.len() == 10) else {
                return false;
            };
            let (body, key) = rest.split_at(8);
            let body: u64 = body.parse().unwrap_or(0);
            let key: u64 = key.parse().unwrap_or(0);
            97 - body % 97 == key
        }
        "LU" => {
            let Some(_) = digits(rest).filter(|d| d.len() == 8) else {
                return false;
            };
            let (body, key) = rest.split_at(6);
            body.parse::<u64>().unwrap_or(0) % 89 == key.parse::<u64>().unwrap_or(100)
        }
        "DE" => {
            // ISO 7064, MOD 11,10.
            let Some(d) = digits(rest).filter(|d| d.len() == 9) else {
                return false;
            };
            let mut product = 10;
            for &x in &d[..8] {
                let mut sum = (x + product) % 10;
                if sum == 0 {
                    sum = 10;
                }
                product = (2 * sum) % 11;
            }
            let check = (11 - product) % 10;
            check == d[8]
        }
        _ => (2..=12).contains(&rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_and_siret_by_their_keys() {
        assert!(siren_or_siret_ok(&compact("732 829 320")));
        assert!(!siren_or_siret_ok("732829321"));
        assert!(siren_or_siret_ok(&compact("732 829 320 00074")));
        assert!(!siren_or_siret_ok("73282932000075"));
        assert!(siren_or_siret_ok("35600000049837"), "La Poste");
        assert!(!siren_or_siret_ok("12345"));
        assert!(!siren_or_siret_ok("73282932O"));
    }

    #[test]
    fn vat_numbers_by_their_keys() {
        assert!(vat_number_ok(&compact("FR 44 732 829 320")));
        assert!(!vat_number_ok("FR45732829320"));
        assert!(vat_number_ok("BE0403170701"));
        assert!(!vat_number_ok("BE0403170702"));
        assert!(vat_number_ok("LU15027442"));
        assert!(!vat_number_ok("LU15027443"));
        assert!(vat_number_ok("DE136695976"));
        assert!(!vat_number_ok("DE136695977"));
        assert!(
            vat_number_ok("IT00743110157"),
            "shape only elsewhere in the EU"
        );
        assert!(!vat_number_ok("US123456789"), "not in the EU");
        assert!(!vat_number_ok("FR"));
    }
}
