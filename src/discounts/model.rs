//! All Diesel code for discount codes, the products they apply to and their redemptions:
//! pricing a cart with its code, claiming a use in the order's transaction, and what the
//! back-office creates, pauses and reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::db::schema::{
    categories, discount_code_products, discount_codes, discount_redemptions, products,
};
use crate::db::{is_unique_violation, now, DbConn};
use crate::discounts::rules::{self, Applied, Code, Kind, Line, Refusal, Scope};
use crate::ids::{CategoryId, CodeId, OrderId, ProductId, UserId};
use crate::money::Money;

/// A code with the products it applies to (when chosen one by one).
pub fn find(c: &mut DbConn, code: &str) -> QueryResult<Option<(Code, Vec<ProductId>)>> {
    let found: Option<Code> = discount_codes::table
        .filter(discount_codes::code.eq(rules::normalize(code)))
        .select(Code::as_select())
        .first(c)
        .optional()?;
    let Some(code) = found else {
        return Ok(None);
    };
    let products = if code.scope == Scope::Products {
        discount_code_products::table
            .filter(discount_code_products::code_id.eq(code.id))
            .select(discount_code_products::product_id)
            .load(c)?
    } else {
        Vec::new()
    };
    Ok(Some((code, products)))
}

/// Whom a per-customer limit counts: the account when signed in, the address otherwise (and
/// both when both are known).
#[derive(Debug, Clone, Default)]
pub struct Customer {
    pub email: Option<String>,
    pub user_id: Option<UserId>,
}

impl Customer {
    /// The address as redemptions keep it.
    fn email_key(&self) -> Option<String> {
        self.email
            .as_deref()
            .map(crate::accounts::model::normalize_email)
    }
}

fn customer_uses(c: &mut DbConn, code_id: CodeId, customer: &Customer) -> QueryResult<i64> {
    let email = customer.email_key();
    if email.is_none() && customer.user_id.is_none() {
        return Ok(0);
    }
    let by_email = discount_redemptions::email.eq(email.unwrap_or_default());
    let by_user = discount_redemptions::user_id.eq(customer.user_id.unwrap_or(UserId(-1)));
    discount_redemptions::table
        .filter(discount_redemptions::code_id.eq(code_id))
        .filter(by_email.or(by_user.assume_not_null()))
        .count()
        .get_result(c)
}

/// What `code` gives a basket of `lines` now, or why it does not apply.
pub fn evaluate(
    c: &mut DbConn,
    code: &str,
    lines: &[Line],
    customer: &Customer,
) -> QueryResult<Result<Applied, Refusal>> {
    let Some((code, products)) = find(c, code)? else {
        return Ok(Err(Refusal::Unknown));
    };
    let uses = customer_uses(c, code.id, customer)?;
    Ok(rules::evaluate(&code, &products, lines, now(), uses))
}

/// The automatic promotions running, with their products.
fn automatic_candidates(c: &mut DbConn) -> QueryResult<Vec<(Code, Vec<ProductId>)>> {
    let codes: Vec<Code> = discount_codes::table
        .filter(discount_codes::automatic.eq(true))
        .filter(discount_codes::active.eq(true))
        .order(discount_codes::id)
        .select(Code::as_select())
        .load(c)?;
    let ids: Vec<CodeId> = codes.iter().map(|code| code.id).collect();
    let chosen: Vec<(CodeId, ProductId)> = discount_code_products::table
        .filter(discount_code_products::code_id.eq_any(&ids))
        .select((
            discount_code_products::code_id,
            discount_code_products::product_id,
        ))
        .load(c)?;
    Ok(codes
        .into_iter()
        .map(|code| {
            let products = chosen
                .iter()
                .filter(|p| p.0 == code.id)
                .map(|p| p.1)
                .collect();
            (code, products)
        })
        .collect())
}

/// The automatic promotion that gives a basket of `lines` the most, if one applies.
pub fn best_automatic(
    c: &mut DbConn,
    lines: &[Line],
    customer: &Customer,
) -> QueryResult<Option<Applied>> {
    let candidates = automatic_candidates(c)?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let mut uses = Vec::with_capacity(candidates.len());
    for (code, _) in &candidates {
        if code.max_uses_per_customer.is_some() {
            uses.push((code.id, customer_uses(c, code.id, customer)?));
        }
    }
    Ok(rules::best_automatic(&candidates, lines, now(), |id| {
        uses.iter().find(|u| u.0 == id).map_or(0, |u| u.1)
    }))
}

