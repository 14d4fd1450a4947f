"""Patients' logs and prescriptions: reading every format into canonical rows, with rejects."""
