# Back-office
admin-orders = Commandes
admin-all = Toutes
admin-from = Du
admin-to = Au
admin-customer = Client
admin-filter = Filtrer
admin-orders-count = { $count ->
    [0] Aucune commande
    [one] 1 commande
   *[other] { $count } commandes
}
admin-next-step = Étape suivante
admin-tracking = Numéro de suivi
admin-step-mark_paid = Marquer payée
admin-step-ship = Marquer expédiée
admin-step-deliver = Marquer livrée
admin-step-cancel = Annuler et remettre en stock
admin-step-refund = Marquer remboursée
admin-step-done = Commande passée à l'état « { $status } ».
admin-step-not-allowed = Cette étape n'est pas possible dans l'état actuel de la commande.
admin-step-unknown = Étape inconnue.
admin-tracking-required = Saisissez le numéro de suivi (64 caractères au plus).
admin-emails = E-mails
admin-email-kind = Type
admin-email-to = Destinataire
admin-email-attempts = Tentatives
email-status-queued = En file d'attente
email-status-sending = En cours d'envoi
email-status-sent = Envoyé
email-status-failed = Échec

# Workflow emails
email-paid-subject = { $shop } : paiement reçu pour la commande { $number }
email-paid-intro = Nous avons bien reçu votre paiement de { $total } pour la commande { $number }. Nous la préparons.
email-shipped-subject = { $shop } : votre commande { $number } est expédiée
email-shipped-intro = Votre commande { $number } vient de partir.
email-refunded-subject = { $shop } : commande { $number } remboursée
email-refunded-intro = Nous avons remboursé votre commande { $number } ({ $total }).
email-cancelled-subject = { $shop } : commande { $number } annulée
email-cancelled-intro = Votre commande { $number } a été annulée. Si vous l'aviez déjà payée, vous serez remboursé.

# Catalogue
admin-products = Produits
admin-categories = Rayons
admin-stock-low = Stock bas
admin-product-new = Nouveau produit
admin-visible = Visible
admin-hidden = Masqué
admin-stock-at-most = Stock au plus
admin-sort = Tri
admin-sort-name = Nom
admin-sort-price = Prix croissant
admin-sort-desc-price = Prix décroissant
admin-sort-stock = Stock croissant
admin-sort-new = Plus récents
admin-view-in-shop = Voir dans la boutique
admin-save = Enregistrer
admin-create = Créer
admin-delete = Supprimer
admin-saved = Modifications enregistrées.
admin-actions = Actions
admin-move-up = Monter
admin-move-down = Descendre
admin-category-new = Nouveau rayon
admin-category-not-empty = Ce rayon contient encore des produits : il ne peut pas être supprimé.
admin-product-shown = Le produit est visible dans la boutique.
admin-product-hidden = Le produit est masqué de la boutique.
admin-hide = Masquer de la boutique
admin-show = Afficher dans la boutique
admin-stock-delta = Variation
admin-stock-reason = Motif
admin-stock-adjust = Ajuster le stock
admin-stock-history = Historique du stock
admin-stock-adjusted = Stock ajusté : { $stock } en stock.
admin-stock-below-zero = Le stock ne peut pas devenir négatif.
admin-stock-bad-delta = Saisissez une variation non nulle, par exemple 5 ou -2.
admin-stock-reason-required = Indiquez le motif de l'ajustement.
admin-who = Par
field-name = Nom
field-slug = Adresse (slug)
hint-slug = Laissez vide pour la déduire du nom.
field-description = Description
field-price = Prix TTC (€)
hint-price = Par exemple 12,50
field-vat = TVA
field-category = Rayon
field-stock = Stock
field-active = Visible
field-featured = À la une
err-price = Saisissez un prix positif avec au plus deux décimales, par exemple 12,50.
err-stock = Saisissez un stock entier positif.
err-slug = Saisissez une adresse faite de lettres, chiffres et tirets.
err-slug_taken = Cette adresse est déjà utilisée.

# Dashboard
admin-period-1 = Aujourd'hui
admin-period-7 = 7 derniers jours
admin-period-30 = 30 derniers jours
admin-average-basket = Panier moyen
admin-chart-revenue = Chiffre d'affaires par jour (30 jours)
admin-chart-status = Commandes par état
admin-top-products = Meilleures ventes (30 jours)
admin-nothing-yet = Rien pour l'instant.
admin-failed-emails = E-mails en échec
admin-no-failed-emails = Aucun e-mail en échec.

# Customers, emails, audit
admin-customers = Clients
admin-account-active = Actif
admin-account-disabled = Désactivé
admin-disable = Désactiver le compte
admin-enable = Réactiver le compte
admin-customer-disabled = Le compte est désactivé ; ses sessions sont fermées.
admin-customer-enabled = Le compte est réactivé.
admin-not-a-customer = Ce compte n'est pas un compte client.
admin-email-subject = Objet
admin-resend = Renvoyer
admin-email-requeued = L'e-mail est remis dans la file d'envoi.
admin-audit = Journal
admin-actor = Auteur
admin-action = Action
admin-entity = Objet
admin-before = Avant
admin-after = Après
admin-system = Système

# Staff
admin-staff = Équipe
admin-you = vous
admin-invited = Invité
admin-staff-invite = Inviter un membre de l'équipe
admin-staff-send-invite = Envoyer l'invitation
admin-staff-invited = Invitation envoyée : le lien permet de choisir un mot de passe.
admin-last-admin = La boutique doit garder au moins un administrateur actif.
admin-not-staff = Ce compte n'est pas un compte de l'équipe.
set-password-title = Choisir un mot de passe
set-password-submit = Enregistrer le mot de passe
set-password-invalid = Ce lien a expiré ou a déjà servi. Demandez-en un nouveau.
flash-password-set = Mot de passe enregistré : vous pouvez vous connecter.
email-invite-subject = { $shop } : votre accès à la boutique
email-invite-intro = Vous êtes invité à rejoindre l'équipe de { $shop } ({ $role }).
email-invite-action = Choisissez votre mot de passe avec ce lien, valable { $hours } heures et utilisable une seule fois :

