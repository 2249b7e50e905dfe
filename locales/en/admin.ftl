# Back office
admin-orders = Orders
admin-all = All
admin-from = From
admin-to = To
admin-customer = Customer
admin-filter = Filter
admin-orders-count = { $count ->
    [0] No orders
    [one] 1 order
   *[other] { $count } orders
}
admin-next-step = Next step
admin-tracking = Tracking number
admin-step-mark_paid = Mark paid
admin-step-ship = Mark shipped
admin-step-deliver = Mark delivered
admin-step-cancel = Cancel and restock
admin-step-refund = Mark refunded
admin-step-done = The order is now “{ $status }”.
admin-step-not-allowed = This step is not possible from the order's current status.
admin-step-unknown = Unknown step.
admin-tracking-required = Enter the tracking number (64 characters at most).
admin-emails = Emails
admin-email-kind = Kind
admin-email-to = To
admin-email-attempts = Attempts
email-status-queued = Queued
email-status-sending = Sending
email-status-sent = Sent
email-status-failed = Failed

# Workflow emails
email-paid-subject = { $shop }: payment received for order { $number }
email-paid-intro = We have received your payment of { $total } for order { $number }. We are preparing it.
email-shipped-subject = { $shop }: your order { $number } has shipped
email-shipped-intro = Your order { $number } is on its way.
email-refunded-subject = { $shop }: order { $number } refunded
email-refunded-intro = We have refunded your order { $number } ({ $total }).
email-cancelled-subject = { $shop }: order { $number } cancelled
email-cancelled-intro = Your order { $number } has been cancelled. If you had already paid, you will be refunded.
