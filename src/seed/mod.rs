//! The demo catalogue (`comptoir seed-demo`, `comptoir serve --demo`): seven categories and
//! seventy products of a French delicatessen and home shop.

use chrono::Duration;
use diesel::QueryResult;

use crate::catalog::model::{self, NewCategory, NewProduct};
use crate::db::now;
use crate::db::DbConn;
use crate::money::Money;
use crate::text::slugify;

pub mod pictures;

struct DemoCategory {
    name: &'static str,
    description: &'static str,
    vat_bp: i32,
    /// Its products are alcoholic beverages (health mention, buyer's age at checkout).
    alcoholic: bool,
    /// name, price in cents, description
    products: &'static [(&'static str, i64, &'static str)],
}

const CATALOGUE: &[DemoCategory] = &[
    DemoCategory {
        name: "Épicerie fine",
        description: "Conserves, condiments et douceurs de petits producteurs.",
        vat_bp: 550,
        alcoholic: false,
        products: &[
            (
                "Huile d'olive vierge extra de Provence 50 cl",
                1890,
                "Pressée à froid dans les Alpilles, fruité vert, notes d'artichaut.",
            ),
            (
                "Fleur de sel de Guérande 250 g",
                690,
                "Récoltée à la main dans les marais salants de la presqu'île.",
            ),
            (
                "Moutarde de Dijon à l'ancienne",
                450,
                "Graines entières, vinaigre de vin blanc, piquant franc.",
            ),
            (
                "Confiture de figues violettes",
                620,
                "Figues de Solliès cuites en chaudron de cuivre, 65 % de fruits.",
            ),
            (
                "Miel de lavande AOP 400 g",
                1150,
                "Miel crémeux des plateaux de Valensole.",
            ),
            (
                "Rillettes de canard du Périgord",
                790,
                "Canard du Sud-Ouest, cuisson lente, sans conservateur.",
            ),
            (
                "Piment d'Espelette AOP 40 g",
                980,
                "Poudre séchée au soleil du Pays basque.",
            ),
            (
                "Caramel au beurre salé",
                740,
                "À tartiner, beurre de baratte de Bretagne.",
            ),
            (
                "Sardines millésimées à l'huile d'olive",
                890,
                "Pêchées en 2025, affinées en boîte au moins un an.",
            ),
            (
                "Vinaigre de Banyuls 50 cl",
                1290,
                "Vieilli en fût de chêne, notes de noix et de cacao.",
            ),
        ],
    },
    DemoCategory {
        name: "Thés et cafés",
        description: "Grands crus torréfiés à Lyon, thés de jardin et infusions.",
        vat_bp: 550,
        alcoholic: false,
        products: &[
            (
                "Café d'Éthiopie Yirgacheffe 250 g",
                1290,
                "Torréfaction claire, notes de jasmin et d'agrumes.",
            ),
            (
                "Café du Brésil Cerrado 1 kg",
                3490,
                "Rond et chocolaté, idéal pour l'espresso.",
            ),
            (
                "Thé vert Sencha du Japon 100 g",
                1450,
                "Récolte de printemps, infusion à 70 °C.",
            ),
            (
                "Thé noir Darjeeling First Flush",
                1790,
                "Jardin de Castleton, notes de muscat.",
            ),
            (
                "Rooibos vanille bourbon",
                890,
                "Sans théine, vanille de Madagascar.",
            ),
            (
                "Infusion verveine citronnée",
                790,
                "Verveine du Velay cueillie à la main.",
            ),
            (
                "Earl Grey à la bergamote de Calabre",
                1090,
                "Thé noir de Ceylan et huile essentielle pressée à froid.",
            ),
            (
                "Chicorée du Nord 250 g",
                540,
                "Racines torréfiées, à mélanger au café ou pure.",
            ),
            (
                "Matcha de cérémonie 30 g",
                2490,
                "Uji, moulu sur meule de pierre.",
            ),
            (
                "Chocolat chaud à l'ancienne",
                990,
                "Cacao 70 % à fondre dans le lait.",
            ),
        ],
    },
    DemoCategory {
        name: "Cave",
        description: "Vins de vignerons, cidres et spiritueux.",
        vat_bp: 2000,
        alcoholic: true,
        products: &[
            (
                "Côtes-du-Rhône Villages rouge 2022",
                1450,
                "Grenache et syrah, fruits noirs et garrigue.",
            ),
            (
                "Chablis Premier Cru 2021",
                3290,
                "Chardonnay minéral, notes d'agrumes et de silex.",
            ),
            (
                "Muscadet Sèvre-et-Maine sur lie",
                990,
                "Vif et iodé, pour les huîtres.",
            ),
            (
                "Champagne brut réserve",
                3890,
                "Assemblage des trois cépages, bulles fines.",
            ),
            (
                "Cidre brut du Pays d'Auge",
                690,
                "Fermentation naturelle, pommes à cidre de Normandie.",
            ),
            (
                "Calvados hors d'âge 70 cl",
                5490,
                "Six ans en fût, notes de pomme cuite et de vanille.",
            ),
            (
                "Bordeaux Saint-Émilion Grand Cru 2019",
                2790,
                "Merlot dominant, tanins soyeux.",
            ),
            (
                "Crémant d'Alsace rosé",
                1590,
                "Pinot noir, bulles fraîches et fruits rouges.",
            ),
            (
                "Pastis artisanal de Marseille",
                2990,
                "Anis étoilé, réglisse et plantes de Provence.",
            ),
            (
                "Sancerre blanc 2023",
                2190,
                "Sauvignon de silex, tendu et floral.",
            ),
        ],
    },
    DemoCategory {
        name: "Arts de la table",
        description: "Vaisselle, verrerie et couverts fabriqués en France.",
        vat_bp: 2000,
        alcoholic: false,
        products: &[
            (
                "Assiette plate en grès émaillé",
                2400,
                "Tournée à la main dans un atelier de Bourgogne, 27 cm.",
            ),
            ("Bol à café au lait", 1800, "Faïence de Gien, décor bleu."),
            (
                "Carafe en verre soufflé 1 L",
                3900,
                "Verrerie de Biot, bulles prises dans le verre.",
            ),
            (
                "Couteau Laguiole manche en bois d'olivier",
                6900,
                "Lame en acier inoxydable, abeille forgée.",
            ),
            (
                "Nappe en lin lavé 160 × 250 cm",
                8900,
                "Lin cultivé en Normandie, tissé dans les Vosges.",
            ),
            (
                "Lot de 4 verres à vin",
                4400,
                "Cristallin, pied fin, 35 cl.",
            ),
            (
                "Planche à découper en noyer",
                4900,
                "Bois massif du Périgord, huilé.",
            ),
            (
                "Théière en fonte émaillée",
                5900,
                "Fonte noire, filtre inox, 80 cl.",
            ),
            (
                "Cocotte en fonte 24 cm",
                14900,
                "Fabriquée en Picardie, tous feux dont induction.",
            ),
            (
                "Serviettes en lin (lot de 6)",
                4200,
                "Lin lavé, coloris naturel.",
            ),
        ],
    },
    DemoCategory {
        name: "Maison et linge",
        description: "Bougies, savons, linge de lit et objets du quotidien.",
        vat_bp: 2000,
        alcoholic: false,
        products: &[
            (
                "Savon de Marseille cube 600 g",
                690,
                "72 % d'huiles végétales, cuit au chaudron.",
            ),
            (
                "Bougie parfumée figuier",
                3200,
                "Cire végétale, mèche coton, 50 heures.",
            ),
            (
                "Plaid en laine des Pyrénées",
                11900,
                "Laine mérinos tissée à Lavelanet.",
            ),
            (
                "Housse de couette en lin 240 × 220 cm",
                16900,
                "Lin lavé, fermeture à boutons.",
            ),
            (
                "Torchons en métis (lot de 3)",
                2700,
                "Coton et lin, tissés dans les Vosges.",
            ),
            (
                "Brosse à vaisselle en hêtre",
                890,
                "Poils de tampico, tête remplaçable.",
            ),
            (
                "Panier en osier tressé",
                4500,
                "Vannerie de Villaines-les-Rochers.",
            ),
            (
                "Diffuseur de parfum lavande",
                2800,
                "Lavande fine de Haute-Provence, 100 ml.",
            ),
            (
                "Tablier en toile de coton",
                3500,
                "Coton épais, poche ventrale, liens croisés.",
            ),
            (
                "Bouillotte en caoutchouc naturel",
                2200,
                "Housse tricotée en laine, 2 L.",
            ),
        ],
    },
    DemoCategory {
        name: "Librairie",
        description: "Livres de cuisine, guides et carnets.",
        vat_bp: 550,
        alcoholic: false,
        products: &[
            (
                "La Cuisine des régions de France",
                3500,
                "Trois cents recettes du terroir, de l'Alsace au Pays basque.",
            ),
            (
                "Le Guide des fromages de France",
                2900,
                "Plus de deux cents fromages, leurs terroirs et leurs affineurs.",
            ),
            (
                "Pâtisserie française : les bases",
                3200,
                "Pâtes, crèmes et montages expliqués pas à pas.",
            ),
            (
                "Carnet de dégustation des vins",
                1500,
                "Fiches à remplir, reliure cousue.",
            ),
            (
                "Le Tour de France gourmand",
                2400,
                "Récit de voyage et adresses de producteurs.",
            ),
            (
                "Conserves maison",
                1990,
                "Bocaux, stérilisation et recettes de saison.",
            ),
            (
                "L'Art du pain au levain",
                2700,
                "Du levain chef à la miche de campagne.",
            ),
            (
                "Herbier des plantes aromatiques",
                2200,
                "Cultiver et cuisiner trente herbes.",
            ),
            (
                "Cahier de recettes à compléter",
                1800,
                "Papier recyclé, 120 pages.",
            ),
            (
                "Petit traité du thé",
                1690,
                "Histoire, jardins et préparation.",
            ),
        ],
    },
    DemoCategory {
        name: "Presse et revues",
        description: "Revues gourmandes et magazines de jardin.",
        vat_bp: 210,
        alcoholic: false,
        products: &[
            (
                "Revue Terroirs n° 42",
                890,
                "Dossier spécial : les fromages d'alpage.",
            ),
            (
                "Magazine Jardin potager — hiver",
                650,
                "Semis d'intérieur et calendrier lunaire.",
            ),
            (
                "Les Cahiers du vin n° 118",
                1200,
                "Les vignerons de Loire à suivre.",
            ),
            (
                "Revue Cuisine de saison — automne",
                750,
                "Courges, champignons et gibier.",
            ),
            (
                "Gazette des marchés de Provence",
                390,
                "Le guide mensuel des marchés.",
            ),
            (
                "Revue Maison de campagne n° 77",
                690,
                "Rénover une longère bretonne.",
            ),
            (
                "Magazine Pâtisserie & Cie n° 12",
                790,
                "Les bûches de Noël des chefs.",
            ),
            ("Revue Le Goût du thé n° 9", 850, "Les oolongs de Taïwan."),
            (
                "Almanach du jardinier 2027",
                990,
                "Conseils au fil des mois.",
            ),
            (
                "Hors-série Fromages de France",
                1290,
                "Carte des appellations et affineurs.",
            ),
        ],
    },
];

