"""Numbers a scenario overrides are cited to the scenario, with the line that set them."""

from __future__ import annotations

from detente.io import dump_scenario, load_scenario

OVERRIDE = """\
name: prov
sides:
  - posture: us-2021
    override:
      alert: generated
      c2: {execution_probability: 0.8}
      systems:
        - id: us_minuteman_iii
          launchers_deployed: 200
        - id: us_new_icbm
          category: icbm_silo
          delivery: ballistic_rv
          launchers_deployed: 10
          warheads_per_launcher: 1
          max_warheads_per_launcher: 1
          yield_kt: 300
          cep_m: 100
          reliability: 0.9
          flight_time_min: 30
          range_km: 10000
          home_target: us_icbm_silos
          alert: {day_to_day: 1, generated: 1}
  - posture: ru-2021
"""


def test_overridden_fields_cite_the_scenario_line(tmp_path):
    path = tmp_path / "prov.yaml"
    path.write_text(OVERRIDE, encoding="utf-8")
    us = load_scenario(path).side("us").posture
    mm3 = us.system("us_minuteman_iii")
    cited = mm3.citation("launchers_deployed")
    assert (cited.source, cited.note) == ("scenario", "set by the scenario at prov.yaml:9")
    assert mm3.citation("cep_m").source != "scenario"  # untouched fields keep their source
    assert us.citation("alert").note == "set by the scenario at prov.yaml:5"
    assert us.c2.citation("execution_probability").source == "scenario"
    assert us.system("us_new_icbm").source == "scenario"  # an added item, as a whole


def test_cited_scenario_round_trips(tmp_path):
    path = tmp_path / "prov.yaml"
    path.write_text(OVERRIDE, encoding="utf-8")
    scenario = load_scenario(path)
    again = tmp_path / "again.yaml"
    again.write_text(dump_scenario(scenario), encoding="utf-8")
    assert load_scenario(again) == scenario
