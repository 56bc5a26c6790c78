"""`scobank analytics complexity INPUT --out DIR`: the command-line contract of issue #4."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from scobank.cli import main


def run(*args: str) -> tuple[int, str, str]:
    import contextlib
    import io
    import sys

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["scobank", *map(str, args)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


def test_complexity_writes_the_four_files_for_the_real_world_panel(sitc_file, tmp_path):
    code, out, err = run("analytics", "complexity", sitc_file, "--out", tmp_path / "out")
    assert code == 0, err
    assert "226 countries x 785 products" in out
    cp = pq.read_table(tmp_path / "out" / "country_product.parquet")
    assert cp.column_names == ["year", "exporter", "product", "value", "rca", "m", "density", "cog"]
    assert cp.num_rows == 226 * 785
    country = pq.read_table(tmp_path / "out" / "country.parquet").to_pandas().set_index("exporter")
    assert list(country.columns) == ["year", "diversity", "eci", "coi"]
    assert country.loc["JPN", "eci"] > 2 and country.loc["NGA", "eci"] < -2
    product = pq.read_table(tmp_path / "out" / "product.parquet")
    assert product.column_names == ["year", "product", "ubiquity", "pci"]
    assert "0011" in product["product"].to_pylist()  # SITC codes keep their leading zero
    prox = pq.read_table(tmp_path / "out" / "proximity.parquet")
    assert prox.column_names == ["year", "product_a", "product_b", "proximity"]
    assert pc.min(prox["proximity"]).as_py() > 0 and pc.max(prox["proximity"]).as_py() <= 1
    assert pc.all(pc.less(prox["product_a"], prox["product_b"])).as_py()


def test_duplicates_are_summed_and_the_csv_codes_stay_strings(tmp_path):
    (tmp_path / "x.csv").write_text(
        "year,exporter,product,value\n"
        "2001,AAA,0101,30\n2001,AAA,0101,20\n2001,AAA,0202,5\n2001,AAA,0303,20\n"
        "2001,BBB,0101,1\n2001,BBB,0202,40\n2001,BBB,0303,20\n"
        "2001,CCC,0101,10\n2001,CCC,0202,10\n2001,CCC,0303,1\n"
    )
    code, _, err = run("analytics", "complexity", tmp_path / "x.csv", "--out", tmp_path / "o")
    assert code == 0, err
    cp = pq.read_table(tmp_path / "o" / "country_product.parquet").to_pylist()
    aaa = {r["product"]: r for r in cp if r["exporter"] == "AAA"}
    assert aaa["0101"]["value"] == 50
    # RCA of AAA in 0101 = (50/75) / (61/157): AAA exports 75 of 157, 0101 is 61 of 157
    assert aaa["0101"]["rca"] == pytest.approx((50 / 75) / (61 / 157), rel=1e-12)
    assert [aaa[p]["m"] for p in ("0101", "0202", "0303")] == [1, 0, 1]


@pytest.mark.parametrize(("content", "reason"), [
    ("year,exporter,product,value\n2000,AAA,01,5\n2000,BBB,01,-3\n",
     "bad.csv: 1 bad cell (first: row 2, column 'value': negative value -3.0); nothing was computed"),
    ("year,exporter,product,value\n2000,AAA,01,5\n2000,BBB,01,\n",
     "bad.csv: 1 bad cell (first: row 2, column 'value': empty or NaN value); nothing was computed"),
    ("year,exporter,value\n2000,AAA,5\n", "bad.csv: missing column(s) product; expected year, exporter, product, value"),
])
def test_bad_input_exits_non_zero_with_one_line_reason_and_writes_nothing(tmp_path, content, reason):
    (tmp_path / "bad.csv").write_text(content)
    code, _, err = run("analytics", "complexity", tmp_path / "bad.csv", "--out", tmp_path / "o")
    assert code != 0
    assert err.splitlines()[0].endswith(reason)
    assert not (tmp_path / "o" / "country.parquet").exists()


def test_a_disconnected_year_fails_and_leaves_no_file(tmp_path):
    (tmp_path / "islands.csv").write_text(
        "year,exporter,product,value\n2000,AAA,01,10\n2000,BBB,01,10\n2000,AAA,02,1\n2000,BBB,02,2\n"
        "2000,CCC,03,5\n2000,DDD,03,5\n2000,CCC,04,1\n2000,DDD,04,1\n"
    )
    code, _, err = run("analytics", "complexity", tmp_path / "islands.csv", "--out", tmp_path / "o")
    assert code == 11 and "disconnected" in err
    assert list((tmp_path / "o").iterdir()) == []


def test_help_explains_the_outputs():
    code, out, _ = run("analytics", "complexity", "--help")
    assert code == 0 and "country_product.parquet" in out and "--rca-cutoff" in out
