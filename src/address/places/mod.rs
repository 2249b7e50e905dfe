//! French postal codes and their communes, for the checkout's address check and the shipping
//! zones. The table is the npm package `codes-postaux` (MIT; La Poste and INSEE data published
//! by the Base Adresse Nationale) cut down by `scripts/postal-codes.py` to the postal code, the
//! commune's name and the delivery label when it differs; it is compiled into the binary and
//! read once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("codes-postaux.tsv");

/// One commune served by a postal code: its name, and La Poste's delivery label when that is
/// not simply the name in capitals ("LYON" for "Lyon 3e Arrondissement").
struct Commune {
    name: &'static str,
    label: &'static str,
}

static BY_CODE: LazyLock<HashMap<&'static str, Vec<Commune>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<Commune>> = HashMap::with_capacity(6_400);
    for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(code), Some(name)) = (cols.next(), cols.next()) else {
            continue;
        };
        let label = cols.next().unwrap_or("");
        map.entry(code).or_default().push(Commune { name, label });
    }
    map
});

/// What the table says of a postal code and a town typed together (French addresses only).
#[derive(Debug, PartialEq, Eq)]
pub enum TownCheck {
    /// The town is one of the postal code's communes.
    Matches,
    /// No commune has this postal code.
    UnknownCode,
    /// The postal code exists, the town is not one of its communes.
    Mismatch,
}

/// The communes of a postal code, as offered to the customer (sorted, each once); empty for a
/// code that does not exist.
pub fn towns(code: &str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = BY_CODE
        .get(code)
        .map(|c| c.iter().map(|c| c.name).collect())
        .unwrap_or_default();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether `town` is a commune of postal code `code`: accents, case, hyphens, apostrophes and
/// "St"/"Ste" do not matter, nor does an arrondissement ("Paris" and "Paris 16e" are both right
/// for 75016).
pub fn check(code: &str, town: &str) -> TownCheck {
    let Some(communes) = BY_CODE.get(code) else {
        return TownCheck::UnknownCode;
    };
    let typed = plain(town);
    let typed_base = without_arrondissement(&typed);
    let matches = communes.iter().any(|c| {
        [c.name, c.label]
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(plain)
            .any(|n| n == typed || without_arrondissement(&n) == typed_base)
    });
    if matches {
        TownCheck::Matches
    } else {
        TownCheck::Mismatch
    }
}

/// Upper-case ASCII words: "L'Haÿ-les-Roses" → "L HAY LES ROSES", "St-Malo" → "SAINT MALO".
fn plain(s: &str) -> String {
    let folded = crate::text::fold(s).to_uppercase();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "ST" => "SAINT",
            "STE" => "SAINTE",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "PARIS 16E ARRONDISSEMENT", "PARIS 16" and "PARIS 16E" → "PARIS".
fn without_arrondissement(s: &str) -> &str {
    let s = s.strip_suffix(" ARRONDISSEMENT").unwrap_or(s);
    match s.rsplit_once(' ') {
        Some((base, last))
            if last.starts_with(|c: char| c.is_ascii_digit())
                && last
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .chars()
                    .all(|c| matches!(c, 'E' | 'R')) =>
        {
            base
        }
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_whole() {
        let codes = BY_CODE.len();
        assert!((6_000..7_000).contains(&codes), "{codes} postal codes");
        assert_eq!(towns("69003"), vec!["Lyon 3e Arrondissement"]);
        assert_eq!(towns("20000"), vec!["Ajaccio", "Lecci"]);
        assert!(towns("00000").is_empty());
    }

    #[test]
    fn towns_match_however_they_are_typed() {
        for (code, town) in [
            ("69003", "Lyon"),
            ("69003", "LYON 3E ARRONDISSEMENT"),
            ("69003", "lyon 3e"),
            ("75016", "Paris"),
            ("75116", "paris 16"),
            ("97400", "St Denis"),
            ("97400", "saint-denis"),
            ("94240", "L'Haÿ-les-Roses"),
            ("94240", "l hay les roses"),
            ("20000", "Ajaccio"),
        ] {
            assert_eq!(check(code, town), TownCheck::Matches, "{code} {town}");
        }
        assert_eq!(check("69003", "Marseille"), TownCheck::Mismatch);
        assert_eq!(check("75016", "Lyon"), TownCheck::Mismatch);
        assert_eq!(check("69003", "Lyonnais"), TownCheck::Mismatch);
        assert_eq!(check("99999", "Lyon"), TownCheck::UnknownCode);
    }
}
