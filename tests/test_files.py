"""Files: what a build reads, what it writes, and that a failed build publishes nothing.

A symlink out of the project is refused; a file the build generates (an export, a
chart's downloads or card, the Vega runtime) that an author file, a page or
another generated file would replace stops the build naming both; a data file
that is a folder, missing or hostile YAML is one problem at its file; and a build
that fails at any stage leaves its site directory as it was, never half written.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path

import pytest

from macros.data import yamlfile
from macros.errors import DataError

from .conftest import BIN, build_env
from .test_data import error_of, write
from .test_reliability import REPORT, Expect, assert_nothing_published, assert_reported, line_of, mutate

pytestmark = pytest.mark.slow

SECRET = "SECRET-6c1f0e: nobody should publish this"


def _bomb(levels: int = 9) -> str:
    """The billion laughs: each anchor a list of nine aliases to the one before."""
    lines = ['    - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"    - &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "figures:\n  bomb:\n    note:\n" + "\n".join(lines) + f"\n    label: *l{levels - 1}\n"


# -- symlinks ----------------------------------------------------------------------------

# overrides/partials is a real folder now (the search dialog's override): a symlinked folder inside it.
@pytest.mark.parametrize("where", ["docs/notes.txt", "data/extra.yml", "overrides/partials/more", "docs/assets/more"])
def test_a_symlink_out_of_the_project_is_refused(where, project_copy, build_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(f"figures: {SECRET}\n", encoding="utf-8")
    target = outside if where.endswith(("partials", "more")) else outside / "secret.yml"
    (project_copy / where).parent.mkdir(parents=True, exist_ok=True)
    (project_copy / where).symlink_to(target)
    result = build_copy(project_copy)
    assert result.returncode != 0, result.output[-3000:]
    assert_reported(result.output, Expect(where, None, f"symlink to {target} points outside the project"))
    assert SECRET not in result.output
    assert "Traceback" not in result.output, result.output[-3000:]
    assert_nothing_published(result)


def test_a_symlink_within_the_project_is_published(project_copy, build_copy):
    (project_copy / "docs" / "assets" / "copy.css").symlink_to(project_copy / "docs" / "assets" / "explainer.css")
    result = build_copy(project_copy)
    assert result.returncode == 0, result.output[-3000:]
    assert (result.site / "assets" / "copy.css").read_bytes() == (project_copy / "docs/assets/explainer.css").read_bytes()


# -- generated files against author files and each other ----------------------------------

CHART_NAMED_LIKE_THE_EXPORT = '''

@chart("stimulus.ai_models")
def figures(d: Inputs) -> alt.Chart:
    """A chart named like the export of every figure
    One bar.
    """
    return alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q")
'''


def test_a_chart_named_like_an_export_names_the_chart_function(project_copy, build_copy):
    path = project_copy / "macros" / "charts" / "catalog.py"
    path.write_text(path.read_text(encoding="utf-8") + CHART_NAMED_LIKE_THE_EXPORT, encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode != 0, result.output[-3000:]
    assert REPORT.search(result.output), result.output[-3000:]
    assert_reported(result.output, Expect("macros/charts/catalog.py", line_of(project_copy, "macros/charts/catalog.py", "def figures(d: Inputs)"),
                                          "chart 'figures'", "assets/data/figures.csv",
                                          "the generated export of every figure (macros/pages/exports.py)"))
    assert "Traceback" not in result.output, result.output[-3000:]
    assert_nothing_published(result)


@pytest.mark.parametrize("author_file, generated", [
    ("docs/assets/data/figures.csv", "the generated export of every figure (macros/pages/exports.py)"),
    ("docs/assets/data/Claims.json", "the generated export of the claims audit (macros/pages/exports.py)"),
    ("docs/assets/data/japan_market_share-2.csv", "the CSV download of chart 'japan_market_share' (macros/charts/catalog.py:"),
    ("docs/assets/og/stimulus_allocation.png", "the social card of chart 'stimulus_allocation'"),
    ("docs/assets/runtime/vega.min.js.md", "the Vega runtime copied into the site (macros/build/site.py)"),
    ("docs/assets/runtime", "the Vega runtime copied into the site (macros/build/site.py)"),
    ("docs/sitemap.xml", "a file MkDocs writes itself"),
    ("docs/search/search_index.json", "a file MkDocs writes itself"),
])
def test_an_author_file_at_a_generated_path_stops_the_build(author_file, generated, project_copy, build_copy):
    path = project_copy / author_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# mine\n", encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode != 0, result.output[-3000:]
    assert_reported(result.output, Expect(author_file, None, "collides with", generated))
    assert "Traceback" not in result.output, result.output[-3000:]
    assert_nothing_published(result)


def test_every_written_file_was_planned(site):
    """The plan the collisions are checked against covers every file the build writes besides MkDocs' own."""
    from macros.build.outputs import planned

    plan = planned(make_cards=True)
    ours = [p.relative_to(site.site).as_posix() for sub in ("assets/data", "assets/og", "assets/runtime")
            for p in (site.site / sub).rglob("*") if p.is_file()]
    assert len(ours) > 20
    assert [p for p in ours if plan.at(p) is None] == []