/// The departments and the featured products in English (name, description), by French name;
/// the others stay untranslated in the demo, to show the French fallback.
const ENGLISH: &[(&str, &str, &str)] = &[
    (
        "Épicerie fine",
        "Fine foods",
        "Preserves, condiments and treats from small producers.",
    ),
    (
        "Thés et cafés",
        "Teas and coffees",
        "Great coffees roasted in Lyon, garden teas and infusions.",
    ),
    (
        "Cave",
        "Wine cellar",
        "Wines from winegrowers, ciders and spirits.",
    ),
    (
        "Arts de la table",
        "Tableware",
        "Dishes, glassware and cutlery made in France.",
    ),
    (
        "Maison et linge",
        "Home and linen",
        "Candles, soaps, bed linen and everyday things.",
    ),
    ("Librairie", "Bookshop", "Cookbooks, guides and notebooks."),
    (
        "Presse et revues",
        "Magazines",
        "Food magazines and gardening reviews.",
    ),
    (
        "Huile d'olive vierge extra de Provence 50 cl",
        "Extra virgin olive oil from Provence 50 cl",
        "Cold-pressed in the Alpilles, green and fruity, with notes of artichoke.",
    ),
    (
        "Fleur de sel de Guérande 250 g",
        "Guérande fleur de sel 250 g",
        "Harvested by hand in the salt marshes of the peninsula.",
    ),
    (
        "Café d'Éthiopie Yirgacheffe 250 g",
        "Ethiopian Yirgacheffe coffee 250 g",
        "Light roast, notes of jasmine and citrus.",
    ),
    (
        "Café du Brésil Cerrado 1 kg",
        "Brazilian Cerrado coffee 1 kg",
        "Round and chocolatey, ideal for espresso.",
    ),
    (
        "Côtes-du-Rhône Villages rouge 2022",
        "Côtes-du-Rhône Villages red 2022",
        "Grenache and syrah, black fruit and garrigue.",
    ),
    (
        "Chablis Premier Cru 2021",
        "Chablis Premier Cru 2021",
        "Mineral chardonnay, notes of citrus and flint.",
    ),
    (
        "Assiette plate en grès émaillé",
        "Glazed stoneware dinner plate",
        "Thrown by hand in a Burgundy workshop, 27 cm.",
    ),
    (
        "Carafe en verre soufflé 1 L",
        "Blown glass carafe 1 L",
        "Glassware from Biot, with bubbles caught in the glass.",
    ),
    (
        "Savon de Marseille cube 600 g",
        "Marseille soap cube 600 g",
        "72 % vegetable oils, cauldron-cooked.",
    ),
    (
        "Bougie parfumée figuier",
        "Fig tree scented candle",
        "Vegetable wax, cotton wick, 50 hours.",
    ),
    (
        "La Cuisine des régions de France",
        "Cooking from the regions of France",
        "Three hundred regional recipes, from Alsace to the Basque Country.",
    ),
    (
        "Le Guide des fromages de France",
        "The guide to French cheeses",
        "Over two hundred cheeses, their lands and their affineurs.",
    ),
    (
        "Revue Terroirs n° 42",
        "Terroirs magazine no. 42",
        "Special issue: mountain pasture cheeses.",
    ),
    (
        "Magazine Jardin potager — hiver",
        "Kitchen garden magazine — winter",
        "Indoor sowing and lunar calendar.",
    ),
];

