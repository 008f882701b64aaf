import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/deadline"


def get(client, **params):
    return client.get(URL, params)


def test_five_working_days_across_national_day(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the snapshot is built once (2 queries), then cached
        response = get(client, start="2025-09-30T10:00:00+08:00", days=5, unit="workday")
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2025-10-14T17:30:00+08:00"
    assert body["warn_at"] == "2025-10-13T17:30:00+08:00"
    assert body["start"] == "2025-09-30T10:00:00+08:00"
    assert (body["days"], body["unit"], body["provisional"], body["missing_years"]) == (5, "workday", False, [])
    assert body["skipped"][0] == {"date": "2025-10-01", "kind": "holiday", "name": "国庆节"}
    assert body["skipped"][5] == {"date": "2025-10-06", "kind": "holiday", "name": "中秋节"}
    assert body["skipped"][-1] == {"date": "2025-10-12", "kind": "rest", "name": ""}
    assert len(body["skipped"]) == 9
    with django_assert_max_num_queries(0):
        assert get(client, start="2025-09-30T10:00:00+08:00", days=5).status_code == 200


def test_unit_defaults_to_working_days_and_naive_start_is_beijing_time(client):
    body = get(client, start="2025-09-30T10:00", days=5).json()
    assert body["due_at"] == "2025-10-14T17:30:00+08:00" and body["unit"] == "workday"


def test_an_unescaped_plus_in_the_query_string_still_works(client):
    response = client.get(URL + "?start=2025-09-30T10:00:00+08:00&days=5")
    assert response.status_code == 200
    assert response.json()["due_at"] == "2025-10-14T17:30:00+08:00"


def test_utc_start_is_converted(client):
    body = get(client, start="2025-09-30T02:00:00Z", days=5).json()
    assert body["start"] == "2025-09-30T10:00:00+08:00"
    assert body["due_at"] == "2025-10-14T17:30:00+08:00"


def test_natural_days_ending_on_a_holiday(client):
    body = get(client, start="2025-09-28T09:30:00+08:00", days=3, unit="natural").json()
    assert body["due_at"] == "2025-10-09T17:30:00+08:00"
    assert [d["date"] for d in body["skipped"]] == [f"2025-10-0{d}" for d in range(1, 9)]


def test_crossing_into_an_unconfigured_year_is_provisional(client):
    body = get(client, start="2026-12-28T10:00:00+08:00", days=5).json()
    assert body["provisional"] is True and body["missing_years"] == [2027]
    assert body["due_at"] == "2027-01-04T17:30:00+08:00"


def test_zero_days(client):
    body = get(client, start="2025-09-30T18:00:00+08:00", days=0).json()
    assert body["due_at"] == "2025-10-09T17:30:00+08:00"


@pytest.mark.parametrize(("params", "fields"), [
    ({"start": "yesterday", "days": 5}, {"start"}),
    ({"start": "2025-13-01T10:00", "days": 5}, {"start"}),
    ({"days": 5}, {"start"}),
    ({"start": "2025-09-30T10:00", "days": -1}, {"days"}),
    ({"start": "2025-09-30T10:00", "days": 3651}, {"days"}),
    ({"start": "2025-09-30T10:00", "days": "five"}, {"days"}),
    ({"start": "2025-09-30T10:00", "days": 5, "unit": "hour"}, {"unit"}),
    ({"start": "nope", "days": 99999, "unit": "hour"}, {"start", "days", "unit"}),
])
def test_bad_parameters_are_400_with_the_fields_marked(client, params, fields):
    response = get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert set(body["fields"]) == fields
    assert all(isinstance(m, str) for msgs in body["fields"].values() for m in msgs)


def test_a_result_past_year_9999_is_a_400_not_a_500(client):
    response = get(client, start="9999-12-20T10:00:00+08:00", days=3650)
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range"


def test_the_endpoint_is_in_the_schema_and_the_schema_stays_clean(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yaml"))
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/calendar/deadline"]["get"]
    assert operation["operationId"] == "calendar_deadline_retrieve"
    assert {p["name"] for p in operation["parameters"]} == {"start", "days", "unit"}
    assert set(operation["responses"]) == {"200", "400"}
