<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="151"/>
        <source>A card payment is in progress: wait for it, or press Esc to cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="167"/>
        <source>No original sale: scan the receipt, or go on without one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="182"/>
        <source>Opening exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="201"/>
        <source>Adding {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="217"/>
        <source>Type a receipt or order number, or a customer&apos;s name or phone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="222"/>
        <source>Finding the sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="238"/>
        <source>{n} sales found: pick one and press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="250"/>
        <source>Attaching the sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="256"/>
        <source>Pick a line of the original sale first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="267"/>
        <source>Returning the line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="274"/>
        <source>Pick a returned or new item to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="280"/>
        <source>Removing the line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="285"/>
        <source>Scan the returned and the new items first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="301"/>
        <source>Locking in (checking stock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="321"/>
        <source>The manager scans their badge or types their ID, then the PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="326"/>
        <source>Checking the approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="342"/>
        <source>Recording cash, opening the drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="349"/>
        <source>Cash {amount} recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="351"/>
        <source>Give change: {change}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="380"/>
        <source>Starting the card payment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="382"/>
        <source>Card payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="396"/>
        <source>No card was presented in time: cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="398"/>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="410"/>
        <source>Cancelling the card payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="402"/>
        <source>Waiting for the card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="408"/>
        <source>Cancelling the card payment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="420"/>
        <source>Present the card on the reader (Esc cancels).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="427"/>
        <source>Approved: {card}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="431"/>
        <source>Declined: {reason} Press F11 to try again or take cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="433"/>
        <source>Card declined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="435"/>
        <source>The card payment was cancelled; nothing was charged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="452"/>
        <source>Refreshing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="464"/>
        <source>Finalizing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="478"/>
        <source>Cancelling the exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="483"/>
        <source>Exchange {number} cancelled: nothing was charged. Ready for the next customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="495"/>
        <source>Void exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="496"/>
        <source>Why is exchange {number} voided? Its payments are refunded to the same tenders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="509"/>
        <source>Voiding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="517"/>
        <source>Refunding the card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="522"/>
        <source>Voided. Give back {amount} in cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="525"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="129"/>
        <source>Opening the drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="534"/>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="576"/>
        <source>Scan the items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="536"/>
        <source>New exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="554"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="554"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="573"/>
        <source>Customer pays {amount} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="575"/>
        <source>Paid in full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="584"/>
        <source>Approved by {who}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="597"/>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="597"/>
        <source>Needs a manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="603"/>
        <source>No original sale: the no-receipt policy applies (credit at the lowest recent price).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="608"/>
        <source>no customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="609"/>
        <source>Sale {number} of {when}, {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/exchange_page.py" line="625"/>
        <source>A manager other than you approves by badge or ID and PIN, with a reason. The basket is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="58"/>
        <source>Loading the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="69"/>
        <source>{n} exchanges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="69"/>
        <source>No exchange matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="81"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="82"/>
        <source>Open on the counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="85"/>
        <source>Loading the exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/history_page.py" line="101"/>
        <source>Audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="65"/>
        <source>pos-exchange — {store} {register}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="145"/>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="153"/>
        <source>Connection to the central system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="154"/>
        <source>Exchanges not yet sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="155"/>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="156"/>
        <source>Card terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="157"/>
        <source>Scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="158"/>
        <source>Signed-in user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="160"/>
        <source>Printer: {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="161"/>
        <source>simulated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="162"/>
        <source>Card: {terminal}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="163"/>
        <source>Scanner: {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="165"/>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="183"/>
        <source>Syncing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="190"/>
        <source>Offline mode (no hub configured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="191"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="192"/>
        <location filename="../../pos_exchange/gui/main_window.py" line="204"/>
        <source>Offline: kept for later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="196"/>
        <source>Unsent: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="198"/>
        <source>needs attention: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="215"/>
        <source>{name} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="220"/>
        <source>Unlocked: {name} continues.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="224"/>
        <source>Looking for unfinished exchanges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="228"/>
        <source>Reopened unfinished exchange {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="239"/>
        <source>Locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="241"/>
        <source>Screen locked. Sign in to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="248"/>
        <source>Locked after {n} minutes without activity. Sign in to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="272"/>
        <source>Reprint of {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="296"/>
        <source>A card payment is in progress: finish or cancel it (Esc) before quitting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="301"/>
        <source>Quit pos-exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/main_window.py" line="302"/>
        <source>{n} exchange records are not yet sent to the central system. They are kept safely on this register and sent the next time it runs with a connection. Quit anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="44"/>
        <source>Exchange {number} finalized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="48"/>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="103"/>
        <source>Printing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="53"/>
        <source>Building the receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="59"/>
        <source>Checking refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="70"/>
        <source>Refunding to the card…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="73"/>
        <source>Card refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="78"/>
        <source>Card refund sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="80"/>
        <source>This card is refunded with the card on the reader: run `pos-exchange refunds in-person`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="84"/>
        <source>A card refund was refused: a manager sees it under failed refunds (`pos-exchange refunds run`).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="88"/>
        <source>The card terminal did not answer: the refund stays queued and is sent automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="95"/>
        <source>The refund stays queued and is sent when the terminal answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="105"/>
        <source>Printing the receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="109"/>
        <source>Receipt printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="111"/>
        <source>Printer ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="117"/>
        <source>The exchange is saved. Press F8 to print again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="120"/>
        <source>Printer offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/receipt_page.py" line="128"/>
        <source>Drawer opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="49"/>
        <source>Enter your employee ID (or scan your badge) and your PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="54"/>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/sign_in_page.py" line="56"/>
        <source>Signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="44"/>
        <source>Enter an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="49"/>
        <source>{text} is not an amount: type digits, e.g. 100.00.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="52"/>
        <source>The amount must be more than zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="57"/>
        <source>card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="65"/>
        <source>cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="67"/>
        <source>store credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="77"/>
        <source>Customer pays {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="79"/>
        <source>Even exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="81"/>
        <source>Refund {amount} to {destination}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="86"/>
        <source>Refund {amount}: {parts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="87"/>
        <source>Refund {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="93"/>
        <source>resaleable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="93"/>
        <source>opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="94"/>
        <source>damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="94"/>
        <source>defective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="95"/>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="95"/>
        <source>waiting for a manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="96"/>
        <source>waiting for payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="96"/>
        <source>paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="97"/>
        <source>settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="97"/>
        <source>completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="98"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="98"/>
        <source>voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="99"/>
        <source>payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="99"/>
        <source>refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="100"/>
        <source>confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="100"/>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="101"/>
        <source>csr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="101"/>
        <source>manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="102"/>
        <source>Customer loyalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="102"/>
        <source>Price match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="103"/>
        <source>Damaged on arrival</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="104"/>
        <source>Store manager discretion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="105"/>
        <source>Customer changed their mind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="106"/>
        <source>Wrong item handed over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="107"/>
        <source>Entered in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="108"/>
        <source>Approve: Visa 4242</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="109"/>
        <source>Approve: Mastercard 4444</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="110"/>
        <source>Decline: generic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="111"/>
        <source>Decline: insufficient funds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="112"/>
        <source>Decline: expired card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="113"/>
        <source>No card (wait for the timeout)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="114"/>
        <source>Line removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="114"/>
        <source>Cash recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="115"/>
        <source>Exchange finalized.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="116"/>
        <source>Exchange cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="117"/>
        <source>Exchange voided: its payments are refunded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="118"/>
        <source>A manager must approve this exchange.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="119"/>
        <source>Locked in: take the payment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/texts.py" line="120"/>
        <source>Locked in: finalize to settle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_exchange/gui/widgets.py" line="61"/>
        <source>Something went wrong ({kind}). Nothing was lost: the exchange is saved. Try again; if it repeats, call IT and quote the log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExchangeForm</name>
    <message>
        <location filename="../../ui/exchange.ui" line="6"/>
        <source>Exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="12"/>
        <source>Original sale (optional: without one the no-receipt policy applies)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="17"/>
        <source>Receipt barcode, order number or customer name / phone (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="18"/>
        <source>Find original sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="20"/>
        <location filename="../../ui/exchange.ui" line="21"/>
        <source>Find sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="25"/>
        <source>No original sale: scan the receipt, or go on without one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="27"/>
        <source>Original sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="30"/>
        <source>Sales found for the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="36"/>
        <source>Lines of the original sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="37"/>
        <location filename="../../ui/exchange.ui" line="89"/>
        <location filename="../../ui/exchange.ui" line="107"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="38"/>
        <source>Bought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="39"/>
        <source>Returnable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="40"/>
        <source>Paid each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="44"/>
        <source>&amp;Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="47"/>
        <source>Quantity to return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="49"/>
        <source>Condition of the returned item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="51"/>
        <source>&amp;Restock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="52"/>
        <source>Put the returned item back in stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="54"/>
        <source>Return line (F4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="55"/>
        <source>Return the selected sale line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="64"/>
        <source>Returned (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="65"/>
        <source>Scans go to returned items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="67"/>
        <source>New item (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="68"/>
        <source>Scans go to new items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="70"/>
        <source>Scan, or type a barcode or SKU and press Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="71"/>
        <source>Barcode or SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="73"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="74"/>
        <source>Add the typed code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="79"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="82"/>
        <location filename="../../ui/exchange.ui" line="88"/>
        <source>Returned items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="90"/>
        <location filename="../../ui/exchange.ui" line="108"/>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="91"/>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="92"/>
        <source>Restock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="93"/>
        <source>Credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="100"/>
        <location filename="../../ui/exchange.ui" line="106"/>
        <source>New items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="109"/>
        <source>In stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="110"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="111"/>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="112"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="120"/>
        <source>Remove line (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="121"/>
        <source>Remove the selected line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="124"/>
        <source>Cancel exchange (Ctrl+Shift+X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="125"/>
        <source>Cancel the exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="127"/>
        <source>Void (Ctrl+Shift+V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="128"/>
        <source>Void the exchange and refund its payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="136"/>
        <source>New exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="137"/>
        <source>Exchange number and state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="140"/>
        <source>Valuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="144"/>
        <location filename="../../ui/exchange.ui" line="145"/>
        <source>Returned credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="146"/>
        <location filename="../../ui/exchange.ui" line="147"/>
        <source>New items before tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="148"/>
        <location filename="../../ui/exchange.ui" line="149"/>
        <source>Tax on new items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="150"/>
        <location filename="../../ui/exchange.ui" line="151"/>
        <source>New total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="152"/>
        <location filename="../../ui/exchange.ui" line="153"/>
        <source>Paid so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="154"/>
        <location filename="../../ui/exchange.ui" line="155"/>
        <source>Exact amount still due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="159"/>
        <source>Scan the items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="161"/>
        <source>Amount the customer pays or gets back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="165"/>
        <source>Policy results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="170"/>
        <source>Lock in (F9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="171"/>
        <source>Lock the exchange in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="174"/>
        <source>Manager approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="176"/>
        <source>Why approval is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="177"/>
        <location filename="../../ui/exchange.ui" line="178"/>
        <source>Manager ID or badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="179"/>
        <location filename="../../ui/exchange.ui" line="180"/>
        <source>Manager PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="181"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="182"/>
        <source>Approval reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="183"/>
        <source>Approve (F9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="183"/>
        <source>Approve the exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="189"/>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="191"/>
        <location filename="../../ui/exchange.ui" line="192"/>
        <source>Cash tendered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="192"/>
        <source>e.g. 100.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="193"/>
        <source>Cash (F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="193"/>
        <source>Take cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="194"/>
        <location filename="../../ui/exchange.ui" line="195"/>
        <source>Card amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="195"/>
        <source>all that is due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="196"/>
        <source>Card (F11)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="196"/>
        <source>Pay by card on the terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="197"/>
        <source>Demo card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="198"/>
        <source>Card the simulated customer presents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="199"/>
        <source>Card terminal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="200"/>
        <source>Cancel card (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="200"/>
        <source>Cancel the card payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="201"/>
        <source>Waiting for the card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="202"/>
        <source>Payments and refunds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="207"/>
        <source>Finalize (F12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/exchange.ui" line="208"/>
        <source>Finalize the exchange and print the receipt</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryForm</name>
    <message>
        <location filename="../../ui/history.ui" line="6"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="11"/>
        <source>Exchange number, receipt scan, or customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="12"/>
        <location filename="../../ui/history.ui" line="18"/>
        <source>Search exchanges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="14"/>
        <source>&amp;Today only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="15"/>
        <source>Only today&apos;s exchanges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="17"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="27"/>
        <source>Exchanges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="28"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="29"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="30"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="31"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="32"/>
        <source>Original sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="33"/>
        <source>CSR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="37"/>
        <source>Exchange details and audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="43"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="44"/>
        <source>Resume the unfinished exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="46"/>
        <source>Reprint (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="47"/>
        <source>Reprint the receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="50"/>
        <source>Back to the counter (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history.ui" line="51"/>
        <source>Back to the exchange screen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceiptForm</name>
    <message>
        <location filename="../../ui/receipt.ui" line="6"/>
        <source>Receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="12"/>
        <source>Receipt preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="18"/>
        <source>Exchange finalized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="20"/>
        <source>Exchange result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="23"/>
        <source>Printer status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="26"/>
        <source>Refund status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="28"/>
        <source>Print again (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="29"/>
        <source>Print the receipt again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="31"/>
        <source>Open drawer (F7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="32"/>
        <source>Open the cash drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="34"/>
        <source>Next customer (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/receipt.ui" line="35"/>
        <source>Start the next exchange</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <location filename="../../ui/sign_in.ui" line="6"/>
        <location filename="../../ui/sign_in.ui" line="27"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="13"/>
        <source>Store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="14"/>
        <source>Sign in to the counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="15"/>
        <source>&amp;Employee ID or badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="17"/>
        <source>Type your ID or scan your badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="18"/>
        <source>Employee ID or badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="19"/>
        <source>&amp;PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="23"/>
        <source>4 to 12 digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="24"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="26"/>
        <source>Sign in (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sign_in.ui" line="30"/>
        <source>Sign-in message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
