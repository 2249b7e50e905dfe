# Cart
nav-cart = Panier
nav-cart-count = { $count ->
    [0] Panier vide
    [one] 1 article dans le panier
   *[other] { $count } articles dans le panier
}
cart-title = Mon panier
cart-product = Produit
cart-unit-price = Prix unitaire
cart-quantity = Quantité
cart-line-total = Total
cart-add = Ajouter au panier
cart-update = Mettre à jour
cart-remove = Retirer
cart-empty = Votre panier est vide.
cart-continue = Continuer mes achats
cart-checkout = Passer commande
cart-shipping-later = Les frais de livraison sont calculés à l'étape suivante.
cart-added = Article ajouté au panier.
cart-updated = Panier mis à jour.
cart-removed = Article retiré du panier.
cart-sold-out = « { $name } » n'est plus disponible.
cart-choose-variant = Choisissez une taille, une couleur ou un modèle avant de l'ajouter au panier.
cart-not-enough = Il ne reste que { $available } exemplaire(s) de « { $name } ».
cart-bad-quantity = Choisissez une quantité entre 1 et 99.

totals-items = Articles
totals-shipping = Livraison
totals-total = Total TTC
totals-vat-included = dont TVA { $rate }

# Checkout
checkout-title = Commande
checkout-contact = Contact
checkout-guest-hint = Commandez sans compte, ou
checkout-towns-of = Communes du code postal { $code } :
checkout-address = Adresse de livraison
checkout-shipping = Livraison
checkout-payment = Paiement
checkout-summary = Récapitulatif
checkout-continue = Vérifier ma commande
checkout-review = Vérifiez votre commande
checkout-edit = Modifier
checkout-accept-terms = J'ai lu et j'accepte les conditions générales de vente (version { $version }).
checkout-withdrawal = Vous pouvez vous rétracter dès la commande passée et jusqu'à 14 jours après sa réception, sans avoir à vous justifier, avec « Se rétracter du contrat ici » en bas de chaque page.
checkout-place-order = Commander avec obligation de paiement
checkout-empty-cart = Votre panier est vide.
checkout-thanks = Merci ! Votre commande est enregistrée ; un e-mail de confirmation vous a été envoyé.
field-phone = Téléphone (facultatif)
field-full-name = Nom complet
field-street = Adresse
field-postal-code = Code postal
field-city = Ville
field-country = Pays
country-FR = France
country-BE = Belgique
country-LU = Luxembourg
country-MC = Monaco
shipping-standard = Colissimo (2 à 4 jours)
shipping-express = Express (24 h)
shipping-pickup = Retrait en boutique
shipping-extras = Livraison en Corse : + { $corsica }, outre-mer : + { $overseas } (standard et express ; le retrait en boutique reste gratuit).
shipping-free = gratuit
payment-bank_transfer = Virement bancaire
payment-on_pickup = Paiement au retrait en boutique

err-required_100 = Ce champ est obligatoire (100 caractères au plus).
err-required_200 = Ce champ est obligatoire (200 caractères au plus).
err-postal_code = Saisissez un code postal valide (5 chiffres en France).
err-postal_code_unknown = Ce code postal n'existe pas en France : vérifiez-le.
err-city_postal_code = Cette commune ne correspond pas au code postal : choisissez-la parmi celles proposées.
err-phone = Saisissez un numéro de téléphone valide.
err-choice = Choisissez une option dans la liste.
err-pay_on_pickup = Le paiement au retrait n'est possible qu'avec le retrait en boutique.
err-country = Nous ne livrons pas ce pays.
err-accept_terms = Vous devez accepter les conditions générales de vente pour commander.

