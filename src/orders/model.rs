//! All Diesel code for `orders`, `order_lines`, `order_vat` and `order_counters` (stock, and
//! its movements, belong to the catalogue: `catalog::stock`).

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::address::Address;
use crate::db::schema::{age_declarations, order_counters, order_lines, order_vat, orders};
use crate::db::{text_enum, DbConn};
use crate::ids::{OrderId, OrderLineId, ProductId, UserId, VariantId};
use crate::money::Money;
use crate::shipping::flat::Shipping;
use crate::totals::{Totals, VatLine};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    AwaitingPayment,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::AwaitingPayment,
        Status::Paid,
        Status::Shipped,
        Status::Delivered,
        Status::Cancelled,
        Status::Refunded,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::AwaitingPayment => "awaiting_payment",
            Status::Paid => "paid",
            Status::Shipped => "shipped",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
            Status::Refunded => "refunded",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    BankTransfer,
    OnPickup,
    /// By card through the payment provider (offered only when it is configured).
    Card,
}

impl Payment {
    pub const ALL: [Payment; 3] = [Payment::BankTransfer, Payment::OnPickup, Payment::Card];

    /// The methods offered: card only when the payment provider is configured.
    pub fn offered(cards: bool) -> Vec<&'static str> {
        Payment::ALL
            .iter()
            .filter(|p| cards || **p != Payment::Card)
            .map(|p| p.as_str())
            .collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Payment::BankTransfer => "bank_transfer",
            Payment::OnPickup => "on_pickup",
            Payment::Card => "card",
        }
    }

    pub fn parse(s: &str) -> Option<Payment> {
        Payment::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

text_enum!(Status);
text_enum!(Payment);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = orders)]
pub struct Order {
    pub id: OrderId,
    pub number: String,
    pub user_id: Option<UserId>,
    pub email: String,
    pub status: Status,
    #[serde(skip)]
    pub idempotency_key: String,
    pub ship_name: String,
    pub ship_street: String,
    pub ship_postal_code: String,
    pub ship_city: String,
    pub ship_country: String,
    pub ship_phone: Option<String>,
    pub shipping_method: Shipping,
    pub shipping_cents: Money,
    pub payment_method: Payment,
    pub items_cents: Money,
    pub vat_cents: Money,
    pub total_cents: Money,
    pub terms_version: String,
    pub locale: String,
    pub tracking_number: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub paid_at: Option<NaiveDateTime>,
    pub shipped_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub refunded_at: Option<NaiveDateTime>,
    /// A business buyer's company, SIREN or SIRET, and intra-community VAT number.
    pub buyer_company: Option<String>,
    pub buyer_siret: Option<String>,
    pub buyer_vat_number: Option<String>,
    /// The discount code used (what it took off is on the lines).
    pub discount_code: Option<String>,
}

impl Order {
    /// Where the order goes and to whom, as the customer typed it.
    pub fn ship_to(&self) -> Address {
        Address {
            full_name: self.ship_name.clone(),
            street: self.ship_street.clone(),
            postal_code: self.ship_postal_code.clone(),
            city: self.ship_city.clone(),
            country: self.ship_country.clone(),
            phone: self.ship_phone.clone(),
        }
    }
}

