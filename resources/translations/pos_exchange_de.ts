<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="412"/>
        <source>A card payment is in progress: wait for it, or press Esc to cancel it.</source>
        <translation>Eine Kartenzahlung läuft: warten oder mit Esc abbrechen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="48"/>
        <source>No original sale: scan the receipt, or go on without one.</source>
        <translation>Kein Originalverkauf: Kassenbon scannen oder ohne fortfahren.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="215"/>
        <source>Opening exchange</source>
        <translation>Umtausch wird eröffnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="241"/>
        <source>Adding {code}</source>
        <translation>{code} wird hinzugefügt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="254"/>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="344"/>
        <source>Money was taken: the sale can no longer change. Void the exchange to start over.</source>
        <translation>Es wurde bereits kassiert: der Verkauf lässt sich nicht mehr ändern. Stornieren Sie den Umtausch, um neu zu beginnen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="284"/>
        <source>Pick a new item on the New items list first (Ctrl+N).</source>
        <translation>Wählen Sie zuerst einen neuen Artikel in der Liste „Neue Artikel“ (Strg+N).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="287"/>
        <source>{item} is already taken now, from this store.</source>
        <translation>{item} wird bereits jetzt aus dieser Filiale mitgenommen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="291"/>
        <source>Taking the line now</source>
        <translation>Position wird jetzt mitgenommen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="353"/>
        <source>Type a receipt or order number, or a customer&apos;s name or phone.</source>
        <translation>Beleg- oder Bestellnummer, Name oder Telefon des Kunden eingeben.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="359"/>
        <source>Finding the sale</source>
        <translation>Verkauf wird gesucht</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="375"/>
        <source>{n} sales found: pick one and press Enter.</source>
        <translation>{n} Verkäufe gefunden: einen auswählen und Enter drücken.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="384"/>
        <source>Attaching the sale</source>
        <translation>Verkauf wird zugeordnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="389"/>
        <source>Pick a line of the original sale first.</source>
        <translation>Zuerst eine Position des Originalverkaufs auswählen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="397"/>
        <source>Returning the line</source>
        <translation>Position wird zurückgenommen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="404"/>
        <source>Pick a returned or new item to remove.</source>
        <translation>Zu entfernende Rückgabe oder neuen Artikel auswählen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="407"/>
        <source>Removing the line</source>
        <translation>Position wird entfernt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="298"/>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="419"/>
        <source>Scan the returned and the new items first.</source>
        <translation>Zuerst die zurückgegebenen und die neuen Artikel scannen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="159"/>
        <source>F7 ships it from another store or a warehouse.</source>
        <translation>F7 versendet den Artikel aus einer anderen Filiale oder einem Lager.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="431"/>
        <source>Locking in (checking stock)</source>
        <translation>Festschreiben (Bestand wird geprüft)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="441"/>
        <source>The manager scans their badge or types their ID, then the PIN.</source>
        <translation>Manager scannt Ausweis oder gibt ID ein, dann die PIN.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="443"/>
        <source>Checking the approval</source>
        <translation>Freigabe wird geprüft</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="83"/>
        <source>Recording cash, opening the drawer</source>
        <translation>Barzahlung wird erfasst, Kassenlade öffnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="90"/>
        <source>Cash {amount} recorded.</source>
        <translation>Barzahlung {amount} erfasst.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="92"/>
        <source>Give change: {change}.</source>
        <translation>Wechselgeld geben: {change}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="73"/>
        <source>Starting the card payment…</source>
        <translation>Kartenzahlung wird gestartet…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="85"/>
        <source>Card payment</source>
        <translation>Kartenzahlung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="175"/>
        <source>Asking Stripe about the payment</source>
        <translation>Zahlungsstatus wird bei Stripe erfragt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="182"/>
        <source>The terminal answered: see the payments below.</source>
        <translation>Das Terminal hat geantwortet: siehe Zahlungen unten.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="113"/>
        <source>No card was presented in time: cancelling…</source>
        <translation>Keine Karte rechtzeitig vorgelegt: wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="107"/>
        <source>Cancelling the card payment</source>
        <translation>Kartenzahlung wird abgebrochen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="119"/>
        <source>Waiting for the card</source>
        <translation>Warten auf die Karte</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="90"/>
        <source>Cancelling the card payment…</source>
        <translation>Kartenzahlung wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="130"/>
        <source>Present the card on the reader (Esc cancels).</source>
        <translation>Karte an den Kartenleser halten (Esc bricht ab).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="137"/>
        <source>Approved: {card}.</source>
        <translation>Genehmigt: {card}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="140"/>
        <source>Declined: {reason} Press F11 to try again or take cash.</source>
        <translation>Abgelehnt: {reason} F11 für neuen Versuch drücken oder bar kassieren.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="142"/>
        <source>Card declined.</source>
        <translation>Karte abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/card_payment.py" line="144"/>
        <source>The card payment was cancelled; nothing was charged.</source>
        <translation>Die Kartenzahlung wurde abgebrochen; nichts wurde belastet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="142"/>
        <source>Refreshing</source>
        <translation>Wird aktualisiert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="448"/>
        <source>Finalizing</source>
        <translation>Wird abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="459"/>
        <source>Cancelling the exchange</source>
        <translation>Umtausch wird abgebrochen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="464"/>
        <source>Exchange {number} cancelled: nothing was charged. Ready for the next customer.</source>
        <translation>Umtausch {number} abgebrochen: nichts wurde belastet. Bereit für den nächsten Kunden.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="66"/>
        <source>Nothing is due in cash now.</source>
        <translation>Jetzt ist nichts bar zu zahlen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="169"/>
        <source>Void exchange</source>
        <translation>Umtausch stornieren</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="170"/>
        <source>Why is exchange {number} voided? Its payments are refunded to the same tenders.</source>
        <translation>Warum wird Umtausch {number} storniert? Die Zahlungen werden auf dieselben Zahlungsmittel erstattet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="180"/>
        <source>Give a reason to void the exchange: nothing was voided.</source>
        <translation>Bitte einen Grund für die Stornierung angeben: es wurde nichts storniert.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="182"/>
        <source>Voiding</source>
        <translation>Wird storniert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="191"/>
        <source>Refunding the card</source>
        <translation>Erstattung auf die Karte</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="194"/>
        <source>Voided. Give back {amount} in cash.</source>
        <translation>Storniert. {amount} bar zurückgeben.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/payment_box.py" line="197"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="137"/>
        <source>Opening the drawer</source>
        <translation>Kassenlade wird geöffnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="105"/>
        <location filename="../../pos_exchange/gui/screen.py" line="209"/>
        <source>Scan the items</source>
        <translation>Artikel scannen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="105"/>
        <source>New exchange</source>
        <translation>Neuer Umtausch</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="92"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="92"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="213"/>
        <source>Customer pays {amount} more</source>
        <translation>Kunde zahlt {amount} mehr</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="217"/>
        <source>Paid in full</source>
        <translation>Vollständig bezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="120"/>
        <location filename="../../pos_exchange/gui/history_page.py" line="120"/>
        <source>Approved by {who}: {reason}</source>
        <translation>Freigegeben von {who}: {reason}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="131"/>
        <source>(change {amount})</source>
        <translation>(Wechselgeld {amount})</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="116"/>
        <source>Refused</source>
        <translation>Nicht zulässig</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="77"/>
        <source>No original sale: scan the receipt first for what was paid; F5 returns an item without one.</source>
        <translation>Kein Originalverkauf: scannen Sie zuerst den Kassenbon für den bezahlten Betrag; F5 nimmt einen Artikel ohne Bon zurück.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="83"/>
        <source>Sale {number}: sold at Store {store}, {when}, {who}</source>
        <translation>Verkauf {number}: verkauft in Filiale {store}, {when}, {who}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="96"/>
        <source>Shipping</source>
        <translation>Versand</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="109"/>
        <source>ships from {source}</source>
        <translation>Versand ab {source}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="116"/>
        <source>Needs a manager</source>
        <translation>Manager nötig</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="166"/>
        <source>Exact {amount}</source>
        <translation>Passend {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="143"/>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="82"/>
        <source>no customer</source>
        <translation>kein Kunde</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_paint.py" line="147"/>
        <source>A manager other than you approves by badge or ID and PIN, with a reason. The basket is kept.</source>
        <translation>Ein anderer Manager als Sie gibt per Ausweis oder ID und PIN mit Begründung frei. Der Warenkorb bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="65"/>
        <source>Loading the history</source>
        <translation>Verlauf wird geladen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="77"/>
        <source>{n} exchanges.</source>
        <translation>{n} Umtausche.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="77"/>
        <source>No exchange matches.</source>
        <translation>Kein Umtausch gefunden.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="103"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="104"/>
        <source>Open on the counter</source>
        <translation>An der Kasse öffnen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="107"/>
        <source>Loading the exchange</source>
        <translation>Umtausch wird geladen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="113"/>
        <source>Customer: {who}   Original sale: {sale}</source>
        <translation>Kunde: {who}   Originalverkauf: {sale}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="115"/>
        <source>none (no receipt)</source>
        <translation>keiner (ohne Beleg)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="116"/>
        <source>Returned credit: {credit}   New total: {total}   Difference: {difference}</source>
        <translation>Gutschrift Rückgaben: {credit}   Neue Summe: {total}   Differenz: {difference}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="128"/>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="139"/>
        <source>Ships from {source}: {state}</source>
        <translation>Versand ab {source}: {state}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="141"/>
        <source>{carrier} {tracking}</source>
        <translation>{carrier} {tracking}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="70"/>
        <source>pos-exchange — {store} {register}</source>
        <translation>pos-exchange — {store} {register}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="159"/>
        <source>Working</source>
        <translation>Wird bearbeitet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="166"/>
        <source>What the register is doing</source>
        <translation>Was die Kasse gerade tut</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="168"/>
        <source>Connection to the central system</source>
        <translation>Verbindung zur Zentrale</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="169"/>
        <source>Exchanges not yet sent</source>
        <translation>Noch nicht gesendete Umtausche</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="170"/>
        <source>Printer</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="171"/>
        <source>Card terminal</source>
        <translation>Kartenterminal</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="172"/>
        <source>Scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="173"/>
        <source>Signed-in user</source>
        <translation>Angemeldeter Benutzer</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="175"/>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="175"/>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="175"/>
        <source>serial port</source>
        <translation>serielle Schnittstelle</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="176"/>
        <source>network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="177"/>
        <source>Printer: {kind}</source>
        <translation>Drucker: {kind}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="179"/>
        <source>simulated</source>
        <translation>simuliert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="180"/>
        <source>Card: {terminal}</source>
        <translation>Karte: {terminal}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="181"/>
        <source>Scanner: {kind}</source>
        <translation>Scanner: {kind}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="182"/>
        <source>keyboard</source>
        <translation>Tastatur</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="183"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="197"/>
        <source>Syncing</source>
        <translation>Wird synchronisiert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="204"/>
        <source>Offline mode (no hub configured)</source>
        <translation>Offline-Modus (keine Zentrale eingerichtet)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="205"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="206"/>
        <location filename="../../pos_exchange/gui/main_window.py" line="229"/>
        <source>Offline: kept for later</source>
        <translation>Offline: wird später gesendet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="214"/>
        <source>ALARM: the hub refused this register&apos;s journal ({code}): call IT</source>
        <translation>ALARM: Die Zentrale hat das Journal dieser Kasse abgelehnt ({code}): IT anrufen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="216"/>
        <source>Unsent: {n}</source>
        <translation>Nicht gesendet: {n}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="219"/>
        <source>oldest over 24 h: call IT</source>
        <translation>älteste über 24 h: IT anrufen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="221"/>
        <source>needs attention: {n}</source>
        <translation>Prüfung nötig: {n}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="252"/>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="257"/>
        <source>Unlocked: {name} continues.</source>
        <translation>Entsperrt: {name} macht weiter.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="265"/>
        <source>Looking for unfinished exchanges</source>
        <translation>Suche nach offenen Umtauschen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="275"/>
        <source>Reopened unfinished exchange {number}.</source>
        <translation>Offener Umtausch {number} wieder geöffnet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="286"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="288"/>
        <source>Screen locked. Sign in to continue.</source>
        <translation>Bildschirm gesperrt. Zum Fortfahren anmelden.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="296"/>
        <source>Locked after {n} minutes without activity. Sign in to continue.</source>
        <translation>Nach {n} Minuten ohne Aktivität gesperrt. Zum Fortfahren anmelden.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="327"/>
        <source>Reprint of {number}</source>
        <translation>Neudruck von {number}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="355"/>
        <source>A card payment is in progress: finish or cancel it (Esc) before quitting.</source>
        <translation>Eine Kartenzahlung läuft: vor dem Beenden abschließen oder abbrechen (Esc).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="362"/>
        <source>Quit pos-exchange</source>
        <translation>pos-exchange beenden</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="388"/>
        <source>1 exchange record is not yet sent to the central system. It is kept safely on this register and sent the next time it runs with a connection. Quit anyway?</source>
        <translation>1 Umtauschdatensatz ist noch nicht an das Zentralsystem gesendet. Er bleibt sicher auf dieser Kasse gespeichert und wird beim nächsten Start mit Verbindung gesendet. Trotzdem beenden?</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="391"/>
        <source>{n} exchange records are not yet sent to the central system. They are kept safely on this register and sent the next time it runs with a connection. Quit anyway?</source>
        <translation>{n} Umtauschdatensätze sind noch nicht an die Zentrale gesendet. Sie bleiben sicher auf dieser Kasse gespeichert und werden beim nächsten Start mit Verbindung gesendet. Trotzdem beenden?</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="44"/>
        <source>Exchange {number} finalized</source>
        <translation>Umtausch {number} abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="50"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="111"/>
        <source>Printing…</source>
        <translation>Wird gedruckt…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="55"/>
        <source>Building the receipt</source>
        <translation>Beleg wird erstellt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="62"/>
        <source>Checking refunds</source>
        <translation>Erstattungen werden geprüft</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="70"/>
        <location filename="../../pos_exchange/gui/screen.py" line="216"/>
        <source>Change {amount}</source>
        <translation>Rückgeld {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="78"/>
        <source>Refunding to the card…</source>
        <translation>Erstattung auf die Karte…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="81"/>
        <source>Card refund</source>
        <translation>Kartenerstattung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="86"/>
        <source>Card refund sent.</source>
        <translation>Kartenerstattung gesendet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="88"/>
        <source>This card is refunded with the card on the reader: run `pos-exchange refunds in-person`.</source>
        <translation>Diese Erstattung erfolgt mit der Karte am Kartenleser: `pos-exchange refunds in-person` ausführen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="92"/>
        <source>A card refund was refused: a manager sees it under failed refunds (`pos-exchange refunds run`).</source>
        <translation>Eine Kartenerstattung wurde abgelehnt: Ein Manager sieht sie unter fehlgeschlagenen Erstattungen (`pos-exchange refunds run`).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="96"/>
        <source>The card terminal did not answer: the refund stays queued and is sent automatically.</source>
        <translation>Das Kartenterminal hat nicht geantwortet: Die Erstattung bleibt in der Warteschlange und wird automatisch gesendet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="103"/>
        <source>The refund stays queued and is sent when the terminal answers.</source>
        <translation>Die Erstattung bleibt in der Warteschlange und wird gesendet, sobald das Terminal antwortet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="43"/>
        <source>Pay out a cash refund owed</source>
        <translation>Geschuldete Bar-Erstattung auszahlen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="46"/>
        <source>Scan the exchange&apos;s receipt or type its number, then press Enter.</source>
        <translation>Beleg des Umtauschs scannen oder seine Nummer eingeben, dann Enter drücken.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="50"/>
        <source>Exchange number or receipt</source>
        <translation>Umtauschnummer oder Beleg</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="66"/>
        <source>Manager ID</source>
        <translation>ID der Filialleitung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="66"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="73"/>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="171"/>
        <source>Pay out</source>
        <translation>Auszahlen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="81"/>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="138"/>
        <source>Looking up the exchange</source>
        <translation>Umtausch wird gesucht</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="144"/>
        <source>Exchange {number}, {who}</source>
        <translation>Umtausch {number}, {who}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="148"/>
        <source>{item}: {amount}, owed</source>
        <translation>{item}: {amount}, geschuldet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="152"/>
        <source>{item}: {amount}, paid out {when} by {who}</source>
        <translation>{item}: {amount}, ausgezahlt {when} von {who}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="158"/>
        <source>Owed in cash: {amount}</source>
        <translation>Bar geschuldet: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="159"/>
        <source>Pay out {amount}</source>
        <translation>{amount} auszahlen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="163"/>
        <source>Above the refund limits: a manager types their ID and PIN, then Enter.</source>
        <translation>Über den Erstattungsgrenzen: Die Filialleitung gibt ihre ID und PIN ein, dann Enter.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="170"/>
        <source>Nothing owed in cash.</source>
        <translation>Keine Bar-Erstattung geschuldet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="174"/>
        <source>Paid out already: it is never paid twice.</source>
        <translation>Bereits ausgezahlt: Es wird nie zweimal ausgezahlt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="189"/>
        <source>Paying out the cash refund</source>
        <translation>Bar-Erstattung wird ausgezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="195"/>
        <source>Paid out {amount} in cash. Hand it to the customer.</source>
        <translation>{amount} bar ausgezahlt. Übergeben Sie den Betrag dem Kunden.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="199"/>
        <source>The payout is recorded: open the drawer by hand.</source>
        <translation>Die Auszahlung ist erfasst: Öffnen Sie die Schublade von Hand.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="206"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="113"/>
        <source>Printing the receipt</source>
        <translation>Beleg wird gedruckt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/cash_owed_dialog.py" line="209"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="117"/>
        <source>Receipt printed.</source>
        <translation>Beleg gedruckt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="119"/>
        <source>Printer ready</source>
        <translation>Drucker bereit</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="125"/>
        <source>The exchange is saved. Press F8 to print again.</source>
        <translation>Der Umtausch ist gespeichert. F8 drücken, um erneut zu drucken.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="128"/>
        <source>Printer offline</source>
        <translation>Drucker offline</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="136"/>
        <source>Drawer opened.</source>
        <translation>Kassenlade geöffnet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="50"/>
        <source>Enter your employee ID (or scan your badge) and your PIN.</source>
        <translation>Mitarbeiter-ID eingeben (oder Ausweis scannen) und PIN eingeben.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="55"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="57"/>
        <source>Signing in</source>
        <translation>Anmeldung läuft</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="245"/>
        <source>card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="245"/>
        <source>card •••• {last4}</source>
        <translation>Karte •••• {last4}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="254"/>
        <source>cash</source>
        <translation>bar</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="256"/>
        <source>store credit</source>
        <translation>Gutschrift</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="224"/>
        <source>Customer pays {amount}</source>
        <translation>Kunde zahlt {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="62"/>
        <source>paid, waiting to ship</source>
        <translation>bezahlt, wartet auf Versand</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="65"/>
        <source>locked in</source>
        <translation>festgeschrieben</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="169"/>
        <source>{number} · {state}</source>
        <translation>{number} · {state}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="205"/>
        <source>Cancelled: nothing was charged</source>
        <translation>Abgebrochen: nichts wurde berechnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="207"/>
        <source>Voided: the payments are refunded</source>
        <translation>Storniert: die Zahlungen werden erstattet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="226"/>
        <source>Even exchange</source>
        <translation>Umtausch ohne Aufpreis</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="229"/>
        <source>Refund {amount} to {destination}</source>
        <translation>Erstattung {amount}: {destination}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="232"/>
        <source>{amount} to {destination}</source>
        <translation>{amount} an {destination}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="234"/>
        <source>Refund {amount}: {parts}</source>
        <translation>Erstattung {amount}: {parts}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="235"/>
        <source>Refund {amount}</source>
        <translation>Erstattung {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="91"/>
        <source>resaleable</source>
        <translation>verkaufsfähig</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="91"/>
        <source>opened</source>
        <translation>geöffnet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="92"/>
        <source>damaged</source>
        <translation>beschädigt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="92"/>
        <source>defective</source>
        <translation>defekt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="59"/>
        <source>draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="59"/>
        <source>waiting for a manager</source>
        <translation>wartet auf Manager</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="60"/>
        <source>waiting for payment</source>
        <translation>wartet auf Zahlung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="60"/>
        <source>paid</source>
        <translation>bezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="61"/>
        <source>settled</source>
        <translation>ausgeglichen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="61"/>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/screen.py" line="63"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="56"/>
        <source>{m} min {s} s</source>
        <translation>{m} min {s} s</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="96"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="115"/>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="97"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="97"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="98"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="98"/>
        <source>Dates</source>
        <translation>Datumsbereich</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="104"/>
        <source>First day</source>
        <translation>Erster Tag</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="105"/>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="111"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="116"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="158"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="286"/>
        <source>CSR</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="112"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="195"/>
        <source>Every CSR</source>
        <translation>Alle Mitarbeiter</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="113"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="123"/>
        <source>Dashboard message</source>
        <translation>Meldung der Übersicht</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="127"/>
        <source>Time to complete an upgrade</source>
        <translation>Dauer eines Umtauschs mit Aufpreis</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="128"/>
        <source>Full payment coverage</source>
        <translation>Vollständige Zahlungsdeckung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="129"/>
        <source>Inventory accuracy, upgraded items</source>
        <translation>Bestandsgenauigkeit der neuen Artikel</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="131"/>
        <source>Revenue impact</source>
        <translation>Umsatzwirkung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="145"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="269"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="305"/>
        <source>Not fully paid</source>
        <translation>Nicht vollständig bezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="146"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="269"/>
        <source>Approvals</source>
        <translation>Freigaben</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="146"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="270"/>
        <source>Declines</source>
        <translation>Ablehnungen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="147"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="270"/>
        <source>Voids</source>
        <translation>Stornos</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="147"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="270"/>
        <source>Flagged</source>
        <translation>Markiert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="148"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="271"/>
        <source>Dead-lettered</source>
        <translation>Nicht zugestellt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="149"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="272"/>
        <source>Stock differences</source>
        <translation>Bestandsabweichungen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="158"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="286"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="73"/>
        <source>Exchange</source>
        <translation>Umtausch</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="158"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="286"/>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="159"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="287"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="89"/>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="190"/>
        <source>Loading the staff</source>
        <translation>Mitarbeiter werden geladen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="209"/>
        <source>Reading the figures…</source>
        <translation>Kennzahlen werden gelesen…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="211"/>
        <source>Reading the figures</source>
        <translation>Kennzahlen werden gelesen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="228"/>
        <source>{n} exchanges from {start} to {end}.</source>
        <translation>{n} Umtausche vom {start} bis {end}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="232"/>
        <source>median {median} · p90 {p90} · {n} upgrades</source>
        <translation>Median {median} · p90 {p90} · {n} Umtausche mit Aufpreis</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="235"/>
        <source>{covered} of {eligible} fully paid</source>
        <translation>{covered} von {eligible} vollständig bezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="240"/>
        <source>{accurate} of {skus} items match the hub · units {units}</source>
        <translation>{accurate} von {skus} Artikeln stimmen mit der Zentrale überein · Stück {units}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="242"/>
        <source>{n} not known (hub not reached)</source>
        <translation>{n} unbekannt (Zentrale nicht erreicht)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="246"/>
        <source>+{incremental} from upgrades − {refunds} refunded · {retained} kept of a plain refund</source>
        <translation>+{incremental} aus Aufpreisen − {refunds} erstattet · {retained} gegenüber einer reinen Erstattung gehalten</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="255"/>
        <source>approved</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="256"/>
        <source>{n} card declines</source>
        <translation>{n} Kartenablehnungen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="258"/>
        <location filename="../../pos_exchange/gui/screen.py" line="63"/>
        <source>voided</source>
        <translation>storniert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="259"/>
        <source>flagged at the hub</source>
        <translation>in der Zentrale markiert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="260"/>
        <source>not delivered to the hub</source>
        <translation>nicht an die Zentrale zugestellt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="281"/>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="281"/>
        <source>Expected here</source>
        <translation>Hier erwartet</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="282"/>
        <source>Hub count</source>
        <translation>Bestand Zentrale</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="282"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="64"/>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="295"/>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="317"/>
        <source>Upgrades</source>
        <translation>Umtausche mit Aufpreis</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="301"/>
        <source>Minutes from first scan to finalize</source>
        <translation>Minuten vom ersten Scan bis zum Abschluss</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="304"/>
        <source>Fully paid</source>
        <translation>Vollständig bezahlt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="308"/>
        <source>Payment coverage</source>
        <translation>Zahlungsdeckung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="310"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="73"/>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="316"/>
        <source>Revenue impact ({currency})</source>
        <translation>Umsatzwirkung ({currency})</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="317"/>
        <source>Refunds</source>
        <translation>Erstattungen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/dashboard.py" line="317"/>
        <source>Net</source>
        <translation>Netto</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="93"/>
        <source>payment</source>
        <translation>Zahlung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="93"/>
        <source>refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="94"/>
        <source>confirmed</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="94"/>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="95"/>
        <source>csr</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="95"/>
        <source>manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="96"/>
        <source>Customer loyalty</source>
        <translation>Kundenbindung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="96"/>
        <source>Price match</source>
        <translation>Preisanpassung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="97"/>
        <source>Damaged on arrival</source>
        <translation>Bei Lieferung beschädigt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="98"/>
        <source>Store manager discretion</source>
        <translation>Ermessen der Filialleitung</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="99"/>
        <source>Customer changed their mind</source>
        <translation>Kunde hat es sich anders überlegt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="100"/>
        <source>Wrong item handed over</source>
        <translation>Falscher Artikel ausgehändigt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="101"/>
        <source>Entered in error</source>
        <translation>Fehleingabe</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="102"/>
        <source>Approve: Visa 4242</source>
        <translation>Genehmigen: Visa 4242</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="103"/>
        <source>Approve: Mastercard 4444</source>
        <translation>Genehmigen: Mastercard 4444</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="104"/>
        <source>Decline: generic</source>
        <translation>Ablehnen: allgemein</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="105"/>
        <source>Decline: insufficient funds</source>
        <translation>Ablehnen: Deckung unzureichend</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="106"/>
        <source>Decline: expired card</source>
        <translation>Ablehnen: Karte abgelaufen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="107"/>
        <source>No card (wait for the timeout)</source>
        <translation>Keine Karte (Zeitüberschreitung abwarten)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="108"/>
        <source>store</source>
        <translation>Filiale</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="108"/>
        <source>warehouse</source>
        <translation>Lager</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="220"/>
        <source>Line removed.</source>
        <translation>Position entfernt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="261"/>
        <source>Exchange finalized.</source>
        <translation>Umtausch abgeschlossen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="266"/>
        <source>Exchange cancelled.</source>
        <translation>Umtausch abgebrochen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="271"/>
        <source>Exchange voided: its payments are refunded.</source>
        <translation>Umtausch storniert: Die Zahlungen werden erstattet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="226"/>
        <source>A manager must approve this exchange.</source>
        <translation>Ein Manager muss diesen Umtausch freigeben.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="164"/>
        <source>Sale {sale} attached.</source>
        <translation>Verkauf {sale} zugeordnet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="181"/>
        <source>Returned: {item} (qty {qty}).</source>
        <translation>Zurückgenommen: {item} (Menge {qty}).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="188"/>
        <source>No receipt: {credit} as store credit. Scan the receipt for the full {full}.</source>
        <translation>Ohne Bon: {credit} als Gutschrift. Scannen Sie den Kassenbon für die vollen {full}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="191"/>
        <source>No receipt: {credit} as store credit.</source>
        <translation>Ohne Bon: {credit} als Gutschrift.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="202"/>
        <source>New item: {item} (qty {qty}).</source>
        <translation>Neuer Artikel: {item} (Menge {qty}).</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="228"/>
        <source>Locked in: take the payment.</source>
        <translation>Festgeschrieben: Zahlung kassieren.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="230"/>
        <source>Locked in: finalize to settle.</source>
        <translation>Festgeschrieben: zum Ausgleichen abschließen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/steps.py" line="237"/>
        <source>Approved by {who}.</source>
        <translation>Genehmigt von {who}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/widgets.py" line="77"/>
        <source>Something went wrong ({kind}). Nothing was lost: the exchange is saved. Try again; if it repeats, call IT and quote the log.</source>
        <translation>Etwas ist schiefgelaufen ({kind}). Nichts ging verloren: Der Umtausch ist gespeichert. Erneut versuchen; falls es wieder auftritt, die IT anrufen und das Protokoll nennen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="42"/>
        <source>Drawer count</source>
        <translation>Kassensturz</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="49"/>
        <source>How many of {value}</source>
        <translation>Anzahl {value}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="59"/>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="61"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="59"/>
        <source>Opening float</source>
        <translation>Anfangsbestand (Wechselgeld)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="64"/>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="65"/>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="66"/>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="67"/>
        <source>X-report (do not close)</source>
        <translation>X-Bericht (nicht abschließen)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="69"/>
        <source>Close the day (Z)</source>
        <translation>Tag abschließen (Z)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="71"/>
        <source>Print</source>
        <translation>Drucken</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="73"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="75"/>
        <source>Export PDF…</source>
        <translation>PDF exportieren…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="83"/>
        <source>Close message</source>
        <translation>Meldung zum Tagesabschluss</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="90"/>
        <source>The report as it prints</source>
        <translation>Der Bericht, wie er gedruckt wird</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="141"/>
        <source>Making the X-report</source>
        <translation>X-Bericht wird erstellt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="151"/>
        <source>Closing the day</source>
        <translation>Tag wird abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="156"/>
        <source>Day {day} closed: Z {z}. Print it or export it for accounting.</source>
        <translation>Tag {day} abgeschlossen: Z {z}. Für die Buchhaltung drucken oder exportieren.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="166"/>
        <source>Laying out the report</source>
        <translation>Bericht wird gesetzt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="169"/>
        <source>X-report: the day stays open.</source>
        <translation>X-Bericht: Der Tag bleibt offen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="184"/>
        <source>Printed.</source>
        <translation>Gedruckt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="185"/>
        <source>Printing the report</source>
        <translation>Bericht wird gedruckt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="193"/>
        <source>Export the report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="199"/>
        <source>Written to {path}.</source>
        <translation>Gespeichert unter {path}.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/close_tab.py" line="201"/>
        <source>Exporting the report</source>
        <translation>Bericht wird exportiert</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="36"/>
        <source>List: {first}…</source>
        <translation>Liste: {first}…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="39"/>
        <source>Manager screens</source>
        <translation>Manager-Ansichten</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="59"/>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="64"/>
        <source>Back to the counter (Esc)</source>
        <translation>Zurück zur Kasse (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="82"/>
        <source>Dashboard</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="83"/>
        <source>Close the day</source>
        <translation>Tagesabschluss</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/page.py" line="84"/>
        <source>Drawer, refunds, outbox</source>
        <translation>Kassenlade, Erstattungen, Postausgang</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="45"/>
        <source>Tasks message</source>
        <translation>Meldung der Aufgaben</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="49"/>
        <source>Drawer reconciliation</source>
        <translation>Kassenabgleich</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="53"/>
        <source>Expected in the drawer</source>
        <translation>Erwartet in der Kassenlade</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="56"/>
        <source>Cash counted in the drawer</source>
        <translation>Gezähltes Bargeld in der Kassenlade</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="60"/>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="65"/>
        <source>Expected from exchanges today</source>
        <translation>Erwartet aus heutigen Umtauschen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="66"/>
        <source>Float</source>
        <translation>Wechselgeld</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="71"/>
        <source>Card refunds</source>
        <translation>Kartenerstattungen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="74"/>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="74"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="77"/>
        <source>Run queued refunds</source>
        <translation>Wartende Erstattungen ausführen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="79"/>
        <source>Refund in person on the reader (Interac)</source>
        <translation>Erstattung mit Karte am Kartenleser (Interac)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="86"/>
        <source>Records the hub did not take (dead letters)</source>
        <translation>Datensätze, die die Zentrale nicht angenommen hat (nicht zustellbar)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="88"/>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="88"/>
        <source>Topic</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="89"/>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="91"/>
        <source>Send again</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="103"/>
        <source>Reading the drawer</source>
        <translation>Kassenlade wird gelesen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="105"/>
        <source>Reading the card refunds</source>
        <translation>Kartenerstattungen werden gelesen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="107"/>
        <source>Reading the outbox</source>
        <translation>Postausgang wird gelesen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="116"/>
        <source>{expected} (in {cash_in}, out {cash_out})</source>
        <translation>{expected} (ein {cash_in}, aus {cash_out})</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="136"/>
        <source>Difference (counted − expected): {d}</source>
        <translation>Differenz (gezählt − erwartet): {d}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="146"/>
        <source>needs the customer&apos;s card on the reader</source>
        <translation>braucht die Karte des Kunden am Kartenleser</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="148"/>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="150"/>
        <source>refused: {why}</source>
        <translation>abgelehnt: {why}</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="160"/>
        <source>Running queued refunds</source>
        <translation>Wartende Erstattungen werden ausgeführt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="164"/>
        <source>{done} of {n} refunds made.</source>
        <translation>{done} von {n} Erstattungen ausgeführt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="170"/>
        <source>Pick a queued refund first.</source>
        <translation>Zuerst eine wartende Erstattung auswählen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="173"/>
        <source>Ask the customer to tap their card on the reader.</source>
        <translation>Kunden bitten, die Karte an den Kartenleser zu halten.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="176"/>
        <source>Refund on the reader</source>
        <translation>Erstattung am Kartenleser</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="187"/>
        <source>Pick a record first.</source>
        <translation>Zuerst einen Datensatz auswählen.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="191"/>
        <source>Queueing the record again</source>
        <translation>Datensatz wird erneut eingereiht</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="194"/>
        <source>Queued again: it is sent on the next sync.</source>
        <translation>Erneut eingereiht: Er wird bei der nächsten Synchronisierung gesendet.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/manager/tasks_tab.py" line="195"/>
        <source>That record is no longer dead-lettered.</source>
        <translation>Dieser Datensatz ist nicht mehr als nicht zustellbar markiert.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="58"/>
        <source>Ship from another location</source>
        <translation>Von einem anderen Standort versenden</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="61"/>
        <source>Looking for {code} at the other locations…</source>
        <translation>{code} wird an den anderen Standorten gesucht…</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="36"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="36"/>
        <source>Street and number</source>
        <translation>Straße und Hausnummer</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="37"/>
        <source>Apartment, floor (optional)</source>
        <translation>Wohnung, Stock (optional)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="37"/>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="38"/>
        <source>Postal code</source>
        <translation>Postleitzahl</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="38"/>
        <source>State / region</source>
        <translation>Bundesland / Kanton</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="39"/>
        <source>Country (2 letters)</source>
        <translation>Land (2 Buchstaben)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="65"/>
        <source>Arrows choose where it ships from · Tab goes through the address · Enter ships · Esc closes</source>
        <translation>Pfeiltasten wählen, woher versandt wird · Tab geht durch die Adresse · Enter versendet · Esc schließt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="87"/>
        <source>Cancel (Esc)</source>
        <translation>Abbrechen (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="89"/>
        <source>Ship (Enter)</source>
        <translation>Versenden (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="104"/>
        <source>Finding stock elsewhere</source>
        <translation>Bestand an anderen Standorten suchen</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="108"/>
        <source>{item}: choose where it ships from</source>
        <translation>{item}: wählen Sie, von wo es versandt wird</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="114"/>
        <source>{name} ({kind}): {available} available</source>
        <translation>{name} ({kind}): {available} verfügbar</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="117"/>
        <source>{km} km</source>
        <translation>{km} km</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="125"/>
        <source>No other location has it in stock.</source>
        <translation>Kein anderer Standort hat es auf Lager.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="141"/>
        <location filename="../../pos_exchange/gui/shipping_dialog.py" line="146"/>
        <source>Shipping {code} from {source}</source>
        <translation>{code} wird von {source} versandt</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_steps.py" line="44"/>
        <source>{item} ships from {source}.</source>
        <translation>{item} wird ab {source} versandt.</translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/shipping_steps.py" line="54"/>
        <source>{item} is taken now, from this store.</source>
        <translation>{item} wird jetzt aus dieser Filiale mitgenommen.</translation>
    </message>
</context>
<context>
    <name>ExchangeForm</name>
    <message>
        <location filename="../../ui/exchange.ui" line="6"/>
        <source>Exchange</source>
        <translation>Umtausch</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="27"/>
        <source>Find original sale</source>
        <translation>Originalverkauf suchen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="29"/>
        <location filename="../../ui/exchange.ui" line="30"/>
        <source>Find sale</source>
        <translation>Verkauf suchen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="34"/>
        <source>No original sale: scan the receipt, or go on without one.</source>
        <translation>Kein Originalverkauf: Kassenbon scannen oder ohne fortfahren.</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="18"/>
        <location filename="../../ui/exchange.ui" line="36"/>
        <source>Original sale</source>
        <translation>Originalverkauf</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="26"/>
        <source>Receipt, order number, customer name or phone (F2)</source>
        <translation>Bon, Bestellnummer, Kundenname oder Telefon (F2)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="39"/>
        <source>Sales found for the customer</source>
        <translation>Gefundene Verkäufe des Kunden</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="46"/>
        <source>Lines of the original sale</source>
        <translation>Positionen des Originalverkaufs</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="47"/>
        <location filename="../../ui/exchange.ui" line="105"/>
        <location filename="../../ui/exchange.ui" line="126"/>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="48"/>
        <source>Bought</source>
        <translation>Gekauft</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="49"/>
        <source>Returnable</source>
        <translation>Rückgabefähig</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="50"/>
        <source>Paid each</source>
        <translation>Preis je Stück</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="54"/>
        <source>&amp;Qty</source>
        <translation>&amp;Menge</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="57"/>
        <source>Quantity to return</source>
        <translation>Rückgabemenge</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="59"/>
        <source>Condition of the returned item</source>
        <translation>Zustand des zurückgegebenen Artikels</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="61"/>
        <source>&amp;Restock</source>
        <translation>&amp;Wiedereinlagern</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="62"/>
        <source>Put the returned item back in stock</source>
        <translation>Zurückgegebenen Artikel wieder einlagern</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="65"/>
        <source>Return line (F4)</source>
        <translation>Position zurücknehmen (F4)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="66"/>
        <source>Return the selected sale line</source>
        <translation>Ausgewählte Verkaufsposition zurücknehmen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="84"/>
        <source>Barcode or SKU</source>
        <translation>Barcode oder SKU</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="86"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="87"/>
        <source>Add the typed code</source>
        <translation>Eingegebenen Code hinzufügen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="92"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="95"/>
        <location filename="../../ui/exchange.ui" line="104"/>
        <source>Returned items</source>
        <translation>Zurückgegebene Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="106"/>
        <location filename="../../ui/exchange.ui" line="127"/>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="107"/>
        <source>Condition</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="108"/>
        <source>Restock</source>
        <translation>Wiedereinlagern</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="109"/>
        <source>Credit</source>
        <translation>Gutschrift</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="116"/>
        <location filename="../../ui/exchange.ui" line="125"/>
        <source>New items</source>
        <translation>Neue Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="128"/>
        <source>In stock</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="129"/>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="130"/>
        <source>Tax</source>
        <translation>Steuer</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="131"/>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="159"/>
        <source>New before tax</source>
        <translation>Neu ohne Steuer</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="161"/>
        <source>Tax on new</source>
        <translation>Steuer neu</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="165"/>
        <source>Still due</source>
        <translation>Noch offen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="210"/>
        <source>Exact</source>
        <translation>Passend</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="210"/>
        <source>Cash: the exact amount (Ctrl+1)</source>
        <translation>Bar: der passende Betrag (Strg+1)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="211"/>
        <source>Cash: the next note (Ctrl+2)</source>
        <translation>Bar: der nächste Schein (Strg+2)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="212"/>
        <source>Cash: the note after (Ctrl+3)</source>
        <translation>Bar: der übernächste Schein (Strg+3)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="213"/>
        <source>Cash: the largest note (Ctrl+4)</source>
        <translation>Bar: der größte Schein (Strg+4)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="240"/>
        <source>Remove line (Del)</source>
        <translation>Position entfernen (Del)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="241"/>
        <source>Remove the selected line</source>
        <translation>Ausgewählte Position entfernen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="243"/>
        <source>Cancel exchange (Ctrl+Shift+X)</source>
        <translation>Umtausch abbrechen (Ctrl+Shift+X)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="244"/>
        <source>Cancel the exchange</source>
        <translation>Umtausch abbrechen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="246"/>
        <source>Void (Ctrl+Shift+V)</source>
        <translation>Stornieren (Ctrl+Shift+V)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="247"/>
        <source>Void the exchange and refund its payments</source>
        <translation>Umtausch stornieren und Zahlungen erstatten</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="142"/>
        <source>New exchange</source>
        <translation>Neuer Umtausch</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="143"/>
        <source>Exchange number and state</source>
        <translation>Umtauschnummer und Status</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="146"/>
        <source>Valuation</source>
        <translation>Berechnung</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="155"/>
        <location filename="../../ui/exchange.ui" line="156"/>
        <source>Returned credit</source>
        <translation>Gutschrift Rückgaben</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="160"/>
        <source>New items before tax</source>
        <translation>Neue Artikel ohne Steuer</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="162"/>
        <source>Tax on new items</source>
        <translation>Steuer auf neue Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="157"/>
        <location filename="../../ui/exchange.ui" line="158"/>
        <source>New total</source>
        <translation>Neue Summe</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="163"/>
        <location filename="../../ui/exchange.ui" line="164"/>
        <source>Paid so far</source>
        <translation>Bisher bezahlt</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="166"/>
        <source>Exact amount still due</source>
        <translation>Noch offener Betrag (genau)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="170"/>
        <source>Scan the items</source>
        <translation>Artikel scannen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="172"/>
        <source>Amount the customer pays or gets back</source>
        <translation>Betrag, den der Kunde zahlt oder zurückerhält</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="176"/>
        <source>Policy results</source>
        <translation>Ergebnisse der Regelprüfung</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="250"/>
        <source>Lock in (F9)</source>
        <translation>Festschreiben (F9)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="251"/>
        <source>Lock the exchange in</source>
        <translation>Umtausch festschreiben</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="182"/>
        <source>Manager approval</source>
        <translation>Freigabe durch Manager</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="75"/>
        <source>Return (F5)</source>
        <translation>Rückgabe (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="76"/>
        <source>The next scan is a returned item, with or without a receipt</source>
        <translation>Der nächste Scan ist ein zurückgegebener Artikel, mit oder ohne Bon</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="77"/>
        <source>The next scan is a returned item</source>
        <translation>Der nächste Scan ist ein zurückgegebener Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="79"/>
        <source>New (F6)</source>
        <translation>Neu (F6)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="80"/>
        <source>The next scan is an item the customer takes</source>
        <translation>Der nächste Scan ist ein Artikel, den der Kunde mitnimmt</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="81"/>
        <source>The next scan is a new item</source>
        <translation>Der nächste Scan ist ein neuer Artikel</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="83"/>
        <source>Scan, or type a barcode or SKU</source>
        <translation>Scannen oder Code eingeben</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="187"/>
        <source>Why approval is needed</source>
        <translation>Warum eine Freigabe nötig ist</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="188"/>
        <location filename="../../ui/exchange.ui" line="189"/>
        <source>Manager ID or badge</source>
        <translation>Manager-ID oder Ausweis</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="190"/>
        <location filename="../../ui/exchange.ui" line="191"/>
        <source>Manager PIN</source>
        <translation>Manager-PIN</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="192"/>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="193"/>
        <source>Approval reason</source>
        <translation>Begründung der Freigabe</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="194"/>
        <source>Approve (F9)</source>
        <translation>Freigeben (F9)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="194"/>
        <source>Approve the exchange</source>
        <translation>Umtausch freigeben</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="200"/>
        <source>Payment</source>
        <translation>Zahlung</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="205"/>
        <location filename="../../ui/exchange.ui" line="206"/>
        <source>Cash tendered</source>
        <translation>Gegeben (bar)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="207"/>
        <source>Cash (F10)</source>
        <translation>Bar (F10)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="207"/>
        <source>Take cash</source>
        <translation>Bar kassieren</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="216"/>
        <location filename="../../ui/exchange.ui" line="217"/>
        <source>Card amount</source>
        <translation>Kartenbetrag</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="217"/>
        <source>all that is due</source>
        <translation>gesamter offener Betrag</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="220"/>
        <source>Card (F11)</source>
        <translation>Karte (F11)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="220"/>
        <source>Pay by card on the terminal</source>
        <translation>Mit Karte am Terminal zahlen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="224"/>
        <source>Demo card</source>
        <translation>Demokarte</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="225"/>
        <source>Card the simulated customer presents</source>
        <translation>Karte, die der simulierte Kunde vorlegt</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="226"/>
        <source>Card terminal status</source>
        <translation>Status des Kartenterminals</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="221"/>
        <source>Cancel card (Esc)</source>
        <translation>Karte abbrechen (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="221"/>
        <source>Cancel the card payment</source>
        <translation>Kartenzahlung abbrechen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="227"/>
        <source>Waiting for the card</source>
        <translation>Warten auf die Karte</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="228"/>
        <source>Payments and refunds</source>
        <translation>Zahlungen und Erstattungen</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="253"/>
        <source>Finalize (F12)</source>
        <translation>Abschließen (F12)</translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="254"/>
        <source>Finalize the exchange and print the receipt</source>
        <translation>Umtausch abschließen und Beleg drucken</translation>
    </message>
</context>
<context>
    <name>HistoryForm</name>
    <message>
        <location filename="../../ui/history.ui" line="6"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="11"/>
        <source>Exchange number, receipt scan, or customer</source>
        <translation>Umtauschnummer, Kassenbon-Scan oder Kunde</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="12"/>
        <location filename="../../ui/history.ui" line="18"/>
        <source>Search exchanges</source>
        <translation>Umtausche suchen</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="14"/>
        <source>&amp;Today only</source>
        <translation>Nur &amp;heute</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="15"/>
        <source>Only today&apos;s exchanges</source>
        <translation>Nur heutige Umtausche</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="17"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="27"/>
        <source>Exchanges</source>
        <translation>Umtausche</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="28"/>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="29"/>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="30"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="31"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="32"/>
        <source>Original sale</source>
        <translation>Originalverkauf</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="33"/>
        <source>CSR</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="34"/>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="38"/>
        <source>Exchange details and audit trail</source>
        <translation>Umtauschdetails und Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="44"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="45"/>
        <source>Resume the unfinished exchange</source>
        <translation>Offenen Umtausch fortsetzen</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="47"/>
        <source>Reprint (F8)</source>
        <translation>Neudruck (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="48"/>
        <source>Reprint the receipt</source>
        <translation>Beleg erneut drucken</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="51"/>
        <source>Back to the counter (Esc)</source>
        <translation>Zurück zur Kasse (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="52"/>
        <source>Back to the exchange screen</source>
        <translation>Zurück zum Umtauschbildschirm</translation>
    </message>
</context>
<context>
    <name>ReceiptForm</name>
    <message>
        <location filename="../../ui/receipt.ui" line="6"/>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="12"/>
        <source>Receipt preview</source>
        <translation>Belegvorschau</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="18"/>
        <source>Exchange finalized</source>
        <translation>Umtausch abgeschlossen</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="20"/>
        <source>Exchange result</source>
        <translation>Umtauschergebnis</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="24"/>
        <source>Change to hand back</source>
        <translation>Auszuzahlendes Rückgeld</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="27"/>
        <source>Printer status</source>
        <translation>Druckerstatus</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="30"/>
        <source>Refund status</source>
        <translation>Erstattungsstatus</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="32"/>
        <source>Print again (F8)</source>
        <translation>Erneut drucken (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="33"/>
        <source>Print the receipt again</source>
        <translation>Beleg erneut drucken</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="35"/>
        <source>Open drawer (F7)</source>
        <translation>Kassenlade öffnen (F7)</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="36"/>
        <source>Open the cash drawer</source>
        <translation>Kassenlade öffnen</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="38"/>
        <source>Next customer (Enter)</source>
        <translation>Nächster Kunde (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="39"/>
        <source>Start the next exchange</source>
        <translation>Nächsten Umtausch starten</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <location filename="../../ui/sign_in.ui" line="6"/>
        <location filename="../../ui/sign_in.ui" line="27"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="13"/>
        <source>Store</source>
        <translation>Filiale</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="14"/>
        <source>Sign in to the counter</source>
        <translation>An der Kasse anmelden</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="15"/>
        <source>&amp;Employee ID or badge</source>
        <translation>&amp;Mitarbeiter-ID oder Ausweis</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="17"/>
        <source>Type your ID or scan your badge</source>
        <translation>ID eingeben oder Ausweis scannen</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="18"/>
        <source>Employee ID or badge</source>
        <translation>Mitarbeiter-ID oder Ausweis</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="19"/>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="23"/>
        <source>4 to 12 digits</source>
        <translation>4 bis 12 Ziffern</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="24"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="26"/>
        <source>Sign in (Enter)</source>
        <translation>Anmelden (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="31"/>
        <source>Sign-in message</source>
        <translation>Hinweis zur Anmeldung</translation>
    </message>
</context>
</TS>
