"""The core stays platform-neutral: nothing under bot/ imports a chat SDK."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot"
PLATFORM_PACKAGES = {"discord", "slack_bolt", "slack_sdk", "adapters"}


def test_no_module_in_the_core_imports_a_platform_library_or_an_adapter():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in PLATFORM_PACKAGES:
                    offenders.append(f"{path.relative_to(CORE.parent)}: {name}")
    # the CLI composes adapters into the running bot; it is the one allowed place
    assert [o for o in offenders if not o.startswith("bot/cli.py")] == []


def test_sqlalchemy_stays_inside_the_storage_package():
    offenders = []
    for path in CORE.rglob("*.py"):
        if "storage" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "import sqlalchemy" in text or "from sqlalchemy" in text:
            offenders.append(str(path.relative_to(CORE.parent)))
    # config parses and checks DATABASE_URL; the composition root hands the engine to Slack's
    # OAuth stores
    assert sorted(offenders) == ["bot/bootstrap.py", "bot/config.py"]
