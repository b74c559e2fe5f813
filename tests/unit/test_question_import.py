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
    packs = tmp_path / "data" / "packs"
    monkeypatch.setenv("STUDYBOT_PACKS_DIR", str(packs))
    shipped = sorted(p.name for p in bank_dir.rglob("*"))

    assert main(["questions", "import", str(source), "--pack", "our-club"]) == 0
    out = capsys.readouterr().out
    assert "4 question(s) imported into pack “our-club”, 4 rejected" in out
    # one sentence per rejected row, in the words the rest of the bot uses
    assert (
        "rejected: row 4: a multiple-choice question needs 3 to 5 options (separated by |), found 2"
    ) in out
    assert (
        "rejected: row 5: difficulty “7” is not a level; use easy, medium, hard (or 1, 2, 3)"
    ) in out
    assert "rejected: row 8: kind “quiz” is not a kind; use mc, short, open or scenario" in out
    assert (
        "rejected: row 9: correct “E” names none of the 3 options; use a letter A–C or a number 1–3"
    ) in out

    bank = load_bank(bank_dir, packs=packs)
    assert bank.problems == []
    imported = [q for q in bank.questions if q.pack == "our-club"]
    assert {q.kind.value for q in imported} == {"multiple_choice", "short_answer", "open"}
    words = next(q for q in imported if q.id == "club-words")  # mc, easy, correct as a number
    assert words.difficulty == 1 and words.options[1].correct
    assert (packs / "our-club" / "evaluation.yaml").is_file()
    assert sorted(p.name for p in bank_dir.rglob("*")) == shipped  # the bank stays as shipped
    assert main(["questions", "check"]) == 0
    assert f"(4 from the packs in {packs})" in capsys.readouterr().out


def test_a_red_trivia_list_becomes_short_answer_questions(tmp_path, monkeypatch, capsys):
    source = tmp_path / "ml.yaml"
    source.write_text(RED, encoding="utf-8")
    bank_dir = tmp_path / "questions"
    bank_dir.mkdir()
    shutil.copy(Path(__file__).parents[2] / "questions" / "schema.json", bank_dir)
    monkeypatch.setenv("STUDYBOT_QUESTIONS_DIR", str(bank_dir))
    monkeypatch.chdir(tmp_path)  # the default packs folder: packs/ where the bot runs

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
    bank = load_bank(bank_dir, packs=tmp_path / "packs")
    assert bank.problems == [] and bank.topics == ["ml_trivia"]
    question = next(q for q in bank.questions if "PCA" in q.prompt)
    assert question.answers == ("principal component analysis",)
    assert "Ada" in question.source


def test_a_bad_pack_name_is_refused_with_an_example(tmp_path, capsys):
    source = tmp_path / "x.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["questions", "import", str(source), "--pack", "Our Club!"]) == 2
    assert "Example: --pack our-club" in capsys.readouterr().err
