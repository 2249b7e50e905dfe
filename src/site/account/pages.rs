//! What the account routes share: the "check your inbox" page and the current-password check.

use serde::Serialize;

use crate::accounts::model;
use crate::auth::password::Hasher;
use crate::error::AppResult;
use crate::ids::UserId;
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
