"""`nkreport update`: a release of the ministry's table in one command, on files made from the kept copy of its
table and on temporary copies of the data, never the real files."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from buildtools import REPO
from nkreport import citation, data, formatting, versions, whatsnew
from nkreport.__main__ import main

URL = "https://www.unikorea.go.kr/web/unikorea/contents/status_lately"
PROVISIONAL = "(잠정)"


def kept_table(data_dir: Path) -> tuple[Path, list[dict]]:
    """The kept copy of the ministry's table (the newest kept release of it) and its records."""
    ds = data.load(data_dir, data_dir.parent / "references.bib")
    kept = [r for r in ds.releases.values() if r.snapshot.endswith(".json")]
    newest = max(kept, key=lambda r: (r.date_published, r.id))
    path = data_dir / newest.snapshot
    return path, json.loads(path.read_text(encoding="utf-8"))


def year_of(label: str) -> int:
    year = int(re.match(r"~?(\d+)", label)[1])
    return year if year > 100 else (1900 if year >= 50 else 2000) + year


def next_release_day(data_dir: Path, days: int = 1) -> str:
    """A day after the data's current version, as a new release would be published and read."""
    updated = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["updated"]
    return (date.fromisoformat(updated) + timedelta(days=days)).isoformat()


def write_table(path: Path, records: list[dict]) -> Path:
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def run_update(data_dir: Path, file: Path, capsys, days: int = 1, *extra: str) -> tuple[int, str, str]:
    day = next_release_day(data_dir, days)
    code = main(["update", str(file), "--data", str(data_dir), "--published", day, "--accessed", day,
                 "--url", URL, *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def load(data_dir: Path) -> data.Dataset:
    return data.load(data_dir, data_dir.parent / "references.bib")


def files_of(data_dir: Path) -> dict[str, str]:
    """Every file an update may write, by path, with its checksum."""
    paths = [*data_dir.rglob("*"), data_dir.parent / "references.bib", data_dir.parent / "CITATION.cff"]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths) if p.is_file()}


def latest_year(data_dir: Path) -> int:
    """The newest year of arrivals in the data, from whichever release."""
    return load(data_dir).select("arrivals@latest").year


def with_new_year(records: list[dict], after: int = 0) -> tuple[list[dict], dict]:
    """The table a year on: its newest year final as it stood, and a new provisional year after it and after
    the year ``after`` (the data may run past the kept table, from releases typed in)."""
    records = [dict(r) for r in records]
    last = records[-1]
    year = max(year_of(last["period"]), after) + 1
    last["period"] = f"{year_of(last['period']) % 100:02}"
    new = {"period": f"{year % 100:02}.12{PROVISIONAL}", "male": last["male"] + 3, "female": last["female"] + 4,
           "total": last["total"] + 7}
    return records + [new], with_share(new)


def with_share(record: dict) -> dict:
    """``record`` with women's share as the ministry writes it, from its counts."""
    record["female_pct"] = round(record["female"] * 100 / record["total"], 1)
    return record


def test_a_new_year_is_one_command(data_copy, tmp_path, capsys):
    path, records = kept_table(data_copy)
    before = load(data_copy)
    table, new = with_new_year(records, latest_year(data_copy))
    file = write_table(tmp_path / "table.json", table)
    day = next_release_day(data_copy)
    code, out, err = run_update(data_copy, file, capsys, 1, "--copy", "someone/copies", "kr/table.json", "a" * 40)
    assert code == 0, err
    ds = load(data_copy)
    year = year_of(new["period"])
    for series, column in (("arrivals", "total"), ("men-arrivals", "male"), ("women-arrivals", "female")):
        latest = ds.select(f"{series}@latest")
        assert (latest.year, latest.value, latest.provisional) == (year, new[column], True), series
        assert latest.cell == f'object period "{new["period"]}", key "{column}"'
        assert latest.added_in == ds.version
    major, minor, _ = versions.key(before.version)
    assert ds.version == f"{major}.{minor + 1}.0"
    assert ds.descriptor["updated"] == day
    assert citation.check(data_copy, ds.descriptor) == []
    release = ds.releases[latest.release]
    kept = data_copy / release.snapshot
    assert kept.read_bytes() == file.read_bytes() and release.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    assert (release.repository, release.path, release.commit) == ("someone/copies", "kr/table.json", "a" * 40)
    assert release.source in data.bib.keys(data_copy.parent / "references.bib")
    newest = versions.history(data_copy)[0]
    assert newest.version == ds.version and f"New: {year}, provisional" in newest.entry.replace("\n  ", " ")
    assert f"New: {year}, provisional: {new['total']:,} arrivals" in out
    # The kept table's newest year is restated as final: recorded as final, its value unchanged.
    final = ds.select(f"arrivals@{year_of(records[-1]['period'])}")
    assert final.release == release.id and not final.provisional and "Now final" in out
    # Every other value is confirmed, not repeated: beside the new year's, the rows added make a year final.
    added = [f for f in ds.figures.values() if f.added_in == ds.version and f.year != year]
    assert added and all(not f.provisional and before.select(f"{f.series}@{f.year}").value == f.value for f in added)


