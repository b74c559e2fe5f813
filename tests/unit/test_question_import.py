"""Community packs: CSV and Red-DiscordBot trivia lists, checked like the shipped bank."""

import shutil
from pathlib import Path

from bot.cli import main
from bot.question_bank import load_bank

CSV = (Path(__file__).parents[1] / "data" / "club.csv").read_text(encoding="utf-8")

RED = """\
AUTHOR: Ada
What loss does logistic regression minimise?:
- log loss
- cross entropy
What does PCA stand for?:
- principal component analysis
Broken question without answers?: []
"""


def test_a_csv_pack_keeps_the_good_rows_and_explains_each_rejected_one(
    tmp_path, monkeypatch, capsys
):
    source = tmp_path / "club.csv"
    source.write_text(CSV, encoding="utf-8")
    bank_dir = tmp_path / "questions"
    shutil.copytree(Path(__file__).parents[1] / "data" / "bank", bank_dir)
    shutil.copy(Path(__file__).parents[2] / "questions" / "schema.json", bank_dir)
    monkeypatch.setenv("STUDYBOT_QUESTIONS_DIR", str(bank_dir))

    assert main(["questions", "import", str(source), "--pack", "our-club"]) == 0
    out = capsys.readouterr().out
    assert "3 question(s) imported into pack “our-club”, 2 rejected" in out
    assert "rejected: row 4: options:" in out
    assert "rejected: row 5: difficulty:" in out

    bank = load_bank(bank_dir)
    assert bank.problems == []
    imported = [q for q in bank.questions if q.pack == "our-club"]
    assert {q.kind.value for q in imported} == {"multiple_choice", "short_answer", "open"}
    assert (bank_dir / "packs" / "our-club" / "evaluation.yaml").is_file()


def test_a_red_trivia_list_becomes_short_answer_questions(tmp_path, monkeypatch, capsys):
    source = tmp_path / "ml.yaml"
    source.write_text(RED, encoding="utf-8")
    bank_dir = tmp_path / "questions"
    bank_dir.mkdir()
    shutil.copy(Path(__file__).parents[2] / "questions" / "schema.json", bank_dir)
    monkeypatch.setenv("STUDYBOT_QUESTIONS_DIR", str(bank_dir))

    assert (
        main(
            [
                "questions",
                "import",
                str(source),
                "--pack",
                "trivia-night",
                "--topic",
                "ml trivia",
                "--license",
                "CC0-1.0",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "2 question(s) imported" in out and "needs a list of accepted answers" in out
    bank = load_bank(bank_dir)
    assert bank.problems == [] and bank.topics == ["ml_trivia"]
    question = next(q for q in bank.questions if "PCA" in q.prompt)
    assert question.answers == ("principal component analysis",)
    assert "Ada" in question.source


def test_a_bad_pack_name_is_refused_with_an_example(tmp_path, capsys):
    source = tmp_path / "x.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["questions", "import", str(source), "--pack", "Our Club!"]) == 2
    assert "Example: --pack our-club" in capsys.readouterr().err