/// The English name and description of a department or product of the demo ("" when none).
fn english(french: &str) -> (&'static str, &'static str) {
    ENGLISH
        .iter()
        .find(|(fr, _, _)| *fr == french)
        .map_or(("", ""), |(_, name, description)| (*name, *description))
}

pub const DEMO_STAFF_EMAIL: &str = "staff@comptoir.test";

/// Writes the demo catalogue in one transaction; refuses a database that has products.
pub fn seed_demo(conn: &mut DbConn) -> Result<usize, String> {
    if model::count_products(conn).map_err(|e| e.to_string())? > 0 {
        return Err(
            "the database already has products; demo data goes only into an empty shop".into(),
        );
    }
    conn.write_tx(|c| -> QueryResult<usize> {
        let mut count = 0;
        let start = now() - Duration::days(30);
        for (ci, cat) in CATALOGUE.iter().enumerate() {
            let slug = slugify(cat.name);
            let (name_en, description_en) = english(cat.name);
            let category_id = model::insert_category(
                c,
                &NewCategory {
                    slug: &slug,
                    name: cat.name,
                    description: cat.description,
                    name_en,
                    description_en,
                    position: ci as i32,
                    created_at: start,
                },
            )?;
            let products: Vec<(String, &(&str, i64, &str))> =
                cat.products.iter().map(|p| (slugify(p.0), p)).collect();
            let gtins: Vec<String> = (0..products.len())
                .map(|pi| demo_gtin(ci * 10 + pi))
                .collect();
            let rows: Vec<NewProduct<'_>> = products
                .iter()
                .enumerate()
                .map(|(pi, (slug, (name, price, description)))| {
                    let n = ci * 10 + pi;
                    // Added department by department, the last first.
                    let added = (CATALOGUE.len() - 1 - ci) * 10 + pi;
                    // A spread of stock levels: plenty, a few left, and sold out.
                    let stock = match n % 9 {
                        0 => 0,
                        1 | 5 => 3,
                        _ => 10 + (n as i32 * 7) % 40,
                    };
                    let (name_en, description_en) = english(name);
                    let net = demo_net(name, cat.alcoholic);
                    NewProduct {
                        category_id: Some(category_id),
                        slug,
                        name,
                        description,
                        search_text: NewProduct::search_text_for(name, description),
                        name_en,
                        description_en,
                        search_text_en: NewProduct::search_text_en_for(
                            name,
                            description,
                            name_en,
                            description_en,
                        ),
                        price_cents: Money(*price),
                        vat_rate_bp: cat.vat_bp,
                        stock,
                        active: true,
                        // One featured product a department (two for the first): the home
                        // page shows them all, the first department's newest first.
                        featured: pi == 0 || (ci == 0 && pi == 1),
                        created_at: start + Duration::hours(added as i64),
                        updated_at: start + Duration::hours(added as i64),
                        option1_name: "",
                        option2_name: "",
                        option1_name_en: "",
                        option2_name_en: "",
                        net_quantity: net.map(|n| n.amount),
                        net_unit: net.map(|n| n.unit.as_str()),
                        brand: "",
                        gtin: &gtins[pi],
                        // Parcels from 200 g to 2 kg, for shipping by weight.
                        weight_grams: 200 + (n as i32 * 137) % 1800,
                        alcoholic: cat.alcoholic,
                    }
                })
                .collect();
            count += model::insert_products(c, &rows)?;
        }
        // A product in sizes, to show variants.
        let apron = model::product_id_by_slug(c, &slugify("Tablier en toile de coton"))?;
        crate::catalog::variants::give_options(
            c,
            apron,
            ("Taille", "Size"),
            &[("S/M", 8), ("L/XL", 5)],
        )?;
        Ok(count)
    })
    .map_err(|e| e.to_string())
}

