"""Delivery of queued submissions to government APIs (Qt-free; may use the network)."""
