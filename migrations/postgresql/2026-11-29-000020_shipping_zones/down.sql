DROP TABLE order_shipping;
DROP TABLE pickup_points;
DROP TABLE shipping_rates;
DROP TABLE shipping_methods;
