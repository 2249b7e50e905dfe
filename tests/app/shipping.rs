//! Shipping by weight and zone: an admin sets up methods with bands of weight or basket value
//! per zone and pickup locations with their hours (bad bands refused by line, what was typed
//! kept); the checkout offers only the methods that serve the address and the parcel, prices
//! them by weight, and the order keeps the method's name or the location with its hours.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{audit_log, order_shipping, orders, products};
use comptoir::shipping::model::{create_method, create_pickup, NewMethod, NewPickup};
use comptoir::shipping::rates::{parse_bands, Basis};
use comptoir::shipping::Zone;

use crate::helpers::{address, as_refs, Browser, TestApp};
use crate::orders::{add, checkout, MUSTARD};

fn method(
    app: &TestApp,
    name: &str,
    zone: Zone,
    basis: Basis,
    bands: &str,
) -> comptoir::ids::MethodId {
    create_method(
        &mut app.conn(),
        &NewMethod {
            name: name.into(),
            name_en: String::new(),
            zone,
            basis,
            express: false,
            bands: parse_bands(bands, basis).unwrap(),
        },
        None,
    )
    .unwrap()
}

fn pickup(app: &TestApp) -> comptoir::ids::PickupId {
    create_pickup(
        &mut app.conn(),
        &NewPickup {
            name: "Boutique Croix-Rousse".into(),
            street: "12 rue d'Austerlitz".into(),
            postal_code: "69004".into(),
            city: "Lyon".into(),
            hours: "Mardi–samedi : 10 h–19 h".into(),
            hours_en: "Tuesday–Saturday: 10 am–7 pm".into(),
        },
        None,
    )
    .unwrap()
}

fn set_weight(app: &TestApp, slug: &str, grams: i32) {
    diesel::update(products::table.filter(products::slug.eq(slug)))
        .set(products::weight_grams.eq(grams))
        .execute(&mut app.conn())
        .unwrap();
}

/// The checkout fields to this address with this way of delivery.
fn to(
    email: &str,
    (country, postal_code, city): (&str, &str, &str),
    shipping: &str,
) -> Vec<(&'static str, String)> {
    let mut fields = address(email);
    for (k, v) in fields.iter_mut() {
        match *k {
            "country" => *v = country.into(),
            "postal_code" => *v = postal_code.into(),
            "city" => *v = city.into(),
            "shipping" => *v = shipping.into(),
            _ => {}
        }
    }
    fields
}

fn choices(b: &Browser<'_>, fields: &[(&'static str, String)]) -> (Status, Vec<String>, String) {
    let page = b.submit("/checkout", &as_refs(fields));
    (
        page.status,
        page.texts(".shipping-choice .shipping-name"),
        page.texts("#e-shipping").join(" "),
    )
}

const LYON: (&str, &str, &str) = ("FR", "69003", "Lyon");
const BRUSSELS: (&str, &str, &str) = ("BE", "1000", "Bruxelles");
const BERLIN: (&str, &str, &str) = ("DE", "10115", "Berlin");
const GENEVA: (&str, &str, &str) = ("CH", "1201", "Genève");

