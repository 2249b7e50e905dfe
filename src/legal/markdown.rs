//! Markdown to HTML that is safe to show: CommonMark (with tables) rendered by pulldown-cmark,
//! then cleaned by ammonia's whitelist, so raw HTML, scripts, event handlers and
//! `javascript:` links written into a legal page are dropped.

use pulldown_cmark::{html, Options, Parser};

pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_hostile_html_is_inert() {
        let html = render("## Titre\n\n**gras** et [lien](https://example.fr)");
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("<strong>gras</strong>"));
        assert!(html.contains(r#"href="https://example.fr""#));
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"position:fixed\" onclick=\"alert(1)\">x</div>",
        ] {
            let html = render(hostile).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<iframe",
                "onclick",
                "style=",
            ] {
                assert!(!html.contains(bad), "{hostile} → {html}");
            }
        }
    }
}