#[cfg(test)]
impl Order {
    /// An order as unit tests need one: nothing in it but its status.
    pub fn sample(status: Status) -> Order {
        let at = crate::db::now();
        Order {
            id: OrderId(1),
            number: "C-TEST".into(),
            user_id: None,
            email: "test@example.fr".into(),
            status,
            idempotency_key: String::new(),
            ship_name: String::new(),
            ship_street: String::new(),
            ship_postal_code: String::new(),
            ship_city: String::new(),
            ship_country: "FR".into(),
            ship_phone: None,
            shipping_method: Shipping::Standard,
            shipping_cents: Money(0),
            payment_method: Payment::BankTransfer,
            items_cents: Money(0),
            vat_cents: Money(0),
            total_cents: Money(0),
            terms_version: String::new(),
            locale: "fr".into(),
            tracking_number: None,
            created_at: at,
            updated_at: at,
            paid_at: None,
            shipped_at: None,
            delivered_at: None,
            cancelled_at: None,
            refunded_at: None,
            buyer_company: None,
            buyer_siret: None,
            buyer_vat_number: None,
            discount_code: None,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = orders)]
pub struct NewOrder<'a> {
    pub number: &'a str,
    pub user_id: Option<UserId>,
    pub email: &'a str,
    pub status: Status,
    pub idempotency_key: &'a str,
    pub ship_name: &'a str,
    pub ship_street: &'a str,
    pub ship_postal_code: &'a str,
    pub ship_city: &'a str,
    pub ship_country: &'a str,
    pub ship_phone: Option<&'a str>,
    pub shipping_method: Shipping,
    pub shipping_cents: Money,
    pub payment_method: Payment,
    pub items_cents: Money,
    pub vat_cents: Money,
    pub total_cents: Money,
    pub terms_version: &'a str,
    pub locale: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub buyer_company: Option<&'a str>,
    pub buyer_siret: Option<&'a str>,
    pub buyer_vat_number: Option<&'a str>,
    pub discount_code: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = order_lines)]
pub struct OrderLine {
    #[diesel(skip_insertion)]
    pub id: OrderLineId,
    #[serde(skip)]
    pub order_id: OrderId,
    pub product_id: Option<ProductId>,
    pub product_name: String,
    pub product_slug: String,
    pub unit_price_cents: Money,
    pub vat_rate_bp: i32,
    pub quantity: i32,
    /// Before any discount.
    pub line_total_cents: Money,
    /// This line's share of the order's discount.
    pub discount_cents: Money,
    /// The variant sold (none once it is deleted), with its SKU and option values as sold.
    pub variant_id: Option<VariantId>,
    pub variant_label: String,
    pub sku: String,
    /// Bought on sale: the reference price its reduction was announced from (shown crossed
    /// out, code de la consommation art. L112-1-1).
    pub reference_cents: Option<Money>,
}

impl OrderLine {
    /// What the customer paid for this line.
    pub fn paid_cents(&self) -> Money {
        self.line_total_cents - self.discount_cents
    }
}

/// An order with its lines and VAT per rate (items and shipping), as pages and emails show it.
#[derive(Debug, Serialize)]
pub struct OrderView {
    pub order: Order,
    pub lines: Vec<OrderLine>,
    /// As the totals function computed them when the order was placed (`order_vat`).
    pub totals: Totals,
    /// How it travels, by the shop's name for the method or pickup location (none for a flat
    /// method of the settings, named by `order.shipping_method`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_label: Option<String>,
    /// The opening hours of the pickup location chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pickup_hours: Option<String>,
}

impl OrderView {
    /// Names how it travels (see `shipping::model::labels`).
    pub fn with_shipping(mut self, label: Option<(String, String)>) -> OrderView {
        if let Some((label, hours)) = label {
            self.shipping_label = Some(label);
            self.pickup_hours = Some(hours).filter(|h| !h.is_empty());
        }
        self
    }

    pub fn new(order: Order, lines: Vec<OrderLine>, vat: Vec<VatLine>) -> OrderView {
        let totals = Totals {
            items_cents: order.items_cents,
            discount_cents: lines.iter().map(|l| l.discount_cents).sum(),
            shipping_cents: order.shipping_cents,
            total_cents: order.total_cents,
            vat_cents: order.vat_cents,
            vat,
        };
        OrderView {
            order,
            lines,
            totals,
            shipping_label: None,
            pickup_hours: None,
        }
    }
}

/// One row of `order_vat`: the order's charge at one rate.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_vat)]
struct OrderVat {
    order_id: OrderId,
    rate_bp: i32,
    gross_cents: Money,
    shipping_cents: Money,
    vat_cents: Money,
}

impl From<OrderVat> for VatLine {
    fn from(v: OrderVat) -> VatLine {
        VatLine {
            rate_bp: v.rate_bp,
            gross_cents: v.gross_cents,
            shipping_cents: v.shipping_cents,
            vat_cents: v.vat_cents,
        }
    }
}

