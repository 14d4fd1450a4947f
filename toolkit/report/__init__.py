"""The clinic report: charts, words for people, the HTML/PDF page and the CSV tables."""
