//! The one place amounts are added up: a basket's lines and its shipping (later its discounts)
//! become the items total, the total to pay and the VAT per rate. The cart, the checkout's
//! review, the order, its emails, the invoice and the credit note all read their figures from
//! [`totals`], so no two of them can disagree.
//!
//! **VAT of shipping** (rule chosen, after the French doctrine, BOFiP BOI-TVA-LIQ-10-10 and
//! BOI-TVA-BASE-10-10-10: delivery costs charged by the seller are an accessory of the goods and
//! follow their rate): shipping is split over the rates of the basket in proportion to the
//! goods' value *excluding* tax at each rate, and each share is taxed at that rate. A basket of
//! books alone ships at 5,5 %; a basket of wine and mustard ships partly at 20 % and partly at
//! 5,5 %. Shares are whole cents and add up to the shipping price exactly (largest remainder;
//! a tie goes to the higher rate). Shipping with no goods (never charged today) is at 20 %.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::money::{Money, VatRate};

/// One rate's share of a total: what was charged at that rate (goods and their share of
/// shipping, tax included), the part of it that is shipping, and the VAT it contains.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VatLine {
    pub rate_bp: i32,
    pub gross_cents: i64,
    pub shipping_cents: i64,
    pub vat_cents: i64,
}

impl VatLine {
    /// The amount excluding tax at this rate.
    pub fn net_cents(&self) -> i64 {
        self.gross_cents - self.vat_cents
    }
}

/// Every figure a page or a document shows for a basket or an order.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// The goods, tax included.
    pub items_cents: i64,
    pub shipping_cents: i64,
    /// What the customer pays: goods and shipping, tax included.
    pub total_cents: i64,
    /// Highest rate first.
    pub vat: Vec<VatLine>,
    pub vat_cents: i64,
}

impl Totals {
    /// The total excluding tax.
    pub fn net_cents(&self) -> i64 {
        self.total_cents - self.vat_cents
    }
}

/// The rate delivery is charged at when there are no goods to follow.
pub const DEFAULT_SHIPPING_VAT_BP: i32 = 2000;

/// Totals of tax-inclusive `(rate in basis points, line total)` amounts and a shipping price.
pub fn totals(lines: impl IntoIterator<Item = (i32, i64)>, shipping_cents: i64) -> Totals {
    let mut goods: BTreeMap<i32, i64> = BTreeMap::new();
    for (rate, gross) in lines {
        *goods.entry(rate).or_default() += gross;
    }
    goods.retain(|_, gross| *gross > 0);
    let items_cents: i64 = goods.values().sum();
    // Highest rate first, as pages list them and as ties are settled.
    let rates: Vec<(i32, i64)> = goods.into_iter().rev().collect();
    let shares = split_shipping(&rates, shipping_cents.max(0));
    let mut vat: Vec<VatLine> = rates
        .iter()
        .zip(&shares)
        .map(|(&(rate_bp, goods), &shipping)| vat_line(rate_bp, goods + shipping, shipping))
        .collect();
    if rates.is_empty() && shipping_cents > 0 {
        vat.push(vat_line(
            DEFAULT_SHIPPING_VAT_BP,
            shipping_cents,
            shipping_cents,
        ));
    }
    Totals {
        items_cents,
        shipping_cents,
        total_cents: items_cents + shipping_cents,
        vat_cents: vat.iter().map(|l| l.vat_cents).sum(),
        vat,
    }
}

fn vat_line(rate_bp: i32, gross_cents: i64, shipping_cents: i64) -> VatLine {
    VatLine {
        rate_bp,
        gross_cents,
        shipping_cents,
        vat_cents: included_vat(rate_bp, gross_cents),
    }
}

fn included_vat(rate_bp: i32, gross_cents: i64) -> i64 {
    VatRate::from_basis_points(rate_bp)
        .map(|r| r.included_in(Money(gross_cents)).0)
        .unwrap_or(0)
}

/// Shipping's share at each rate, in proportion to the goods' value excluding tax.
fn split_shipping(rates: &[(i32, i64)], shipping: i64) -> Vec<i64> {
    let nets: Vec<i128> = rates
        .iter()
        .map(|&(rate, gross)| i128::from(gross - included_vat(rate, gross)))
        .collect();
    let all: i128 = nets.iter().sum();
    if all <= 0 {
        return vec![0; rates.len()];
    }
    let exact: Vec<(i64, i128)> = nets
        .iter()
        .map(|net| {
            let product = i128::from(shipping) * net;
            ((product / all) as i64, product % all)
        })
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|(floor, _)| *floor).collect();
    let mut left = shipping - shares.iter().sum::<i64>();
    // The cents lost to rounding down go to the largest remainders (stable sort: a tie keeps
    // the higher rate first).
    let mut order: Vec<usize> = (0..rates.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rate_basket_ships_at_its_rate() {
        // 2 × 18 € at 20 % with 4,90 € shipping: 40,90 € holding 6,82 € of VAT.
        let t = totals([(2000, 3600)], 490);
        assert_eq!(t.total_cents, 4090);
        assert_eq!(t.vat_cents, 682);
        assert_eq!(t.vat.len(), 1);
        assert_eq!(t.vat[0].shipping_cents, 490);
        // Books alone: shipping at 5,5 %.
        let books = totals([(550, 2110)], 490);
        assert_eq!(books.vat.len(), 1);
        assert_eq!(books.vat[0].rate_bp, 550);
        assert_eq!(books.vat_cents, VatRate::Reduced.included_in(Money(2600)).0);
    }

    #[test]
    fn mixed_basket_splits_shipping_by_value_excluding_tax() {
        // 12,00 € at 20 % (10,00 € HT) and 10,55 € at 5,5 % (10,00 € HT): shipping halves.
        let t = totals([(550, 1055), (2000, 1200)], 490);
        assert_eq!(t.items_cents, 2255);
        assert_eq!(t.total_cents, 2745);
        let shares: Vec<(i32, i64)> = t
            .vat
            .iter()
            .map(|l| (l.rate_bp, l.shipping_cents))
            .collect();
        assert_eq!(shares, vec![(2000, 245), (550, 245)]);
        assert_eq!(t.vat[0].gross_cents, 1445);
        assert_eq!(t.vat[0].vat_cents, 241); // 14,45 × 20/120 = 2,408…
        assert_eq!(t.vat[1].gross_cents, 1300);
        assert_eq!(t.vat[1].vat_cents, 68); // 13,00 × 5,5/105,5 = 0,677…
        assert_eq!(t.vat_cents, 309);
        assert_eq!(t.net_cents(), 2745 - 309);
    }

    #[test]
    fn shares_add_up_to_the_cent() {
        for shipping in [1, 2, 3, 7, 490, 990, 1001] {
            let t = totals([(2000, 333), (1000, 333), (550, 333), (210, 1)], shipping);
            let split: i64 = t.vat.iter().map(|l| l.shipping_cents).sum();
            assert_eq!(split, shipping);
            let gross: i64 = t.vat.iter().map(|l| l.gross_cents).sum();
            assert_eq!(gross, t.total_cents);
        }
        // A one-cent tie goes to the higher rate.
        let t = totals([(550, 1055), (2000, 1200)], 1);
        assert_eq!(t.vat[0].shipping_cents, 1);
    }

    #[test]
    fn empty_and_free_lines() {
        assert_eq!(totals([], 0), Totals::default());
        let t = totals([(2000, 0)], 0);
        assert!(t.vat.is_empty());
        let only_shipping = totals([], 490);
        assert_eq!(only_shipping.vat[0].rate_bp, 2000);
        assert_eq!(only_shipping.vat_cents, 82);
    }
}
