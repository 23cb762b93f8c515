"""The explainer's build, in the order it runs: data/ -> figures -> pages and charts -> site.

    data/     read data/*.yml, validate it and derive the computed figures (a frozen Dataset)
    pages/    figures, claims and generated pages as readers see them (words, numbers, HTML);
              register.py gives mkdocs-macros the macros pages call
    charts/   one small function per chart, drawn to SVG and Vega, kept in one cache
    build/    the site's MkDocs plugin (plugin.py, the one owner of the build's events) and one
              build's state (site.py), what it writes and how it publishes
    errors.py what an author reads when something is wrong (every package reports through it)
    main.py   the file mkdocs-macros loads (``module_name: macros/main``): it re-imports this package
              under `mkdocs serve` when its source changed

Importing the package imports nothing else: the plugin (build/plugin.py) is imported when MkDocs
reads mkdocs.yml, before the rest of the package, which a half-typed edit may have broken.
"""

from .build.stamp import source_stamp

SOURCE_STAMP = source_stamp()  # what main.py compares to decide whether to import afresh
