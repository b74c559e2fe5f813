"""Interim checker for question authors (replaced by `studybot questions check`)."""
import json
import pathlib
import subprocess
import sys

import jsonschema
import yaml

root = pathlib.Path(__file__).resolve().parent.parent / "questions"
schema = json.loads((root / "schema.json").read_text())
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[1:] or sorted(root.glob("*.yaml")):
    path = pathlib.Path(path)
    doc = yaml.safe_load(path.read_text())
    for err in v.iter_errors(doc):
        bad += 1; print(f"{path.name}: {list(err.absolute_path)}: {err.message[:200]}")
    ids = set()
    for q in doc.get("questions", []):
        if q["id"] in ids: bad += 1; print(f"{path.name}: {q['id']}: duplicate id")
        ids.add(q["id"])
        if q.get("kind") == "multiple_choice":
            n = sum(1 for o in q.get("options", []) if o.get("correct"))
            if n != 1: bad += 1; print(f"{path.name}: {q['id']}: {n} correct options")
        cc = q.get("code_check")
        if cc:
            out = subprocess.run([sys.executable, "-c", cc["code"]], capture_output=True, text=True, timeout=60)
            got = out.stdout.strip()
            if got != cc["output"].strip(): bad += 1; print(f"{path.name}: {q['id']}: code prints {got!r} {out.stderr[-300:]}, key says {cc['output']!r}")
            keys = [o["text"] for o in q.get("options", []) if o.get("correct")] + q.get("answers", [])
            if cc["output"].strip() not in [k.strip() for k in keys]: bad += 1; print(f"{path.name}: {q['id']}: output not the correct option/answer")
    from collections import Counter
    print(path.name, len(doc.get("questions", [])), dict(Counter(q.get("kind") for q in doc["questions"])), dict(Counter(q.get("difficulty") for q in doc["questions"])))
print("problems:", bad)