# Orders
order-title = Commande { $number }
order-pay-by-transfer = Paiement par virement
order-transfer-instructions = Virez { $total } en indiquant la référence { $reference }. Votre commande sera préparée dès réception du paiement.
order-tracking = Numéro de suivi :
orders-mine = Mes commandes
orders-number = Numéro
orders-date = Date
orders-status = État
orders-none = Vous n'avez pas encore passé de commande.
status-awaiting_payment = En attente de paiement
status-paid = Payée
status-shipped = Expédiée
status-delivered = Livrée
status-cancelled = Annulée
status-refunded = Remboursée

# Emails
email-hello = Bonjour { $name },
email-confirmation-subject = { $shop } : confirmation de votre commande { $number }
email-confirmation-intro = Nous avons bien reçu votre commande { $number }. En voici le détail.
email-unpaid-cancel-notice = Sans paiement sous { $days } jours, la commande sera annulée automatiquement.
email-order-link = Suivre votre commande :
email-terms-accepted = Conditions générales de vente acceptées : version { $version }.
email-staff-subject = Nouvelle commande { $number } ({ $total })
email-staff-intro = Nouvelle commande { $number } de { $email }.
email-unpaid-cancelled-subject = { $shop } : commande { $number } annulée
email-unpaid-cancelled-intro = Faute de paiement reçu sous { $days } jours, votre commande { $number } a été annulée et les articles remis en vente.

# Invoices
invoice-invoice = Facture
invoice-credit_note = Avoir
invoice-documents = Factures et avoirs
invoice-date = Date :
invoice-buyer = Client
invoice-vat-number = N° TVA intracommunautaire
invoice-vat-base = Base HT { $rate }
invoice-vat-amount = TVA { $rate }
invoice-total-ht = Total HT
invoice-total-vat = Total TVA
invoice-credit-note-for = Avoir sur la commande { $number }.
invoice-corrects = Il rectifie la facture { $number }.
invoice-refund-reason = Motif :
invoice-refund-amount = Remboursement hors articles
invoice-total-refunded = Total remboursé TTC
order-balance = Payé { $paid }, remboursé { $refunded } : solde { $balance }.
invoice-paid-by = Mode de paiement : { $method }.
invoice-print = Imprimez cette page (Ctrl+P) pour l'enregistrer en PDF.

# Card payment
payment-card = Carte bancaire
pay-title = Paiement par carte
pay-by-card = Payer par carte
pay-card = Carte bancaire
pay-button = Payer { $total }
pay-needs-script = Le paiement par carte a besoin de JavaScript : activez-le, ou contactez-nous.
pay-unavailable = Le service de paiement ne répond pas pour le moment. Votre commande est enregistrée : réessayez dans un instant.
pay-retry = Réessayer le paiement
pay-see-order = Voir la commande
pay-state-paid = Paiement reçu : votre commande est confirmée.
pay-state-confirming = Paiement en cours de confirmation : cette page se met à jour d'elle-même dans un instant.
pay-state-not_completed = Le paiement n'a pas abouti. Vous pouvez réessayer.
pay-state-unknown = Nous ne pouvons pas vérifier le paiement pour le moment : cette page réessaie d'elle-même dans un instant.
email-card-pending = Réglez votre commande par carte ici :
email-staff-paid-subject = Paiement par carte reçu : commande { $number } ({ $total })
email-staff-paid-intro = La commande { $number } de { $email } est payée par carte : elle peut être préparée.
email-staff-ceiling-subject = { $shop } : plafond horaire d'e-mails demandés par des visiteurs atteint
email-staff-ceiling-intro = La boutique a envoyé { $ceiling } e-mails demandés par des visiteurs (inscriptions, liens de compte, alertes de retour en stock) dans l'heure : les suivants partiront dans une heure.
email-staff-ceiling-action = Si ce n'est pas l'affluence d'une vente, quelqu'un se sert peut-être de la boutique pour écrire à des inconnus : voyez le journal des e-mails du back-office.

