"""Vorsprung: a self-hosted CRM from first contact to paying customer."""

__version__ = "0.1.0"
