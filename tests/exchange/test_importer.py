"""Bulk import of listings from CSV and XLSX: every row checked first, problems positioned by row and
column, nothing written when any row is bad."""

from __future__ import annotations

import pytest

from scobank.errors import IngestRejected, UnsupportedFormat
from scobank.exchange.importer import import_listings
from scobank.exchange.listings import count_listings, search_listings
from tests.exchange.conftest import KAZ_FIRM, make_enterprise

HEADER = "enterprise_id,kind,language,title,hs_code,volume_per_year,unit,lead_time_days,certifications_required,trl,publish"


def test_a_csv_of_listings_is_imported_and_published(bank, tmp_path):
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        f = tmp_path / "steppe_listings.csv"
        f.write_text(f"{HEADER}\n"
                     f"{firm.id},product_offer,ru,Горячекатаный рулон,720838,1500,t,20,ISO 9001;EAC,,yes\n"
                     f"{firm.id},technology_offer,en,Heap leaching know-how,2603,,,,,7,no\n", encoding="utf-8")
        result = import_listings(s, reader=KAZ_FIRM, path=f)
        page = search_listings(s, reader=KAZ_FIRM, party="KAZ")
    assert (result.rows, result.created, result.published) == (2, 2, 1)
    offer = page.items[0]
    assert (offer.kind, offer.hs_code, offer.original_language, offer.title) == (
        "product_offer", "720838", "ru", {"ru": "Горячекатаный рулон"})
    assert offer.details["certifications_required"] == ["ISO 9001", "EAC"]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(bank, tmp_path):
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        f = tmp_path / "listings_with_a_short_hs_code_and_a_bad_kind.csv"
        f.write_text(f"{HEADER}\n"
                     f"{firm.id},product_offer,en,Coil,720838,1500,t,20,,,yes\n"
                     f"{firm.id},product_offer,en,Coil,72083,1500,t,20,,,yes\n"
                     f"{firm.id},barter,en,Swap,720838,1,t,,,,yes\n"
                     f"999,product_offer,en,Coil,720838,-5,t,,,,yes\n"
                     f"{firm.id},product_offer,en,Coil,999999,1500,t,20,,,yes\n", encoding="utf-8")
        with pytest.raises(IngestRejected) as caught:
            import_listings(s, reader=KAZ_FIRM, path=f)
        assert count_listings(s) == 0
    report = caught.value.report
    assert report.flatten("row", "column", "code") == [
        (2, "hs_code", "bad-value"), (3, "kind", "bad-kind"), (4, "enterprise_id", "bad-enterprise"),
        (5, "hs_code", "bad-hs-code")]  # well formed but not in HS 2022
    assert "nothing was written" in caught.value.message


def test_an_xlsx_file_is_read_and_other_formats_are_refused(bank, tmp_path):
    from openpyxl import Workbook

    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        wb = Workbook()
        wb.active.append(HEADER.split(","))
        wb.active.append([firm.id, "product_request", "zh", "电力变压器", "850423", 40, "pcs", None, None, None, "yes"])
        wb.save(tmp_path / "needs.xlsx")
        result = import_listings(s, reader=KAZ_FIRM, path=tmp_path / "needs.xlsx")
        assert result.published == 1
        (tmp_path / "needs.pdf").write_bytes(b"%PDF")
        with pytest.raises(UnsupportedFormat, match="needs.pdf"):
            import_listings(s, reader=KAZ_FIRM, path=tmp_path / "needs.pdf")
