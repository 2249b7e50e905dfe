//! What the account routes share: the "check your inbox" page, the current-password check,
//! and the server's parts their forms use.

use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

use crate::accounts::model;
use crate::auth::password::Hasher;
use crate::config::Shop;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::mail::MailWaker;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;

/// "Check your inbox": the one answer of registration, reset requests and email changes.
pub fn sent_page(ctx: &PageCtx<'_>, message: &'static str) -> Html {
    #[derive(Serialize)]
    struct Sent {
        message: &'static str,
    }
    ctx.render("account/sent", Sent { message })
}

/// Checks the account's current password (off the async workers, like every bcrypt call).
pub async fn current_password_ok(
    db: &DbRef,
    hasher: &Hasher,
    id: UserId,
    password: &str,
) -> AppResult<bool> {
    let stored = db.run(move |c| model::find(c, id)).await?.password_hash;
    hasher.verify(password, Some(stored)).await
}

/// What the account's forms use of the server: the shop, the password hasher, the mail
/// sender's bell.
pub struct Signing<'r> {
    pub shop: &'r Arc<Shop>,
    pub hasher: &'r Hasher,
    pub waker: &'r MailWaker,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Signing<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let rocket = req.rocket();
        match (
            rocket.state::<Arc<Shop>>(),
            rocket.state::<Hasher>(),
            rocket.state::<MailWaker>(),
        ) {
            (Some(shop), Some(hasher), Some(waker)) => Outcome::Success(Signing {
                shop,
                hasher,
                waker,
            }),
            _ => Outcome::Error((rocket::http::Status::InternalServerError, ())),
        }
    }
}
