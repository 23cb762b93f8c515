"""What pages show: figures, claims and generated pages as words and HTML, and the macros they call (register.py)."""
