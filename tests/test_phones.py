"""Phone numbers print as written and link in E.164 (issue 9.2)."""
from __future__ import annotations

import pytest

from conftest import MINIMAL, link_uris, page_texts, squash, with_blocks
from handouts.phones import PhoneError, tel_target


@pytest.mark.parametrize("text, region, target", [
    ("020 7946 0000", "GB", "tel:+442079460000"),
    ("01612345670", "GB", "tel:+441612345670"),
    ("+44 161 234 5670", "US", "tel:+441612345670"),
    ("111", "GB", "tel:111"),
    ("999", "GB", "tel:999"),
    ("1-800-4-CANCER", "US", "tel:+18004226237"),
    ("1-800-422-6237", "US", "tel:+18004226237"),
    ("(800) 232-4636", "US", "tel:+18002324636"),
    ("911", "US", "tel:911"),
    ("+33 1 42 68 53 00", "GB", "tel:+33142685300"),
])
def test_numbers_link_in_international_form(text, region, target):
    assert tel_target(text, region) == target


@pytest.mark.parametrize("text, region, message", [
    ("1-800-4-CANCER (1-800-422-6237)", "US", "holds more than one phone number"),
    ("1-800-232-4636 (1-800-CDC-INFO)", "US", "holds more than one phone number"),
    ("020 7946 000", "GB", "is not a valid phone number in GB"),
    ("(612) 555-0100", "GB", "is not a valid phone number in GB"),
    ("5555", "GB", "is not a short number in use in GB"),
    ("call us", "GB", "is not a valid phone number in GB"),
])
def test_bad_numbers_are_refused(text, region, message):
    with pytest.raises(PhoneError, match=message.replace("(", r"\(")):
        tel_target(text, region)


def test_the_pdf_prints_the_number_as_written_and_links_e164(catalogue):
    catalogue.leaflet(with_blocks("""\
        - contact:
            name: Cancer information line
            phone: 1-800-4-CANCER
        """).replace("summary:", "template: lakeside-clinic\nsummary:"))
    assert catalogue.build() == 0
    pdf = catalogue.out / "sample.pdf"
    assert "1-800-4-CANCER" in squash(" ".join(page_texts(pdf)))
    uris = link_uris(pdf)
    assert "tel:+18004226237" in uris
    assert "tel:+16125550142" in uris  # the brand's (612) 555-0142, read as a US number
    assert not [u for u in uris if u.startswith("tel:") and not u.startswith(("tel:+", "tel:9"))]


def test_the_uk_brand_links_its_number_in_e164(catalogue):
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 0
    assert "tel:+442079460100" in link_uris(catalogue.out / "sample.pdf")


def test_a_contact_with_two_numbers_fails_only_its_leaflet(catalogue, capsys):
    text = with_blocks("""\
        - contact:
            name: CDC
            phone: 1-800-232-4636 (1-800-CDC-INFO)
        """).replace("summary:", "template: lakeside-clinic\nsummary:").replace(
        "id: sample", "id: two-numbers")
    catalogue.leaflet(text, "two-numbers")
    catalogue.leaflet(MINIMAL)
    assert catalogue.build() == 1
    err = capsys.readouterr().err
    line = text.splitlines().index("      - contact:") + 3  # at the phone's own line
    assert f"two-numbers.yaml:{line}:18: contact phone: '1-800-232-4636 (1-800-CDC-INFO)' " \
           "holds more than one phone number" in err
    assert (catalogue.out / "sample.pdf").is_file()
    assert not (catalogue.out / "two-numbers.pdf").exists()


@pytest.mark.parametrize("phone, region, message", [
    ("020 7946 0100 or 020 7946 0101", "GB", "holds more than one phone number"),
    ("(612) 555-0142", "GB", "is not a valid phone number in GB"),
])
def test_a_bad_brand_number_is_a_template_error(catalogue, capsys, phone, region, message):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("phone: 020 7946 0100", f"phone: {phone}"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    err = capsys.readouterr().err
    assert "riverside-trust/brand.yaml:" in err and f"contact.phone: '{phone}' {message}" in err


def test_an_unknown_region_is_a_template_error(catalogue, capsys):
    brand = catalogue.root / "templates" / "riverside-trust" / "brand.yaml"
    brand.write_text(brand.read_text().replace("region: GB", "region: UK"))
    catalogue.leaflet(MINIMAL)
    assert catalogue.validate() == 1
    assert "region: 'UK' is not a two-letter region code" in capsys.readouterr().err
