# Cart
nav-cart = Cart
nav-cart-count = { $count ->
    [0] Cart is empty
    [one] 1 item in the cart
   *[other] { $count } items in the cart
}
cart-title = My cart
cart-product = Product
cart-unit-price = Unit price
cart-quantity = Quantity
cart-line-total = Total
cart-add = Add to cart
cart-update = Update
cart-remove = Remove
cart-empty = Your cart is empty.
cart-continue = Continue shopping
cart-checkout = Check out
cart-shipping-later = Shipping is calculated at the next step.
cart-added = Added to your cart.
cart-updated = Cart updated.
cart-removed = Removed from your cart.
cart-sold-out = “{ $name }” is no longer available.
cart-choose-variant = Choose a size, colour or model before adding it to your cart.
cart-not-enough = Only { $available } of “{ $name }” left.
cart-bad-quantity = Choose a quantity from 1 to 99.

totals-items = Items
totals-shipping = Shipping
totals-total = Total incl. VAT
totals-vat-included = including VAT { $rate }

# Checkout
checkout-title = Checkout
checkout-contact = Contact
checkout-guest-hint = Order without an account, or
checkout-towns-of = Towns with postal code { $code }:
checkout-address = Shipping address
checkout-shipping = Shipping
checkout-payment = Payment
checkout-summary = Summary
checkout-continue = Review my order
checkout-review = Review your order
checkout-edit = Edit
checkout-accept-terms = I have read and accept the terms of sale (version { $version }).
checkout-withdrawal = You may withdraw from the moment you order until 14 days after delivery, without giving any reason, with "Withdraw from the contract here" at the bottom of every page.
checkout-place-order = Place order with obligation to pay
checkout-empty-cart = Your cart is empty.
checkout-thanks = Thank you! Your order is placed; a confirmation email is on its way.
field-phone = Phone (optional)
field-full-name = Full name
field-street = Street address
field-postal-code = Postal code
field-city = City
field-country = Country
country-FR = France
country-BE = Belgium
country-LU = Luxembourg
country-MC = Monaco
shipping-standard = Standard (2 to 4 days)
shipping-express = Express (24 h)
shipping-pickup = Pick up in store
shipping-extras = Delivery to Corsica: + { $corsica }, overseas: + { $overseas } (standard and express; collecting in store stays free).
shipping-free = free
payment-bank_transfer = Bank transfer
payment-on_pickup = Pay when picking up in store

err-required_100 = This field is required (100 characters at most).
err-required_200 = This field is required (200 characters at most).
err-postal_code = Enter a valid postal code (5 digits in France).
err-postal_code_unknown = This postal code does not exist in France: please check it.
err-city_postal_code = This town does not match the postal code: choose one of those offered.
err-phone = Enter a valid phone number.
err-choice = Choose one of the options.
err-pay_on_pickup = Paying on pickup needs the in-store pickup.
err-country = We do not ship to this country.
err-accept_terms = You must accept the terms of sale to order.

# Orders
order-title = Order { $number }
order-pay-by-transfer = Payment by bank transfer
order-transfer-instructions = Transfer { $total } quoting the reference { $reference }. We prepare your order as soon as the payment arrives.
order-tracking = Tracking number:
orders-mine = My orders
orders-number = Number
orders-date = Date
orders-status = Status
orders-none = You have not ordered anything yet.
status-awaiting_payment = Awaiting payment
status-paid = Paid
status-shipped = Shipped
status-delivered = Delivered
status-cancelled = Cancelled
status-refunded = Refunded

# Emails
email-hello = Hello { $name },
email-confirmation-subject = { $shop }: your order { $number } is confirmed
email-confirmation-intro = We have received your order { $number }. Here are the details.
email-unpaid-cancel-notice = Without payment within { $days } days, the order is cancelled automatically.
email-order-link = Follow your order:
email-terms-accepted = Terms of sale accepted: version { $version }.
email-staff-subject = New order { $number } ({ $total })
email-staff-intro = New order { $number } from { $email }.
email-unpaid-cancelled-subject = { $shop }: order { $number } cancelled
email-unpaid-cancelled-intro = As no payment arrived within { $days } days, your order { $number } has been cancelled and its items put back on sale.

