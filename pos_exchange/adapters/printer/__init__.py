"""The receipt printer and its cash drawer, through python-escpos.

Importing this package first makes python-escpos keep its parsed capabilities in the user
cache dir (escpos_cache.py), before any module here imports escpos.
"""

from pos_exchange.adapters.printer.escpos_cache import import_escpos

import_escpos()
