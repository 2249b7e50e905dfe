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