/// In the order's transaction: takes one use of the basket's code (`typed`, else the best
/// automatic promotion), if it still applies. The
/// conditional UPDATE holds the code's row until the order commits, so a code limited to n
/// uses gives n orders whatever runs at once, and the per-customer count read after it sees
/// every order that took a use before.
pub fn claim(
    c: &mut DbConn,
    typed: Option<&str>,
    lines: &[Line],
    customer: &Customer,
) -> QueryResult<Option<Result<Applied, Refusal>>> {
    let code = match typed {
        Some(code) => code.to_string(),
        None => match best_automatic(c, lines, customer)? {
            Some(applied) => applied.code,
            None => return Ok(None),
        },
    };
    let Some((row, products)) = find(c, &code)? else {
        return Ok(Some(Err(Refusal::Unknown)));
    };
    // The row as it is under the lock (paused or ended meanwhile, say), with its new count.
    let taken: Option<Code> = diesel::update(
        discount_codes::table
            .filter(discount_codes::id.eq(row.id))
            .filter(
                discount_codes::max_uses.is_null().or(discount_codes::uses
                    .nullable()
                    .lt(discount_codes::max_uses)
                    .assume_not_null()),
            ),
    )
    .set(discount_codes::uses.eq(discount_codes::uses + 1))
    // Every column, in the struct's order (`as_returning` does not go through the
    // multi-backend connection).
    .returning(discount_codes::all_columns)
    .get_result(c)
    .optional()?;
    let Some(mut row) = taken else {
        // An automatic promotion used up meanwhile simply no longer applies.
        return Ok(typed.is_some().then_some(Err(Refusal::UsedUp)));
    };
    // Checked with the use just taken given back.
    row.uses -= 1;
    let uses = customer_uses(c, row.id, customer)?;
    let outcome = rules::evaluate(&row, &products, lines, now(), uses);
    if outcome.is_err() && typed.is_none() {
        // The order goes on without it.
        release_use(c, row.id)?;
        return Ok(None);
    }
    Ok(Some(outcome))
}

/// Gives one use of a code back.
fn release_use(c: &mut DbConn, code_id: CodeId) -> QueryResult<usize> {
    diesel::update(
        discount_codes::table
            .find(code_id)
            .filter(discount_codes::uses.gt(0)),
    )
    .set(discount_codes::uses.eq(discount_codes::uses - 1))
    .execute(c)
}

/// Records that `order_id` used the code (call after [`claim`], in the same transaction).
pub fn record(
    c: &mut DbConn,
    applied: &Applied,
    order_id: OrderId,
    customer: &Customer,
) -> QueryResult<usize> {
    diesel::insert_into(discount_redemptions::table)
        .values((
            discount_redemptions::code_id.eq(applied.code_id),
            discount_redemptions::order_id.eq(order_id),
            discount_redemptions::email.eq(customer.email_key().unwrap_or_default()),
            discount_redemptions::user_id.eq(customer.user_id),
            discount_redemptions::discount_cents.eq(applied.discount_cents()),
            discount_redemptions::created_at.eq(now()),
        ))
        .execute(c)
}

/// Gives back the use a cancelled order took of its code (its redemption goes, the code's
/// count goes down); nothing when it used none.
pub fn give_back(c: &mut DbConn, order_id: OrderId) -> QueryResult<usize> {
    let used: Vec<CodeId> = diesel::delete(
        discount_redemptions::table.filter(discount_redemptions::order_id.eq(order_id)),
    )
    .returning(discount_redemptions::code_id)
    .get_results(c)?;
    for code_id in &used {
        release_use(c, *code_id)?;
    }
    Ok(used.len())
}

/// A code as the back-office lists it.
#[derive(Debug, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub code: Code,
    pub category: Option<String>,
    pub products: Vec<String>,
    pub orders: i64,
    pub discount_total_cents: Money,
}

/// Every code, newest first, with its usage (four queries whatever the count).
pub fn list(c: &mut DbConn) -> QueryResult<Vec<Listed>> {
    let codes: Vec<Code> = discount_codes::table
        .order(discount_codes::id.desc())
        .select(Code::as_select())
        .load(c)?;
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back, as both backends read it.
    let total = diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
        "CAST(SUM(discount_cents) AS BIGINT)",
    );
    let usage: Vec<(CodeId, i64, Option<i64>)> = discount_redemptions::table
        .group_by(discount_redemptions::code_id)
        .select((
            discount_redemptions::code_id,
            diesel::dsl::count_star(),
            total,
        ))
        .load(c)?;
    let chosen: Vec<(CodeId, String)> = discount_code_products::table
        .inner_join(products::table)
        .select((discount_code_products::code_id, products::name))
        .load(c)?;
    let names: Vec<(CategoryId, String)> = categories::table
        .select((categories::id, categories::name))
        .load(c)?;
    Ok(codes
        .into_iter()
        .map(|code| {
            let (orders, total) = usage
                .iter()
                .find(|u| u.0 == code.id)
                .map_or((0, Money::ZERO), |u| (u.1, Money(u.2.unwrap_or(0))));
            Listed {
                category: code
                    .category_id
                    .and_then(|id| names.iter().find(|n| n.0 == id).map(|n| n.1.clone())),
                products: chosen
                    .iter()
                    .filter(|p| p.0 == code.id)
                    .map(|p| p.1.clone())
                    .collect(),
                orders,
                discount_total_cents: total,
                code,
            }
        })
        .collect())
}

