//! What an invoice or a credit note says, read back as it was issued: the buyer frozen on the
//! document, the lines and the VAT per rate of the order (invoice) or of the refund (credit
//! note). The page and the PDF both render this.

use serde::Serialize;

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppError;
use crate::money::Money;
use crate::orders::invoices::{self, Buyer, Invoice, Kind, Seller};
use crate::orders::model::{self, Order};
use crate::orders::refund_rows;
use crate::totals::{net_of, VatLine};

/// One line of a document, tax included.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentLine {
    pub product_name: String,
    pub vat_rate_bp: i32,
    pub unit_price_cents: Money,
    pub quantity: i32,
    pub line_total_cents: Money,
    /// Excluding tax, as the invoice shows them (CGI art. 242 nonies A); the same as the
    /// prices above when no VAT is charged.
    pub unit_net_cents: Money,
    pub line_net_cents: Money,
}

/// A discount code's share at one rate, tax included (shown as a negative line).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiscountLine {
    pub rate_bp: i32,
    pub discount_cents: Money,
    /// Excluding tax.
    pub net_cents: Money,
}

/// Shipping's share at one rate, excluding tax (the totals' VAT lines hold it tax included).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShippingLine {
    pub rate_bp: i32,
    pub net_cents: Money,
}

/// The figures of a document, positive: a credit note's total is what it gives back.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentTotals {
    pub vat: Vec<VatLine>,
    /// An invoice's discount per rate, highest rate first (its lines show prices before it).
    pub discounts: Vec<DiscountLine>,
    pub total_cents: Money,
    pub vat_cents: Money,
    /// An amount not tied to lines (a credit note's gesture).
    pub amount_cents: Money,
    /// Shipping rate by rate, excluding tax, highest rate first.
    pub shipping: Vec<ShippingLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub invoice: Invoice,
    pub buyer: Buyer,
    pub seller: Seller,
    pub order: Order,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
    /// The invoice a credit note corrects.
    pub corrects: Option<String>,
    /// Why the refund was made, for a credit note.
    pub reason: String,
    /// The shop's name for the way the order travels (none: a flat method, by its kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_label: Option<String>,
}

/// The document `number` of the order `order_number` (`settings`: the seller of documents
/// issued before the seller was kept with them).
pub fn load(
    c: &mut DbConn,
    settings: &Settings,
    order_number: &str,
    number: &str,
) -> Result<Document, AppError> {
    let view = model::view(c, order_number)?;
    let invoice = invoices::by_number(c, view.order.id, number)?;
    let buyer = invoice.buyer();
    let seller = invoice.seller(settings);
    if Kind::parse(&invoice.kind) == Some(Kind::Invoice) {
        let lines = view
            .lines
            .iter()
            .map(|l| DocumentLine {
                product_name: l.product_name.clone(),
                vat_rate_bp: l.vat_rate_bp,
                unit_price_cents: l.unit_price_cents,
                quantity: l.quantity,
                line_total_cents: l.line_total_cents,
                unit_net_cents: Money::ZERO,
                line_net_cents: Money::ZERO,
            })
            .collect();
        let mut discounts: Vec<DiscountLine> = Vec::new();
        for l in view.lines.iter().filter(|l| l.discount_cents.is_positive()) {
            match discounts.iter_mut().find(|d| d.rate_bp == l.vat_rate_bp) {
                Some(d) => d.discount_cents += l.discount_cents,
                None => discounts.push(DiscountLine {
                    rate_bp: l.vat_rate_bp,
                    discount_cents: l.discount_cents,
                    net_cents: Money::ZERO,
                }),
            }
        }
        discounts.sort_by_key(|d| std::cmp::Reverse(d.rate_bp));
        return Ok(excluding_tax(Document {
            totals: DocumentTotals {
                discounts,
                vat: view.totals.vat.clone(),
                total_cents: view.totals.total_cents,
                vat_cents: view.totals.vat_cents,
                amount_cents: Money::ZERO,
                shipping: Vec::new(),
            },
            invoice,
            buyer,
            seller,
            order: view.order,
            lines,
            corrects: None,
            reason: String::new(),
            shipping_label: view.shipping_label,
        }));
    }
    let refund = refund_rows::for_order(c, view.order.id)?
        .into_iter()
        .find(|r| r.refund.credit_note_id == Some(invoice.id))
        .ok_or(AppError::NotFound)?;
    let lines = refund
        .lines
        .iter()
        .filter_map(|r| {
            let line = view.lines.iter().find(|l| l.id == r.order_line_id)?;
            Some(DocumentLine {
                product_name: line.product_name.clone(),
                vat_rate_bp: line.vat_rate_bp,
                unit_price_cents: line.unit_price_cents,
                quantity: r.quantity,
                line_total_cents: r.total_cents,
                unit_net_cents: Money::ZERO,
                line_net_cents: Money::ZERO,
            })
        })
        .collect();
    let corrects = invoices::find(c, view.order.id, Kind::Invoice)?.map(|i| i.number);
    Ok(excluding_tax(Document {
        totals: DocumentTotals {
            discounts: Vec::new(),
            total_cents: refund.refund.total_cents,
            vat_cents: refund.vat.iter().map(|v| v.vat_cents).sum(),
            amount_cents: refund.refund.amount_cents,
            vat: refund.vat,
            shipping: Vec::new(),
        },
        invoice,
        buyer,
        seller,
        order: view.order,
        lines,
        corrects,
        reason: refund.refund.reason,
        shipping_label: view.shipping_label,
    }))
}

/// The figures excluding tax a French invoice shows line by line (CGI art. 242 nonies A),
/// each taken off its tax-inclusive amount as the totals take it (`totals::net_of`); the same
/// figures when no VAT is charged (VAT franchise).
fn excluding_tax(mut doc: Document) -> Document {
    let exempt = doc.seller.vat_exempt;
    let net = |rate: i32, gross: Money| if exempt { gross } else { net_of(rate, gross) };
    for l in &mut doc.lines {
        l.unit_net_cents = net(l.vat_rate_bp, l.unit_price_cents);
        l.line_net_cents = net(l.vat_rate_bp, l.line_total_cents);
    }
    for d in &mut doc.totals.discounts {
        d.net_cents = net(d.rate_bp, d.discount_cents);
    }
    doc.totals.shipping = doc
        .totals
        .vat
        .iter()
        .filter(|v| v.shipping_cents.is_positive())
        .map(|v| ShippingLine {
            rate_bp: v.rate_bp,
            net_cents: net(v.rate_bp, v.shipping_cents),
        })
        .collect();
    doc
}
