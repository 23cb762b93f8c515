"""Charts: one small pure function per chart (catalog.py), drawn by vl-convert (draw.py), kept in one cache (store.py)."""