# Invoices
invoice-invoice = Invoice
invoice-credit_note = Credit note
invoice-documents = Invoices and credit notes
invoice-date = Date:
invoice-buyer = Customer
invoice-vat-number = VAT number
invoice-vat-base = Net at { $rate }
invoice-vat-amount = VAT { $rate }
invoice-total-ht = Total excl. VAT
invoice-total-vat = Total VAT
invoice-credit-note-for = Credit note for order { $number }.
invoice-corrects = It corrects invoice { $number }.
invoice-refund-reason = Reason:
invoice-refund-amount = Refund not tied to items
invoice-total-refunded = Total refunded incl. VAT
order-balance = Paid { $paid }, refunded { $refunded }: balance { $balance }.
invoice-paid-by = Payment: { $method }.
invoice-print = Print this page (Ctrl+P) to save it as a PDF.

# Card payment
payment-card = Card
pay-title = Card payment
pay-by-card = Pay by card
pay-card = Card
pay-button = Pay { $total }
pay-needs-script = Card payment needs JavaScript: turn it on, or contact us.
pay-unavailable = The payment service is not answering right now. Your order is saved: try again in a moment.
pay-retry = Try the payment again
pay-see-order = See the order
pay-state-paid = Payment received: your order is confirmed.
pay-state-confirming = Your payment is being confirmed: this page updates itself in a moment.
pay-state-not_completed = The payment did not go through. You can try again.
pay-state-unknown = We cannot check the payment right now: this page tries again by itself in a moment.
email-card-pending = Pay for your order by card here:
email-staff-paid-subject = Card payment received: order { $number } ({ $total })
email-staff-paid-intro = Order { $number } from { $email } is paid by card: it can be prepared.
email-staff-ceiling-subject = { $shop }: hourly ceiling of visitor-requested emails reached
email-staff-ceiling-intro = The shop sent { $ceiling } emails asked for by visitors (registrations, account links, back-in-stock alerts) within the hour: the next ones will leave in an hour.
email-staff-ceiling-action = If this is not the rush of a sale, someone may be using the shop to write to strangers: see the email log in the back-office.

## Legal pages
footer-legal = Legal information
legal-legal_notice = Legal notice
legal-terms = Terms of sale
legal-privacy = Privacy
legal-delivery = Delivery and returns
legal-contact = Contact
legal-version = Version { $label } of { $date }
legal-not-current = This is not the version in force.
legal-see-current = See the version in force
checkout-read-terms = Read the terms of sale (version { $version })

## Withdrawal
withdrawal-title = Withdrawal
withdrawal-button = Withdraw from the contract here
withdrawal-open-until = You may withdraw from this order, without giving a reason, until { $date }.
withdrawal-intro = Say which items you withdraw from (all are chosen); you may withdraw until { $date }. An acknowledgement is sent to you by email.
withdrawal-items = Items and quantities
withdrawal-ordered = { $quantity } ordered
withdrawal-comment = Comment (optional)
withdrawal-confirm = Confirm the withdrawal
withdrawal-received-on = Withdrawal received on { $date }.
withdrawal-refund-by = Refund by { $date } at the latest.
withdrawal-too-late = The 14-day withdrawal period after delivery is over.
withdrawal-closed = This order is cancelled or refunded: there is nothing left to withdraw from.
withdrawal-too-many = You cannot withdraw from more items than you ordered.
withdrawal-unknown-item = This item is not in the order.
withdrawal-quantity-invalid = Enter a quantity in digits.
withdrawal-comment-too-long = The comment cannot be longer than 1,000 characters.
email-withdrawal-subject = { $shop }: your withdrawal from order { $number } is received
email-withdrawal-intro = We received on { $date } your withdrawal from order { $number }, for:

