"""Routines and the exercise library: typed models, loading, saving, wording and editing."""
