"""Inventory: an HTTP service that tracks the products of a small shop."""
