//! A search with a typo still finds: when a query finds nothing, each of its words that the
//! catalogue does not know is replaced by the catalogue's word one edit away (a letter missing,
//! added, changed, or two letters swapped), the most frequent when several are; the corrected
//! query is searched instead and the page says "did you mean". The catalogue's words (folded,
//! as the search itself) are read once a minute at most, and only when a search finds nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::catalog::model::{list, ListFilter, Listing, ProductCard};
use crate::db::schema::products;
use crate::db::DbConn;
use crate::text::fold;

/// Words shorter than this are not corrected (too many neighbours one edit away).
const MIN_LEN: usize = 4;
/// How long a read vocabulary serves (catalogue edits show in suggestions after this at most).
const FRESH: Duration = Duration::from_secs(60);

/// The catalogue's words with how many times each appears.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashMap<String, u32>,
}

impl Vocabulary {
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut words: HashMap<String, u32> = HashMap::new();
        for text in texts {
            for w in split(text) {
                *words.entry(w.to_string()).or_default() += 1;
            }
        }
        Vocabulary { words }
    }

    /// The query with its unknown words corrected, when at least one could be; `None` when
    /// every word is known or none has a neighbour.
    pub fn correct(&self, query: &str) -> Option<String> {
        let folded = fold(query.trim());
        let mut out = String::with_capacity(folded.len());
        let mut changed = false;
        let mut rest = folded.as_str();
        // Words are corrected in place; what lies between them (spaces, apostrophes) stays.
        while !rest.is_empty() {
            let split_at = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let (word, tail) = rest.split_at(split_at);
            match self.neighbour(word) {
                Some(better) => {
                    changed = true;
                    out.push_str(better);
                }
                None => out.push_str(word),
            }
            let gap = tail
                .find(|c: char| c.is_ascii_alphanumeric())
                .unwrap_or(tail.len());
            out.push_str(&tail[..gap]);
            rest = &tail[gap..];
        }
        changed.then_some(out)
    }

    /// The known word one edit away from an unknown `word` (the most frequent).
    fn neighbour(&self, word: &str) -> Option<&str> {
        if word.chars().count() < MIN_LEN || self.words.contains_key(word) {
            return None;
        }
        // Only words of a length one edit can reach are compared (a large catalogue has many
        // words; most are skipped by this test alone).
        let len = word.len();
        self.words
            .iter()
            .filter(|(candidate, _)| candidate.len().abs_diff(len) <= 1)
            .filter(|(candidate, _)| one_edit_apart(word, candidate))
            .max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.cmp(a)))
            .map(|(w, _)| w.as_str())
    }
}

/// The words of a folded text; numbers are not words a typo is corrected to (a reference typed
/// one digit off is another reference).
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `a` becomes `b` by one deletion, insertion, substitution or swap of two neighbours.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Folded words are ASCII: compared as bytes, without allocating.
        return one_edit_apart_in(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_edit_apart_in(&a, &b)
}

fn one_edit_apart_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a == b {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let mut diffs = (0..a.len()).filter(|&i| a[i] != b[i]);
            match (diffs.next(), diffs.next(), diffs.next()) {
                (Some(_), None, _) => true,
                (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
                _ => false,
            }
        }
        1 => {
            let first = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

/// The vocabulary, read from the database when missing or older than a minute; shared by the
/// requests of this instance.
#[derive(Default)]
pub struct VocabularyCache(Mutex<Option<(Instant, Arc<Vocabulary>)>>);

impl VocabularyCache {
    pub fn get(&self, conn: &mut DbConn) -> QueryResult<Arc<Vocabulary>> {
        if let Some((at, v)) = self.0.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if at.elapsed() < FRESH {
                return Ok(Arc::clone(v));
            }
        }
        // The words of both languages: a typo is corrected to a word of either.
        let texts: Vec<(String, String)> = products::table
            .filter(products::active.eq(true))
            .select((products::search_text, products::search_text_en))
            .load(conn)?;
        let fresh = Arc::new(Vocabulary::from_texts(
            texts.iter().flat_map(|(fr, en)| [fr.as_str(), en.as_str()]),
        ));
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), fresh.clone()));
        Ok(fresh)
    }
}

/// A search page: what the query finds, or, when it finds nothing, what its correction finds
/// (with the correction, for "did you mean"). `english`: in the English texts (the French
/// where a product has none).
pub fn search(
    conn: &mut DbConn,
    cache: &VocabularyCache,
    query: &str,
    english: bool,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<ProductCard>, i64, Option<String>)> {
    let filter = ListFilter {
        english,
        ..ListFilter::default()
    };
    let listing = Listing::Search(query.to_string());
    let (items, total) = list(conn, &listing, &filter, page, per_page)?;
    if total > 0 {
        return Ok((items, total, None));
    }
    let Some(corrected) = cache.get(conn)?.correct(query) else {
        return Ok((items, total, None));
    };
    let (items, total) = list(
        conn,
        &Listing::Search(corrected.clone()),
        &filter,
        page,
        per_page,
    )?;
    Ok(if total > 0 {
        (items, total, Some(corrected))
    } else {
        (items, 0, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_a_letter_missing_added_changed_or_two_swapped() {
        assert!(one_edit_apart("moutarde", "moutade"));
        assert!(one_edit_apart("moutarde", "mouttarde"));
        assert!(one_edit_apart("moutarde", "moutorde"));
        assert!(one_edit_apart("moutarde", "moutadre"));
        assert!(!one_edit_apart("moutarde", "moutarde"));
        assert!(!one_edit_apart("moutarde", "mutadre"));
        assert!(!one_edit_apart("miel", "sel"));
        assert!(!one_edit_apart("abcd", "badc"));
    }

    #[test]
    fn unknown_words_are_corrected_to_the_most_frequent_neighbour() {
        let v = Vocabulary::from_texts([
            "moutarde de dijon",
            "moutarde au miel",
            "moutards rares",
            "huile d'olive",
        ]);
        assert_eq!(v.correct("Moutrade"), Some("moutarde".into()));
        assert_eq!(v.correct("moutarde huille"), Some("moutarde huile".into()));
        assert_eq!(
            v.correct("huile d'olve"),
            Some("huile d'olive".into()),
            "gaps kept"
        );
        assert_eq!(v.correct("moutarde"), None, "known words stay");
        assert_eq!(v.correct("xyzzy"), None, "no neighbour, no suggestion");
        assert_eq!(v.correct("mie"), None, "short words are left alone");
    }
}
