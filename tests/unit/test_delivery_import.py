"""Taking over confirmed subscribers from a CSV export; every refused row is reported."""

from pathlib import Path

import pytest

from service.importer import CsvError, import_csv
from service.store import Store

NOW = 1_800_000_000.0


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "n.sqlite") as opened:
        yield opened


def write(tmp_path, text: str, encoding="utf-8") -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_wordpress_style_export_with_rejected_rows(tmp_path, store):
    path = write(
        tmp_path,
        "E-Mail;Status;Einwilligung\n"  # line 1
        "anna@example.org;confirmed;04.05.2019 12:30\n"  # 2 ok (German date, Berlin)
        "bernd@example.org;C;2019-05-04T10:30:00+00:00\n"  # 3 ok
        "kein-at;confirmed;2019-05-04\n"  # 4 bad address
        "carla@example.org;confirmed;\n"  # 5 no consent date
        "dora@example.org;unconfirmed;2019-05-04\n"  # 6 not confirmed
        "emil@example.org;confirmed;gestern\n"  # 7 unreadable date
        "ANNA@example.org;confirmed;2019-06-01\n"  # 8 twice
        "\n"  # 9 blank: ignored
        "fritz@example.org;confirmed;2099-01-01\n",  # 10 future
    )
    report = import_csv(store, path, now=NOW)
    assert (report.added, report.existing) == (2, 0)
    assert [line.split(":", 1)[0] for line in report.rejected] == [
        "Zeile 4",
        "Zeile 5",
        "Zeile 6",
        "Zeile 7",
        "Zeile 8",
        "Zeile 10",
    ]
    assert "keine gültige E-Mail-Adresse" in report.rejected[0]
    assert "Einwilligungsdatum (Einwilligung) fehlt" in report.rejected[1]
    assert "unconfirmed" in report.rejected[2]
    assert "„gestern“ ist kein lesbares Datum" in report.rejected[3]
    assert "schon in Zeile 2" in report.rejected[4]
    assert "Zukunft" in report.rejected[5]
    anna = store.subscriber_by_email("anna@example.org")
    assert (anna.status, anna.source, anna.confirmed_at) == (
        "confirmed",
        "import",
        "2019-05-04T10:30:00Z",  # 12:30 in Berlin (summer time)
    )
    assert anna.consent_version == "import"
    assert store.count() == 2


def test_rerun_is_idempotent_and_unsubscribed_stay_out(tmp_path, store):
    path = write(
        tmp_path, "email,confirmed_at\na@example.org,2020-01-01\nb@example.org,2020-01-02\n"
    )
    assert import_csv(store, path, now=NOW).added == 2
    store.unsubscribe(store.subscriber_by_email("b@example.org").id, now=NOW)
    again = import_csv(store, path, now=NOW)
    assert (again.added, again.existing) == (0, 1)
    assert "abgemeldet" in again.rejected[0] and again.rejected[0].startswith("Zeile 3")


def test_missing_consent_column_refuses_the_whole_file(tmp_path, store):
    path = write(tmp_path, "email,name\na@example.org,Anna\n")
    with pytest.raises(CsvError, match="Datum der Einwilligung") as caught:
        import_csv(store, path, now=NOW)
    assert "'email', 'name'" in str(caught.value)
    assert store.count() == 0


def test_excel_export_in_windows_1252_with_unix_time_and_request_column(tmp_path, store):
    path = write(
        tmp_path,
        "Adresse\tAngemeldet am\tBestätigt am\tconsent_version\n"
        "jörg@example.org\t1556960000\t1556965000\tv2019\n"
        "joerg@example.org\t1556960000\t1556965000\tv2019\n",
        encoding="cp1252",
    )
    report = import_csv(store, path, now=NOW)
    assert report.added == 1
    assert "Zeile 2" in report.rejected[0]
    joerg = store.subscriber_by_email("joerg@example.org")
    assert joerg.requested_at == "2019-05-04T08:53:20Z"
    assert joerg.confirmed_at == "2019-05-04T10:16:40Z"
    assert joerg.consent_version == "v2019"
