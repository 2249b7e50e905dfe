//! The one place amounts are added up: a basket's lines, their discounts and its shipping
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
    pub gross_cents: Money,
    pub shipping_cents: Money,
    pub vat_cents: Money,
}

impl VatLine {
    /// The amount excluding tax at this rate.
    pub fn net_cents(&self) -> Money {
        self.gross_cents - self.vat_cents
    }
}

/// Every figure a page or a document shows for a basket or an order.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// The goods, tax included, before any discount.
    pub items_cents: Money,
    /// What a discount code takes off the goods, tax included (spread over the lines it
    /// applies to, so each rate's VAT is on what is really paid).
    pub discount_cents: Money,
    pub shipping_cents: Money,
    /// What the customer pays: goods less discount, and shipping, tax included.
    pub total_cents: Money,
    /// Highest rate first.
    pub vat: Vec<VatLine>,
    pub vat_cents: Money,
}

impl Totals {
    /// The total excluding tax.
    pub fn net_cents(&self) -> Money {
        self.total_cents - self.vat_cents
    }
}

/// The rate delivery is charged at when there are no goods to follow.
pub const DEFAULT_SHIPPING_VAT_BP: i32 = 2000;

/// Totals of tax-inclusive `(rate in basis points, line total)` amounts and a shipping price.
pub fn totals(lines: impl IntoIterator<Item = (i32, Money)>, shipping_cents: Money) -> Totals {
    discounted(
        lines
            .into_iter()
            .map(|(rate, gross)| (rate, gross, Money::ZERO)),
        shipping_cents,
    )
}

/// Totals of `(rate, line total, the line's discount)` and a shipping price: each rate's goods
/// are what is left after the discount, and shipping follows those.
pub fn discounted(
    lines: impl IntoIterator<Item = (i32, Money, Money)>,
    shipping_cents: Money,
) -> Totals {
    let mut goods: BTreeMap<i32, Money> = BTreeMap::new();
    let (mut items_cents, mut discount_cents) = (Money::ZERO, Money::ZERO);
    for (rate, gross, discount) in lines {
        let discount = discount.clamp(Money::ZERO, gross.max(Money::ZERO));
        items_cents += gross;
        discount_cents += discount;
        *goods.entry(rate).or_default() += gross - discount;
    }
    goods.retain(|_, gross| gross.is_positive());
    // Highest rate first, as pages list them and as ties are settled.
    let rates: Vec<(i32, Money)> = goods.into_iter().rev().collect();
    let shares = split_shipping(&rates, shipping_cents.max(Money::ZERO));
    let mut vat: Vec<VatLine> = rates
        .iter()
        .zip(&shares)
        .map(|(&(rate_bp, goods), &shipping)| vat_line(rate_bp, goods + shipping, shipping))
        .collect();
    if rates.is_empty() && shipping_cents.is_positive() {
        vat.push(vat_line(
            DEFAULT_SHIPPING_VAT_BP,
            shipping_cents,
            shipping_cents,
        ));
    }
    Totals {
        items_cents,
        discount_cents,
        shipping_cents,
        total_cents: items_cents - discount_cents + shipping_cents,
        vat_cents: vat.iter().map(|l| l.vat_cents).sum(),
        vat,
    }
}

/// A discount of `amount` spread over lines in proportion to their `totals`, in whole cents
/// adding up exactly (largest remainder), never more than a line's total.
pub fn spread_discount(amount: Money, totals: &[Money]) -> Vec<Money> {
    let all: Money = totals.iter().map(|t| (*t).max(Money::ZERO)).sum();
    allocate(amount.clamp(Money::ZERO, all), totals)
}

fn vat_line(rate_bp: i32, gross_cents: Money, shipping_cents: Money) -> VatLine {
    VatLine {
        rate_bp,
        gross_cents,
        shipping_cents,
        vat_cents: included_vat(rate_bp, gross_cents),
    }
}

/// What a tax-inclusive amount at `rate_bp` comes to excluding tax (the VAT taken off as the
/// totals take it): an invoice's unit prices and line totals excluding tax.
pub fn net_of(rate_bp: i32, gross_cents: Money) -> Money {
    gross_cents - included_vat(rate_bp, gross_cents)
}

fn included_vat(rate_bp: i32, gross_cents: Money) -> Money {
    VatRate::from_basis_points(rate_bp)
        .map(|r| r.included_in(gross_cents))
        .unwrap_or(Money::ZERO)
}