# Images
admin-images = Photos
admin-image-file = Fichier (JPEG, PNG ou WebP, 5 Mo au plus)
admin-image-alt = Description de la photo
admin-image-upload = Ajouter la photo
admin-image-added = Photo ajoutée.
admin-image-deleted = Photo supprimée.
admin-image-missing = Choisissez un fichier.
admin-image-invalid = Ce fichier n'est pas une image JPEG, PNG ou WebP lisible.

# CSV
admin-export-csv = Exporter en CSV
admin-import = Importer des produits
admin-import-help = Un fichier CSV en UTF-8 avec les colonnes de l'export : slug, name, category, price, vat_rate, stock, active, featured, description. Les produits existants (même slug) sont mis à jour.
admin-import-file = Fichier CSV
admin-import-preview = Vérifier le fichier
admin-import-apply = Importer ces produits
admin-import-summary = { $creates } à créer, { $updates } à mettre à jour, { $errors } ligne(s) en erreur
admin-import-create = Création
admin-import-update = Mise à jour
admin-import-done = Import terminé : { $creates } créé(s), { $updates } mis à jour.
admin-import-empty = Le fichier ne contient aucune ligne.
admin-import-not-utf8 = Le fichier doit être encodé en UTF-8.
admin-import-expired = Le fichier vérifié n'est plus disponible : envoyez-le à nouveau.
admin-import-changed = Les données ont changé depuis la vérification : rien n'a été importé, vérifiez le fichier à nouveau.
admin-import-err-required_200 = nom manquant ou trop long
admin-import-err-slug = slug vide ou en double
admin-import-err-price = prix invalide
admin-import-err-vat_rate = taux de TVA invalide
admin-import-err-category = rayon inconnu
admin-import-err-stock = stock invalide
admin-import-err-boolean = valeur oui/non invalide
admin-import-err-too_long = description trop longue

# Bulk edit
admin-select = Sélection
admin-bulk = Modifier la sélection
admin-bulk-field = Champ
admin-bulk-value = Nouvelle valeur
admin-bulk-preview = Prévisualiser
admin-bulk-hint = Prix en euros (12,50), stock entier, numéro de rayon ou vide, visible : true ou false.
admin-bulk-confirm = { $count } produit(s) seront modifiés ainsi :
admin-bulk-apply = Appliquer
admin-cancel = Annuler
admin-bulk-done = { $count } produit(s) modifié(s).
admin-bulk-selection = Sélectionnez entre 1 et 500 produits.
admin-bulk-bad-value = Cette valeur ne convient pas à ce champ.

admin-settings = Paramètres de la boutique
admin-settings-shop = La boutique
admin-settings-orders = Commandes et paiement
admin-settings-legal = Mentions légales (imprimées sur les factures)
admin-settings-security = Sécurité
field-shop-name = Nom de la boutique
field-shop-email = Adresse des notifications de commande
hint-shop-email = Laisser vide pour n’en envoyer aucune.
field-terms-version = Version des conditions générales de vente
hint-terms-version = Les clients acceptent cette version en commandant ; changez-la quand les conditions changent.
field-shipping-standard = Livraison standard
field-shipping-express = Livraison express
field-unpaid-days = Jours avant l’annulation d’une commande par virement impayée
field-iban = IBAN pour les virements
field-bic = BIC
field-legal-name = Raison sociale
field-legal-address = Adresse du siège
field-siret = SIRET
field-vat-number = Numéro de TVA
field-require-2fa = Le personnel doit utiliser la double authentification
err-days = Indiquez un nombre de jours entre 1 et 90.
err-iban = Indiquez un IBAN valide (sa clé de contrôle ne correspond pas).
err-bic = Indiquez un BIC de 8 ou 11 lettres et chiffres.
err-siret = Indiquez les 14 chiffres du SIRET.
admin-confirm-refund = Confirmez votre mot de passe, puis remboursez à nouveau.
err-second_factor_first = Activez d’abord votre propre double authentification.
admin-2fa-reset = La double authentification de ce compte est désactivée ; la personne la réactivera à sa prochaine connexion.
admin-2fa-reset-button = Réinitialiser la double authentification
admin-refund-provider-failed = Le remboursement par carte n'a pas pu être fait : { $error }. Rien n'a changé ; réessayez.
admin-payment = Paiement par carte
admin-payment-opened = paiement ouvert
admin-payment-pending = En attente
admin-payment-succeeded = Payé
admin-payment-failed = Refusé (le client peut réessayer)
admin-payment-canceled = Annulé
admin-payment-flagged = À vérifier

# Email kinds, as the back-office names them
email-kind-account_link = Lien de compte
email-kind-account_locked = Compte verrouillé
email-kind-new_order_staff = Nouvelle commande (équipe)
email-kind-order_cancelled = Commande annulée
email-kind-order_cancelled_unpaid = Commande annulée faute de paiement
email-kind-order_confirmation = Confirmation de commande
email-kind-order_paid = Paiement reçu
email-kind-order_refunded = Remboursement
email-kind-order_shipped = Commande expédiée
email-kind-payment_received_staff = Paiement par carte reçu (équipe)
email-kind-staff_invitation = Invitation de l'équipe