/// Gives every demo product without a picture its drawn one ([`pictures`]), stored as an
/// upload would be. Returns how many were added. Kept apart from [`seed_demo`], which the
/// tests call often, because drawing takes a moment.
pub fn demo_pictures(conn: &mut DbConn) -> Result<usize, String> {
    let mut added = 0;
    for (ci, cat) in CATALOGUE.iter().enumerate() {
        for (name, _, _) in cat.products {
            let id = match model::product_id_by_slug(conn, &slugify(name)) {
                Ok(id) => id,
                Err(diesel::result::Error::NotFound) => continue,
                Err(e) => return Err(e.to_string()),
            };
            if !crate::catalog::images::for_product(conn, id)
                .map_err(|e| e.to_string())?
                .is_empty()
            {
                continue;
            }
            let stored = crate::catalog::images::process(pictures::draw(ci, name)?)
                .map_err(|e| e.to_string())?;
            crate::catalog::images::record(conn, id, None, &stored, name, None)
                .map_err(|e| e.to_string())?;
            added += 1;
        }
    }
    Ok(added)
}

/// A demo product's GTIN: a number of GS1's prefix 200–299, kept for a shop's own numbering
/// (so no real product's), with its check digit.
fn demo_gtin(n: usize) -> String {
    let body = format!("200{n:09}");
    (0..10)
        .map(|check| format!("{body}{check}"))
        .find(|gtin| crate::catalog::gtin::normalize(gtin).is_ok())
        .unwrap_or(body)
}