## Invoices as PDF and their legal mentions
invoice-pdf = Download as PDF
invoice-paid-on = Paid on { $date }.
invoice-late-penalties = Payment on receipt, no discount for early payment. Late payment incurs penalties at three times the French legal interest rate.
invoice-recovery-indemnity = Business customers: a fixed €40 indemnity for recovery costs is due on late payment (art. L441-10 and D441-5 of the French Commercial Code).
invoice-vat-exempt = VAT not applicable, art. 293 B of the French General Tax Code.

## Business buyers
checkout-business = Buying for a business? (optional)
checkout-business-hint = The company name, SIREN or SIRET and intra-community VAT number will be printed on the invoice.
field-company = Company name
field-buyer-siret = SIREN or SIRET
field-buyer-vat-number = Intra-community VAT number
err-buyer_siret = This SIREN or SIRET is not valid (9 or 14 digits, check digit included).
err-buyer_vat_number = This intra-community VAT number is not valid (for example FR44732829320).
err-company_required = Give the company's name.
err-max_100 = 100 characters at most.
err-max_200 = 200 characters at most.

## Sorting and filtering listings
listing-sort = Sort by
listing-sort-name = Name
listing-sort-price_asc = Price, low to high
listing-sort-price_desc = Price, high to low
listing-sort-newest = Newest
listing-in-stock = In stock only
listing-min = Min. price (€)
listing-max = Max. price (€)
listing-apply = Apply
listing-price-error = A price is not valid (for example 12.50): it is left out.
product-delivery = Delivery
product-related = From the same department
footer-delivery = Delivery
footer-payment = Payment
search-nothing-for = Nothing found for “{ $query }”.
search-did-you-mean = Did you mean:

## Back-in-stock alerts
alert-title = Tell me when it is back
alert-intro = { $name } is sold out. Leave your address: we will write to you once, as soon as it is back.
alert-to-account = We will write to { $email }.
alert-submit = Email me when it is back
alert-back-to-product = Back to the product
alert-waiting = Done: we will write to you as soon as this product is back.
alert-confirm-sent = Check your inbox: a link is waiting there to confirm the alert.
alert-in-stock = Good news: this product is available again.
alert-confirmed = Alert confirmed: we will write to you as soon as this product is back.
alert-confirm-title = Confirm the back-in-stock alert
alert-confirm-intro = Confirm to get one email as soon as { $name } is available again.
alert-confirm-submit = Confirm the alert
alert-link-invalid = This link no longer works: it was used already or it has expired. You can ask for a new alert on the product's page.

## Discount codes
totals-discount = Discount
discount-title = Discount code
discount-label = Your code
discount-apply = Apply
discount-remove = Remove the code { $code }
discount-current = Code { $code } applied.
discount-applied = Code { $code } applied to your cart.
discount-removed = The discount code was removed.
discount-empty = Enter a code.
discount-unknown = The code “{ $code }” does not exist.
discount-paused = The code { $code } is paused for now.
discount-not-yet = The code { $code } is not valid yet.
discount-expired = The code { $code } has expired.
discount-used-up = The code { $code } has been used as many times as allowed.
discount-already-used = You have already used the code { $code } as many times as allowed.
discount-minimum = The code { $code } needs a basket of at least { $minimum }.
discount-not-applicable = The code { $code } applies to nothing in your cart.
discount-left-out = It is not applied: check the total before you confirm.
discount-automatic = Promotion { $code } applied automatically.
shipping-free-from = Free Colissimo delivery from { $amount } spent.

# Shipping by zone (issue #15)
err-shipping-unserved = This delivery method does not serve your address (or your parcel): please choose another one.
country-DE = Germany
country-ES = Spain
country-IT = Italy
country-CH = Switzerland
pickup-hours = Opening hours
shipping-from-price = from { $price }

