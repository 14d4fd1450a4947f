"""Adherence, pain and flags: pure functions from canonical log rows to per-patient tables."""