/// A demo product's net quantity: as its name ends ("… 50 cl", "… 250 g"), else a bottle of
/// 75 cl for the cellar's wines.
fn demo_net(name: &str, alcoholic: bool) -> Option<crate::catalog::quantity::NetQuantity> {
    let mut words = name.rsplitn(3, ' ');
    let (unit, amount) = (words.next()?, words.next()?);
    crate::catalog::quantity::NetQuantity::parse(amount, unit)
        .ok()
        .flatten()
        .or_else(|| {
            alcoholic.then_some(crate::catalog::quantity::NetQuantity {
                amount: 750,
                unit: crate::catalog::quantity::NetUnit::Millilitre,
            })
        })
}

/// The demo's product on sale (14,90 € instead of 18,90 €), with a price history that makes its
/// reference price visible: 19,90 € until 20 days ago, then 18,90 €, the lowest of the 30 days
/// before the sale (code de la consommation art. L112-1-1). Started two days ago, for two
/// weeks. Does nothing when the shop already has a sale.
pub const DEMO_SALE_PRODUCT: &str = "Huile d'olive vierge extra de Provence 50 cl";

pub fn demo_sale(conn: &mut DbConn) -> Result<(), String> {
    use crate::catalog::sales::{self, NewSale, Reduction};
    use crate::db::schema::{price_history, sales as sales_table};
    use diesel::prelude::*;
    let err = |e: diesel::result::Error| e.to_string();
    let any: i64 = sales_table::table.count().get_result(conn).map_err(err)?;
    if any > 0 {
        return Ok(());
    }
    let id = model::product_id_by_slug(conn, &slugify(DEMO_SALE_PRODUCT)).map_err(err)?;
    let now = crate::db::now();
    conn.write_tx(|c| {
        diesel::delete(price_history::table.filter(price_history::product_id.eq(id))).execute(c)?;
        for (price, from, until) in [
            (
                1990_i64,
                now - Duration::days(120),
                Some(now - Duration::days(20)),
            ),
            (1890, now - Duration::days(20), None),
        ] {
            diesel::insert_into(price_history::table)
                .values((
                    price_history::product_id.eq(id),
                    price_history::price_cents.eq(price),
                    price_history::valid_from.eq(from),
                    price_history::valid_until.eq(until),
                ))
                .execute(c)?;
        }
        Ok(())
    })
    .map_err(err)?;
    let sale = NewSale {
        name: "Offre de décembre".into(),
        starts_at: now - Duration::days(2),
        ends_at: now + Duration::days(12),
        reduction: Reduction::Price(Money(1490)),
        products: vec![id],
    };
    sales::create(conn, &sale, None, now).map_err(|e| e.to_string())?;
    Ok(())
}

/// The demo's manufacturers, one outside the Union with its responsible person in it: name,
/// postal address, country, email, and the index of its responsible person.
const DEMO_MAKERS: &[(&str, &str, &str, &str, Option<usize>)] = &[
    (
        "Moulin des Alpilles",
        "Chemin du Moulin\n13520 Maussane-les-Alpilles",
        "FR",
        "contact@moulin-alpilles.example",
        None,
    ),
    (
        "Saunerie de la Presqu'île",
        "Route des Marais\n44350 Guérande",
        "FR",
        "bonjour@saunerie-presquile.example",
        None,
    ),
    (
        "Moutarderie de la Côte-d'Or",
        "12 rue des Graines\n21000 Dijon",
        "FR",
        "service@moutarderie-cotedor.example",
        None,
    ),
    (
        "Domaine des Garrigues",
        "Route d'Orange\n84110 Vaison-la-Romaine",
        "FR",
        "cave@domaine-garrigues.example",
        None,
    ),
    (
        "Textiles Import Europe SARL",
        "5 quai de la Fosse\n44000 Nantes",
        "FR",
        "securite-produits@textiles-import.example",
        None,
    ),
    (
        "Cotton Works Ltd",
        "88 Mill Road\nTiruppur 641604\nTamil Nadu",
        "IN",
        "export@cottonworks.example",
        Some(4),
    ),
];

/// One demo product's facts: its name, its manufacturer (index in [`DEMO_MAKERS`]) and its
/// facts as typed in the back-office (checked as they would be there).
struct DemoFacts {
    product: &'static str,
    maker: usize,
    input: fn() -> crate::catalog::facts::FactsInput,
}

fn nutrition(values: [&str; 8]) -> [String; 8] {
    values.map(str::to_string)
}

