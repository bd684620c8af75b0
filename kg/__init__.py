"""Peacekeeping KG: the open knowledge graph of UN peacekeeping."""

__version__ = "0.1.0"