/// A code as staff create it, checked.
#[derive(Debug, Clone, Serialize)]
pub struct NewCode {
    pub code: String,
    pub kind: Kind,
    pub value: i64,
    pub scope: Scope,
    pub category_id: Option<CategoryId>,
    pub products: Vec<ProductId>,
    pub min_basket_cents: Money,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
    /// Applies without being typed.
    pub automatic: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("this code exists already")]
    Taken,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Creates a code and its products, audited, in one transaction.
pub fn create(conn: &mut DbConn, new: &NewCode, actor: UserId) -> Result<CodeId, CreateError> {
    conn.write_tx(|c| {
        let now = now();
        // In a savepoint: on PostgreSQL a failed insert spoils the rest of the transaction.
        let inserted = c.transaction(|c| {
            diesel::insert_into(discount_codes::table)
                .values((
                    discount_codes::code.eq(&new.code),
                    discount_codes::kind.eq(new.kind),
                    discount_codes::value.eq(new.value),
                    discount_codes::scope.eq(new.scope),
                    discount_codes::category_id.eq(new.category_id),
                    discount_codes::min_basket_cents.eq(new.min_basket_cents),
                    discount_codes::starts_at.eq(new.starts_at),
                    discount_codes::ends_at.eq(new.ends_at),
                    discount_codes::max_uses.eq(new.max_uses),
                    discount_codes::max_uses_per_customer.eq(new.max_uses_per_customer),
                    discount_codes::uses.eq(0),
                    discount_codes::active.eq(true),
                    discount_codes::automatic.eq(new.automatic),
                    discount_codes::created_at.eq(now),
                    discount_codes::updated_at.eq(now),
                ))
                .returning(discount_codes::id)
                .get_result::<CodeId>(c)
        });
        let id = match inserted {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => return Err(CreateError::Taken),
            Err(e) => return Err(e.into()),
        };
        for product in &new.products {
            diesel::insert_into(discount_code_products::table)
                .values((
                    discount_code_products::code_id.eq(id),
                    discount_code_products::product_id.eq(product),
                ))
                .execute(c)?;
        }
        audit::Change::new(Some(actor), "discount.create", "discount_code")
            .on(id)
            .after(&serde_json::to_value(new).unwrap_or_default())
            .record(c)?;
        Ok(id)
    })
}

/// Pauses or resumes a code, audited; false when there is no such code.
pub fn set_active(conn: &mut DbConn, id: CodeId, active: bool, actor: UserId) -> QueryResult<bool> {
    conn.write_tx(|c| {
        let before: Option<bool> = discount_codes::table
            .find(id)
            .select(discount_codes::active)
            .first(c)
            .optional()?;
        let Some(before) = before else {
            return Ok(false);
        };
        diesel::update(discount_codes::table.find(id))
            .set((
                discount_codes::active.eq(active),
                discount_codes::updated_at.eq(now()),
            ))
            .execute(c)?;
        let action = if active {
            "discount.resume"
        } else {
            "discount.pause"
        };
        audit::Change::new(Some(actor), action, "discount_code")
            .on(id)
            .before(&serde_json::json!({ "active": before }))
            .after(&serde_json::json!({ "active": active }))
            .record(c)?;
        Ok(true)
    })
}

/// The ids of products by their addresses (slugs), and the slugs that match none.
pub fn products_by_slug(
    c: &mut DbConn,
    slugs: &[String],
) -> QueryResult<(Vec<ProductId>, Vec<String>)> {
    let found: Vec<(ProductId, String)> = products::table
        .filter(products::slug.eq_any(slugs))
        .select((products::id, products::slug))
        .load(c)?;
    let missing = slugs
        .iter()
        .filter(|s| !found.iter().any(|f| &f.1 == *s))
        .cloned()
        .collect();
    Ok((found.into_iter().map(|f| f.0).collect(), missing))
}

/// Departments for the form's list.
pub fn departments(c: &mut DbConn) -> QueryResult<Vec<(CategoryId, String)>> {
    categories::table
        .order(categories::name)
        .select((categories::id, categories::name))
        .load(c)
}
