"""The publishing set-up and the editors' guide call the project's own commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.schema import kinds
from tests.conftest import REPO


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.MULTILINE))


def test_the_workflow_checks_builds_strictly_and_deploys_main_only() -> None:
    workflow = _yaml(REPO / ".github" / "workflows" / "publish.yml")
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build]
    assert "make install" in runs and "install" in _make_targets()
    assert ".venv/bin/explainer check --format github" in runs
    build_step = next(r for r in runs if r.startswith(".venv/bin/explainer build"))
    assert "--site-url" in build_step  # strict: true comes from mkdocs.yml
    assert runs.index(".venv/bin/explainer check --format github") < runs.index(build_step)
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact") for step in build)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert _yaml(REPO / "mkdocs.yml")["strict"] is True


def test_the_pre_commit_hook_runs_the_check() -> None:
    config = _yaml(REPO / ".pre-commit-config.yaml")
    (hook,) = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert hook["entry"] == ".venv/bin/explainer check"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/glossary/any-term.yaml")
    assert re.search(hook["files"], "content/story.yaml")


def _guide_examples() -> list[tuple[str, str]]:
    text = (REPO / "EDITING.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    examples = []
    for block in blocks:
        kind = re.match(r"# yaml-language-server: \$schema=\S*/(\w+)\.schema\.json", block)
        if kind and isinstance(yaml.safe_load(block), dict):
            examples.append((kind.group(1), block))
    return examples


def test_the_guide_has_an_example_of_every_record_kind_and_of_story_yaml() -> None:
    assert {kind for kind, _ in _guide_examples()} == set(kinds())


@pytest.mark.parametrize(("kind", "example"), _guide_examples())
def test_every_example_in_the_guide_is_a_valid_record(kind: str, example: str) -> None:
    kinds()[kind].model_validate(yaml.safe_load(example))


def test_the_readme_opens_with_the_two_commands_and_links_the_guide() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    head = "\n".join(readme.splitlines()[:8])
    assert "make site" in head and "make test" in head
    assert {"site", "test", "serve"} <= _make_targets()
    assert "EDITING.md" in readme


def test_make_test_runs_the_story_tests_on_every_fixture_story() -> None:
    """CI runs `make test`, which reruns the `story` tests on each fixture story."""
    ci = [
        line
        for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ci[-1] == "make test"
    makefile = (REPO / "Makefile").read_text("utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "no test target"
    assert "tests/fixtures/*/content" in makefile
    assert re.search(r"EXPLAINER_STORY=\S+ \$\(BIN\)/pytest -m story \|\| exit", recipe.group(1))
    assert list((REPO / "tests" / "fixtures").glob("*/content/story.yaml"))