const DEMO_FACTS: &[DemoFacts] = &[
    DemoFacts {
        product: "Huile d'olive vierge extra de Provence 50 cl",
        maker: 0,
        input: || {
            crate::catalog::facts::FactsInput {
            food: true,
            ingredients: "Huile d'olive vierge extra (100 %), obtenue directement des olives et uniquement par des procédés mécaniques.".into(),
            ingredients_en: "Extra virgin olive oil (100 %), obtained directly from olives and solely by mechanical means.".into(),
            nutrition: nutrition(["3404", "828", "92", "13", "0", "0", "0", "0"]),
            storage: "À conserver à l'abri de la lumière et de la chaleur.".into(),
            storage_en: "Keep away from light and heat.".into(),
            origin: "Huile d'olive de France (Provence)".into(),
            origin_en: "Olive oil from France (Provence)".into(),
            batch: "L2611-04".into(),
            ..Default::default()
        }
        },
    },
    DemoFacts {
        product: "Fleur de sel de Guérande 250 g",
        maker: 1,
        input: || crate::catalog::facts::FactsInput {
            food: true,
            ingredients: "Fleur de sel de Guérande (100 %), non raffinée, sans additif.".into(),
            ingredients_en: "Guérande fleur de sel (100 %), unrefined, no additives.".into(),
            nutrition: nutrition(["0", "0", "0", "0", "0", "0", "0", "95"]),
            storage: "À conserver au sec.".into(),
            storage_en: "Keep dry.".into(),
            origin: "France (Loire-Atlantique)".into(),
            origin_en: "France (Loire-Atlantique)".into(),
            ..Default::default()
        },
    },
    DemoFacts {
        product: "Moutarde de Dijon à l'ancienne",
        maker: 2,
        input: || {
            crate::catalog::facts::FactsInput {
            food: true,
            ingredients: "Eau, graines de moutarde, vinaigre d'alcool, sel, vin blanc (contient des sulfites), acidifiant : acide citrique.".into(),
            ingredients_en: "Water, mustard seeds, spirit vinegar, salt, white wine (contains sulphites), acidity regulator: citric acid.".into(),
            allergens: vec!["mustard".into(), "sulphites".into()],
            nutrition: nutrition(["640", "154", "10,4", "0,6", "5,2", "2,1", "7,8", "5,6"]),
            storage: "Après ouverture, à conserver au réfrigérateur et à consommer dans les 6 semaines.".into(),
            storage_en: "Once opened, keep refrigerated and use within 6 weeks.".into(),
            ..Default::default()
        }
        },
    },
    DemoFacts {
        product: "Côtes-du-Rhône Villages rouge 2022",
        maker: 3,
        input: || crate::catalog::facts::FactsInput {
            food: true,
            ingredients: "Raisins, conservateur : sulfites.".into(),
            ingredients_en: "Grapes, preservative: sulphites.".into(),
            allergens: vec!["sulphites".into()],
            nutrition: nutrition(["355", "85", "0", "0", "2,6", "0,6", "0", "0"]),
            storage: "À conserver couché, à l'abri de la lumière, entre 12 et 15 °C.".into(),
            storage_en: "Store lying down, away from light, between 12 and 15 °C.".into(),
            origin: "Vin de France, AOC Côtes-du-Rhône Villages".into(),
            origin_en: "Wine of France, AOC Côtes-du-Rhône Villages".into(),
            alcohol: "14".into(),
            ..Default::default()
        },
    },
    DemoFacts {
        product: "Tablier en toile de coton",
        maker: 5,
        input: || {
            crate::catalog::facts::FactsInput {
            ingredients: "100 % coton.".into(),
            ingredients_en: "100 % cotton.".into(),
            warnings: "- Tenir éloigné des flammes et des plaques de cuisson.\n- Lavage en machine à 40 °C, ne pas utiliser d'eau de Javel.\n- Ne pas sécher en tambour.".into(),
            warnings_en: "- Keep away from flames and hobs.\n- Machine wash at 40 °C, do not bleach.\n- Do not tumble dry.".into(),
            mpn: "CW-APR-204".into(),
            batch: "2026-11".into(),
            ..Default::default()
        }
        },
    },
];

/// Fills the demo's manufacturers and the composition and safety facts of its foods, its wine
/// and its apron (nothing when the shop has manufacturers).
pub fn demo_facts(conn: &mut DbConn) -> Result<(), String> {
    use crate::catalog::facts::{self, ManufacturerData};
    let err = |e: diesel::result::Error| e.to_string();
    if !facts::manufacturers(conn).map_err(err)?.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for (name, address, country, email, responsible) in DEMO_MAKERS {
        let data = ManufacturerData {
            name: (*name).into(),
            address: address.to_string(),
            country: (*country).into(),
            email: (*email).into(),
            contact_url: String::new(),
            responsible_id: responsible.map(|i| ids[i]),
        };
        let id = facts::save_manufacturer(conn, None, data, None).map_err(|e| format!("{e:?}"))?;
        ids.push(id);
    }
    for demo in DEMO_FACTS {
        let Ok(product) = model::product_id_by_slug(conn, &slugify(demo.product)) else {
            continue;
        };
        let data = (demo.input)()
            .check(Some(ids[demo.maker]))
            .map_err(|e| format!("{}: {e:?}", demo.product))?;
        conn.write_tx(|c| facts::save_in(c, product, &data, None))
            .map_err(err)?;
    }
    Ok(())
}

