# Storefront and shared chrome
nav-skip = Skip to content
nav-home = Home
nav-account-label = My account
nav-admin = Back office
nav-account = My account
nav-logout = Log out
nav-login = Log in
nav-register = Create an account
lang-fr = Français
lang-en = English
footer-prices = Prices in euros, VAT included.
breadcrumbs = Breadcrumbs

search-label = Search for a product
search-placeholder = Search…
search-button = Search
search-title = Search
search-results = { $count ->
    [0] No results for “{ $query }”
    [one] 1 result for “{ $query }”
   *[other] { $count } results for “{ $query }”
}
search-none = No product matches your search.
search-empty = Type a word to search the catalogue.

stock-in = In stock
stock-low = { $count ->
    [one] Only 1 left
   *[other] Only { $count } left
}
stock-out = Out of stock

pager-label = Pages
pager-prev = ← Previous
pager-next = Next →
pager-position = Page { $page } of { $pages }

home-title = Home
home-heading = Welcome to { $shop }
home-intro = Fine food, wine and everyday things, chosen from producers and craftspeople.
home-categories = Departments
home-featured = Featured

listing-count = { $count ->
    [0] No products
    [one] 1 product
   *[other] { $count } products
}
listing-empty = This department is empty for now.

product-vat = { $rate } VAT included

# Error pages
error-400-title = Bad request
error-400-text = The request could not be understood.
error-403-title = Access denied
error-403-text = You may not open this page, or the form has expired. Reload the page and try again.
error-404-title = Page not found
error-404-text = This page does not exist, or no longer does.
error-413-title = Too large
error-413-text = What was sent is larger than allowed.
error-422-title = Invalid data
error-422-text = Some of the data sent is not valid.
error-500-title = Server error
error-500-text = Something went wrong on our side. Please try again in a moment.
error-503-title = Temporarily unavailable
error-503-text = Too many requests at once. Please try again in a few seconds.
error-other-title = Error
error-other-text = The request did not succeed.
error-incident = Incident reference: { $id }
error-back-home = Back to the home page

# Accounts
register-title = Create an account
register-submit = Create my account
register-have-account = Already a customer?
login-title = Log in
login-submit = Log in
login-no-account = No account yet?
field-email = Email address
field-display-name = Name
field-password = Password
field-password-confirm = Confirm the password
hint-password = At least 12 characters.
account-title = My account
account-role = Account type
account-since = Customer since
role-customer = Customer
role-staff = Staff
role-admin = Administrator

flash-registered = Welcome! Your account is ready.
flash-logged-out = You are logged out.

err-email = Enter a valid email address.
err-mail-too-many = Too many email requests from your connection: try again in a few minutes.
err-email_taken = This email address is already registered.
err-too_long = This text is too long.
err-password_length = The password must have 12 to 128 characters.
err-password_is_email = The password must not be your email address.
err-password_mismatch = The two passwords do not match.
err-login_failed = Wrong email address or password.

# Back office
admin-nav-label = Back office
admin-dashboard = Dashboard
err-login_locked = Too many login attempts. Try again in { $minutes } minute(s).
email-locked-subject = { $shop }: login attempts on your account
email-locked-intro = Several attempts to log in to your { $shop } account have failed.
email-locked-advice = For safety, logins are slowed down for at most { $minutes } minutes. If it was not you, change your password.

login-forgot = Forgot your password?
err-email_unverified = Confirm your email address first: we have sent you a new link.
err-current_password = This is not your current password.
account-change-password = Change my password
account-change-email = Change my email address
account-sessions = Devices
account-end-sessions = Log out everywhere
field-current-password = Current password
field-new-password = New password
field-new-email = New email address
flash-password-changed = Your password is changed. Your other devices are logged out.
flash-email-changed = Your email address is changed.
flash-email-verified = Your email address is confirmed. You can log in.
flash-logged-out-everywhere = You are logged out on every device.
sent-title = Check your inbox
sent-register = If this address can be used, we have sent it a link to confirm it and finish creating your account.
sent-reset = If an account uses this address, we have sent it a link to choose a new password.
sent-email-change = We have sent a link to the new address: your address changes once you open it.
verify-title = Confirm your email address
verify-submit = Confirm my address
forgot-title = Forgotten password
forgot-intro = Enter your email address: if it has an account, we will send it a link to choose a new password.
forgot-submit = Send the link
email-verify_email-subject = { $shop }: confirm your email address
email-verify_email-intro = Welcome to { $shop }! Confirm your email address to finish creating your account.
email-verify_email-action = Open this link within { $hours } hours:
email-confirm_new_email-subject = { $shop }: confirm your new email address
email-confirm_new_email-intro = You asked to use this address for your account at { $shop }.
email-confirm_new_email-action = Open this link within { $hours } hours to confirm it:
email-account_exists-subject = { $shop }: you already have an account
email-account_exists-intro = Someone (probably you) tried to create an account at { $shop } with this address, which already has one.
email-account_exists-action = Log in with it, or choose a new password here:
email-password_reset-subject = { $shop }: choose a new password
email-password_reset-intro = You asked to choose a new password for your account at { $shop }.
email-password_reset-action = This link works once, for { $minutes } minutes:
email-link-not-you = If you did not ask for this, ignore this email: nothing changes.
account-my-data = My data
account-export = Download my data (JSON)
account-erase-intro = Deleting your account erases your details, addresses and sessions. Your orders are kept for the shop's accounts, without your name, street, phone or email.
account-erase = Delete my account
flash-account-erased = Your account is deleted.
err-staff_cannot_erase = Staff accounts are removed by an administrator.
two-factor-title = Two-factor authentication
two-factor-setup = Set up two-factor authentication
two-factor-manage = Manage two-factor authentication
two-factor-scan = Scan this code with an authenticator app (FreeOTP, Aegis, Google Authenticator…), then type the 6-digit code it shows.
two-factor-manual = Or type this key into the app:
two-factor-enable = Turn it on
two-factor-enabled = Two-factor authentication is on.
two-factor-recovery-intro = Keep these recovery codes somewhere safe: each one lets you in once if you lose your phone. They are shown only now.
two-factor-is-on = Two-factor authentication is on ({ $left } recovery codes left).
two-factor-disable = Turn it off
two-factor-login-intro = Type the 6-digit code from your authenticator app, or a recovery code.
field-totp-code = Code
confirm-title = Confirm it is you
confirm-intro = This action needs your password again.
confirm-submit = Confirm
flash-2fa-disabled = Two-factor authentication is off.
err-totp_code = This code is not valid (or was already used).
err-second_factor_required = The shop requires two-factor authentication for staff.
footer-prices-exempt = Prices in euros. VAT not applicable, art. 293 B of the French General Tax Code.
meta-description = { $shop }: a fine food shop online, delivered to your door or collected in store.
form-draft-back = Your session expired: check what you had typed and send the form again (passwords must be typed again).
form-error-summary = This form has errors:

