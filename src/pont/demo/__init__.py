"""Synthetic demo data built from the personas of shared/PERSONAS.md. No real persons."""
