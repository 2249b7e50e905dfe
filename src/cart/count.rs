//! The number of items in a cart, for the header's badge: asked by the session guard (with the
//! session, in one hand-off) and by the page context, so it depends on nothing above the
//! database.

use diesel::prelude::*;

use crate::db::schema::{cart_lines, carts};
use crate::db::DbConn;
use crate::ids::UserId;

/// Items in a signed-in customer's cart.
pub fn of_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<i64> {
    cart_lines::table
        .inner_join(carts::table)
        .filter(carts::user_id.eq(user_id))
        .select(diesel::dsl::sum(cart_lines::quantity))
        .first::<Option<i64>>(conn)
        .map(|n| n.unwrap_or(0))
}

/// Items in an anonymous visitor's cart (by the hash of its cookie token).
pub fn of_anonymous(conn: &mut DbConn, token_hash: &str) -> QueryResult<i64> {
    cart_lines::table
        .inner_join(carts::table)
        .filter(carts::anon_token_hash.eq(token_hash))
        .select(diesel::dsl::sum(cart_lines::quantity))
        .first::<Option<i64>>(conn)
        .map(|n| n.unwrap_or(0))
}
