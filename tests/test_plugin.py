"""The site's own MkDocs plugin's entry point (macros/build/entry/): installed as written, it keeps `requests`
out of a build and hands every build event to macros/build/plugin.py of the project being built."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys

import pytest

from .conftest import BIN, ROOT, build_env

PY = BIN / "python"


@pytest.fixture(autouse=True)
def _requests_as_it_was():
    """Importing the plugin here defers requests in this test process too: undo it after each test."""
    before = sys.modules.get("requests")
    yield
    if before is None:
        sys.modules.pop("requests", None)
    else:
        sys.modules["requests"] = before


def _run(code: str, **env: str) -> str:
    proc = subprocess.run([str(PY), "-c", code], cwd=ROOT, env=build_env(**env), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip()


def test_the_installed_plugin_is_the_one_in_the_tree():
    """tasks.py installs macros/build/entry/ (not editable, so copies of the project build with their own
    macros/); a stale install is caught."""
    import importlib.metadata
    import tomllib

    installed = importlib.util.find_spec("explainer_plugin").origin
    assert open(installed, encoding="utf-8").read() == (ROOT / "macros" / "build" / "entry" / "explainer_plugin.py").read_text(
        encoding="utf-8"), "macros/build/entry/ changed since set-up installed it: run python3 tasks.py setup"
    declared = tomllib.loads((ROOT / "macros" / "build" / "entry" / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = declared["project"]["entry-points"]["mkdocs.plugins"]
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="mkdocs.plugins")
             if ep.dist is not None and ep.dist.name == declared["project"]["name"]}
    assert found == wanted, "the installed entry points are not macros/build/entry/pyproject.toml's: run python3 tasks.py setup"
    assert "explainer" in wanted and "  - explainer" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_every_build_event_is_the_projects_plugin_and_the_config_has_no_hooks():
    """One owner of the build's events: the entry point becomes macros/build/plugin.py's class, from this tree."""
    out = _run("from mkdocs.config import load_config\n"
               "c = load_config('mkdocs.yml')\n"
               "p = c.plugins['explainer']\n"
               "import macros\n"
               "print(type(p).__module__, bool(c['hooks']), macros.__file__)\n"
               "ours = {c.plugins._event_origins.get(m) for ms in c.plugins.events.values() for m in ms}\n"
               "print(sorted(ours - {'material/search', 'macros'}))\n")
    assert out.splitlines() == [f"macros.build.plugin False {ROOT / 'macros' / '__init__.py'}", "['explainer']"]


def test_loading_the_site_does_not_import_requests_until_something_reads_it():
    """mkdocs-macros imports requests when it loads; the plugin, listed before it, defers that import."""
    out = _run("import sys\n"
               "from mkdocs.config import load_config\n"
               "load_config('mkdocs.yml')\n"
               "import mkdocs_macros.util as util\n"
               "print('urllib3' in sys.modules, type(sys.modules['requests']).__name__)\n"
               "print(util.requests.exceptions.RequestException.__module__, 'urllib3' in sys.modules)\n")
    assert out.splitlines() == ["False Deferred", "requests.exceptions True"]


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A module that counts its imports, deferred."""
    import explainer_plugin

    (tmp_path / "deferred_probe.py").write_text(
        "import builtins\nbuiltins.probe_imports = getattr(builtins, 'probe_imports', 0) + 1\nVALUE = 42\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "deferred_probe", raising=False)
    import builtins

    monkeypatch.setattr(builtins, "probe_imports", 0, raising=False)
    explainer_plugin.defer("deferred_probe")
    yield builtins
    sys.modules.pop("deferred_probe", None)


def test_a_deferred_module_is_imported_once_on_its_first_read(probe):
    import deferred_probe  # what mkdocs-macros does: import alone reads nothing

    assert probe.probe_imports == 0 and type(deferred_probe).__name__ == "Deferred"
    assert deferred_probe.VALUE == 42  # the first read imports it
    assert probe.probe_imports == 1 and sys.modules["deferred_probe"] is not deferred_probe
    assert deferred_probe.VALUE == 42  # a module holding the stand-in still reads through it
    assert probe.probe_imports == 1
    assert importlib.import_module("deferred_probe").VALUE == 42 and probe.probe_imports == 1


def test_a_deferred_module_is_found_as_before_and_read_safely_from_many_threads(probe):
    import threading

    assert importlib.util.find_spec("deferred_probe").origin.endswith("deferred_probe.py")
    import deferred_probe

    seen, errors = [], []

    def read() -> None:
        try:
            seen.append(deferred_probe.VALUE)
        except Exception as exc:  # noqa: BLE001 - what the test looks for
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and seen == [42] * 16 and probe.probe_imports == 1


def test_a_deferred_module_that_fails_to_import_fails_where_it_is_read(probe, tmp_path):
    (tmp_path / "deferred_probe.py").write_text("raise ImportError('broken on purpose')\n", encoding="utf-8")
    import deferred_probe

    with pytest.raises(ImportError, match="broken on purpose"):
        deferred_probe.VALUE
    assert type(sys.modules["deferred_probe"]).__name__ == "Deferred", "left as it was, to try again"
