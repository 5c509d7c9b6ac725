"""Seeds on MariaDB/MySQL: only an empty field is NULL, and a file named in the generator's
manifest.json is loaded only if it is that file (rows, bytes, sha256)."""

import hashlib
import json
import os

import pytest
from conftest import dbt_runner, drop_database, mysql_server

SCHEMA = "test_mysql_adapter_seed_text"

# Words that are names, not NULL: DATA_SPEC says an empty field is NULL and nothing else.
WORDS = ["Null", "NULL", "null", "None", "\\N", "none", "NaN", " "]
TEXT_CSV = (
    "id,last_name,quoted\n"
    + "".join(f'{i},{w},"{w}"\n' for i, w in enumerate(WORDS, start=1))
    + f"{len(WORDS) + 1},,\"\"\n"
)
PEOPLE = "id,name\n" + "".join(f"{i},name {i}\n" for i in range(1, 21))


def _server():
    return mysql_server()


def _rows(sql):
    conn = _server()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "dbt_project.yml").write_text(
        "name: seed_text\nversion: '1.0'\nconfig-version: 2\nprofile: seed_text\n"
    )

    run = dbt_runner(tmp_path, "seed_text", SCHEMA, connect_timeout=5)

    yield tmp_path, run
    drop_database(SCHEMA)


def _expected():
    return [(i, w, w) for i, w in enumerate(WORDS, start=1)] + [(len(WORDS) + 1, None, None)]


@pytest.mark.parametrize("local_infile", [True, False], ids=["load_data", "insert_fallback"])
def test_null_like_words_stay_text_and_only_an_empty_field_is_null(project, local_infile):
    path, run = project
    (path / "seeds" / "raw_names.csv").write_text(TEXT_CSV, encoding="utf-8")
    done = run(["seed"], local_infile=local_infile)
    assert done.returncode == 0, done.stdout[-3000:]
    rows = _rows(f"select id, last_name, quoted from {SCHEMA}.raw_names order by id")
    assert [tuple(r) for r in rows] == _expected()


def test_null_like_words_stay_text_with_declared_column_types(project):
    path, run = project
    (path / "seeds" / "raw_names.csv").write_text(TEXT_CSV, encoding="utf-8")
    (path / "seeds" / "raw_names.yml").write_text(
        "seeds:\n  - name: raw_names\n    config:\n      column_types:\n"
        "        id: bigint\n        last_name: varchar(20)\n        quoted: text\n"
    )
    done = run(["seed"])
    assert done.returncode == 0, done.stdout[-3000:]
    rows = _rows(f"select id, last_name, quoted from {SCHEMA}.raw_names order by id")
    assert [tuple(r) for r in rows] == _expected()


