"""data/ read and checked: YAML with the line of every key, validated into a frozen Dataset (load.py)."""