def test_a_revision_adds_the_new_value_beside_the_old(data_copy, tmp_path, capsys):
    _, records = kept_table(data_copy)
    table = [dict(r) for r in records]
    revised = table[len(table) // 2]
    revised["male"] += 1
    revised["total"] += 1
    with_share(revised)
    code, out, err = run_update(data_copy, write_table(tmp_path / "table.json", table), capsys)
    assert code == 0, err
    ds = load(data_copy)
    year = year_of(revised["period"])
    for series, column in (("arrivals", "total"), ("men-arrivals", "male")):
        versions_of = ds.versions(ds.select(f"{series}@{year}").id)
        assert [v.value for v in versions_of][-2:] == [revised[column] - 1, revised[column]], series
    assert ds.select(f"women-arrivals@{year}").added_in != ds.version  # unchanged: no new row
    assert f"Revised: {year}: arrivals from {revised['total'] - 1:,} to {revised['total']:,}" in out


def test_a_provisional_year_restated_as_final_is_recorded_final(data_copy, tmp_path, capsys):
    _, records = kept_table(data_copy)
    table = [dict(r) for r in records]
    marked = [r for r in table if PROVISIONAL in r["period"]]
    assert marked, "the kept table marks no year provisional"
    for record in marked:
        record["period"] = re.sub(r"(\.12)?\(잠정\)$", "", record["period"])
    code, out, err = run_update(data_copy, write_table(tmp_path / "table.json", table), capsys)
    assert code == 0, err
    ds = load(data_copy)
    final = ds.select(f"arrivals@{year_of(marked[-1]['period'])}")
    assert not final.provisional and final.added_in == ds.version and final.value == marked[-1]["total"]
    assert "Now final" in out


BAD = {
    "unknown period label": (lambda t: t[3].update(period="2O03"), "unknown period label '2O03'"),
    "total not men plus women": (lambda t: t[4].update(total=t[4]["total"] + 1), "is not men plus women"),
    "negative count": (lambda t: t[5].update(male=-5), "is negative"),
    "count not a number": (lambda t: t[6].update(female="many"), '"many" is not a count'),
    "period listed twice": (lambda t: t.append(dict(t[-1])), "period listed twice"),
    "women's share not the counts'": (lambda t: t[7].update(female_pct=12.3), "is not women's share of the total"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_changes_nothing_and_names_each_problem(data_copy, tmp_path, capsys, kind):
    _, records = kept_table(data_copy)
    table = [dict(r) for r in records]
    spoil, expected = BAD[kind]
    spoil(table)
    file = write_table(tmp_path / "table.json", table)
    before = files_of(data_copy)
    code, out, err = run_update(data_copy, file, capsys)
    assert code == 1 and out == ""
    [problem] = [line for line in err.splitlines() if not line.startswith("nkreport update:")]
    assert re.match(rf"{re.escape(str(file))}:\d+: record \d+ \(period \"[^\"]+\"\): ", problem), problem
    assert expected in problem
    assert "nothing was changed" in err
    assert files_of(data_copy) == before


def test_a_second_run_is_a_no_op_that_says_so(data_copy, tmp_path, capsys):
    _, records = kept_table(data_copy)
    file = write_table(tmp_path / "table.json", with_new_year(records, latest_year(data_copy))[0])
    assert run_update(data_copy, file, capsys)[0] == 0
    after = files_of(data_copy)
    code, out, _ = run_update(data_copy, file, capsys)
    assert code == 0 and "nothing to do" in out
    assert files_of(data_copy) == after


def test_the_same_values_in_another_form_record_nothing(data_copy, tmp_path, capsys):
    """The table saved as CSV and as an HTML page: every value is confirmed, nothing is recorded."""
    _, records = kept_table(data_copy)
    csv_file, html_file = tmp_path / "table.csv", tmp_path / "table.html"
    csv_file.write_text(as_csv(records), encoding="utf-8")
    html_file.write_text(as_html(records), encoding="utf-8")
    before = files_of(data_copy)
    for file in (csv_file, html_file):
        code, out, err = run_update(data_copy, file, capsys)
        assert code == 0 and f"every value is recorded already ({3 * len(records)} confirmed)" in out, err
    assert files_of(data_copy) == before


def as_csv(records: list[dict]) -> str:
    columns = list(records[0])
    return "\n".join([",".join(columns)] + [",".join(str(r[c]) for c in columns) for r in records]) + "\n"


def as_html(records: list[dict]) -> str:
    """The table as the statistics page shows it: a header row, then a row per period, thousands grouped."""
    columns = list(records[0])
    shown = [[f"{r[c]:,}" if isinstance(r[c], int) else str(r[c]) for c in columns] for r in records]
    cells = "".join(f"<tr>{''.join(f'<td>{cell}</td>' for cell in row)}</tr>\n" for row in shown)
    header = "".join(f"<th>{c}</th>" for c in columns)
    return f"<html><body><table><tr>{header}</tr>\n{cells}</table></body></html>"


@pytest.mark.parametrize("form", [as_csv, as_html], ids=["csv", "html"])
def test_a_new_year_read_from_csv_or_html_names_its_cells_by_row_and_column(data_copy, tmp_path, capsys, form):
    _, records = kept_table(data_copy)
    table, new = with_new_year(records, latest_year(data_copy))
    file = tmp_path / f"table.{form.__name__[3:]}"
    file.write_text(form(table), encoding="utf-8")
    code, _, err = run_update(data_copy, file, capsys)
    assert code == 0, err
    ds = load(data_copy)  # validated: every value of the new release is read again from its snapshot
    latest = ds.select("men-arrivals@latest")
    assert (latest.value, latest.cell) == (new["male"], f'row period "{new["period"]}", column "male"')
    assert (data_copy / ds.releases[latest.release].snapshot).read_bytes() == file.read_bytes()


def test_as_of_each_earlier_version_is_the_package_then(data_copy, tmp_path, capsys):
    """Two updates in a row: the tables as of each version before them are the tables as they were."""
    tables = ("figures.csv", "official.csv", "releases.csv", "events.csv", "series.csv")
    _, records = kept_table(data_copy)
    first, _ = with_new_year(records, latest_year(data_copy))
    second, _ = with_new_year(first, year_of(first[-1]["period"]))
    saved = {}
    for days, table in ((1, first), (2, second)):
        saved[load(data_copy).version] = {name: (data_copy / name).read_text(encoding="utf-8") for name in tables}
        assert run_update(data_copy, write_table(tmp_path / f"table{days}.json", table), capsys, days)[0] == 0
    for version, then in saved.items():
        target = tmp_path / f"as-of-{version}"
        assert main(["as-of", version, str(target), "--data", str(data_copy)]) == 0
        for name in tables:
            assert (target / name).read_text(encoding="utf-8") == then[name], (version, name)
        rebuilt = data.load(target, data_copy.parent / "references.bib")
        assert rebuilt.version == version


def test_whats_new_says_what_an_update_changed_in_sentences_with_rendered_numbers(data_copy, tmp_path, capsys):
    _, records = kept_table(data_copy)
    table, new = with_new_year(records, latest_year(data_copy))
    revised = table[len(table) // 2]
    revised["female"] += 2
    revised["total"] += 2
    with_share(revised)
    assert run_update(data_copy, write_table(tmp_path / "table.json", table), capsys)[0] == 0
    ds = load(data_copy)
    previous = versions.history(data_copy)[1].version
    before = whatsnew.as_of(data_copy, data_copy.parent / "references.bib", previous)
    assert before.version == previous
    said = whatsnew.figure_sentences(ds, before)
    year = year_of(new["period"])
    newest = ds.select("arrivals@latest")
    assert any(f"now runs to {{period}}`{newest.id}`: {{fig}}`{newest.id}`, provisional" in s for s in said), said
    assert whatsnew.render("fig", newest.id, ds) == formatting.number(new["total"])
    old, now = before.select(f"women-arrivals@{year_of(revised['period'])}"), ds.select(
        f"women-arrivals@{year_of(revised['period'])}")
    assert any(f"revised from {{fig}}`{old.id}`" in s and f"to {{fig}}`{now.id}`" in s for s in said), said
    final = ds.select(f"arrivals@{year_of(records[-1]['period'])}")
    assert any(f"{{fig}}`{final.id}`, is now final" in s for s in said), said
    # The report's sentences that name the newest year or count now say the new one, and what they said before.
    chapters = sorted(REPO.report_dir.glob("*.md"))
    moved = whatsnew.moved_sentences(chapters, ds, before)
    then = before.select("arrivals@latest")
    assert any((formatting.number(then.value), formatting.number(new["total"])) in m.moves for m in moved), moved
    assert any((str(then.year), str(year)) in m.moves for m in moved), moved


def test_a_badly_named_origin_changes_nothing(data_copy, tmp_path, capsys):
    _, records = kept_table(data_copy)
    file = write_table(tmp_path / "table.json", with_new_year(records, latest_year(data_copy))[0])
    before = files_of(data_copy)
    day = next_release_day(data_copy)
    code = main(["update", str(file), "--data", str(data_copy), "--published", day, "--accessed", day,
                 "--url", "not an address", "--copy", "someone/copies", "kr/table.json", "4ff1cd5b"])
    err = capsys.readouterr().err
    assert code == 1
    assert "--url 'not an address': expected the address" in err and "--copy commit '4ff1cd5b'" in err
    assert files_of(data_copy) == before