## Legal pages
footer-legal = Informations légales
legal-legal_notice = Mentions légales
legal-terms = Conditions générales de vente
legal-privacy = Confidentialité
legal-delivery = Livraison et retours
legal-contact = Contact
legal-version = Version { $label } du { $date }
legal-not-current = Ce n'est pas la version en vigueur.
legal-see-current = Voir la version en vigueur
checkout-read-terms = Lire les conditions générales de vente (version { $version })

## Withdrawal
withdrawal-title = Rétractation
withdrawal-button = Se rétracter du contrat ici
withdrawal-open-until = Vous pouvez vous rétracter de cette commande, sans motif, jusqu'au { $date }.
withdrawal-intro = Indiquez les articles concernés (tous sont choisis) ; vous pouvez vous rétracter jusqu'au { $date }. Un accusé de réception vous est envoyé par courriel.
withdrawal-items = Articles et quantités
withdrawal-ordered = { $quantity } commandé(s)
withdrawal-comment = Commentaire (facultatif)
withdrawal-confirm = Confirmer la rétractation
withdrawal-received-on = Rétractation reçue le { $date }.
withdrawal-refund-by = Remboursement au plus tard le { $date }.
withdrawal-too-late = Le délai de rétractation de 14 jours après la livraison est passé.
withdrawal-closed = Cette commande est annulée ou remboursée : il n'y a plus rien à rétracter.
withdrawal-too-many = Vous ne pouvez pas vous rétracter de plus d'articles que vous n'en avez commandé.
withdrawal-unknown-item = Cet article n'est pas dans la commande.
withdrawal-quantity-invalid = Indiquez une quantité en chiffres.
withdrawal-comment-too-long = Le commentaire ne peut dépasser 1 000 caractères.
email-withdrawal-subject = { $shop } : votre rétractation de la commande { $number } est reçue
email-withdrawal-intro = Nous avons bien reçu le { $date } votre rétractation de la commande { $number }, pour :

## Invoices as PDF and their legal mentions
invoice-pdf = Télécharger en PDF
invoice-paid-on = Payée le { $date }.
invoice-late-penalties = Paiement à réception, sans escompte pour paiement anticipé. En cas de retard de paiement, pénalités au taux de trois fois le taux d'intérêt légal.
invoice-recovery-indemnity = Clients professionnels : indemnité forfaitaire pour frais de recouvrement de 40 € en cas de retard de paiement (art. L441-10 et D441-5 du code de commerce).
invoice-vat-exempt = TVA non applicable, art. 293 B du CGI.

## Business buyers
checkout-business = Vous achetez pour une entreprise ? (facultatif)
checkout-business-hint = La raison sociale, le SIREN ou SIRET et le numéro de TVA intracommunautaire figureront sur la facture.
field-company = Raison sociale
field-buyer-siret = SIREN ou SIRET
field-buyer-vat-number = N° de TVA intracommunautaire
err-buyer_siret = Ce SIREN ou SIRET n'est pas valide (9 ou 14 chiffres, clé de contrôle comprise).
err-buyer_vat_number = Ce numéro de TVA intracommunautaire n'est pas valide (par exemple FR44732829320).
err-company_required = Indiquez la raison sociale de l'entreprise.
err-max_100 = 100 caractères au plus.
err-max_200 = 200 caractères au plus.

## Sorting and filtering listings
listing-sort = Trier par
listing-sort-name = Nom
listing-sort-price_asc = Prix croissant
listing-sort-price_desc = Prix décroissant
listing-sort-newest = Nouveautés
listing-in-stock = En stock seulement
listing-min = Prix min. (€)
listing-max = Prix max. (€)
listing-apply = Appliquer
listing-price-error = Un prix n'est pas valide (par exemple 12,50) : il n'est pas pris en compte.
product-delivery = Livraison
product-related = Dans le même rayon
footer-delivery = Livraison
footer-payment = Paiement
search-nothing-for = Aucun résultat pour « { $query } ».
search-did-you-mean = Vouliez-vous dire :

