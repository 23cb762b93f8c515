"""Project chores run through tasks.py (benchmark, link check, preview, scans)."""