def _write_manifest(folder, name, text):
    data = text.encode("utf-8")
    manifest = {
        "generator": "ecom-synth seeds_gen",
        "tables": {
            "people": {"file": name, "rows": text.count("\n") - 1, "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()},
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _people_count():
    return _rows(f"select count(*) from {SCHEMA}.raw_people")[0][0]


def _refused(done, label, what):
    out = done.stdout + done.stderr
    assert done.returncode != 0, out[-3000:]
    assert f"{label}: {what} (manifest says" in out, out[-3000:]
    assert (
        "the file is not the one the generator wrote: run python -m seeds_gen again. "
        "The existing seed table is unchanged." in out
    ), out[-3000:]
    assert "Traceback" not in out


def test_a_file_cut_at_a_line_end_is_refused_and_the_old_table_stays(project):
    path, run = project
    seed = path / "seeds" / "raw_people.csv"
    seed.write_text(PEOPLE, encoding="utf-8")
    _write_manifest(path / "seeds", "raw_people.csv", PEOPLE)
    assert run(["seed"]).returncode == 0
    assert _people_count() == 20
    # the first 10 of 20 data lines, cut exactly after a line end: a valid CSV
    seed.write_text("".join(PEOPLE.splitlines(keepends=True)[:11]), encoding="utf-8")
    done = run(["seed"])
    _refused(done, os.path.join("seeds", "raw_people.csv"), "row count differs")
    assert "(manifest says 20 rows, file has 10)" in done.stdout
    assert _people_count() == 20
    assert _rows(f"show tables from {SCHEMA}") == (("raw_people",),)


def test_check_manifest_false_loads_the_file_unchecked(project):
    path, run = project
    seed = path / "seeds" / "raw_people.csv"
    _write_manifest(path / "seeds", "raw_people.csv", PEOPLE)
    seed.write_text("".join(PEOPLE.splitlines(keepends=True)[:11]), encoding="utf-8")
    assert run(["seed"]).returncode != 0
    (path / "seeds" / "_seeds.yml").write_text(
        "version: 2\nseeds:\n  - name: raw_people\n    config:\n      check_manifest: false\n"
    )
    done = run(["seed"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert _people_count() == 10


@pytest.mark.parametrize("local_infile", [True, False], ids=["load_data", "insert_fallback"])
def test_same_size_other_content_is_refused_after_the_load_and_the_old_table_stays(
    project, local_infile
):
    path, run = project
    seed = path / "seeds" / "raw_people.csv"
    seed.write_text(PEOPLE, encoding="utf-8")
    _write_manifest(path / "seeds", "raw_people.csv", PEOPLE)
    assert run(["seed"], local_infile=local_infile).returncode == 0
    seed.write_text(PEOPLE.replace("name 7\n", "name X\n"), encoding="utf-8")
    done = run(["seed"], local_infile=local_infile)
    _refused(done, os.path.join("seeds", "raw_people.csv"), "content differs")
    assert "sha256" in done.stdout
    assert _rows(f"select name from {SCHEMA}.raw_people where id = 7") == (("name 7",),)
    # the side table the file went into is gone
    assert _rows(f"show tables from {SCHEMA}") == (("raw_people",),)


def test_a_seed_behind_symlinks_is_checked_against_its_run_folder_manifest(project):
    """data/raw_x.csv -> current/raw_x.csv, current -> .runs/<id>: the file and the manifest
    of one run, whatever the symlinks point at."""
    path, run = project
    # (the run folders live outside seeds/, so dbt does not find each CSV twice)
    store = path / "store"
    run_dir = store / ".runs" / "r1"
    run_dir.mkdir(parents=True)
    (run_dir / "raw_people.csv").write_text(PEOPLE, encoding="utf-8")
    _write_manifest(run_dir, "raw_people.csv", PEOPLE)
    (store / "current").symlink_to(os.path.join(".runs", "r1"))
    current = os.path.join("..", "store", "current")
    (path / "seeds" / "raw_people.csv").symlink_to(os.path.join(current, "raw_people.csv"))
    (path / "seeds" / "manifest.json").symlink_to(os.path.join(current, "manifest.json"))
    done = run(["seed"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert _people_count() == 20
    # a truncated file in the run folder is refused through the symlinks too
    (run_dir / "raw_people.csv").write_text(PEOPLE[: PEOPLE.index("name 5\n") + 7])
    _refused(run(["seed"]), os.path.join("seeds", "raw_people.csv"), "row count differs")
    assert _people_count() == 20


def test_seeds_not_in_the_manifest_load_as_before(project):
    path, run = project
    (path / "seeds" / "raw_people.csv").write_text(PEOPLE, encoding="utf-8")
    (path / "seeds" / "raw_other.csv").write_text("a\n1\n", encoding="utf-8")
    _write_manifest(path / "seeds", "raw_people.csv", PEOPLE)
    done = run(["seed"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert _rows(f"select a from {SCHEMA}.raw_other") == ((1,),)


def test_an_unreadable_manifest_is_one_clear_error(project):
    path, run = project
    (path / "seeds" / "raw_people.csv").write_text(PEOPLE, encoding="utf-8")
    (path / "seeds" / "manifest.json").write_text("{not json")
    done = run(["seed"])
    out = done.stdout + done.stderr
    assert done.returncode != 0 and "Cannot read" in out and "manifest.json" in out, out[-3000:]
    assert "Traceback" not in out


def _write_parts(project_path, parts, fmt="csv"):
    """A table in parts as ecom-synth writes it: seeds/raw_people.csv a header-only stub, the
    rows in raw_people/part-NNNNN.<fmt>, the manifest listing them (kept outside seeds/, behind
    symlinks, so that dbt does not take each part for a seed of its own)."""
    store = project_path / "store"
    (store / "raw_people").mkdir(parents=True)
    header = PEOPLE.splitlines(keepends=True)[0]
    (store / "raw_people.csv").write_text(header, encoding="utf-8")
    files = []
    for number, text in enumerate(parts):
        name = f"raw_people/part-{number:05d}.{fmt}"
        data = text.encode("utf-8")
        (store / name).write_bytes(data)
        files.append({"file": name, "rows": text.count("\n") - 1, "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {"generator": "ecom-synth seeds_gen", "tables": {"people": {
        "format": fmt, "stub": "raw_people.csv", "files": files,
        "rows": sum(f["rows"] for f in files), "bytes": sum(f["bytes"] for f in files),
        "sha256": "fingerprint"}}}
    (store / "manifest.json").write_text(json.dumps(manifest, indent=2))
    for name in ("raw_people.csv", "manifest.json"):
        (project_path / "seeds" / name).symlink_to(os.path.join("..", "store", name))
    return store


def _people_parts():
    header, *rows = PEOPLE.splitlines(keepends=True)
    return [header + "".join(rows[i:i + 7]) for i in range(0, len(rows), 7)]


@pytest.mark.parametrize("local_infile", [True, False], ids=["load_data", "insert_fallback"])
def test_a_stub_seed_loads_every_part_and_an_altered_part_is_refused(project, local_infile):
    path, run = project
    store = _write_parts(path, _people_parts())
    done = run(["seed"], local_infile=local_infile)
    assert done.returncode == 0, done.stdout[-3000:]
    assert _people_count() == 20
    part = store / "raw_people" / "part-00001.csv"
    part.write_text(part.read_text().replace("name 9\n", "name X\n"), encoding="utf-8")
    done = run(["seed"], local_infile=local_infile)
    _refused(done, os.path.join("seeds", "raw_people", "part-00001.csv"), "content differs")
    assert _rows(f"select name from {SCHEMA}.raw_people where id = 9") == (("name 9",),)
    assert _rows(f"show tables from {SCHEMA}") == (("raw_people",),)


def test_a_stub_seed_unchecked_still_loads_its_parts_and_never_no_rows(project):
    path, run = project
    store = _write_parts(path, _people_parts())
    part = store / "raw_people" / "part-00002.csv"
    part.write_text(part.read_text() + "21,name 21\n", encoding="utf-8")
    (path / "seeds" / "_seeds.yml").write_text(
        "version: 2\nseeds:\n  - name: raw_people\n    config:\n      check_manifest: false\n"
    )
    done = run(["seed"])
    assert done.returncode == 0, done.stdout[-3000:]
    assert _people_count() == 21


def test_a_stub_seed_of_parquet_files_names_the_loader_and_creates_nothing(project):
    path, run = project
    _write_parts(path, ["not parquet, never read"], fmt="parquet")
    done = run(["seed"])
    out = done.stdout + done.stderr
    assert done.returncode != 0
    assert "seeds/raw_people.csv: the data is in raw_people/part-00000.parquet (parquet)" in out
    assert "`python -m seeds_gen load --target dev`" in out, out[-3000:]
    assert "Traceback" not in out
    assert _rows(f"show tables from {SCHEMA}") == ()
