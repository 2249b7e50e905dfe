# Storefront and shared chrome
nav-skip = Aller au contenu
nav-home = Accueil
nav-account-label = Mon compte
nav-admin = Back-office
nav-account = Mon compte
nav-logout = Se déconnecter
nav-login = Se connecter
nav-register = Créer un compte
lang-fr = Français
lang-en = English
footer-prices = Prix en euros, TVA comprise.
breadcrumbs = Fil d'Ariane

search-label = Rechercher un produit
search-placeholder = Rechercher…
search-button = Rechercher
search-title = Recherche
search-results = { $count ->
    [0] Aucun résultat pour « { $query } »
    [one] 1 résultat pour « { $query } »
   *[other] { $count } résultats pour « { $query } »
}
search-none = Aucun produit ne correspond à votre recherche.
search-empty = Saisissez un mot pour chercher dans le catalogue.

stock-in = En stock
stock-low = { $count ->
    [one] Plus qu'un exemplaire
   *[other] Plus que { $count } exemplaires
}
stock-out = Rupture de stock

pager-label = Pages
pager-prev = ← Précédente
pager-next = Suivante →
pager-position = Page { $page } sur { $pages }

home-title = Accueil
home-heading = Bienvenue chez { $shop }
home-intro = Épicerie fine, cave et objets du quotidien, choisis chez des producteurs et artisans.
home-categories = Nos rayons
home-featured = À la une

listing-count = { $count ->
    [0] Aucun produit
    [one] 1 produit
   *[other] { $count } produits
}
listing-empty = Ce rayon est vide pour le moment.

product-vat = TVA { $rate } comprise

# Error pages
error-400-title = Requête invalide
error-400-text = La requête n'a pas pu être comprise.
error-403-title = Accès refusé
error-403-text = Vous n'avez pas le droit d'accéder à cette page, ou le formulaire a expiré. Rechargez la page et réessayez.
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas ou plus.
error-413-title = Envoi trop volumineux
error-413-text = Les données envoyées dépassent la taille autorisée.
error-422-title = Données invalides
error-422-text = Certaines données envoyées ne sont pas valides.
error-500-title = Erreur du serveur
error-500-text = Un problème est survenu de notre côté. Réessayez dans un instant.
error-503-title = Service momentanément indisponible
error-503-text = Trop de demandes en même temps. Réessayez dans quelques secondes.
error-other-title = Erreur
error-other-text = La requête n'a pas abouti.
error-incident = Référence de l'incident : { $id }
error-back-home = Retour à l'accueil

# Accounts
register-title = Créer un compte
register-submit = Créer mon compte
register-have-account = Déjà client ?
login-title = Connexion
login-submit = Se connecter
login-no-account = Pas encore de compte ?
field-email = Adresse e-mail
field-display-name = Nom
field-password = Mot de passe
field-password-confirm = Confirmez le mot de passe
hint-password = Au moins 12 caractères.
account-title = Mon compte
account-role = Type de compte
account-since = Client depuis
role-customer = Client
role-staff = Équipe
role-admin = Administrateur

flash-registered = Bienvenue ! Votre compte est créé.
flash-logged-out = Vous êtes déconnecté.

err-email = Saisissez une adresse e-mail valide.
err-mail-too-many = Trop de demandes d'e-mail depuis votre connexion : réessayez dans quelques minutes.
err-email_taken = Cette adresse e-mail est déjà enregistrée.
err-too_long = Ce texte est trop long.
err-password_length = Le mot de passe doit compter de 12 à 128 caractères.
err-password_is_email = Le mot de passe ne doit pas être votre adresse e-mail.
err-password_mismatch = Les deux mots de passe ne correspondent pas.
err-login_failed = Adresse e-mail ou mot de passe incorrect.

# Back-office
admin-nav-label = Back-office
admin-dashboard = Tableau de bord
err-login_locked = Trop de tentatives de connexion. Réessayez dans { $minutes } minute(s).
email-locked-subject = { $shop } : tentatives de connexion à votre compte
email-locked-intro = Plusieurs tentatives de connexion à votre compte { $shop } ont échoué.
email-locked-advice = Par sécurité, les connexions sont ralenties pendant au plus { $minutes } minutes. Si ce n'était pas vous, changez votre mot de passe.