## Alertes de retour en stock
alert-title = Prévenez-moi du retour en stock
alert-intro = { $name } est épuisé. Laissez votre adresse : nous vous écrirons une fois, dès son retour.
alert-to-account = Nous écrirons à { $email }.
alert-submit = M’avertir du retour en stock
alert-back-to-product = Retour au produit
alert-waiting = C’est noté : nous vous écrirons dès que ce produit sera de retour.
alert-confirm-sent = Vérifiez votre boîte de réception : un lien vous y attend pour confirmer l’alerte.
alert-in-stock = Bonne nouvelle : ce produit est de nouveau disponible.
alert-confirmed = Alerte confirmée : nous vous écrirons dès que ce produit sera de retour.
alert-confirm-title = Confirmer l’alerte de retour en stock
alert-confirm-intro = Confirmez pour recevoir un e-mail dès que { $name } sera de nouveau disponible.
alert-confirm-submit = Confirmer l’alerte
alert-link-invalid = Ce lien ne fonctionne plus : il a déjà servi ou il a expiré. Vous pouvez demander une nouvelle alerte depuis la page du produit.

## Codes de réduction
totals-discount = Réduction
discount-title = Code de réduction
discount-label = Votre code
discount-apply = Appliquer
discount-remove = Retirer le code { $code }
discount-current = Code { $code } appliqué.
discount-applied = Code { $code } appliqué à votre panier.
discount-removed = Le code de réduction a été retiré.
discount-empty = Saisissez un code.
discount-unknown = Le code « { $code } » n’existe pas.
discount-paused = Le code { $code } est suspendu pour le moment.
discount-not-yet = Le code { $code } n’est pas encore valable.
discount-expired = Le code { $code } a expiré.
discount-used-up = Le code { $code } a atteint son nombre d’utilisations.
discount-already-used = Vous avez déjà utilisé le code { $code } autant de fois que permis.
discount-minimum = Le code { $code } demande un panier d’au moins { $minimum }.
discount-not-applicable = Le code { $code } ne s’applique à aucun article de votre panier.
discount-left-out = Il n’est pas appliqué : vérifiez le total avant de confirmer.
discount-automatic = Promotion { $code } appliquée automatiquement.
shipping-free-from = Livraison Colissimo offerte dès { $amount } d’achat.

# Livraison par zone (ticket #15)
err-shipping-unserved = Ce mode de livraison ne dessert pas votre adresse (ou votre colis) : choisissez-en un autre.
country-DE = Allemagne
country-ES = Espagne
country-IT = Italie
country-CH = Suisse
pickup-hours = Horaires d'ouverture
shipping-from-price = dès { $price }

