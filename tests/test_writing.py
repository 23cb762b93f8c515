"""WRITING.md, the authors' guide, covers everything an author can write: a macro, a data
field, a unit, a verdict or a chart helper missing from it fails here (each is read from the
code, never listed by hand)."""

from __future__ import annotations

import re
import types
from types import SimpleNamespace

import pytest

from .conftest import ROOT

GUIDE = ROOT / "WRITING.md"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def registered_macros() -> list[str]:
    """The names define_env registers, with a stand-in for mkdocs-macros' env."""
    from macros.pages.register import define_env

    class Env:
        def __init__(self):
            self.names: list[str] = []
            self.project_dir = str(ROOT)
            self.conf = {"docs_dir": str(ROOT / "docs"), "use_directory_urls": True, "nav": [],
                         "theme": SimpleNamespace(static_templates={"404.html", "sitemap.xml"}), "plugins": {}}
            self.variables = {}

        def macro(self, fn, name):
            self.names.append(name)

    env = Env()
    define_env(env)
    return env.names


def data_fields() -> set[str]:
    """Every field of every *_FIELDS set in the modules that read data/."""
    from macros.data import figures, load, revisions

    out: set[str] = set()
    for module in (load, figures, revisions):
        for name, value in vars(module).items():
            if name.endswith("_FIELDS") and isinstance(value, (set, frozenset)):
                out |= value
    return out


def chart_helpers() -> set[str]:
    """What chart functions use: the public names their code reads from their modules
    (besides other charts), the decorator, and Inputs with its public methods."""
    from macros.charts import catalog as charts

    def codes(code):
        yield code
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                yield from codes(const)

    out = {"chart", "Inputs", *(n for n in vars(charts.Inputs) if not n.startswith("_"))}
    for c in charts.CHARTS.values():
        scope = c.build.__globals__
        for code in codes(c.build.__code__):
            out.update(n for n in code.co_names if n in scope and not n.startswith("_") and n not in charts.CHARTS)
    return out


def test_the_readme_quick_start_links_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "(WRITING.md)" in quick_start


def test_every_macro_is_in_the_guide():
    names = registered_macros()
    assert len(names) >= 10
    missing = [n for n in names if f"{{{{ {n}(" not in guide()]
    assert not missing, f"macros WRITING.md does not show: {missing}"


def test_every_data_field_is_in_the_guide():
    fields = data_fields()
    assert {"label", "value", "unusual", "previous", "title", "quote", "name"} <= fields
    missing = sorted(f for f in fields if f"`{f}`" not in guide())
    assert not missing, f"fields WRITING.md does not name (as `field`): {missing}"


def test_every_unit_and_verdict_is_in_the_guide():
    from macros.data.model import LEGACY_VERDICTS, VERDICTS, Unit

    text = guide()
    missing = [u.value for u in Unit if f"`{u.value}`" not in text]
    missing += [v for v in [*VERDICTS, *LEGACY_VERDICTS] if f"`{v}`" not in text]
    assert not missing, f"WRITING.md does not name: {missing}"


def test_every_chart_helper_is_in_the_guide():
    helpers = chart_helpers()
    assert {"alt", "axis_value", "fig", "series", "chart", "Inputs"} <= helpers, helpers
    missing = sorted(h for h in helpers if not re.search(rf"[`.]{re.escape(h)}[`(]", guide()))
    assert not missing, f"chart helpers WRITING.md does not name: {missing}"


@pytest.mark.parametrize("section", ["Preview while you write", "Showing a macro as written", "Add a chart",
                                     "Add a chapter", "When the build stops", "Record a correction", "Events"])
def test_the_guide_has_its_sections(section):
    assert re.search(rf"^#+ {re.escape(section)}$", guide(), re.M), section


def test_the_guide_shows_a_complete_chart_and_serve():
    text = guide()
    example = re.search(r"```python\n(@chart\(.*?)```", text, re.S).group(1)
    assert "def " in example and '"""' in example and "return " in example and "d.series(" in example
    # Complete and current: the example is a chart the site builds, as it is written.
    import inspect

    from macros.charts import catalog as charts
    assert example in {inspect.getsource(c.build) for c in charts.CHARTS.values()}
    assert "base units" in text and "python3 tasks.py serve" in text and "Ctrl+C" in text
