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
