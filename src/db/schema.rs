// One schema for both backends: every column uses a type that SQLite and PostgreSQL map alike
// (ids are BIGINT / INTEGER PRIMARY KEY, times are TIMESTAMP holding UTC).

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        display_name -> Text,
        locale -> Nullable<Text>,
        email_verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        user_agent -> Nullable<Text>,
        second_factor_pending -> Bool,
        reauth_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        payload -> Nullable<Text>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        client_ip -> Text,
        succeeded -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mail_requests (id) {
        id -> BigInt,
        kind -> Text,
        client -> Text,
        address_hash -> Text,
        outcome -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    addresses (id) {
        id -> BigInt,
        user_id -> BigInt,
        full_name -> Text,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        created_at -> Timestamp,
        name_en -> Text,
        description_en -> Text,
    }
}

diesel::table! {
    old_slugs (kind, slug) {
        kind -> Text,
        slug -> Text,
        target_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pending_imports (id) {
        id -> BigInt,
        token -> Text,
        body -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        category_id -> Nullable<BigInt>,
        slug -> Text,
        name -> Text,
        description -> Text,
        search_text -> Text,
        price_cents -> BigInt,
        vat_rate_bp -> Integer,
        stock -> Integer,
        active -> Bool,
        featured -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        name_en -> Text,
        description_en -> Text,
        search_text_en -> Text,
        option1_name -> Text,
        option2_name -> Text,
        weight_grams -> Integer,
        alcoholic -> Bool,
        option1_name_en -> Text,
        option2_name_en -> Text,
        net_quantity -> Nullable<Integer>,
        net_unit -> Nullable<Text>,
        brand -> Text,
        gtin -> Text,
    }
}

diesel::table! {
    sales (id) {
        id -> BigInt,
        name -> Text,
        percent_bp -> Nullable<Integer>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        applied -> Bool,
        closed -> Bool,
        actor_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    manufacturers (id) {
        id -> BigInt,
        name -> Text,
        address -> Text,
        country -> Text,
        email -> Text,
        contact_url -> Text,
        responsible_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    product_facts (product_id) {
        product_id -> BigInt,
        manufacturer_id -> Nullable<BigInt>,
        mpn -> Text,
        batch -> Text,
        warnings -> Text,
        warnings_en -> Text,
        food -> Bool,
        ingredients -> Text,
        ingredients_en -> Text,
        allergens -> Integer,
        energy_kj -> Nullable<Integer>,
        energy_kcal -> Nullable<Integer>,
        fat_cg -> Nullable<Integer>,
        saturates_cg -> Nullable<Integer>,
        carbohydrate_cg -> Nullable<Integer>,
        sugars_cg -> Nullable<Integer>,
        protein_cg -> Nullable<Integer>,
        salt_cg -> Nullable<Integer>,
        storage -> Text,
        storage_en -> Text,
        origin -> Text,
        origin_en -> Text,
        alcohol_tenths -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sale_products (sale_id, product_id) {
        sale_id -> BigInt,
        product_id -> BigInt,
        price_cents -> BigInt,
        reference_cents -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::table! {
    price_history (id) {
        id -> BigInt,
        product_id -> BigInt,
        price_cents -> BigInt,
        sale_id -> Nullable<BigInt>,
        valid_from -> Timestamp,
        valid_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    product_variants (id) {
        id -> BigInt,
        product_id -> BigInt,
        sku -> Text,
        option1 -> Text,
        option2 -> Text,
        price_cents -> Nullable<BigInt>,
        weight_grams -> Nullable<Integer>,
        stock -> Integer,
        active -> Bool,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gtin -> Text,
    }
}

diesel::table! {
    product_images (id) {
        id -> BigInt,
        product_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        alt -> Text,
        width -> Integer,
        height -> Integer,
        position -> Integer,
        created_at -> Timestamp,
        data -> Nullable<Binary>,
        thumb -> Nullable<Binary>,
        variant_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    carts (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        anon_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        discount_code -> Nullable<Text>,
    }
}

diesel::table! {
    cart_lines (id) {
        id -> BigInt,
        cart_id -> BigInt,
        product_id -> BigInt,
        quantity -> Integer,
        added_at -> Timestamp,
        variant_id -> BigInt,
    }
}

diesel::table! {
    order_counters (year) {
        year -> Integer,
        last_value -> BigInt,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        number -> Text,
        user_id -> Nullable<BigInt>,
        email -> Text,
        status -> Text,
        idempotency_key -> Text,
        ship_name -> Text,
        ship_street -> Text,
        ship_postal_code -> Text,
        ship_city -> Text,
        ship_country -> Text,
        ship_phone -> Nullable<Text>,
        shipping_method -> Text,
        shipping_cents -> BigInt,
        payment_method -> Text,
        items_cents -> BigInt,
        vat_cents -> BigInt,
        total_cents -> BigInt,
        terms_version -> Text,
        locale -> Text,
        tracking_number -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        shipped_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        refunded_at -> Nullable<Timestamp>,
        buyer_company -> Nullable<Text>,
        buyer_siret -> Nullable<Text>,
        buyer_vat_number -> Nullable<Text>,
        discount_code -> Nullable<Text>,
    }
}

diesel::table! {
    age_declarations (order_id) {
        order_id -> BigInt,
        declared_at -> Timestamp,
    }
}

diesel::table! {
    order_lines (id) {
        id -> BigInt,
        order_id -> BigInt,
        product_id -> Nullable<BigInt>,
        product_name -> Text,
        product_slug -> Text,
        unit_price_cents -> BigInt,
        vat_rate_bp -> Integer,
        quantity -> Integer,
        line_total_cents -> BigInt,
        discount_cents -> BigInt,
        variant_id -> Nullable<BigInt>,
        variant_label -> Text,
        sku -> Text,
        reference_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    order_vat (order_id, rate_bp) {
        order_id -> BigInt,
        rate_bp -> Integer,
        gross_cents -> BigInt,
        shipping_cents -> BigInt,
        vat_cents -> BigInt,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        order_id -> BigInt,
        provider -> Text,
        intent_id -> Nullable<Text>,
        client_secret -> Nullable<Text>,
        amount_cents -> BigInt,
        currency -> Text,
        status -> Text,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    payment_events (id) {
        id -> BigInt,
        provider -> Text,
        event_id -> Text,
        kind -> Text,
        order_id -> Nullable<BigInt>,
        outcome -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    shop_identity (id) {
        id -> Integer,
        secret_fingerprint -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stock_movements (id) {
        id -> BigInt,
        product_id -> BigInt,
        delta -> Integer,
        resulting_stock -> Integer,
        reason -> Text,
        actor_user_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        variant_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    shipping_methods (id) {
        id -> BigInt,
        name -> Text,
        name_en -> Text,
        zone -> Text,
        basis -> Text,
        express -> Bool,
        active -> Bool,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    shipping_rates (id) {
        id -> BigInt,
        method_id -> BigInt,
        up_to -> Nullable<BigInt>,
        price_cents -> BigInt,
    }
}

diesel::table! {
    pickup_points (id) {
        id -> BigInt,
        name -> Text,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        hours -> Text,
        active -> Bool,
        position -> Integer,
        created_at -> Timestamp,
        hours_en -> Text,
    }
}

diesel::table! {
    order_shipping (order_id) {
        order_id -> BigInt,
        method_id -> Nullable<BigInt>,
        pickup_point_id -> Nullable<BigInt>,
        label -> Text,
        pickup_hours -> Text,
        weight_grams -> Integer,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> BigInt,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        order_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_user_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_counters (year, kind) {
        year -> Integer,
        kind -> Text,
        last_value -> BigInt,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        number -> Text,
        kind -> Text,
        order_id -> BigInt,
        total_cents -> BigInt,
        vat_cents -> BigInt,
        issued_at -> Timestamp,
        buyer -> Text,
        seller -> Text,
    }
}

diesel::table! {
    refunds (id) {
        id -> BigInt,
        order_id -> BigInt,
        request_key -> Text,
        status -> Text,
        total_cents -> BigInt,
        shipping_cents -> BigInt,
        amount_cents -> BigInt,
        cancels -> Bool,
        reason -> Text,
        provider_refund_id -> Nullable<Text>,
        error -> Nullable<Text>,
        credit_note_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refund_lines (refund_id, order_line_id) {
        refund_id -> BigInt,
        order_line_id -> BigInt,
        quantity -> Integer,
        total_cents -> BigInt,
    }
}

diesel::table! {
    refund_vat (refund_id, rate_bp) {
        refund_id -> BigInt,
        rate_bp -> Integer,
        gross_cents -> BigInt,
        shipping_cents -> BigInt,
        vat_cents -> BigInt,
    }
}

diesel::table! {
    email_attachments (id) {
        id -> BigInt,
        outbox_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        data -> Binary,
    }
}

diesel::table! {
    legal_versions (id) {
        id -> BigInt,
        page -> Text,
        version -> Integer,
        label -> Text,
        title_fr -> Text,
        body_fr -> Text,
        html_fr -> Text,
        title_en -> Text,
        body_en -> Text,
        html_en -> Text,
        actor_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    withdrawals (id) {
        id -> BigInt,
        order_id -> BigInt,
        items -> Text,
        comment -> Text,
        requested_at -> Timestamp,
        refund_by -> Timestamp,
    }
}

diesel::table! {
    returned_items (id) {
        id -> BigInt,
        order_id -> BigInt,
        order_line_id -> BigInt,
        quantity -> Integer,
        condition -> Text,
        restocked -> Bool,
        note -> Text,
        actor_id -> Nullable<BigInt>,
        received_at -> Timestamp,
    }
}

diesel::joinable!(invoices -> orders (order_id));
diesel::joinable!(refunds -> orders (order_id));
diesel::joinable!(refund_lines -> refunds (refund_id));
diesel::joinable!(refund_vat -> refunds (refund_id));
diesel::joinable!(returned_items -> orders (order_id));
diesel::joinable!(withdrawals -> orders (order_id));
diesel::joinable!(email_attachments -> email_outbox (outbox_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(addresses -> users (user_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(shipping_rates -> shipping_methods (method_id));
diesel::joinable!(product_variants -> products (product_id));
diesel::joinable!(product_images -> products (product_id));
diesel::joinable!(cart_lines -> carts (cart_id));
diesel::joinable!(cart_lines -> products (product_id));
diesel::joinable!(orders -> users (user_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_vat -> orders (order_id));
diesel::joinable!(payments -> orders (order_id));
diesel::joinable!(payment_events -> orders (order_id));
diesel::joinable!(stock_movements -> products (product_id));
diesel::joinable!(sale_products -> sales (sale_id));
diesel::joinable!(sale_products -> products (product_id));
diesel::joinable!(price_history -> products (product_id));
diesel::joinable!(product_facts -> products (product_id));
diesel::joinable!(product_facts -> manufacturers (manufacturer_id));

diesel::table! {
    stock_alerts (id) {
        id -> BigInt,
        product_id -> BigInt,
        user_id -> Nullable<BigInt>,
        email -> Text,
        locale -> Text,
        token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        notified_at -> Nullable<Timestamp>,
        variant_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(stock_alerts -> products (product_id));

diesel::table! {
    discount_codes (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        value -> BigInt,
        scope -> Text,
        category_id -> Nullable<BigInt>,
        min_basket_cents -> BigInt,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        max_uses -> Nullable<Integer>,
        max_uses_per_customer -> Nullable<Integer>,
        uses -> Integer,
        active -> Bool,
        automatic -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    discount_code_products (code_id, product_id) {
        code_id -> BigInt,
        product_id -> BigInt,
    }
}

diesel::table! {
    discount_redemptions (id) {
        id -> BigInt,
        code_id -> BigInt,
        order_id -> BigInt,
        email -> Text,
        user_id -> Nullable<BigInt>,
        discount_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(discount_code_products -> discount_codes (code_id));
diesel::joinable!(discount_code_products -> products (product_id));
diesel::joinable!(discount_redemptions -> discount_codes (code_id));

diesel::table! {
    page_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    shop_settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(recovery_codes -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    manufacturers,
    product_facts,
    shipping_methods,
    shipping_rates,
    pickup_points,
    order_shipping,
    product_variants,
    old_slugs,
    pending_imports,
    users,
    sessions,
    user_tokens,
    login_attempts,
    mail_requests,
    addresses,
    categories,
    products,
    product_images,
    carts,
    cart_lines,
    order_counters,
    orders,
    order_lines,
    order_vat,
    payments,
    payment_events,
    stock_movements,
    stock_alerts,
    discount_codes,
    discount_code_products,
    discount_redemptions,
    email_outbox,
    audit_log,
    invoice_counters,
    invoices,
    refunds,
    refund_lines,
    refund_vat,
    returned_items,
    legal_versions,
    email_attachments,
    withdrawals,
    shop_settings,
    shop_identity,
    recovery_codes,
    sales,
    sale_products,
    price_history,
);
