"""Outbox topics named outside the record models: importing services/record.py (pydantic)
costs ~150 ms, and the window's cold start and start-up check need only the names."""

from __future__ import annotations

# The refund of a shipment that could not ship (issue 12): its own record for the hub.
REFUND_TOPIC = "shipment.refunded"
