//! What search engines read: `robots.txt` (the shop's pages, not its private ones),
//! `sitemap.xml` (home, departments, products on sale, legal pages, with their last change),
//! and each product's structured data (schema.org `Product`, JSON-LD).

use rocket::http::ContentType;
use rocket::response::Redirect;
use rocket::{get, routes, Route, State};
use serde_json::json;

use crate::catalog::model::{self, ProductPage};
use crate::config::Settings;
use crate::error::AppResult;
use crate::site::db::DbRef;

/// A sitemap file holds at most this many addresses (the protocol's limit).
const SITEMAP_MAX: i64 = 50_000;

pub fn routes() -> Vec<Route> {
    routes![robots, sitemap, favicon]
}

fn base(settings: &Settings) -> &str {
    settings.base_url.trim_end_matches('/')
}

#[get("/robots.txt")]
fn robots(settings: &State<Settings>) -> (ContentType, String) {
    let text = format!(
        "User-agent: *\n\
         Disallow: /admin\n\
         Disallow: /account\n\
         Disallow: /cart\n\
         Disallow: /checkout\n\
         Disallow: /orders\n\
         Disallow: /search\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        base(settings)
    );
    (ContentType::Plain, text)
}

#[get("/sitemap.xml")]
async fn sitemap(db: DbRef, settings: &State<Settings>) -> AppResult<(ContentType, String)> {
    let pages = db.run(|c| model::public_pages(c, SITEMAP_MAX - 64)).await?;
    let base = base(settings);
    let mut xml = String::with_capacity(pages.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, changed) in pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::text::escape_html(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(at) = changed {
            xml.push_str(&format!("<lastmod>{}</lastmod>", at.format("%Y-%m-%d")));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok((ContentType::XML, xml))
}

/// Browsers ask for `/favicon.ico` whatever the page says: the icon is an SVG.
#[get("/favicon.ico")]
fn favicon() -> Redirect {
    Redirect::permanent("/static/favicon.svg")
}

/// The product's schema.org data, as JSON a page embeds (`</` escaped, so it cannot close the
/// script element it sits in).
pub fn product_json_ld(page: &ProductPage, base: &str) -> String {
    let p = &page.product.product;
    let availability = if p.stock > 0 {
        "https://schema.org/InStock"
    } else {
        "https://schema.org/OutOfStock"
    };
    let images: Vec<String> = page
        .images
        .iter()
        .map(|i| format!("{base}/media/{}", i.file_name))
        .collect();
    // A sale's price holds until it ends (schema.org wants the date).
    let valid_until = page
        .sale
        .map(|s| s.ends_at.date().format("%Y-%m-%d").to_string());
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": p.description,
        "sku": p.slug,
        "image": images,
        "offers": {
            "@type": "Offer",
            "price": p.price_cents.input_value("en"),
            "priceCurrency": "EUR",
            "availability": availability,
            "url": format!("{base}/products/{}", p.slug),
        },
    });
    if let Some(until) = valid_until {
        data["offers"]["priceValidUntil"] = json!(until);
    }
    if !p.brand.is_empty() {
        data["brand"] = json!({ "@type": "Brand", "name": p.brand });
    }
    if !p.gtin.is_empty() {
        // schema.org names the 13-digit one gtin13; the others fit `gtin`.
        let key = if p.gtin.len() == 13 { "gtin13" } else { "gtin" };
        data[key] = json!(p.gtin);
    }
    if let Some(facts) = &page.facts {
        if let Some(m) = &facts.manufacturer {
            data["manufacturer"] = json!({ "@type": "Organization", "name": m.name });
        }
        if !facts.mpn.is_empty() {
            data["mpn"] = json!(facts.mpn);
        }
        // schema.org's NutritionInformation, per 100 g or ml as declared.
        if let Some(n) = &facts.nutrition {
            let per = match page.net_quantity.map(|q| q.unit) {
                Some(crate::catalog::quantity::NetUnit::Millilitre) => "100 ml",
                _ => "100 g",
            };
            let g = |cg: i32| format!("{} g", crate::catalog::facts::grams(cg, "."));
            data["nutrition"] = json!({
                "@type": "NutritionInformation",
                "servingSize": per,
                "calories": format!("{} kcal", n.energy_kcal),
                "fatContent": g(n.fat_cg),
                "saturatedFatContent": g(n.saturates_cg),
                "carbohydrateContent": g(n.carbohydrate_cg),
                "sugarContent": g(n.sugars_cg),
                "proteinContent": g(n.protein_cg),
                "sodiumContent": format!("{} mg", n.salt_cg * 4),
            });
        }
    }
    data.to_string().replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use crate::text::escape_html as xml_escape;

    #[test]
    fn sitemap_addresses_are_escaped() {
        assert_eq!(xml_escape("/a?b=1&c=<2>"), "/a?b=1&amp;c=&lt;2&gt;");
    }
}