# The withdrawal function (2026)
withdrawal-function = Se rétracter du contrat
withdrawal-start-intro = Vous pouvez vous rétracter d'une commande sans donner de motif, dès la commande passée et jusqu'à 14 jours après sa livraison (article L221-18 du code de la consommation). Choisissez la commande, puis les articles ; une dernière étape vous demande de confirmer.
withdrawal-my-orders = Mes commandes
withdrawal-none-open = Aucune de vos commandes n'est ouverte à la rétractation. Pour une commande passée sans compte, utilisez le formulaire ci-dessous.
withdrawal-open-until-short = jusqu'au { $date }
withdrawal-find-title = Retrouver une commande
withdrawal-field-number = Numéro de commande
withdrawal-field-number-hint = Il figure dans le courriel de confirmation, par exemple 2026-000042.
withdrawal-field-email = Adresse e-mail de la commande
withdrawal-find = Continuer
withdrawal-number-required = Indiquez le numéro de la commande.
withdrawal-email-required = Indiquez l'adresse e-mail de la commande.
withdrawal-no-match = Aucune commande ne correspond à ce numéro et à cette adresse e-mail. Vérifiez-les dans le courriel de confirmation.
withdrawal-locked = Trop d'essais : réessayez dans { $minutes } min.
withdrawal-open-now = Vous pouvez vous rétracter de cette commande, sans motif, jusqu'à 14 jours après sa livraison.
withdrawal-stage-unpaid = Votre commande n'est pas encore payée : la rétractation l'annule en entier et rien ne vous sera demandé.
withdrawal-stage-not_shipped = Votre commande n'est pas encore partie : les articles choisis ne seront pas expédiés et vous êtes remboursé aussitôt (avec les frais de livraison si vous vous rétractez de toute la commande).
withdrawal-stage-shipped = Votre commande est expédiée : renvoyez-nous les articles dans les 14 jours ; nous vous remboursons au plus tard 14 jours après votre rétractation, et pouvons attendre d'avoir reçu les articles.
withdrawal-continue = Continuer
withdrawal-confirm-title = Confirmer la rétractation
withdrawal-confirm-intro = Vous vous rétractez de la commande { $number } pour :
withdrawal-change = Modifier mon choix
withdrawal-nothing = Choisissez au moins un article.
withdrawal-done = Votre rétractation est enregistrée ({ $date }) ; un accusé de réception vous est envoyé par courriel.
withdrawal-done-unpaid = Votre commande est annulée.
withdrawal-done-refunded = Nous vous avons remboursé { $amount }.
withdrawal-done-refund-pending = Nous vous rembourserons au plus tard le { $date }.
withdrawal-done-return = Renvoyez-nous les articles ; nous vous rembourserons au plus tard le { $date }.
legal-accessibility = Accessibilité
email-withdrawal-next-unpaid = Votre commande n'était pas payée : elle est annulée, et rien ne vous sera demandé.
email-withdrawal-next-not_shipped = Votre commande n'était pas partie : ces articles ne seront pas expédiés, et nous vous remboursons au plus tard le { $date }, par le même moyen de paiement.
email-withdrawal-next-shipped = Renvoyez-nous les articles dans les 14 jours ; nous vous rembourserons au plus tard le { $date }, par le même moyen de paiement (nous pouvons attendre d'avoir reçu les articles).
email-withdrawal-staff-stage-unpaid = Commande non payée : elle est annulée, son stock remis en vente.
email-withdrawal-staff-stage-not_shipped = Commande payée, pas encore expédiée : ces articles sont remis en vente et remboursés automatiquement (voyez la commande si le remboursement attend).
email-withdrawal-staff-stage-shipped = Commande expédiée : enregistrez le retour des articles et remboursez-les.

# Invoices state each line excluding tax (CGI art. 242 nonies A)
invoice-unit-price-ht = Prix unitaire HT
invoice-line-total-ht = Total HT
invoice-ttc = TTC
invoice-in-french = Facture établie en français ; traduction anglaise en regard.

# Alcoholic beverages: the health mention (code de la santé publique art. L3323-4) and the
# buyer's age (art. L3342-1)
alcohol-health = L'abus d'alcool est dangereux pour la santé, à consommer avec modération.
alcohol-minors = La vente d'alcool est interdite aux mineurs de moins de 18 ans.
checkout-adult = Je déclare avoir au moins 18 ans (votre panier contient une boisson alcoolique).
err-adult = Votre panier contient une boisson alcoolique : déclarez avoir au moins 18 ans pour commander.

# Rough edges a customer met (issue #26)
order-address-customer = Vos coordonnées
email-address-delivery = Adresse de livraison :
email-address-customer = Vos coordonnées (commande à retirer) :
email-order-follow = Suivre votre commande
checkout-guest-login = connectez-vous
checkout-shipping-adapted = Le mode de livraison choisi ne dessert pas votre adresse : nous avons pris celui qui la dessert, au prix indiqué ci-dessous. Vous pouvez en changer en modifiant vos coordonnées.
# Before a value: French puts a (no-break) space before the colon, English does not.
colon = {"\u00A0"}:
checkout-total-changed = Le total a changé depuis votre relecture (une promotion a pris fin ou un prix a changé). Vérifiez le nouveau total ci-dessous, puis confirmez la commande.
