"""What each page shows, as frames and text: one module per page (map, trends, border, sources)."""