/// Records that the buyer of `order_id` declared being 18 or over, at `at` (an order holding
/// an alcoholic beverage: code de la santé publique art. L3342-1).
pub fn record_age_declaration(
    conn: &mut DbConn,
    order_id: OrderId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(age_declarations::table)
        .values((
            age_declarations::order_id.eq(order_id),
            age_declarations::declared_at.eq(at),
        ))
        .execute(conn)
}

/// When the buyer of `order_id` declared being of age, if they had to.
pub fn age_declared_at(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Option<NaiveDateTime>> {
    age_declarations::table
        .filter(age_declarations::order_id.eq(order_id))
        .select(age_declarations::declared_at)
        .first(conn)
        .optional()
}

/// Stores what the totals function computed for a new order, rate by rate.
pub fn insert_vat(conn: &mut DbConn, order_id: OrderId, totals: &Totals) -> QueryResult<usize> {
    // One row at a time: the multi-backend connection has no batch insert for SQLite.
    let mut n = 0;
    for l in &totals.vat {
        n += diesel::insert_into(order_vat::table)
            .values(OrderVat {
                order_id,
                rate_bp: l.rate_bp,
                gross_cents: l.gross_cents,
                shipping_cents: l.shipping_cents,
                vat_cents: l.vat_cents,
            })
            .execute(conn)?;
    }
    Ok(n)
}

/// VAT per rate of several orders in one query, highest rate first within each order.
pub fn vat_of(conn: &mut DbConn, order_ids: &[OrderId]) -> QueryResult<Vec<(OrderId, VatLine)>> {
    let rows: Vec<OrderVat> = order_vat::table
        .filter(order_vat::order_id.eq_any(order_ids))
        .order((order_vat::order_id, order_vat::rate_bp.desc()))
        .select(OrderVat::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.order_id, r.into())).collect())
}

pub fn by_number(conn: &mut DbConn, number: &str) -> QueryResult<Order> {
    orders::table
        .filter(orders::number.eq(number))
        .select(Order::as_select())
        .first(conn)
}

pub fn by_id(conn: &mut DbConn, id: OrderId) -> QueryResult<Order> {
    orders::table
        .find(id)
        .select(Order::as_select())
        .first(conn)
}

pub fn by_idempotency_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Order>> {
    orders::table
        .filter(orders::idempotency_key.eq(key))
        .select(Order::as_select())
        .first(conn)
        .optional()
}

/// The lines of several orders in one query, in order.
pub fn lines_of(conn: &mut DbConn, order_ids: &[OrderId]) -> QueryResult<Vec<OrderLine>> {
    order_lines::table
        .filter(order_lines::order_id.eq_any(order_ids))
        .order((order_lines::order_id, order_lines::id))
        .select(OrderLine::as_select())
        .load(conn)
}

pub fn lines(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<OrderLine>> {
    order_lines::table
        .filter(order_lines::order_id.eq(order_id))
        .order(order_lines::id)
        .select(OrderLine::as_select())
        .load(conn)
}

pub fn view(conn: &mut DbConn, number: &str) -> QueryResult<OrderView> {
    let order = by_number(conn, number)?;
    let lines = lines(conn, order.id)?;
    let vat = vat_of(conn, &[order.id])?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let label = crate::shipping::model::labels(conn, &[order.id])?.remove(&order.id);
    Ok(OrderView::new(order, lines, vat).with_shipping(label))
}

/// Several orders with their lines, VAT and shipping, in three queries.
pub fn views_of(conn: &mut DbConn, orders: Vec<Order>) -> QueryResult<Vec<OrderView>> {
    let ids: Vec<OrderId> = orders.iter().map(|o| o.id).collect();
    let mut lines = lines_of(conn, &ids)?;
    let mut vat = vat_of(conn, &ids)?;
    let mut labels = crate::shipping::model::labels(conn, &ids)?;
    Ok(orders
        .into_iter()
        .map(|order| {
            let (mine, rest) = lines.drain(..).partition(|l| l.order_id == order.id);
            lines = rest;
            let (charged, rest): (Vec<_>, Vec<_>) =
                vat.drain(..).partition(|(id, _)| *id == order.id);
            vat = rest;
            let label = labels.remove(&order.id);
            OrderView::new(order, mine, charged.into_iter().map(|(_, v)| v).collect())
                .with_shipping(label)
        })
        .collect())
}

/// The back-office's order filters; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<Status>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub email: Option<String>,
    pub number: Option<String>,
    pub user_id: Option<UserId>,
}