login-forgot = Mot de passe oublié ?
err-email_unverified = Confirmez d’abord votre adresse e-mail : nous venons de vous envoyer un nouveau lien.
err-current_password = Ce n’est pas votre mot de passe actuel.
account-change-password = Changer mon mot de passe
account-change-email = Changer mon adresse e-mail
account-sessions = Appareils
account-end-sessions = Me déconnecter partout
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-new-email = Nouvelle adresse e-mail
flash-password-changed = Votre mot de passe est changé. Vos autres appareils sont déconnectés.
flash-email-changed = Votre adresse e-mail est changée.
flash-email-verified = Votre adresse e-mail est confirmée. Vous pouvez vous connecter.
flash-logged-out-everywhere = Vous êtes déconnecté sur tous vos appareils.
sent-title = Consultez votre messagerie
sent-register = Si cette adresse peut être utilisée, nous lui avons envoyé un lien pour la confirmer et terminer la création de votre compte.
sent-reset = Si un compte utilise cette adresse, nous lui avons envoyé un lien pour choisir un nouveau mot de passe.
sent-email-change = Nous avons envoyé un lien à la nouvelle adresse : elle remplacera l’ancienne dès que vous l’ouvrirez.
verify-title = Confirmer votre adresse e-mail
verify-submit = Confirmer mon adresse
forgot-title = Mot de passe oublié
forgot-intro = Indiquez votre adresse e-mail : si elle a un compte, nous lui enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien
email-verify_email-subject = { $shop } : confirmez votre adresse e-mail
email-verify_email-intro = Bienvenue chez { $shop } ! Confirmez votre adresse e-mail pour terminer la création de votre compte.
email-verify_email-action = Ouvrez ce lien dans les { $hours } heures :
email-confirm_new_email-subject = { $shop } : confirmez votre nouvelle adresse e-mail
email-confirm_new_email-intro = Vous avez demandé à utiliser cette adresse pour votre compte chez { $shop }.
email-confirm_new_email-action = Ouvrez ce lien dans les { $hours } heures pour la confirmer :
email-account_exists-subject = { $shop } : vous avez déjà un compte
email-account_exists-intro = Quelqu’un (sans doute vous) a essayé de créer un compte chez { $shop } avec cette adresse, qui en a déjà un.
email-account_exists-action = Connectez-vous avec, ou choisissez un nouveau mot de passe ici :
email-password_reset-subject = { $shop } : choisissez un nouveau mot de passe
email-password_reset-intro = Vous avez demandé à choisir un nouveau mot de passe pour votre compte chez { $shop }.
email-password_reset-action = Ce lien fonctionne une fois, pendant { $minutes } minutes :
email-link-not-you = Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : rien ne change.
account-my-data = Mes données
account-export = Télécharger mes données (JSON)
account-erase-intro = Supprimer votre compte efface vos coordonnées, adresses et sessions. Vos commandes restent dans la comptabilité de la boutique, sans votre nom, rue, téléphone ni e-mail.
account-erase = Supprimer mon compte
flash-account-erased = Votre compte est supprimé.
err-staff_cannot_erase = Les comptes du personnel sont supprimés par un administrateur.
two-factor-title = Double authentification
two-factor-setup = Activer la double authentification
two-factor-manage = Gérer la double authentification
two-factor-scan = Scannez ce code avec une application d’authentification (FreeOTP, Aegis, Google Authenticator…), puis saisissez le code à 6 chiffres qu’elle affiche.
two-factor-manual = Ou saisissez cette clé dans l’application :
two-factor-enable = L’activer
two-factor-enabled = La double authentification est activée.
two-factor-recovery-intro = Gardez ces codes de secours en lieu sûr : chacun vous permet d’entrer une fois si vous perdez votre téléphone. Ils ne sont affichés que maintenant.
two-factor-is-on = La double authentification est activée ({ $left } codes de secours restants).
two-factor-disable = La désactiver
two-factor-login-intro = Saisissez le code à 6 chiffres de votre application d’authentification, ou un code de secours.
field-totp-code = Code
confirm-title = Confirmez votre identité
confirm-intro = Cette action demande à nouveau votre mot de passe.
confirm-submit = Confirmer
flash-2fa-disabled = La double authentification est désactivée.
err-totp_code = Ce code n’est pas valide (ou a déjà servi).
err-second_factor_required = La boutique exige la double authentification pour le personnel.
footer-prices-exempt = Prix en euros. TVA non applicable, art. 293 B du CGI.
meta-description = { $shop } : épicerie fine en ligne, livrée chez vous ou à retirer en boutique.
form-draft-back = Votre session a expiré : vérifiez ce que vous aviez saisi et renvoyez le formulaire (les mots de passe sont à saisir de nouveau).
form-error-summary = Ce formulaire contient des erreurs :

