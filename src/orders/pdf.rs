//! Invoices and credit notes as PDF files: A4 pages drawn from the same [`Document`] as the
//! printable page, with the legal mentions of a French invoice. The text is set in the
//! standard Helvetica in WinAnsi encoding, which every PDF reader has, so no font is shipped.

use pdf_writer::{Content, Finish, Name, Pdf as Writer, Rect, Ref, Str};

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::{Documents, Lang};
use crate::mail::outbox::Attachment;
use crate::money::{Money, VatRate};
use crate::orders::documents::{self, Document};
use crate::orders::invoices::Invoice;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The document as an email attachment (PDF, in the order's language).
pub fn attachment(
    c: &mut DbConn,
    settings: &Settings,
    order_number: &str,
    invoice: &Invoice,
) -> Result<Attachment, AppError> {
    let doc = documents::load(c, settings, order_number, &invoice.number)?;
    let lang = Lang::parse(&doc.order.locale).unwrap_or_default();
    Ok(Attachment {
        filename: filename(&doc),
        content_type: "application/pdf".to_string(),
        data: render(&doc, lang),
    })
}

/// `F2026-000001.pdf`.
pub fn filename(doc: &Document) -> String {
    format!("{}.pdf", doc.invoice.number)
}

/// The pages being drawn: text is placed from the top, a new page begins when one is full.
struct Pages {
    done: Vec<Content>,
    page: Content,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            page: Content::new(),
            y: HEIGHT - MARGIN,
        }
    }

    /// Room for `height` more points on this page, or a new page.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + 40.0 {
            let full = std::mem::replace(&mut self.page, Content::new());
            self.done.push(full);
            self.y = HEIGHT - MARGIN;
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let bytes = winansi(text);
        self.page
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    /// Text ending at `right` (amounts in their column).
    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, text: &str) {
        let x = right - width(text, size);
        self.text(x, y, size, bold, text);
    }

    /// Text cut to fit `room` points, with an ellipsis.
    fn text_fit(&mut self, x: f32, y: f32, size: f32, room: f32, text: &str) {
        if width(text, size) <= room {
            return self.text(x, y, size, false, text);
        }
        let mut cut = String::new();
        for c in text.chars() {
            if width(&cut, size) + width("…", size) + width(&c.to_string(), size) > room {
                break;
            }
            cut.push(c);
        }
        cut.push('…');
        self.text(x, y, size, false, &cut);
    }

    fn rule(&mut self, y: f32) {
        self.page
            .set_line_width(0.5)
            .move_to(MARGIN, y)
            .line_to(WIDTH - MARGIN, y)
            .stroke();
    }

    /// A paragraph wrapped to the page's width, at the cursor.
    fn paragraph(&mut self, size: f32, text: &str) {
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size) > WIDTH - 2.0 * MARGIN && !line.is_empty() {
                self.room(size + 3.0);
                self.text(MARGIN, self.y, size, false, &line);
                self.y -= size + 3.0;
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            self.room(size + 3.0);
            self.text(MARGIN, self.y, size, false, &line);
            self.y -= size + 3.0;
        }
    }

    fn finish(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }
}