/// A page of orders matching `filter`, newest first, and how many match in all.
pub fn search(
    conn: &mut DbConn,
    filter: &OrderFilter,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<Order>, i64)> {
    let filtered = || {
        let mut q = orders::table.into_boxed();
        if let Some(s) = filter.status {
            q = q.filter(orders::status.eq(s));
        }
        if let Some(from) = filter.from {
            q = q.filter(orders::created_at.ge(from));
        }
        if let Some(until) = filter.until {
            q = q.filter(orders::created_at.lt(until));
        }
        if let Some(email) = filter.email.as_deref().filter(|e| !e.is_empty()) {
            let pattern = crate::text::contains_pattern(email);
            q = q.filter(crate::db::lower(orders::email).like(pattern).escape('\\'));
        }
        if let Some(number) = filter.number.as_deref().filter(|n| !n.is_empty()) {
            q = q
                .filter(orders::number.like(format!("%{}%", number.replace(['%', '_', '\\'], ""))));
        }
        if let Some(user) = filter.user_id {
            q = q.filter(orders::user_id.eq(user));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let items = filtered()
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(Order::as_select())
        .load(conn)?;
    Ok((items, total))
}

pub fn for_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::user_id.eq(user_id))
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(200)
        .select(Order::as_select())
        .load(conn)
}

/// The next number of the year, `2026-000123`: one counter row per year, incremented under
/// its row lock, so numbers are unique and sequential under concurrency on both backends.
pub fn next_number(conn: &mut DbConn) -> QueryResult<String> {
    let year = chrono::Datelike::year(&Utc::now());
    // `year` is an integer we computed: formatting it into the statement is safe.
    diesel::sql_query(format!(
        "INSERT INTO order_counters (year, last_value) VALUES ({year}, 0) \
         ON CONFLICT (year) DO NOTHING"
    ))
    .execute(conn)?;
    let n: i64 = diesel::update(order_counters::table.find(year))
        .set(order_counters::last_value.eq(order_counters::last_value + 1))
        .returning(order_counters::last_value)
        .get_result(conn)?;
    Ok(format!("{year}-{n:06}"))
}

pub fn insert(conn: &mut DbConn, order: &NewOrder<'_>) -> QueryResult<OrderId> {
    diesel::insert_into(orders::table)
        .values(order)
        .returning(orders::id)
        .get_result(conn)
}

pub fn insert_lines(conn: &mut DbConn, lines: &[OrderLine]) -> QueryResult<usize> {
    let mut n = 0;
    for line in lines {
        n += diesel::insert_into(order_lines::table)
            .values(line)
            .execute(conn)?;
    }
    Ok(n)
}

/// Every order as CSV (newest first), amounts in euros.
pub fn export_csv(conn: &mut DbConn) -> Result<String, String> {
    let rows: Vec<Order> = orders::table
        .order(orders::id.desc())
        .limit(100_000)
        .select(Order::as_select())
        .load(conn)
        .map_err(|e| e.to_string())?;
    let euros = |c: Money| c.input_value("en");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "number",
        "created_at",
        "email",
        "status",
        "items",
        "shipping",
        "vat",
        "total",
        "shipping_method",
        "payment_method",
        "name",
        "postal_code",
        "city",
        "country",
    ])
    .map_err(|e| e.to_string())?;
    for o in rows {
        w.write_record([
            o.number,
            o.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            o.email,
            o.status.as_str().to_string(),
            euros(o.items_cents),
            euros(o.shipping_cents),
            euros(o.vat_cents),
            euros(o.total_cents),
            o.shipping_method.as_str().to_string(),
            o.payment_method.as_str().to_string(),
            o.ship_name,
            o.ship_postal_code,
            o.ship_city,
            o.ship_country,
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}