/// The demo's discount codes, as the README lists them: code, what it gives, the basket it
/// needs (in cents).
pub const DEMO_CODES: &[(&str, &str, i64)] = &[
    (
        "BIENVENUE10",
        "10 % off the basket, once per customer",
        3000,
    ),
    ("CAVE5", "5,00 € off the wine cellar's bottles", 4000),
    ("PORTOFFERT", "free delivery", 5000),
];

/// Creates the demo's discount codes ([`DEMO_CODES`]) in the name of `actor` (audited as
/// staff's would be). Nothing when the shop has codes.
pub fn demo_discounts(conn: &mut DbConn, actor: crate::ids::UserId) -> Result<usize, String> {
    use crate::discounts::model::{self as discounts, NewCode};
    use crate::discounts::rules::{Kind, Scope};
    if !discounts::list(conn).map_err(|e| e.to_string())?.is_empty() {
        return Ok(0);
    }
    let cellar = model::category_by_slug(conn, &slugify("Cave")).map_err(|e| e.to_string())?;
    for (code, _, minimum) in DEMO_CODES {
        let (kind, value, scope, category_id, per_customer) = match *code {
            "BIENVENUE10" => (Kind::Percent, 1000, Scope::Basket, None, Some(1)),
            "CAVE5" => (Kind::Amount, 500, Scope::Category, Some(cellar.id), None),
            _ => (Kind::FreeShipping, 0, Scope::Basket, None, None),
        };
        let new = NewCode {
            code: (*code).to_string(),
            kind,
            value,
            scope,
            category_id,
            products: Vec::new(),
            min_basket_cents: Money(*minimum),
            starts_at: None,
            ends_at: None,
            max_uses: None,
            max_uses_per_customer: per_customer,
            automatic: false,
        };
        discounts::create(conn, &new, actor).map_err(|e| e.to_string())?;
    }
    Ok(DEMO_CODES.len())
}

