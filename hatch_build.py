"""Build hook: compile the knowledge base into the wheel (ms_ref/data/kb.bin).

The first run after installing msref then opens this store instead of parsing the YAML, and a wheel
is never built from invalid data: the build fails with the validation report.
"""

from __future__ import annotations

import os
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class KnowledgeBaseHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, object]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the checkout's data/, which may change at any time
        sys.path.insert(0, self.root)
        try:
            from ms_ref import store
            from ms_ref.errors import DataError

            target = os.path.join(tempfile.mkdtemp(prefix="msref-build-"), store.PREBUILT)
            try:
                store.prebuild(os.path.join(self.root, "data"), target)
            except DataError as exc:
                raise SystemExit("msref: the knowledge base is invalid:\n" + "\n".join(exc.problems)) from exc
        finally:
            sys.path.remove(self.root)
            for name in [m for m in sys.modules if m == "ms_ref" or m.startswith("ms_ref.")]:
                del sys.modules[name]
        build_data["force_include"][target] = "ms_ref/data/kb.bin"