/// Shipping's share at each rate, in proportion to the goods' value excluding tax.
fn split_shipping(rates: &[(i32, Money)], shipping: Money) -> Vec<Money> {
    let nets: Vec<Money> = rates
        .iter()
        .map(|&(rate, gross)| gross - included_vat(rate, gross))
        .collect();
    allocate(shipping, &nets)
}

/// `amount` split in whole cents in proportion to `weights`, adding up exactly: the cents lost
/// to rounding down go to the largest remainders (a tie goes to the earlier weight, the higher
/// rate). All zero when the weights are.
fn allocate(amount: Money, weights: &[Money]) -> Vec<Money> {
    let all: i128 = weights.iter().map(|w| i128::from(w.cents().max(0))).sum();
    if all <= 0 {
        return vec![Money::ZERO; weights.len()];
    }
    let exact: Vec<(i64, i128)> = weights
        .iter()
        .map(|w| {
            let product = i128::from(amount.cents()) * i128::from(w.cents().max(0));
            ((product / all) as i64, product % all)
        })
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|(floor, _)| *floor).collect();
    let mut left = amount.cents() - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares.into_iter().map(Money).collect()
}

/// What a refund gives back, against what the order was `charged` at each rate (its stored VAT
/// lines) and what earlier refunds already gave back (`refunded`, the same shape):
/// - chosen lines `(rate, amount)` at their own rate;
/// - `shipping_cents` of the shipping at the rates it was charged at, in proportion to the
///   shipping charged at each;
/// - `amount_cents` not tied to lines (a goodwill gesture, a price adjustment) in proportion
///   to what was charged at each rate, goods and shipping.
///
/// A rate given back in full gets exactly the VAT that remains at it, so refunds that add up to
/// the order also add up to its VAT, to the cent. `items_cents` holds the lines and the amount.
pub fn refund(
    charged: &[VatLine],
    refunded: &[VatLine],
    lines: impl IntoIterator<Item = (i32, Money)>,
    shipping_cents: Money,
    amount_cents: Money,
) -> Totals {
    // Per rate: (gross given back, of which shipping).
    let mut gross: BTreeMap<i32, (Money, Money)> = BTreeMap::new();
    for (rate, amount) in lines {
        gross.entry(rate).or_default().0 += amount;
    }
    let mut charged = charged.to_vec();
    charged.sort_by_key(|v| std::cmp::Reverse(v.rate_bp));
    let charged = charged.as_slice();
    let shipping_weights: Vec<Money> = charged.iter().map(|v| v.shipping_cents).collect();
    let shipping = allocate(shipping_cents.max(Money::ZERO), &shipping_weights);
    for (i, v) in charged.iter().enumerate() {
        let entry = gross.entry(v.rate_bp).or_default();
        entry.0 += shipping[i];
        entry.1 += shipping[i];
    }
    // The amount falls on what is still paid at each rate once this refund's lines and
    // shipping are taken out.
    let left: Vec<Money> = charged
        .iter()
        .map(|v| {
            let gone: Money = refunded
                .iter()
                .filter(|r| r.rate_bp == v.rate_bp)
                .map(|r| r.gross_cents)
                .sum();
            let now = gross.get(&v.rate_bp).map_or(Money::ZERO, |g| g.0);
            v.gross_cents - gone - now
        })
        .collect();
    let amount = allocate(amount_cents.max(Money::ZERO), &left);
    for (i, v) in charged.iter().enumerate() {
        gross.entry(v.rate_bp).or_default().0 += amount[i];
    }
    let vat: Vec<VatLine> = gross
        .into_iter()
        .rev()
        .filter(|(_, (g, _))| g.is_positive())
        .map(|(rate_bp, (gross_cents, shipping_cents))| {
            let at = |lines: &[VatLine]| {
                lines
                    .iter()
                    .filter(|v| v.rate_bp == rate_bp)
                    .fold((Money::ZERO, Money::ZERO), |(g, t), v| {
                        (g + v.gross_cents, t + v.vat_cents)
                    })
            };
            let ((charged_gross, charged_vat), (gone_gross, gone_vat)) =
                (at(charged), at(refunded));
            let vat_cents =
                if charged_gross.is_positive() && gross_cents == charged_gross - gone_gross {
                    charged_vat - gone_vat
                } else {
                    included_vat(rate_bp, gross_cents)
                };
            VatLine {
                rate_bp,
                gross_cents,
                shipping_cents,
                vat_cents,
            }
        })
        .collect();
    let shipping_cents: Money = vat.iter().map(|v| v.shipping_cents).sum();
    let total_cents: Money = vat.iter().map(|v| v.gross_cents).sum();
    Totals {
        items_cents: total_cents - shipping_cents,
        discount_cents: Money::ZERO,
        shipping_cents,
        total_cents,
        vat_cents: vat.iter().map(|v| v.vat_cents).sum(),
        vat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The functions under test, with amounts written as plain cents.
    fn totals<const N: usize>(lines: [(i32, i64); N], shipping: i64) -> Totals {
        super::totals(lines.map(|(r, g)| (r, Money(g))), Money(shipping))
    }

    fn refund<const N: usize>(
        charged: &[VatLine],
        refunded: &[VatLine],
        lines: [(i32, i64); N],
        shipping: i64,
        amount: i64,
    ) -> Totals {
        super::refund(
            charged,
            refunded,
            lines.map(|(r, g)| (r, Money(g))),
            Money(shipping),
            Money(amount),
        )
    }

    #[test]
    fn refunds_follow_the_rates_charged_and_add_up_to_the_order() {
        // Wine 24,00 € at 20 %, mustard 2 × 5,00 € at 5,5 %, 4,90 € shipping.
        let order = totals([(2000, 2400), (550, 1000)], 490);
        // The mustard alone: its own rate, no shipping.
        let mustard = refund(&order.vat, &[], [(550, 1000)], 0, 0);
        assert_eq!(mustard.total_cents, 1000);
        assert_eq!(mustard.vat.len(), 1);
        assert_eq!(mustard.vat[0].vat_cents, included_vat(550, Money(1000)));
        // Then the shipping: at the rates it was charged at, as charged.
        let shipping = refund(&order.vat, &mustard.vat, [], 490, 0);
        let charged: Vec<(i32, Money)> = order
            .vat
            .iter()
            .map(|v| (v.rate_bp, v.shipping_cents))
            .collect();
        let given: Vec<(i32, Money)> = shipping
            .vat
            .iter()
            .map(|v| (v.rate_bp, v.shipping_cents))
            .collect();
        assert_eq!(given, charged);
        // Then a 7,77 € gesture: on what is still paid, the wine at 20 %.
        let done: Vec<VatLine> = [mustard.vat.clone(), shipping.vat.clone()].concat();
        let gesture = refund(&order.vat, &done, [], 0, 777);
        assert_eq!(gesture.total_cents, 777);
        assert_eq!(gesture.vat.len(), 1);
        assert_eq!(gesture.vat[0].rate_bp, 2000);
        // Then the rest: all four add up to the order, VAT to the cent.
        let done: Vec<VatLine> = [done, gesture.vat.clone()].concat();
        let last = refund(&order.vat, &done, [], 0, 2400 - 777);
        let all = [&mustard, &shipping, &gesture, &last];
        assert_eq!(
            all.iter().map(|t| t.total_cents).sum::<Money>(),
            order.total_cents
        );
        assert_eq!(
            all.iter().map(|t| t.vat_cents).sum::<Money>(),
            order.vat_cents
        );
        // A gesture before anything else falls on both rates, in proportion.
        let first = refund(&order.vat, &[], [], 0, 1000);
        assert_eq!(first.vat.len(), 2);
        assert_eq!(first.vat.iter().map(|v| v.gross_cents).sum::<Money>(), 1000);
        assert!(first.vat[0].gross_cents > first.vat[1].gross_cents);
        // A whole refund at once is the order itself.
        let whole = refund(&order.vat, &[], [(2000, 2400), (550, 1000)], 490, 0);
        assert_eq!(whole, order);
    }

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
        assert_eq!(books.vat_cents, VatRate::Reduced.included_in(Money(2600)));
    }

    #[test]
    fn mixed_basket_splits_shipping_by_value_excluding_tax() {
        // 12,00 € at 20 % (10,00 € HT) and 10,55 € at 5,5 % (10,00 € HT): shipping halves.
        let t = totals([(550, 1055), (2000, 1200)], 490);
        assert_eq!(t.items_cents, 2255);
        assert_eq!(t.total_cents, 2745);
        let shares: Vec<(i32, Money)> = t
            .vat
            .iter()
            .map(|l| (l.rate_bp, l.shipping_cents))
            .collect();
        assert_eq!(shares, vec![(2000, Money(245)), (550, Money(245))]);
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
            let split: Money = t.vat.iter().map(|l| l.shipping_cents).sum();
            assert_eq!(split, Money(shipping));
            let gross: Money = t.vat.iter().map(|l| l.gross_cents).sum();
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
