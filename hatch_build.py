"""Ship the playbooks, the cookiecutter template and its dispatcher inside the wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = ("playbooks", "template", "cookiecutter.json")


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include the bundled resources in regular (not editable) wheels."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        for name in BUNDLED:
            path = Path(self.root) / name
            if path.exists():
                build_data["force_include"][str(path)] = f"auditkit/_bundled/{name}"