# The withdrawal function (2026)
withdrawal-function = Withdraw from the contract
withdrawal-start-intro = You may withdraw from an order without giving any reason, from the moment you order until 14 days after delivery (French consumer code, article L221-18). Choose the order, then the items; a last step asks you to confirm.
withdrawal-my-orders = My orders
withdrawal-none-open = None of your orders is open to withdrawal. For an order placed without an account, use the form below.
withdrawal-open-until-short = until { $date }
withdrawal-find-title = Find an order
withdrawal-field-number = Order number
withdrawal-field-number-hint = It is in the confirmation email, for example 2026-000042.
withdrawal-field-email = Email address of the order
withdrawal-find = Continue
withdrawal-number-required = Enter the order's number.
withdrawal-email-required = Enter the order's email address.
withdrawal-no-match = No order matches this number and this email address. Check them in the confirmation email.
withdrawal-locked = Too many attempts: try again in { $minutes } min.
withdrawal-open-now = You may withdraw from this order, without giving a reason, until 14 days after its delivery.
withdrawal-stage-unpaid = Your order is not paid yet: withdrawing cancels all of it and you will owe nothing.
withdrawal-stage-not_shipped = Your order has not left yet: the items you choose will not ship and you are refunded at once (with the delivery costs if you withdraw from the whole order).
withdrawal-stage-shipped = Your order has shipped: send the items back within 14 days; we refund you within 14 days of your withdrawal, and may wait until we have the items back.
withdrawal-continue = Continue
withdrawal-confirm-title = Confirm the withdrawal
withdrawal-confirm-intro = You withdraw from order { $number } for:
withdrawal-change = Change my choice
withdrawal-nothing = Choose at least one item.
withdrawal-done = Your withdrawal is recorded ({ $date }); an acknowledgement is on its way by email.
withdrawal-done-unpaid = Your order is cancelled.
withdrawal-done-refunded = We refunded you { $amount }.
withdrawal-done-refund-pending = We will refund you by { $date } at the latest.
withdrawal-done-return = Send the items back; we will refund you by { $date } at the latest.
legal-accessibility = Accessibility
email-withdrawal-next-unpaid = Your order was not paid: it is cancelled and you owe nothing.
email-withdrawal-next-not_shipped = Your order had not left: these items will not ship, and we refund you by { $date } at the latest, by the same means of payment.
email-withdrawal-next-shipped = Send the items back within 14 days; we will refund you by { $date } at the latest, by the same means of payment (we may wait until we have the items back).
email-withdrawal-staff-stage-unpaid = Order not paid: it is cancelled and its stock back on sale.
email-withdrawal-staff-stage-not_shipped = Order paid, not shipped yet: these items are back on sale and refunded automatically (see the order if the refund waits).
email-withdrawal-staff-stage-shipped = Order shipped: record the items' return and refund them.

# Invoices state each line excluding tax (CGI art. 242 nonies A)
invoice-unit-price-ht = Unit price excl. VAT
invoice-line-total-ht = Total excl. VAT
invoice-ttc = incl. VAT
invoice-in-french = Invoice issued in French; English translation alongside.

# Alcoholic beverages: the health mention (code de la santé publique art. L3323-4) and the
# buyer's age (art. L3342-1)
alcohol-health = Alcohol abuse is dangerous for your health; drink in moderation.
alcohol-minors = Selling alcohol to anyone under 18 is forbidden.
checkout-adult = I declare that I am 18 or over (your basket holds an alcoholic beverage).
err-adult = Your basket holds an alcoholic beverage: declare that you are 18 or over to order.

# Rough edges a customer met (issue #26)
order-address-customer = Your details
email-address-delivery = Shipping address:
email-address-customer = Your details (order to collect):
email-order-follow = Follow your order
checkout-guest-login = sign in
checkout-shipping-adapted = The delivery method chosen does not serve your address: we took the one that does, at the price shown below. You can change it by editing your details.
# Before a value: French puts a (no-break) space before the colon, English does not.
colon = :
checkout-total-changed = The total changed since you reviewed it (a sale ended or a price changed). Check the new total below, then confirm the order.
