//! Staff accounts: only admins manage them; invitations by one-time link; the last admin stays.

use diesel::prelude::*;
use rocket::http::Status;

use comptoir::auth::Role;
use comptoir::db::schema::{email_outbox, sessions, users};

use crate::helpers::{TestApp, PASSWORD};

fn invitation_token(app: &TestApp, email: &str) -> String {
    let text: String = email_outbox::table
        .filter(email_outbox::kind.eq("staff_invitation"))
        .filter(email_outbox::to_address.eq(email))
        .select(email_outbox::body_text)
        .first(&mut app.conn())
        .expect("an invitation email");
    text.split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn user_id(app: &TestApp, email: &str) -> i64 {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap()
}

#[test]
fn an_admin_invites_staff_who_set_their_password_once() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    assert_eq!(admin.get("/admin/staff").status, Status::Ok);
    let invited = admin.submit(
        "/admin/staff",
        &[
            ("email", "New.Staff@Shop.fr"),
            ("display_name", "Léa"),
            ("role", "staff"),
        ],
    );
    assert_eq!(invited.status, Status::SeeOther);
    assert!(admin.get("/admin/staff").body.contains("new.staff@shop.fr"));
    // No password yet: logging in fails.
    let b = app.browser();
    let early = b.submit(
        "/login",
        &[("email", "new.staff@shop.fr"), ("password", PASSWORD)],
    );
    assert_eq!(early.status, Status::UnprocessableEntity);

    let token = invitation_token(&app, "new.staff@shop.fr");
    let form = b.get(&format!("/password/set?token={token}"));
    assert_eq!(form.status, Status::Ok);
    assert_eq!(
        form.attr("input[name=token]", "value").as_deref(),
        Some(token.as_str())
    );
    let short = b.submit(
        "/password/set",
        &[
            ("token", &token),
            ("password", "short"),
            ("password_confirm", "short"),
        ],
    );
    assert_eq!(short.status, Status::UnprocessableEntity);
    assert_eq!(short.texts("#e-password").len(), 1);
    let set = b.submit(
        "/password/set",
        &[
            ("token", &token),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    );
    assert_eq!(set.status, Status::SeeOther);
    let login = b.submit(
        "/login",
        &[("email", "new.staff@shop.fr"), ("password", PASSWORD)],
    );
    assert_eq!(login.status, Status::SeeOther);
    assert_eq!(b.get("/admin").status, Status::Ok);
    assert_eq!(
        b.get("/admin/staff").status,
        Status::Forbidden,
        "staff do not manage staff"
    );

    // The link works once.
    let again = app.browser().get(&format!("/password/set?token={token}"));
    assert!(again.texts(".link-invalid").len() == 1);
    let reuse = app.browser().submit(
        "/password/set",
        &[
            ("token", &token),
            ("password", "another long password"),
            ("password_confirm", "another long password"),
        ],
    );
    assert_eq!(reuse.status, Status::UnprocessableEntity);
    assert_eq!(
        app.browser()
            .get("/password/set?token=forged")
            .texts(".link-invalid")
            .len(),
        1
    );
    // An email already registered is refused.
    let dup = admin.submit(
        "/admin/staff",
        &[("email", "new.staff@shop.fr"), ("role", "staff")],
    );
    assert_eq!(dup.status, Status::SeeOther);
    assert_eq!(
        users::table
            .filter(users::email.eq("new.staff@shop.fr"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        1
    );
}

#[test]
fn role_changes_end_sessions_and_the_last_admin_stays() {
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let admin_email: String = users::table
        .filter(users::role.eq("admin"))
        .select(users::email)
        .first(&mut app.conn())
        .unwrap();
    let admin_id = user_id(&app, &admin_email);
    // Alone, the admin can neither demote nor disable themselves.
    admin.submit(
        &format!("/admin/staff/{admin_id}/role"),
        &[("role", "staff")],
    );
    admin.submit(
        &format!("/admin/staff/{admin_id}/disabled"),
        &[("disabled", "true")],
    );
    let role: String = users::table
        .find(admin_id)
        .select(users::role)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(role, "admin");
    assert!(admin
        .get("/admin/staff")
        .body
        .contains("au moins un administrateur"));

    let staff = app.login_as(Role::Staff);
    let staff_email: String = users::table
        .filter(users::role.eq("staff"))
        .select(users::email)
        .first(&mut app.conn())
        .unwrap();
    let staff_id = user_id(&app, &staff_email);
    assert_eq!(staff.get("/admin").status, Status::Ok);
    admin.submit(
        &format!("/admin/staff/{staff_id}/role"),
        &[("role", "admin")],
    );
    let sessions_left: i64 = sessions::table
        .filter(sessions::user_id.eq(staff_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(sessions_left, 0, "a role change ends the member's sessions");
    assert_eq!(staff.get("/admin").status, Status::SeeOther, "signed out");
    // Now two admins: the first may step down.
    admin.submit(
        &format!("/admin/staff/{admin_id}/role"),
        &[("role", "staff")],
    );
    let role: String = users::table
        .find(admin_id)
        .select(users::role)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(role, "staff");
    // Junk is refused, customers are not staff.
    let customer = app.login_as(Role::Customer);
    let customer_email: String = users::table
        .filter(users::role.eq("customer"))
        .select(users::email)
        .first(&mut app.conn())
        .unwrap();
    let customer_id = user_id(&app, &customer_email);
    let b = app.browser();
    let login = b.submit(
        "/login",
        &[("email", staff_email.as_str()), ("password", PASSWORD)],
    );
    assert_eq!(login.status, Status::SeeOther);
    b.submit(
        &format!("/admin/staff/{customer_id}/role"),
        &[("role", "admin")],
    );
    b.submit(
        &format!("/admin/staff/{staff_id}/role"),
        &[("role", "customer")],
    );
    let roles: Vec<String> = users::table
        .order(users::id)
        .select(users::role)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(roles, vec!["staff", "admin", "customer"]);
    assert_eq!(customer.get("/admin/staff").status, Status::Forbidden);
}

pub fn settings_fields<'a>(iban: &'a str, name: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("shop_name", name),
        ("shop_email", "commandes@lumiere.test"),
        ("shipping_standard", "5,50"),
        ("shipping_express", "12"),
        ("shipping_corsica_extra", "6"),
        ("shipping_overseas_extra", "18,50"),
        ("unpaid_cancel_days", "3"),
        ("bank_iban", iban),
        ("bank_bic", "agrifrpp"),
        ("shop_legal_name", "Lumière SARL"),
        ("shop_address", "2 rue des Lilas, 75011 Paris"),
        ("shop_siret", "987 654 321 00019"),
        ("shop_vat_number", "FR98 987654321"),
    ]
}

#[test]
fn an_admin_changes_the_shop_settings_and_the_shop_follows() {
    use comptoir::db::schema::{audit_log, shop_settings};
    let app = TestApp::spawn();
    let admin = app.login_as(Role::Admin);
    let page = admin.get("/admin/settings");
    assert_eq!(page.status, Status::Ok);
    assert_eq!(
        page.attr("input[name=shop_name]", "value").as_deref(),
        Some("Comptoir")
    );

    // A wrong check digit in the IBAN: the page comes back with the message and what was typed.
    let bad = admin.submit(
        "/admin/settings",
        &settings_fields("FR76 3000 6000 0112 3456 7890 188", "Épicerie <Lumière>"),
    );
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(bad.texts("#e-bank_iban").len(), 1);
    assert_eq!(
        bad.attr("input[name=shop_name]", "value").as_deref(),
        Some("Épicerie <Lumière>")
    );
    assert_eq!(app.count("shop_settings"), 0, "nothing stored");

    let ok = admin.submit(
        "/admin/settings",
        &settings_fields("de89 3704 0044 0532 0130 00", "Épicerie <Lumière>"),
    );
    assert_eq!(ok.status, Status::SeeOther, "{}", ok.body);
    let stored: Vec<(String, String)> = shop_settings::table
        .select((shop_settings::key, shop_settings::value))
        .order(shop_settings::key)
        .load(&mut app.conn())
        .unwrap();
    let value = |k: &str| {
        stored
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("shipping_standard_cents"), Some("550"));
    assert_eq!(value("bank_iban"), Some("DE89 3704 0044 0532 0130 00"));
    assert_eq!(value("bank_bic"), Some("AGRIFRPP"));
    assert_eq!(
        value("require_staff_2fa"),
        None,
        "unchanged values are not stored"
    );

    // In force at once: the storefront's title, the checkout's shipping price…
    let home = app.browser().get("/");
    assert!(
        home.body.contains("Épicerie &lt;Lumière&gt;"),
        "escaped shop name in the page"
    );
    let stored = comptoir::config::store::stored(&mut app.conn()).unwrap();
    for (key, value) in [
        ("shipping_express_cents", "1200"),
        ("shipping_corsica_extra_cents", "600"),
        ("shipping_overseas_extra_cents", "1850"),
        ("unpaid_cancel_days", "3"),
    ] {
        assert!(
            stored.contains(&(key.to_string(), value.to_string())),
            "{key} in {stored:?}"
        );
    }
    let shop = app
        .client
        .rocket()
        .state::<std::sync::Arc<comptoir::config::Shop>>()
        .unwrap();
    assert_eq!(
        shop.settings().shipping_standard_cents,
        comptoir::money::Money(550)
    );
    assert_eq!(
        shop.settings().shop_email.as_deref(),
        Some("commandes@lumiere.test")
    );

    // …and audited with the values before and after.
    let (before, after): (Option<String>, Option<String>) = audit_log::table
        .filter(audit_log::action.eq("settings.update"))
        .select((audit_log::before_json, audit_log::after_json))
        .first(&mut app.conn())
        .unwrap();
    assert!(before
        .unwrap()
        .contains("\"shipping_standard_cents\":\"490\""));
    assert!(after
        .unwrap()
        .contains("\"shipping_standard_cents\":\"550\""));

    // Staff may not read or change them.
    let staff = app.login_as(Role::Staff);
    assert_eq!(staff.get("/admin/settings").status, Status::Forbidden);
    let r = staff.submit(
        "/admin/settings",
        &settings_fields("FR76 3000 6000 0112 3456 7890 189", "Hijacked"),
    );
    assert_eq!(r.status, Status::Forbidden);
    assert_eq!(shop.settings().shop_name, "Épicerie <Lumière>");
}