/// The document as a PDF file: in French, with the English alongside for a customer who
/// ordered in English (`i18n::Documents`). Lines show their unit price and total excluding
/// tax (CGI art. 242 nonies A), VAT rate by rate below them.
pub fn render(doc: &Document, lang: Lang) -> Vec<u8> {
    let w = Documents::for_customer(lang);
    let money = |cents: Money| cents.format("fr");
    let rate = |bp: i32| {
        VatRate::from_basis_points(bp)
            .map(|r| r.label("fr"))
            .unwrap_or_else(|| "0 %".into())
    };
    let exempt = doc.seller.vat_exempt;
    let credit = doc.invoice.kind == "credit_note";
    let mut p = Pages::new();

    // The seller, top left; the document, top right.
    let s = &doc.seller;
    let top = p.y;
    p.text(MARGIN, top, 12.0, true, &s.name);
    let mut y = top - 14.0;
    for line in [
        s.address.clone(),
        format!("SIRET {}", s.siret),
        format!("{} {}", w.t("invoice-vat-number"), s.vat_number),
    ] {
        p.text(MARGIN, y, 9.0, false, &line);
        y -= 12.0;
    }
    let title = format!(
        "{} {}",
        w.t(&format!("invoice-{}", doc.invoice.kind)),
        doc.invoice.number
    );
    p.text_right(WIDTH - MARGIN, top, 16.0, true, &title);
    let issued = doc.invoice.issued_at.format("%d/%m/%Y").to_string();
    p.text_right(
        WIDTH - MARGIN,
        top - 18.0,
        9.0,
        false,
        &format!("{} {issued}", w.t("invoice-date")),
    );
    let order_line = format!(
        "{} · {}",
        w.t_args("order-title", &[("number", doc.order.number.clone())]),
        doc.order.created_at.format("%d/%m/%Y")
    );
    p.text_right(WIDTH - MARGIN, top - 30.0, 9.0, false, &order_line);

    // The buyer, as the document was issued to them.
    let b = &doc.buyer;
    p.y = y - 16.0;
    p.text(320.0, p.y, 10.0, true, &w.t("invoice-buyer"));
    p.y -= 13.0;
    let mut buyer: Vec<String> = Vec::new();
    if let Some(company) = &b.company {
        buyer.push(company.clone());
    }
    buyer.push(b.address.full_name.clone());
    buyer.push(b.address.street.clone());
    buyer.push(format!("{} {}", b.address.postal_code, b.address.city));
    if !b.address.country.is_empty() {
        buyer.push(w.t(&format!("country-{}", b.address.country)));
    }
    buyer.push(b.email.clone());
    if let Some(siret) = &b.siret {
        buyer.push(format!("SIREN/SIRET {siret}"));
    }
    if let Some(vat) = &b.vat_number {
        buyer.push(format!("{} {vat}", w.t("invoice-vat-number")));
    }
    for line in buyer {
        p.text_fit(320.0, p.y, 9.0, WIDTH - MARGIN - 320.0, &line);
        p.y -= 12.0;
    }

    // The lines.
    p.y -= 14.0;
    let columns = [MARGIN, 300.0, 390.0, 460.0, WIDTH - MARGIN];
    let (unit_key, total_key) = if exempt {
        ("cart-unit-price", "cart-line-total")
    } else {
        ("invoice-unit-price-ht", "invoice-line-total-ht")
    };
    let keys = [
        "cart-product",
        "field-vat",
        unit_key,
        "cart-quantity",
        total_key,
    ];
    // French on the first row; the English below it for an English-speaking customer.
    let mut header_rows = vec![keys.map(|k| Lang::Fr.t(k))];
    if w.english {
        header_rows.push(keys.map(|k| Lang::En.t(k)));
    }
    for (i, header) in header_rows.iter().enumerate() {
        let size = if i == 0 { 9.0 } else { 8.0 };
        p.text(columns[0], p.y, size, i == 0, &header[0]);
        p.text_right(columns[1] + 40.0, p.y, size, i == 0, &header[1]);
        p.text_right(columns[2] + 50.0, p.y, size, i == 0, &header[2]);
        p.text_right(columns[3] + 30.0, p.y, size, i == 0, &header[3]);
        p.text_right(columns[4], p.y, size, i == 0, &header[4]);
        p.y -= 11.0;
    }
    p.y += 6.0;
    p.rule(p.y);
    p.y -= 13.0;
    let mut rows: Vec<(String, String, Money, i32, Money)> = doc
        .lines
        .iter()
        .map(|l| {
            (
                l.product_name.clone(),
                rate(l.vat_rate_bp),
                l.unit_net_cents,
                l.quantity,
                l.line_net_cents,
            )
        })
        .collect();
    if doc.totals.amount_cents.is_positive() {
        let amount = doc.totals.amount_cents;
        // An amount given back whatever the lines: tax included, its VAT in the totals below.
        rows.push((
            format!("{} ({})", w.t("invoice-refund-amount"), w.t("invoice-ttc")),
            "—".into(),
            amount,
            1,
            amount,
        ));
    }
    for d in &doc.totals.discounts {
        let name = format!(
            "{} {}",
            w.t("totals-discount"),
            doc.order.discount_code.as_deref().unwrap_or_default()
        );
        rows.push((name, rate(d.rate_bp), -d.net_cents, 1, -d.net_cents));
    }
    let shipping = doc
        .shipping_label
        .clone()
        .unwrap_or_else(|| w.t(&format!("shipping-{}", doc.order.shipping_method.as_str())));
    for v in &doc.totals.shipping {
        let name = format!("{} ({shipping})", w.t("totals-shipping"));
        rows.push((name, rate(v.rate_bp), v.net_cents, 1, v.net_cents));
    }
    for (name, vat, unit, quantity, total) in rows {
        p.room(14.0);
        p.text_fit(columns[0], p.y, 9.0, columns[1] - columns[0] - 10.0, &name);
        p.text_right(columns[1] + 40.0, p.y, 9.0, false, &vat);
        p.text_right(columns[2] + 50.0, p.y, 9.0, false, &money(unit));
        p.text_right(columns[3] + 30.0, p.y, 9.0, false, &quantity.to_string());
        p.text_right(columns[4], p.y, 9.0, false, &money(total));
        p.y -= 14.0;
    }
    p.rule(p.y + 8.0);

    // The totals, VAT rate by rate.
    p.y -= 8.0;
    let mut totals: Vec<(String, Money, bool)> = Vec::new();
    if !doc.seller.vat_exempt {
        for v in &doc.totals.vat {
            let r = rate(v.rate_bp);
            totals.push((
                w.t_args("invoice-vat-base", &[("rate", r.clone())]),
                v.gross_cents - v.vat_cents,
                false,
            ));
            totals.push((
                w.t_args("invoice-vat-amount", &[("rate", r)]),
                v.vat_cents,
                false,
            ));
        }
        let net = doc.totals.total_cents - doc.totals.vat_cents;
        totals.push((w.t("invoice-total-ht"), net, false));
        totals.push((w.t("invoice-total-vat"), doc.totals.vat_cents, false));
    }
    let grand = if credit {
        w.t("invoice-total-refunded")
    } else {
        w.t("totals-total")
    };
    totals.push((grand, doc.totals.total_cents, true));
    for (label, cents, bold) in totals {
        p.room(14.0);
        p.text_right(440.0, p.y, 9.0, bold, &label);
        p.text_right(WIDTH - MARGIN, p.y, 9.0, bold, &money(cents));
        p.y -= 14.0;
    }

    // What the law asks a document to say.
    p.y -= 10.0;
    let mut notes: Vec<String> = Vec::new();
    if w.english {
        notes.push(w.t("invoice-in-french"));
    }
    if doc.seller.vat_exempt {
        notes.push(w.t("invoice-vat-exempt"));
    }
    if credit {
        let mut line = w.t_args(
            "invoice-credit-note-for",
            &[("number", doc.order.number.clone())],
        );
        if let Some(corrects) = &doc.corrects {
            line.push(' ');
            line.push_str(&w.t_args("invoice-corrects", &[("number", corrects.clone())]));
        }
        notes.push(line);
        if !doc.reason.is_empty() {
            notes.push(format!("{} {}", w.t("invoice-refund-reason"), doc.reason));
        }
    } else {
        let method = w.t(&format!("payment-{}", doc.order.payment_method.as_str()));
        notes.push(w.t_args("invoice-paid-by", &[("method", method)]));
        if let Some(paid) = doc.order.paid_at {
            notes.push(w.t_args(
                "invoice-paid-on",
                &[("date", paid.format("%d/%m/%Y").to_string())],
            ));
        }
    }
    notes.push(w.t_args(
        "email-terms-accepted",
        &[("version", doc.order.terms_version.clone())],
    ));
    notes.push(w.t("invoice-late-penalties"));
    if doc.buyer.company.is_some() || doc.buyer.siret.is_some() {
        notes.push(w.t("invoice-recovery-indemnity"));
    }
    for note in notes {
        p.paragraph(8.5, &note);
        p.y -= 2.0;
    }

    write(doc, p.finish())
}

