"""Patient handouts: HTML from templates, pictures and links, PDF, notebook previews."""
