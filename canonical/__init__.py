"""Canonical model: the one vocabulary every adapter translates to and from."""
