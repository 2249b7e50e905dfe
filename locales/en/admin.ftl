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

# Catalogue
admin-products = Products
admin-categories = Departments
admin-stock-low = Low stock
admin-product-new = New product
admin-visible = Visible
admin-hidden = Hidden
admin-stock-at-most = Stock at most
admin-sort = Sort
admin-sort-name = Name
admin-sort-price = Price, lowest first
admin-sort-desc-price = Price, highest first
admin-sort-stock = Stock, lowest first
admin-sort-new = Newest
admin-view-in-shop = View in the shop
admin-save = Save
admin-create = Create
admin-delete = Delete
admin-saved = Changes saved.
admin-actions = Actions
admin-move-up = Move up
admin-move-down = Move down
admin-category-new = New department
admin-category-not-empty = This department still has products: it cannot be deleted.
admin-product-shown = The product is visible in the shop.
admin-product-hidden = The product is hidden from the shop.
admin-hide = Hide from the shop
admin-show = Show in the shop
admin-stock-delta = Change
admin-stock-reason = Reason
admin-stock-adjust = Adjust stock
admin-stock-history = Stock history
admin-stock-adjusted = Stock adjusted: { $stock } in stock.
admin-stock-below-zero = Stock cannot go below zero.
admin-stock-bad-delta = Enter a non-zero change, for example 5 or -2.
admin-stock-reason-required = Give the reason for the adjustment.
admin-who = By
field-name = Name
field-slug = Address (slug)
hint-slug = Leave empty to derive it from the name.
field-description = Description
field-price = Price incl. VAT (€)
hint-price = For example 12.50
field-vat = VAT
field-category = Department
field-stock = Stock
field-active = Visible
field-featured = Featured
err-price = Enter a positive price with at most two decimals, for example 12.50.
err-stock = Enter a whole, positive stock.
err-slug = Enter an address made of letters, digits and dashes.
err-slug_taken = This address is already used.

# Dashboard
admin-period-1 = Today
admin-period-7 = Last 7 days
admin-period-30 = Last 30 days
admin-average-basket = Average basket
admin-chart-revenue = Revenue per day (30 days)
admin-chart-status = Orders by status
admin-top-products = Best sellers (30 days)
admin-nothing-yet = Nothing yet.
admin-failed-emails = Failed emails
admin-no-failed-emails = No failed emails.

# Customers, emails, audit
admin-customers = Customers
admin-account-active = Active
admin-account-disabled = Disabled
admin-disable = Disable the account
admin-enable = Enable the account
admin-customer-disabled = The account is disabled; its sessions are ended.
admin-customer-enabled = The account is enabled again.
admin-not-a-customer = This is not a customer account.
admin-email-subject = Subject
admin-resend = Resend
admin-email-requeued = The email is queued again.
admin-audit = Audit log
admin-actor = Who
admin-action = Action
admin-entity = Record
admin-before = Before
admin-after = After
admin-system = System

# Staff
admin-staff = Staff
admin-you = you
admin-invited = Invited
admin-staff-invite = Invite a staff member
admin-staff-send-invite = Send the invitation
admin-staff-invited = Invitation sent: the link lets them choose a password.
admin-last-admin = The shop must keep at least one active administrator.
admin-not-staff = This is not a staff account.
set-password-title = Choose a password
set-password-submit = Save the password
set-password-invalid = This link has expired or was already used. Ask for a new one.
flash-password-set = Password saved: you can log in now.
email-invite-subject = { $shop }: your access to the shop
email-invite-intro = You are invited to join the team of { $shop } ({ $role }).
email-invite-action = Choose your password with this link, valid for { $hours } hours and usable once:

# Images
admin-images = Pictures
admin-image-file = File (JPEG, PNG or WebP, 5 MB at most)
admin-image-alt = Description of the picture
admin-image-upload = Add the picture
admin-image-added = Picture added.
admin-image-deleted = Picture deleted.
admin-image-missing = Choose a file.
admin-image-invalid = This file is not a readable JPEG, PNG or WebP image.