#[test]
fn the_checkout_offers_only_what_serves_the_address_and_the_parcel() {
    let app = TestApp::spawn();
    set_weight(&app, MUSTARD, 300);
    let b = app.browser();
    add(&app, &b, MUSTARD, 2);

    // A shop without methods of its own: the flat prices serve its first four countries only.
    let (status, _, error) = choices(&b, &to("a@example.fr", BERLIN, "standard"));
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(error.contains("ne dessert pas votre adresse"), "{error}");
    let (status, _, _) = choices(&b, &to("a@example.fr", BRUSSELS, "standard"));
    assert_eq!(status, Status::Ok);

    let colissimo = method(
        &app,
        "Colissimo",
        Zone::Mainland,
        Basis::Weight,
        "250 4,99\n1000 8,49\n5000 15,49",
    );
    let europe = method(
        &app,
        "Colissimo Europe",
        Zone::Eu,
        Basis::Weight,
        "2000 19,90",
    );
    let courier = method(
        &app,
        "Coursier lyonnais",
        Zone::Mainland,
        Basis::Value,
        "49,99 9,90\n* 0",
    );
    let shop = pickup(&app);
    let (m, eu, p) = (
        format!("m{colissimo}"),
        format!("m{europe}"),
        format!("p{shop}"),
    );

    // Lyon: the mainland's methods, priced for 600 g and 9 € of goods, and the pickup location.
    let details = b.submit("/checkout", &as_refs(&to("a@example.fr", LYON, "standard")));
    assert_eq!(
        details.status,
        Status::UnprocessableEntity,
        "flat prices are gone"
    );
    let offered = details.texts(".shipping-choice");
    assert_eq!(offered.len(), 3, "{offered:?}");
    assert!(
        offered[0].contains("Colissimo") && offered[0].contains("8,49"),
        "{offered:?}"
    );
    assert!(offered[1].contains("Coursier lyonnais") && offered[1].contains("9,90"));
    assert!(offered[2].contains("Boutique Croix-Rousse") && offered[2].contains("10 h–19 h"));
    assert!(!offered.iter().any(|o| o.contains("Europe")));

    let review = b.submit("/checkout", &as_refs(&to("a@example.fr", LYON, &m)));
    assert_eq!(review.status, Status::Ok, "{}", review.body);
    assert_eq!(review.texts(".shipping-chosen"), vec!["Colissimo"]);
    assert!(review.texts(".totals").join(" ").contains("8,49"));

    // Brussels and Berlin: the European method. The mainland's, which the details page
    // offered first, does not serve Brussels: the review takes the European one of the same
    // kind, and says so beside its price (issue #26: no failed first review).
    let adapted = b.submit("/checkout", &as_refs(&to("a@example.fr", BRUSSELS, &m)));
    assert_eq!(adapted.status, Status::Ok, "{}", adapted.body);
    assert_eq!(adapted.texts(".shipping-chosen"), vec!["Colissimo Europe"]);
    assert!(!adapted.texts(".shipping-adapted").is_empty());
    assert_eq!(
        adapted.attr("form.confirm input[name=shipping]", "value"),
        Some(eu.clone())
    );
    // Asked for where it is offered, the choice of ways is the European one and the shop.
    let (status, names, _) = choices(&b, &to("a@example.fr", BRUSSELS, "standard"));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(names, vec!["Colissimo Europe", "Boutique Croix-Rousse"]);
    let (status, _, _) = choices(&b, &to("a@example.fr", BERLIN, &eu));
    assert_eq!(status, Status::Ok);
    // Geneva: no method serves elsewhere; only collecting is offered.
    let (status, names, _) = choices(&b, &to("a@example.fr", GENEVA, &eu));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(names, vec!["Boutique Croix-Rousse"]);

    // Heavier than the last band: Colissimo is no longer offered for this parcel.
    set_weight(&app, MUSTARD, 3_000);
    let (status, names, _) = choices(&b, &to("a@example.fr", LYON, &m));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(names, vec!["Coursier lyonnais", "Boutique Croix-Rousse"]);
    set_weight(&app, MUSTARD, 300);

    // The order keeps the method's name and its price.
    let placed = checkout(&b, &to("colis@example.fr", LYON, &m));
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let (number, shipping_cents, kind): (String, i64, String) = orders::table
        .select((
            orders::number,
            orders::shipping_cents,
            orders::shipping_method,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((shipping_cents, kind.as_str()), (849, "standard"));
    let kept: (Option<comptoir::ids::MethodId>, String, i32) = order_shipping::table
        .select((
            order_shipping::method_id,
            order_shipping::label,
            order_shipping::weight_grams,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(kept, (Some(colissimo), "Colissimo".to_string(), 600));
    let page = b.get(placed.header("Location").unwrap());
    assert_eq!(page.texts(".shipping-label"), vec!["Colissimo"]);

    // Collected at a location: its address and hours on the order, paid on pickup.
    add(&app, &b, MUSTARD, 1);
    let mut fields = to("retrait@example.fr", LYON, &p);
    for (k, v) in fields.iter_mut() {
        if *k == "payment" {
            *v = "on_pickup".into();
        }
    }
    let placed = checkout(&b, &fields);
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let page = b.get(placed.header("Location").unwrap());
    assert_eq!(
        page.texts(".shipping-label"),
        vec!["Boutique Croix-Rousse — 12 rue d'Austerlitz, 69004 Lyon"]
    );
    assert!(page
        .texts(".pickup-hours")
        .join(" ")
        .contains("Mardi–samedi : 10 h–19 h"));

    // Priced by the basket's value: free from 50 € of goods.
    add(&app, &b, MUSTARD, 12);
    let (status, _, _) = choices(&b, &to("a@example.fr", LYON, &format!("m{courier}")));
    assert_eq!(status, Status::Ok);
    let offered = b
        .submit("/checkout", &as_refs(&to("a@example.fr", LYON, "standard")))
        .texts(".shipping-choice");
    assert!(
        offered
            .iter()
            .any(|o| o.contains("Coursier") && o.contains("gratuit")),
        "{offered:?}"
    );
    let _ = number;
}

#[test]
fn an_admin_sets_up_methods_and_pickups_and_bad_input_is_refused_by_line() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let page = admin.get("/admin/shipping");
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("prix forfaitaires"));

    let bad = admin.submit(
        "/admin/shipping/methods",
        &[
            ("name", "Colissimo"),
            ("zone", "mainland"),
            ("basis", "weight"),
            ("bands", "250 4,99\n500 -1"),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad
        .texts("#m-bands-e")
        .join(" ")
        .contains("Ligne 2 : un prix de 0 à 1 000 €"));
    assert_eq!(bad.texts("#m-bands"), vec!["250 4,99\n500 -1"]);
    for (bands, message) in [
        ("200000 9", "Ligne 1 : un poids en grammes de 1 à 100 000"),
        (
            "500 4\n250 3",
            "Ligne 2 : chaque limite doit dépasser la précédente",
        ),
        ("", "Donnez au moins une tranche"),
    ] {
        let bad = admin.submit(
            "/admin/shipping/methods",
            &[
                ("name", "X"),
                ("zone", "mainland"),
                ("basis", "weight"),
                ("bands", bands),
            ],
        );
        assert_eq!(bad.status, Status::UnprocessableEntity);
        assert!(
            bad.texts("#m-bands-e").join(" ").contains(message),
            "{bands}"
        );
    }
    let bad = admin.submit(
        "/admin/shipping/methods",
        &[
            ("name", ""),
            ("zone", "mars"),
            ("basis", "weight"),
            ("bands", "1 1"),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.texts("#m-name-e").len() == 1);
    let good = admin.submit(
        "/admin/shipping/methods",
        &[
            ("name", "Colissimo"),
            ("zone", "mainland"),
            ("basis", "weight"),
            ("bands", "250 4,99\n1000 8,49\n* 20"),
        ],
    );
    assert_eq!(good.status, Status::SeeOther, "{}", good.body);
    let bad = admin.submit(
        "/admin/shipping/pickups",
        &[
            ("name", "Boutique"),
            ("street", "1 rue A"),
            ("postal_code", "69"),
            ("city", "Lyon"),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.attr("#p-postal_code", "value"), Some("69".into()));
    assert_eq!(bad.texts("#p-hours-e").len(), 1);
    let good = admin.submit(
        "/admin/shipping/pickups",
        &[
            ("name", "Boutique"),
            ("street", "1 rue A"),
            ("postal_code", "69001"),
            ("city", "Lyon"),
            ("hours", "Lundi : 9 h–12 h"),
        ],
    );
    assert_eq!(good.status, Status::SeeOther, "{}", good.body);
    let page = admin.get("/admin/shipping");
    assert_eq!(page.texts(".bands"), vec!["250 4,99\n1000 8,49\n* 20,00"]);

    // The storefront follows: the footer and a product's page list the method.
    set_weight(&app, MUSTARD, 200);
    let product = app.browser().get(&format!("/products/{MUSTARD}"));
    let delivery = product.texts(".delivery li").join(" | ");
    assert!(delivery.contains("Colissimo — 4,99"), "{delivery}");
    assert!(delivery.contains("Boutique"), "{delivery}");
    let footer = product.texts("#footer-delivery + ul li").join(" | ");
    assert!(footer.contains("Colissimo — dès 4,99"), "{footer}");

    // Taken off: no longer offered, its orders keep their copy.
    let id: i64 = comptoir::db::schema::shipping_methods::table
        .select(comptoir::db::schema::shipping_methods::id)
        .first(&mut app.conn())
        .unwrap();
    let off = admin.submit(&format!("/admin/shipping/methods/{id}/active"), &[]);
    assert_eq!(off.status, Status::SeeOther);
    let delivery = app
        .browser()
        .get(&format!("/products/{MUSTARD}"))
        .texts(".delivery li")
        .join(" | ");
    // With no method on offer, the flat prices of the settings are back.
    assert!(!delivery.contains("4,99"), "{delivery}");
    assert!(delivery.contains("2 à 4 jours"), "{delivery}");

    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.like("shipping.%"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actions,
        vec![
            "shipping.method_create",
            "shipping.pickup_create",
            "shipping.method_active"
        ]
    );
}

#[test]
fn english_customers_read_a_pickup_locations_hours_in_english_and_their_order_keeps_them() {
    let app = TestApp::spawn();
    let p = format!("p{}", pickup(&app));
    let en = app.browser();
    en.set_cookie("lang", "en");
    add(&app, &en, MUSTARD, 1);
    let details = en.submit("/checkout", &as_refs(&to("en@example.fr", LYON, "")));
    assert_eq!(
        details.texts(".shipping-choice .pickup-hours"),
        vec!["Tuesday–Saturday: 10 am–7 pm"]
    );
    let mut fields = to("en@example.fr", LYON, &p);
    for (k, v) in fields.iter_mut() {
        if *k == "payment" {
            *v = "on_pickup".into();
        }
    }
    let placed = checkout(&en, &fields);
    assert_eq!(placed.status, Status::SeeOther, "{}", placed.body);
    let kept: String = order_shipping::table
        .select(order_shipping::pickup_hours)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(kept, "Tuesday–Saturday: 10 am–7 pm");
    let order = en.get(placed.header("Location").unwrap());
    assert!(order
        .texts(".pickup-hours")
        .join(" ")
        .contains("Tuesday–Saturday: 10 am–7 pm"));

    // French customers read the French; so does an English one where none was written.
    let fr = app.browser();
    add(&app, &fr, MUSTARD, 1);
    let details = fr.submit("/checkout", &as_refs(&to("fr@example.fr", LYON, "")));
    assert_eq!(
        details.texts(".shipping-choice .pickup-hours"),
        vec!["Mardi–samedi : 10 h–19 h"]
    );
    let admin = app.login_as(Role::Admin);
    let added = admin.submit(
        "/admin/shipping/pickups",
        &[
            ("name", "Atelier"),
            ("street", "3 cours Charlemagne"),
            ("postal_code", "69002"),
            ("city", "Lyon"),
            ("hours", "Mercredi : 14 h–18 h"),
        ],
    );
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
    let too_long = "x".repeat(501);
    let bad = admin.submit(
        "/admin/shipping/pickups",
        &[
            ("name", "Atelier 2"),
            ("street", "3 cours Charlemagne"),
            ("postal_code", "69002"),
            ("city", "Lyon"),
            ("hours", "Mercredi : 14 h–18 h"),
            ("hours_en", too_long.as_str()),
        ],
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.texts("#p-hours_en-e"), vec!["500 caractères au plus."]);
    add(&app, &en, MUSTARD, 1);
    let details = en.submit("/checkout", &as_refs(&to("en@example.fr", LYON, "")));
    assert_eq!(
        details.texts(".shipping-choice .pickup-hours"),
        vec!["Tuesday–Saturday: 10 am–7 pm", "Mercredi : 14 h–18 h"]
    );
}
