"""Where the product space draws a product: the Atlas layout (SITC or HS92 headings) and its group colour."""

from __future__ import annotations

from scobank.web.product_space_layout import group_of, places_for


def test_sitc_codes_take_the_atlas_places_and_sections(data_dir):
    places = places_for(["3330", "0011", "XXXX"], data_dir=data_dir)
    assert (places["3330"].x, places["3330"].y, places["3330"].group) == (938.0, 2054.0, "sitc:4")
    assert group_of(places["0011"]) == {"key": "sitc:1", "label": "Food and live animals", "color": "#c2255c"}
    assert places["XXXX"].x is None  # listed, but with no place: the chart lays it out by its links


def test_hs_subheadings_share_their_headings_place_and_sector(data_dir):
    places = places_for(["720851", "720852", "7208", "010121"], data_dir=data_dir)
    assert places["720851"] == places["720852"] == places["7208"]
    assert group_of(places["720851"])["label"] == "Metals"
    assert group_of(places["010121"])["label"] == "Agriculture"


def test_without_the_atlas_files_no_product_has_a_place(tmp_path):
    assert places_for(["3330", "720851"], data_dir=tmp_path) == {}
    assert group_of(None)["key"] == "other"