/// The demo's delivery methods, by weight for each zone (Colissimo's 2026 grid, rounded),
/// an express one, and two pickup locations in Lyon. Nothing when the shop has methods.
pub fn demo_shipping(conn: &mut DbConn) -> Result<(), String> {
    use crate::shipping::model::{create_method, create_pickup, table, NewMethod, NewPickup};
    use crate::shipping::rates::{parse_bands, Basis};
    use crate::shipping::Zone;
    let existing = table(conn, true).map_err(|e| e.to_string())?;
    if !existing.methods.is_empty() {
        return Ok(());
    }
    let methods: [(&str, &str, Zone, bool, &str); 6] = [
        ("Colissimo", "Colissimo", Zone::Mainland, false,
         "250 4,99\n500 6,99\n750 7,90\n1000 8,49\n2000 9,99\n5000 15,49\n10000 22,99\n30000 34,99"),
        ("Chronopost 24 h", "Chronopost next day", Zone::Mainland, true,
         "1000 14,90\n5000 19,90\n30000 34,90"),
        ("Colissimo Corse", "Colissimo Corsica", Zone::Corsica, false,
         "500 9,90\n2000 14,90\n30000 29,90"),
        ("Colissimo Outre-mer", "Colissimo overseas", Zone::Overseas, false,
         "500 12,90\n2000 24,90\n30000 59,90"),
        ("Colissimo Europe", "Colissimo Europe", Zone::Eu, false,
         "500 13,50\n2000 19,90\n30000 39,90"),
        ("Colissimo International", "Colissimo International", Zone::World, false,
         "500 19,90\n2000 29,90\n30000 59,90"),
    ];
    for (name, name_en, zone, express, bands) in methods {
        let method = NewMethod {
            name: name.into(),
            name_en: name_en.into(),
            zone,
            basis: Basis::Weight,
            express,
            bands: parse_bands(bands, Basis::Weight).map_err(|e| format!("{e:?}"))?,
        };
        create_method(conn, &method, None).map_err(|e| e.to_string())?;
    }
    for (name, street, postal_code, city, hours, hours_en) in [
        (
            "Boutique Croix-Rousse",
            "12 rue d'Austerlitz",
            "69004",
            "Lyon",
            "Mardi–samedi : 10 h–19 h\nDimanche : 10 h–13 h",
            "Tuesday–Saturday: 10 am–7 pm\nSunday: 10 am–1 pm",
        ),
        (
            "Atelier Confluence",
            "3 cours Charlemagne",
            "69002",
            "Lyon",
            "Mercredi et vendredi : 14 h–18 h",
            "Wednesday and Friday: 2 pm–6 pm",
        ),
    ] {
        let pickup = NewPickup {
            name: name.into(),
            street: street.into(),
            postal_code: postal_code.into(),
            city: city.into(),
            hours: hours.into(),
            hours_en: hours_en.into(),
        };
        create_pickup(conn, &pickup, None).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Words for the generated products of a large demo shop (`seed-demo --products N`): none of
/// them is in the demo catalogue, so a search for a demo product finds the same few products
/// whatever the size of the shop.
const PADDING_KINDS: &[&str] = &[
    "Coffret",
    "Assortiment",
    "Sélection",
    "Panier",
    "Lot",
    "Plateau",
    "Boîte",
    "Étui",
];
const PADDING_STYLES: &[&str] = &[
    "bleu nuit",
    "vert sauge",
    "ocre",
    "terracotta",
    "ivoire",
    "ardoise",
    "corail",
    "lin",
    "sable",
    "prune",
];

/// Pads the catalogue with generated products, spread over the existing departments, until
/// it holds `total` products: a shop of the size a benchmark needs (1k, 10k, 100k). Their
/// stock is large, so load runs do not sell them out. One transaction; returns how many
/// were added.
pub fn pad_catalogue(conn: &mut DbConn, total: usize) -> Result<usize, String> {
    let have = model::count_products(conn).map_err(|e| e.to_string())? as usize;
    let departments: Vec<(crate::ids::CategoryId, i32)> =
        model::category_ids_and_vat(conn).map_err(|e| e.to_string())?;
    if total <= have || departments.is_empty() {
        return Ok(0);
    }
    let start = now() - Duration::days(30);
    conn.write_tx(|c| -> QueryResult<usize> {
        let mut added = 0;
        for i in have..total {
            let kind = PADDING_KINDS[i % PADDING_KINDS.len()];
            let style = PADDING_STYLES[(i / PADDING_KINDS.len()) % PADDING_STYLES.len()];
            let name = format!("{kind} {style} n° {i}");
            let description = format!("{kind} de la collection {style}, modèle {i}.");
            let slug = slugify(&name);
            let (category_id, vat_rate_bp) = departments[i % departments.len()];
            let at = start + Duration::seconds(i as i64);
            added += model::insert_products(
                c,
                &[NewProduct {
                    category_id: Some(category_id),
                    slug: &slug,
                    name: &name,
                    description: &description,
                    search_text: NewProduct::search_text_for(&name, &description),
                    name_en: "",
                    description_en: "",
                    search_text_en: NewProduct::search_text_en_for(&name, &description, "", ""),
                    price_cents: Money(500 + (i as i64 * 37) % 9_500),
                    vat_rate_bp,
                    stock: 100_000,
                    active: true,
                    featured: false,
                    created_at: at,
                    updated_at: at,
                    option1_name: "",
                    option2_name: "",
                    option1_name_en: "",
                    option2_name_en: "",
                    net_quantity: None,
                    net_unit: None,
                    brand: "",
                    gtin: "",
                    weight_grams: 500,
                    alcoholic: false,
                }],
            )?;
        }
        Ok(added)
    })
    .map_err(|e| e.to_string())
}

/// What only an owner can say on the legal pages (`legal::facts`), filled in for the demo with
/// values marked as such, so its pages read as a real shop's; a key already stored is kept.
pub fn demo_owner_facts(conn: &mut DbConn) -> Result<usize, String> {
    use crate::config::{store, Settings};
    let stored: Vec<String> = store::stored(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let values: Vec<(&'static str, String)> = [
        ("shop_legal_form", "SAS (société par actions simplifiée)"),
        ("shop_capital", "10 000 €"),
        ("shop_rcs", "RCS Lyon 123 456 789 (démonstration)"),
        ("shop_publisher", "Camille Martin, présidente"),
        ("shop_phone", "+33 4 00 00 00 00 (démonstration)"),
        (
            "shop_host",
            "Hébergeur Exemple SAS, 10 rue de l'Exemple, 75000 Paris, +33 1 00 00 00 00 (démonstration)",
        ),
        (
            "shop_mediator",
            "Médiateur Exemple de la consommation, 1 rue de l'Exemple, 75000 Paris, https://mediateur.example (démonstration)",
        ),
    ]
    .into_iter()
    .filter(|(k, _)| !stored.iter().any(|s| s == k))
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    store::save(conn, &Settings::default(), &values, None).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_the_demo_s_codes() {
        let readme = include_str!("../../README.md");
        for (code, gives, minimum) in DEMO_CODES {
            let euros = format!("{},{:02} €", minimum / 100, minimum % 100);
            let row = format!("| `{code}` | {gives} | {euros} |");
            assert!(readme.contains(&row), "README lacks {row}");
        }
    }

    #[test]
    fn catalogue_is_big_enough_and_unique() {
        assert!(CATALOGUE.len() >= 6);
        let names: Vec<&str> = CATALOGUE
            .iter()
            .flat_map(|c| c.products.iter().map(|p| p.0))
            .collect();
        assert!(names.len() >= 60);
        let mut slugs: Vec<String> = names.iter().map(|n| slugify(n)).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), names.len(), "product slugs must be unique");
    }
}
