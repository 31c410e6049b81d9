"""Adapters to order-management systems (OMS) that own the store's orders.

Each adapter turns the register's exchange document (services/documents.py) into the
OMS's own calls. Only Shopify exists so far: see ``shopify`` and docs/shopify.md.
"""