/// Assembles the pages into a file, numbered at their foot.
fn write(doc: &Document, pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Writer::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let count = pages.len() as i32;
    let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(first_page + 2 * i)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(count);
    for (id, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = format!("{} {}", doc.invoice.kind, doc.invoice.number);
    pdf.document_info(info)
        .title(pdf_writer::TextStr(&title))
        .producer(pdf_writer::TextStr("Comptoir"));
    for (i, mut content) in pages.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(first_page + 2 * i as i32 + 1);
        let foot = format!("{} · {}/{count}", doc.invoice.number, i + 1);
        let bytes = winansi(&foot);
        content
            .begin_text()
            .set_font(REGULAR, 8.0)
            .next_line(WIDTH - MARGIN - width(&foot, 8.0), MARGIN - 20.0)
            .show(Str(&bytes))
            .end_text();
        let mut page = pdf.page(page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(REGULAR, regular).pair(BOLD, bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// Text in WinAnsi (Windows-1252), the encoding of the standard fonts: French and the euro
/// sign fit; anything else becomes `?`.
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            'Œ' => 0x8C,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            'œ' => 0x9C,
            'Ÿ' => 0x9F,
            '\u{202f}' | '\u{2009}' | '\u{a0}' => 0xA0,
            c if c.is_ascii() && !c.is_ascii_control() => c as u8,
            c if ('\u{a1}'..='\u{ff}').contains(&c) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// The width of `text` in Helvetica at `size` points (the standard font metrics; accented
/// letters as their base letter), for right-aligned columns and cut names.
fn width(text: &str, size: f32) -> f32 {
    // Helvetica's advance widths of the printable ASCII characters (32 to 126), per 1000.
    const ASCII: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
        722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
        500, 334, 260, 334, 584,
    ];
    let units: u32 = text
        .chars()
        .map(|c| {
            let base = deunicode::deunicode_char(c)
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            match c {
                '€' => 556,
                '…' => 1000,
                '\u{202f}' | '\u{2009}' | '\u{a0}' => 278,
                _ if base.is_ascii() && !base.is_ascii_control() => {
                    u32::from(ASCII[base as usize - 32])
                }
                _ => 556,
            }
        })
        .sum();
    units as f32 * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_the_euro_sign_are_winansi() {
        assert_eq!(winansi("é€œ…"), vec![0xE9, 0x80, 0x9C, 0x85]);
        assert_eq!(winansi("12,50\u{a0}€"), b"12,50\xa0\x80".to_vec());
        assert_eq!(winansi("日"), b"?".to_vec());
    }

    #[test]
    fn widths_follow_helvetica() {
        assert_eq!(width("0", 1000.0), 556.0);
        assert_eq!(
            width("1,00\u{a0}€", 10.0),
            (556.0 * 3.0 + 278.0 * 2.0 + 556.0) / 100.0
        );
        assert_eq!(width("é", 10.0), width("e", 10.0));
    }
}
