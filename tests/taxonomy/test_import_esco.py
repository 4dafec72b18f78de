"""import_esco: the official CSV layout, idempotence, errors with file and line, nothing half-imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pont.taxonomy import selectors
from pont.taxonomy.esco_import import EscoImportError, import_esco
from pont.taxonomy.models import Occupation, OccupationLabel, OccupationSkill, Skill, SkillLabel

DEMO = Path(__file__).resolve().parents[2] / "src" / "pont" / "taxonomy" / "data" / "esco_demo"
WELDER = "welder"

pytestmark = pytest.mark.django_db


def test_the_demo_taxonomy_loads_in_three_languages():
    result = import_esco(DEMO)
    assert result.languages == ["en", "fr", "nl"]
    assert Occupation.objects.count() == 60
    assert Skill.objects.count() == 143
    welder = Occupation.objects.get(labels__en=WELDER)
    assert welder.label("fr") == "soudeur" and welder.label("nl") == "lasser"
    essential = set(OccupationSkill.objects.filter(occupation=welder, relation="essential")
                    .values_list("skill__labels__en", flat=True))
    assert "perform MIG/MAG welding" in essential
    # Alternative labels from multi-line cells are searchable, each on its own.
    assert OccupationLabel.objects.filter(occupation=welder, language="nl", text="constructielasser").exists()


def test_importing_twice_updates_and_never_duplicates():
    import_esco(DEMO)
    counts = (Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count(),
              SkillLabel.objects.count())
    again = import_esco(DEMO)
    assert (Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count(),
            SkillLabel.objects.count()) == counts
    assert again.occupations_created == again.skills_created == again.relations_created == 0
    assert again.occupations_updated == 0 and again.labels == 0


def test_a_language_can_be_imported_alone_and_another_added_later():
    import_esco(DEMO, ["en"])
    assert Occupation.objects.get(labels__en=WELDER).labels == {"en": WELDER}
    import_esco(DEMO, ["nl"])
    assert Occupation.objects.get(labels__en=WELDER).labels == {"en": WELDER, "nl": "lasser"}
    assert Occupation.objects.count() == 60


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "esco"
    shutil.copytree(DEMO / "en", target / "en")
    return target


def test_columns_are_found_by_header_name_not_position(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "skills_en.csv"
    import csv
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    order = list(reversed(range(len(rows[0]))))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[row[i] for i in order] for row in rows])
    import_esco(folder)
    assert Skill.objects.filter(labels__en="perform MIG/MAG welding").exists()


def test_a_malformed_row_names_file_and_line_and_nothing_is_imported(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "occupationSkillRelations_en.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[41] = lines[41].replace("essential", "indispensable").replace("optional", "indispensable")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"occupationSkillRelations_en\.csv:42: relationType"):
        import_esco(folder)
    assert Occupation.objects.count() == Skill.objects.count() == 0
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_esco", str(folder), "--no-progress")


def test_the_line_of_a_row_after_a_multi_line_cell_is_its_first_line(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "occupations_en.csv"
    text = path.read_text(encoding="utf-8")
    # Row 1 (warehouse worker) spans two physical lines (two altLabels); break row 2's URI.
    text = text.replace("http://data.europa.eu/esco/occupation/26002e75", "not a uri 26002e75", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"occupations_en\.csv:4: conceptUri is not a URI"):
        import_esco(folder)


def test_a_row_with_too_many_fields_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "skills_en.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"skills_en\.csv:3: expected 13 fields, found 14"):
        import_esco(folder)


def test_a_missing_column_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "skills_en.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("preferredLabel", "prefLabel", 1), encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"skills_en\.csv:1: missing column\(s\) preferredLabel"):
        import_esco(folder)


def test_the_command_reports_what_it_did(capsys):
    call_command("import_esco", str(DEMO), "--lang", "fr,nl", "--no-progress")
    out = capsys.readouterr().out
    assert "occupations 60 new" in out
    with pytest.raises(CommandError, match="no ESCO files for language"):
        call_command("import_esco", str(DEMO), "--lang", "de", "--no-progress")


def test_type_ahead_finds_alternative_labels_in_the_users_language():
    import_esco(DEMO)
    found = selectors.skill_search("lassen", language="nl")
    assert found[0]["label"] in ("MIG/MAG-lassen", "TIG-lassen", "elektrodelassen")
    by_alt = selectors.skill_search("halfautomatisch", language="nl")
    assert by_alt[0]["label"] == "MIG/MAG-lassen" and by_alt[0]["matched"] == "halfautomatisch lassen"
    assert selectors.skill_search("chariot elevateur", language="fr")[0]["label"] == "conduire un chariot élévateur"
    assert selectors.occupation_search("soudeur", language="fr")[0]["label"] == "soudeur"
    assert selectors.skill_search("x", language="fr") == []


def test_a_file_that_is_not_utf8_names_file_line_and_the_expected_encoding(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "skills_en.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4].replace("protective gear", "équipement de protection", 1)
    path.write_bytes("\n".join(lines).encode("cp1252"))  # saved by a spreadsheet in Western European
    expected = r"skills_en\.csv:5: not UTF-8 text \(byte 0xe9 at column 143\).*save the file as UTF-8"
    with pytest.raises(EscoImportError, match=expected):
        import_esco(folder)
    with pytest.raises(CommandError, match=r"skills_en\.csv:5: not UTF-8.*\nNothing was imported"):
        call_command("import_esco", str(folder), "--no-progress")
    assert Occupation.objects.count() == Skill.objects.count() == 0


def test_a_utf16_file_is_refused_at_its_first_line(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "occupations_en.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(EscoImportError, match=r"occupations_en\.csv:1: not UTF-8 text \(byte 0xff at column 1\)"):
        import_esco(folder)


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "occupations_en.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-8-sig"))
    import_esco(folder)
    assert Occupation.objects.count() == 60


def test_a_nul_in_a_label_is_refused_with_its_line(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "en" / "skills_en.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[6] = lines[6].replace("lift heavy weights", "lift heavy\x00weights", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(EscoImportError, match=r"skills_en\.csv:7: preferredLabel contains a NUL character"):
        import_esco(folder)
    assert Skill.objects.count() == 0