# -- data files ------------------------------------------------------------------------------

def test_a_billion_laughs_fails_at_its_line_in_well_under_a_second():
    text = _bomb()
    start = time.perf_counter()
    with pytest.raises(DataError) as exc:
        yamlfile.parse_yaml(text, "data/x.yml")
    took = time.perf_counter() - start
    assert took < 0.5, f"the alias bomb took {took:.2f} s"
    problem = exc.value.problems[0]
    assert (problem.file, len(exc.value.problems)) == ("data/x.yml", 1)
    assert "expands to more than" in problem.message
    assert problem.line and "*l" in text.splitlines()[problem.line - 1]


def test_aliases_that_expand_a_little_still_load():
    doc = yamlfile.parse_yaml("a: &x [1, 2, 3]\nb: *x\nc: *x\n", "data/x.yml")
    assert doc == {"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]}


@pytest.mark.parametrize("text, message", [
    ("a: " + "[" * 200 + "]" * 200 + "\n", "nested more than"),
    ("a: " + "{b: " * 900 + "1" + "}" * 900 + "\n", "nested more than"),
    ("a: &x [1, *x]\n", "refers to a value that contains it"),
])
def test_deep_or_circular_yaml_is_one_problem(text, message):
    with pytest.raises(DataError) as exc:
        yamlfile.parse_yaml(text, "data/x.yml")
    assert len(exc.value.problems) == 1 and message in exc.value.problems[0].message, exc.value.report()


def test_a_huge_data_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yml"
    with path.open("w", encoding="utf-8") as f:
        f.write("figures:\n")
        f.seek(yamlfile.MAX_BYTES + 1)
        f.write("\n")
    with pytest.raises(DataError) as exc:
        yamlfile.read_yaml(path, "data/big.yml")
    assert "over the" in str(exc.value) and "data/big.yml" in str(exc.value)


def test_a_billion_laughs_in_data_stops_the_build_at_its_line(project_copy, build_copy):
    (project_copy / "data" / "laughs.yml").write_text(_bomb(), encoding="utf-8")
    start = time.perf_counter()
    result = build_copy(project_copy)
    assert time.perf_counter() - start < 60, "the build did not stop early"
    assert result.returncode != 0
    assert_reported(result.output, Expect("data/laughs.yml", line_of(project_copy, "data/laughs.yml", "&l5"),
                                          "expands to more than"))
    assert "MemoryError" not in result.output and "Traceback" not in result.output
    assert_nothing_published(result)


@pytest.mark.parametrize("change, expected", [
    ({"extra": "dir"}, ["data/extra.yml: is a folder, not a file"]),
    ({"claims": "dir"}, ["data/claims.yml: is a folder, not a file"]),
    ({"claims": None}, ["data/claims.yml: missing: the claims audit file is required"]),
    ({"glossary": None}, ["data/glossary.yml: missing: the glossary file is required"]),
    ({"sources": None}, ["data/sources.yml: missing: the bibliography file is required", "cites 1 source id "]),
    ({"extra": "dangling"}, ["data/extra.yml: cannot be read"]),
])
def test_a_data_file_that_is_not_a_file_is_one_problem(tmp_path, change, expected):
    name, kind = next(iter(change.items()))
    d = write(tmp_path, **({name: None} if kind in (None, "dir", "dangling") else {}))
    if kind == "dir":
        (d / f"{name}.yml").mkdir()
    elif kind == "dangling":
        (d / f"{name}.yml").symlink_to(d / "nowhere.yml")
    message = error_of(d)
    assert message.startswith("1 problem in"), message
    for part in expected:
        assert part in message, message


def test_a_deleted_claims_file_is_one_problem_in_a_build(project_copy, build_copy):
    (project_copy / "data" / "claims.yml").unlink()
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect("data/claims.yml", None, "missing: the claims audit file is required"))
    assert "1 problem in the explainer's data or pages" in result.output, result.output[-3000:]
    assert_nothing_published(result)


# -- a failed build publishes nothing ----------------------------------------------------------

# Hook files added to a copy of the project (after the site's plugin): each fails one stage of a build.
FAILURES = {
    "config": "def on_config(config):\n    raise RuntimeError('injected: config')\n",
    "files": "def on_files(files, config):\n    raise RuntimeError('injected: files')\n",
    "page render": ("def on_page_markdown(markdown, page, config, files):\n"
                    "    if page.file.src_uri == 'rapidus.md':\n        raise RuntimeError('injected: page')\n"),
    "page write": ("def on_post_page(output, page, config):\n"
                   "    if page.file.src_uri == 'history.md':\n        raise RuntimeError('injected: post_page')\n"
                   "    return output\n"),
    "full disk after the pages": ("import errno\nfrom mkdocs.plugins import event_priority\n\n"
                                  "@event_priority(-50)\ndef on_post_build(config):\n"
                                  "    raise OSError(errno.ENOSPC, 'No space left on device')\n"),
    "strict-mode warning": None,  # a page linking to one that does not exist: MkDocs aborts after on_post_build
}


