"""The central hub: receives exchange records from the registers, re-checks their money with
the domain code, hands out return/sale/receipt numbers and anchors each register's journal.

Run it with ``pos-exchange-hub serve``; the wire contract is in ``api.py`` (``/openapi.json``).
"""
