"""The fault suite behind scripts/faults (see main.py)."""
