//! Totals of a basket of tax-inclusive lines, with the VAT broken down per rate.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::money::{Money, VatRate};

/// One rate's share of a total: what was charged at that rate and the VAT it contains.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VatLine {
    pub rate_bp: i32,
    pub gross_cents: i64,
    pub vat_cents: i64,
}

/// VAT per rate (highest rate first) for `(rate, gross)` amounts.
pub fn vat_breakdown(amounts: impl IntoIterator<Item = (i32, i64)>) -> Vec<VatLine> {
    let mut by_rate: BTreeMap<i32, i64> = BTreeMap::new();
    for (rate, gross) in amounts {
        *by_rate.entry(rate).or_default() += gross;
    }
    by_rate
        .into_iter()
        .rev()
        .map(|(rate_bp, gross_cents)| VatLine {
            rate_bp,
            gross_cents,
            vat_cents: VatRate::from_basis_points(rate_bp)
                .map(|r| r.included_in(Money(gross_cents)).0)
                .unwrap_or(0),
        })
        .collect()
}

pub fn total_vat(lines: &[VatLine]) -> i64 {
    lines.iter().map(|l| l.vat_cents).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_rate() {
        let lines = vat_breakdown([(550, 1055), (2000, 1200), (550, 1055)]);
        assert_eq!(
            lines,
            vec![
                VatLine {
                    rate_bp: 2000,
                    gross_cents: 1200,
                    vat_cents: 200
                },
                VatLine {
                    rate_bp: 550,
                    gross_cents: 2110,
                    vat_cents: 110
                },
            ]
        );
        assert_eq!(total_vat(&lines), 310);
    }
}