def _site_state(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _build_into(project: Path, site: Path, cache: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(site), *options], cwd=project,
                          env=build_env(EXPLAINER_CACHE_DIR=str(cache)), capture_output=True, text=True, timeout=300)


def _add_text(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _old_site(site: Path) -> dict[str, str]:
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / "index.html").write_text("the site as it was\n", encoding="utf-8")
    (site / "stale.html").write_text("a page the last build published\n", encoding="utf-8")
    return _site_state(site)


@pytest.mark.parametrize("stage", sorted(FAILURES))
def test_a_build_that_fails_at_any_stage_leaves_the_site_as_it_was(stage, project_copy, chart_cache):
    if FAILURES[stage] is None:
        _add_text(project_copy, "docs/stimulus.md", "\nSee [the missing page](no-such-page.md).\n")
    else:
        (project_copy / "inject.py").write_text(FAILURES[stage], encoding="utf-8")
        _add_text(project_copy, "mkdocs.yml", "\nhooks:\n  - inject.py\n")
    site = project_copy.parent / "site"
    before = _old_site(site)
    proc = _build_into(project_copy, site, chart_cache, "--strict")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    assert _site_state(site) == before, f"{stage}: the failed build changed the site:\n{output[-2000:]}"
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"], "a build folder was left"


def test_a_write_that_fails_is_one_line_and_publishes_nothing(project_copy, chart_cache):
    """A file where the downloads' folder goes (as a full disk would) fails our own writes: one line, no traceback."""
    (project_copy / "inject.py").write_text(
        "from pathlib import Path\nfrom mkdocs.plugins import event_priority\n\n"
        "@event_priority(50)  # after the site's plugin checks, before it writes the downloads\n"
        "def on_post_build(config):\n    Path(config.site_dir, 'assets', 'data').write_text('in the way')\n",
        encoding="utf-8")
    _add_text(project_copy, "mkdocs.yml", "\nhooks:\n  - inject.py\n")
    site = project_copy.parent / "site"
    before = _old_site(site)
    proc = _build_into(project_copy, site, chart_cache, "--strict")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "cannot be written to the site" in output and "assets/data/" in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert _site_state(site) == before


def test_a_build_replaces_the_site_whole_and_keeps_its_hidden_entries(project_copy, chart_cache):
    site = project_copy.parent / "site"
    _old_site(site)
    proc = _build_into(project_copy, site, chart_cache, "--strict")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert not (site / "stale.html").exists()
    assert "the site as it was" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8").startswith("ref:")
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"], "a build folder was left"


def test_a_failed_dirty_build_leaves_the_site_as_it_was(project_copy, chart_cache):
    site = project_copy.parent / "site"
    first = _build_into(project_copy, site, chart_cache, "--strict")
    assert first.returncode == 0, (first.stdout + first.stderr)[-3000:]
    before = _site_state(site)
    (project_copy / "inject.py").write_text(FAILURES["full disk after the pages"], encoding="utf-8")
    _add_text(project_copy, "mkdocs.yml", "\nhooks:\n  - inject.py\n")
    _add_text(project_copy, "docs/stimulus.md", "\nAn edit.\n")
    proc = _build_into(project_copy, site, chart_cache, "--dirty")
    assert proc.returncode != 0, (proc.stdout + proc.stderr)[-3000:]
    assert _site_state(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"]


def test_a_billion_laughs_in_a_front_matter_stops_the_build_at_its_line(project_copy, build_copy):
    """MkDocs reads a page's front matter with its own loader, which builds the bomb; the theme then printed it."""
    bomb = _bomb().replace("figures:\n  bomb:\n    note:\n", "x:\n").replace("\n    - ", "\n  - ")
    bomb = bomb.replace("    label: *l8", "description: *l8")
    mutate(project_copy, "docs/rapidus.md", "---\ndescription:", f"---\n{bomb}keep:")
    start = time.perf_counter()
    result = build_copy(project_copy)
    assert time.perf_counter() - start < 120, "the build did not stop early"
    assert result.returncode != 0
    assert_reported(result.output, Expect("docs/rapidus.md", line_of(project_copy, "docs/rapidus.md", "&l5"),
                                          "front matter", "expands to more than"))
    assert_nothing_published(result)


def test_data_that_is_not_a_folder_is_one_problem(project_copy, build_copy):
    import shutil

    shutil.rmtree(project_copy / "data")
    (project_copy / "data").write_text("figures: {}\n", encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect("data/", None, "is not a folder"))
    assert "Traceback" not in result.output, result.output[-3000:]
    assert_nothing_published(result)
