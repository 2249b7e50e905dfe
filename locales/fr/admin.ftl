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