# CSV
admin-export-csv = Export as CSV
admin-import = Import products
admin-import-help = A UTF-8 CSV file with the export's columns: slug, name, category, price, vat_rate, stock, active, featured, description. Existing products (same slug) are updated.
admin-import-file = CSV file
admin-import-preview = Check the file
admin-import-apply = Import these products
admin-import-summary = { $creates } to create, { $updates } to update, { $errors } row(s) with errors
admin-import-create = Create
admin-import-update = Update
admin-import-done = Import done: { $creates } created, { $updates } updated.
admin-import-empty = The file has no rows.
admin-import-not-utf8 = The file must be UTF-8 encoded.
admin-import-expired = The checked file is no longer available: send it again.
admin-import-changed = The data changed since the check: nothing was imported, check the file again.
admin-import-err-required_200 = name missing or too long
admin-import-err-slug = slug empty or repeated
admin-import-err-price = invalid price
admin-import-err-vat_rate = invalid VAT rate
admin-import-err-category = unknown department
admin-import-err-stock = invalid stock
admin-import-err-boolean = invalid yes/no value
admin-import-err-too_long = description too long

# Bulk edit
admin-select = Select
admin-bulk = Change the selection
admin-bulk-field = Field
admin-bulk-value = New value
admin-bulk-preview = Preview
admin-bulk-hint = Price in euros (12.50), whole stock, department number or empty, visible: true or false.
admin-bulk-confirm = { $count } product(s) will change as follows:
admin-bulk-apply = Apply
admin-cancel = Cancel
admin-bulk-done = { $count } product(s) changed.
admin-bulk-selection = Select between 1 and 500 products.
admin-bulk-bad-value = This value does not fit this field.

admin-settings = Shop settings
admin-settings-shop = The shop
admin-settings-orders = Orders and payment
admin-settings-legal = Legal details (printed on invoices)
admin-settings-security = Security
field-shop-name = Shop name
field-shop-email = Address for new-order notifications
hint-shop-email = Leave empty to send none.
field-terms-version = Version of the terms of sale
hint-terms-version = Customers accept this version when they order; change it when the terms change.
field-shipping-standard = Standard shipping
field-shipping-express = Express shipping
field-unpaid-days = Days before an unpaid bank-transfer order is cancelled
field-iban = IBAN for bank transfers
field-bic = BIC
field-legal-name = Legal name
field-legal-address = Registered address
field-siret = SIRET
field-vat-number = VAT number
field-require-2fa = Staff must use two-factor authentication
err-days = Enter a number of days from 1 to 90.
err-iban = Enter a valid IBAN (its check digits do not match).
err-bic = Enter a BIC of 8 or 11 letters and digits.
err-siret = Enter the 14 digits of the SIRET.
admin-confirm-refund = Confirm your password, then refund again.
err-second_factor_first = Set up your own two-factor authentication first.
admin-2fa-reset = Two-factor authentication is off for this account; they set it up again at their next login.
admin-2fa-reset-button = Reset two-factor
admin-refund-provider-failed = The card refund could not be made: { $error }. Nothing changed; try again.
admin-payment = Card payment
admin-payment-opened = payment opened
admin-payment-pending = Pending
admin-payment-succeeded = Paid
admin-payment-failed = Refused (the customer may try again)
admin-payment-canceled = Cancelled
admin-payment-flagged = To check

# Email kinds, as the back-office names them
email-kind-account_link = Account link
email-kind-account_locked = Account locked
email-kind-new_order_staff = New order (staff)
email-kind-order_cancelled = Order cancelled
email-kind-order_cancelled_unpaid = Order cancelled, unpaid
email-kind-order_confirmation = Order confirmation
email-kind-order_paid = Payment received
email-kind-order_refunded = Refund
email-kind-order_shipped = Order shipped
email-kind-payment_received_staff = Card payment received (staff)
email-kind-staff_invitation = Staff invitation