email-alert-confirm-subject = { $shop } : confirmez votre alerte pour { $name }
email-alert-confirm-intro = Vous avez demandé à être prévenu(e) du retour en stock de { $name } chez { $shop }.
email-alert-confirm-action = Confirmez en ouvrant ce lien dans les { $days } jours :
email-alert-back-subject = { $name } est de retour chez { $shop }
email-alert-back-intro = Bonne nouvelle : { $name } est de nouveau disponible.
email-alert-back-once = Vous recevez ce message une seule fois, à votre demande ; aucune autre alerte ne suivra.

# Soldes et promotions (ticket #27, code de la consommation art. L112-1-1)
sale-was = Prix de référence :
sale-badge = −{ $percent }{"\u00A0"}%
sale-reference = Prix le plus bas des 30 derniers jours{"\u00A0"}: { $price }
sale-until = Jusqu'au { $date }

# Prix à l'unité de mesure (arrêté du 16 novembre 1999)
net-quantity = Quantité nette
net-pieces = pièce(s)
unit-price-kg = { $price } le kilo
unit-price-l = { $price } le litre
unit-price-piece = { $price } la pièce

# Identification du produit (règlement (UE) 2023/988, art. 19)
product-brand = Marque
product-reference = Référence
product-gtin = GTIN (EAN)

## Composition and safety (catalog::facts): Regulation (EU) 2023/988 art. 19, Regulation (EU) 1169/2011 art. 9 and 14
facts-title = Composition et sécurité
facts-ingredients = Ingrédients
facts-composition = Composition
facts-allergens = Allergènes
facts-no-allergens = Aucun des 14 allergènes réglementaires.
facts-nutrition = Déclaration nutritionnelle
facts-nutrient = Valeurs nutritionnelles moyennes
facts-per-100g = Pour 100 g
facts-per-100ml = Pour 100 ml
nutrient-energy = Énergie
nutrient-fat = Matières grasses
nutrient-saturates = dont acides gras saturés
nutrient-carbohydrate = Glucides
nutrient-sugars = dont sucres
nutrient-protein = Protéines
nutrient-salt = Sel
facts-alcohol = Titre alcoométrique
facts-storage = Conservation
facts-origin = Origine
facts-mpn = Référence fabricant
facts-batch = Lot
facts-warnings = Avertissements et sécurité
facts-manufacturer = Fabricant
facts-responsible = Personne responsable dans l’Union européenne
facts-contact-form = Formulaire de contact
allergen-gluten = céréales contenant du gluten
allergen-crustaceans = crustacés
allergen-eggs = œufs
allergen-fish = poissons
allergen-peanuts = arachides
allergen-soybeans = soja
allergen-milk = lait
allergen-nuts = fruits à coque
allergen-celery = céleri
allergen-mustard = moutarde
allergen-sesame = graines de sésame
allergen-sulphites = anhydride sulfureux et sulfites
allergen-lupin = lupin
allergen-molluscs = mollusques
country-AT = Autriche
country-BG = Bulgarie
country-CY = Chypre
country-CZ = Tchéquie
country-DK = Danemark
country-EE = Estonie
country-FI = Finlande
country-GR = Grèce
country-HR = Croatie
country-HU = Hongrie
country-IE = Irlande
country-LT = Lituanie
country-LV = Lettonie
country-MT = Malte
country-NL = Pays-Bas
country-PL = Pologne
country-PT = Portugal
country-RO = Roumanie
country-SE = Suède
country-SI = Slovénie
country-SK = Slovaquie
country-GB = Royaume-Uni
country-US = États-Unis
country-CN = Chine
country-JP = Japon
country-TR = Turquie
country-NO = Norvège
country-IN = Inde
country-KR = Corée du Sud
country-TW = Taïwan
country-VN = Viêt Nam
country-MA = Maroc
country-TN = Tunisie
