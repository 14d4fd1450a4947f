"""The routine editor: an editing session without widgets, the widget shell and the web app."""
