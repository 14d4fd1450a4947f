"""Routine files for other programs: the export front door, calendar, FHIR, batch export."""
