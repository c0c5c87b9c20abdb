"""An explainer project: its folders, and the story it builds."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Where `explainer schema` writes the JSON Schemas of the content files, in the project.
SCHEMA_DIR = "schemas"

# Set by `explainer --content DIR` so that the MkDocs plugin, which MkDocs
# starts with nothing but the config file, builds the same story.
CONTENT_ENV = "EXPLAINER_CONTENT"


@dataclass(frozen=True)
class Project:
    """The folders of one explainer project, and the story it builds."""

    root: Path
    story: Path | None = None  # the story's folder, if not root/content

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project in `root`, with the story that EXPLAINER_CONTENT names, if set."""
        story = os.environ.get(CONTENT_ENV)
        return cls(root, Path(story).resolve() if story else None)

    @property
    def content(self) -> Path:
        return self.story or self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "theme" / "templates"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"
