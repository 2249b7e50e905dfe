//! Server-side SVG charts for the dashboard: no JavaScript, escaped labels, fixed size.

use std::fmt::Write;

use crate::text::escape_html as escape;

/// The axis' top: the largest value rounded up to 1, 2 or 5 times a power of ten, and 100 (one
/// euro) when there is nothing, so an empty chart does not read "0,01 €".
fn axis_top(largest: i64) -> i64 {
    if largest <= 0 {
        return 100;
    }
    let mut step = 1;
    while step * 10 <= largest {
        step *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * step)
        .find(|&top| top >= largest)
        .unwrap_or(10 * step)
}

/// Vertical bars, one per `(label, value)`, on an axis rounded up from the largest value.
pub fn bars(title: &str, points: &[(String, i64)], format_max: &dyn Fn(i64) -> String) -> String {
    let (w, h, left, bottom, top) = (640.0, 220.0, 64.0, 28.0, 16.0);
    let max = axis_top(points.iter().map(|p| p.1).max().unwrap_or(0));
    let n = points.len().max(1) as f64;
    let slot = (w - left - 8.0) / n;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{y0}" stroke="#999"/><line x1="{left}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#999"/><text x="{tx}" y="{ty}" font-size="11" text-anchor="end">{m}</text><text x="{tx}" y="{y0}" font-size="11" text-anchor="end">0</text>"##,
        y0 = h - bottom,
        x1 = w - 8.0,
        tx = left - 6.0,
        ty = top + 10.0,
        m = escape(&format_max(max))
    );
    for (i, (label, value)) in points.iter().enumerate() {
        let bh = (*value as f64 / max as f64) * (h - bottom - top);
        let x = left + slot * i as f64 + slot * 0.15;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" fill="#8a3b12"><title>{l}: {v}</title></rect>"##,
            y = h - bottom - bh,
            bw = slot * 0.7,
            l = escape(label),
            v = escape(&format_max(*value))
        );
        // Label every fifth bar (and the last) to keep the axis readable.
        if i % 5 == 0 || i + 1 == points.len() {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly}" font-size="10" text-anchor="middle">{l}</text>"#,
                cx = x + slot * 0.35,
                ly = h - 10.0,
                l = escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one row per `(label, count)`.
pub fn rows(title: &str, points: &[(String, i64)]) -> String {
    let (w, row, left) = (640.0, 26.0, 190.0);
    let h = row * points.len().max(1) as f64 + 8.0;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    for (i, (label, value)) in points.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let bw = (*value as f64 / max as f64) * (w - left - 60.0);
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty:.1}" font-size="12" text-anchor="end">{l}</text><rect x="{left}" y="{y:.1}" width="{bw:.1}" height="{bh}" fill="#8a3b12"/><text x="{vx:.1}" y="{ty:.1}" font-size="12">{value}</text>"##,
            lx = left - 8.0,
            ty = y + row * 0.6,
            l = escape(label),
            bh = row * 0.7,
            vx = left + bw + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_labels() {
        let svg = bars("Sales <&>", &[("a".into(), 50), ("b<".into(), 100)], &|v| {
            format!("{v} €")
        });
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Sales &lt;&amp;&gt;"));
        assert!(svg.contains("b&lt;"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("100 €"));
        let empty = bars("none", &[], &|v| v.to_string());
        assert!(empty.ends_with("</svg>"));
    }

    #[test]
    fn the_axis_tops_at_a_round_figure() {
        assert_eq!(axis_top(0), 100, "an empty chart tops at one euro");
        assert_eq!(axis_top(1), 1);
        assert_eq!(axis_top(1_234), 2_000);
        assert_eq!(axis_top(4_999), 5_000);
        assert_eq!(axis_top(5_001), 10_000);
        assert_eq!(axis_top(10_000), 10_000);
        let empty = bars("Revenue", &[("01/11".into(), 0)], &|v| {
            format!("{},{:02} €", v / 100, v % 100)
        });
        assert!(
            empty.contains("1,00 €") && !empty.contains("0,01"),
            "{empty}"
        );
    }

    #[test]
    fn rows_one_per_point() {
        let svg = rows("By status", &[("Payée".into(), 3), ("Annulée".into(), 0)]);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(">3</text>"));
    }
}
