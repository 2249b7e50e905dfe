//! Who may see an order: its customer, staff, or whoever holds the link signed for it (guests).

use crate::config::Shop;
use crate::orders::model::Order;
use crate::site::page::PageCtx;

/// Who may see an order: its customer, staff, or whoever holds the signed link.
pub fn may_see(ctx: &PageCtx<'_>, shop: &Shop, order: &Order, signature: Option<&str>) -> bool {
    let signed = signature.is_some_and(|sig| shop.keys.verify("order", &order.number, sig));
    let user = ctx.visitor.user.as_ref();
    let owner = order.user_id.is_some() && order.user_id == user.map(|u| u.id);
    let staff = user.is_some_and(|u| u.role.is_staff());
    signed || owner || staff
}
