"""Adapters: each translates between one system's dialect and the canonical model."""