email-alert-confirm-subject = { $shop }: confirm your alert for { $name }
email-alert-confirm-intro = You asked to be told when { $name } is back in stock at { $shop }.
email-alert-confirm-action = Confirm by opening this link within { $days } days:
email-alert-back-subject = { $name } is back at { $shop }
email-alert-back-intro = Good news: { $name } is available again.
email-alert-back-once = You get this message once, as you asked; no other alert will follow.

# Sales (issue #27, code de la consommation art. L112-1-1)
sale-was = Reference price:
sale-badge = −{ $percent }%
sale-reference = Lowest price in the last 30 days: { $price }
sale-until = Until { $date }

# Unit prices (arrêté of 16 November 1999)
net-quantity = Net quantity
net-pieces = piece(s)
unit-price-kg = { $price } per kg
unit-price-l = { $price } per litre
unit-price-piece = { $price } each

# What identifies the product (Regulation (EU) 2023/988, art. 19)
product-brand = Brand
product-reference = Reference
product-gtin = GTIN (EAN)

## Composition and safety (catalog::facts): Regulation (EU) 2023/988 art. 19, Regulation (EU) 1169/2011 art. 9 and 14
facts-title = Composition and safety
facts-ingredients = Ingredients
facts-composition = Composition
facts-allergens = Allergens
facts-no-allergens = None of the 14 regulated allergens.
facts-nutrition = Nutrition declaration
facts-nutrient = Average nutritional values
facts-per-100g = Per 100 g
facts-per-100ml = Per 100 ml
nutrient-energy = Energy
nutrient-fat = Fat
nutrient-saturates = of which saturates
nutrient-carbohydrate = Carbohydrate
nutrient-sugars = of which sugars
nutrient-protein = Protein
nutrient-salt = Salt
facts-alcohol = Alcoholic strength
facts-storage = Storage
facts-origin = Origin
facts-mpn = Manufacturer part number
facts-batch = Batch
facts-warnings = Warnings and safety
facts-manufacturer = Manufacturer
facts-responsible = Responsible person in the European Union
facts-contact-form = Contact form
allergen-gluten = cereals containing gluten
allergen-crustaceans = crustaceans
allergen-eggs = eggs
allergen-fish = fish
allergen-peanuts = peanuts
allergen-soybeans = soybeans
allergen-milk = milk
allergen-nuts = nuts
allergen-celery = celery
allergen-mustard = mustard
allergen-sesame = sesame seeds
allergen-sulphites = sulphur dioxide and sulphites
allergen-lupin = lupin
allergen-molluscs = molluscs
country-AT = Austria
country-BG = Bulgaria
country-CY = Cyprus
country-CZ = Czechia
country-DK = Denmark
country-EE = Estonia
country-FI = Finland
country-GR = Greece
country-HR = Croatia
country-HU = Hungary
country-IE = Ireland
country-LT = Lithuania
country-LV = Latvia
country-MT = Malta
country-NL = Netherlands
country-PL = Poland
country-PT = Portugal
country-RO = Romania
country-SE = Sweden
country-SI = Slovenia
country-SK = Slovakia
country-GB = United Kingdom
country-US = United States
country-CN = China
country-JP = Japan
country-TR = Türkiye
country-NO = Norway
country-IN = India
country-KR = South Korea
country-TW = Taiwan
country-VN = Vietnam
country-MA = Morocco
country-TN = Tunisia
