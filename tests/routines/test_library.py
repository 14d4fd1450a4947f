"""The library: load, look up, filter, search, and add a clinic's own folder."""

from __future__ import annotations

import shutil

import pytest
import yaml

from toolkit.errors import HepkitError, InvalidDocumentError
from toolkit.paths import exercises_dir
from toolkit.routines.library import load_exercise, load_library

SEED_IDS = [
    "diaphragmatic-breathing",
    "neutral-spine-pelvic-tilts",
    "drawing-in",
    "single-knee-to-chest",
    "double-knee-to-chest",
    "pelvic-tilt",
]


def test_builtin_library_holds_the_seed_movements_and_15_more(library):
    assert set(SEED_IDS) <= set(library.ids)
    assert len(library) >= len(SEED_IDS) + 15
    assert library.ids == sorted(library.ids)
    assert library.source("pelvic-tilt") == exercises_dir() / "pelvic-tilt.yaml"


def test_filter_by_each_criterion(library):
    on_back = library.filter(position="lying-on-back")
    assert "pelvic-tilt" in on_back and "cat-cow" not in on_back
    assert all(ex.position == "lying-on-back" for ex in on_back)
    assert all("hips" in ex.body_regions for ex in library.filter(body_region="hips"))
    assert all("relaxation" in ex.goals for ex in library.filter(goal="relaxation"))
    seed = library.filter(tag="seed-routine")
    assert sorted(seed.ids) == sorted(SEED_IDS)
    both = library.filter(position="lying-on-back", tag="seed-routine")
    assert len(both) == len(SEED_IDS)
    assert len(library.filter(tag="no-such-tag")) == 0


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            {"position": "upside-down"},
            "position 'upside-down' is not known; allowed: lying-on-back",
        ),
        ({"body_region": "neck"}, "body_region 'neck' is not known; allowed: lower-back, core"),
        ({"goal": "speed"}, "goal 'speed' is not known; allowed: relaxation, mobility"),
    ],
)
def test_filter_refuses_unknown_choices(library, criterion, message):
    with pytest.raises(HepkitError, match=message):
        library.filter(**criterion)


def test_search_matches_every_word_in_any_case(library):
    assert "single-knee-to-chest" in library.search("KNEE chest")
    assert "double-knee-to-chest" in library.search("knee chest")
    assert library.search("cat cow").ids == ["cat-cow"]
    assert "cat-cow" not in library.search("cat cow zebra")
    assert len(library.search("zebra")) == 0
    assert len(library.search("")) == len(library)


def test_table_is_readable(library):
    table = library.filter(tag="seed-routine").table()
    assert list(table.columns) == [
        "name",
        "position",
        "body regions",
        "goals",
        "default dose",
        "tags",
    ]
    assert table.loc["single-knee-to-chest", "position"] == "lying on back"
    assert table.loc["single-knee-to-chest", "default dose"] == (
        "Hold for 20 seconds. Do this 3 times, each side."
    )


def _clinic_exercise(library, new_id: str) -> dict:
    data = library.get("pelvic-tilt").model_dump(mode="json", exclude_none=True)
    data["id"] = new_id
    data["name"] = "Pelvic tilt on a ball"
    return data


def test_clinic_folder_is_added(tmp_path, library):
    (tmp_path / "ball-tilt.yaml").write_text(yaml.safe_dump(_clinic_exercise(library, "ball-tilt")))
    combined = load_library(tmp_path)
    assert len(combined) == len(library) + 1
    assert combined.get("ball-tilt").name == "Pelvic tilt on a ball"
    assert combined.source("ball-tilt") == tmp_path / "ball-tilt.yaml"
    only_clinic = load_library(tmp_path, builtin=False)
    assert only_clinic.ids == ["ball-tilt"]


def test_same_id_in_two_folders_is_an_error(tmp_path, library):
    shutil.copy(exercises_dir() / "pelvic-tilt.yaml", tmp_path / "pelvic-tilt.yaml")
    with pytest.raises(
        HepkitError,
        match=r"exercise id defined twice: 'pelvic-tilt' in .*exercises/pelvic-tilt.yaml and .*give one of them a new id",
    ):
        load_library(tmp_path)


def test_every_bad_file_in_a_folder_is_reported(tmp_path, library):
    wrong_name = _clinic_exercise(library, "ball-tilt")
    (tmp_path / "ball.yaml").write_text(yaml.safe_dump(wrong_name))
    broken = _clinic_exercise(library, "broken")
    broken["default_dose"] = {"sets": 2}
    broken["stpes"] = ["x"]
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken))
    with pytest.raises(InvalidDocumentError) as caught:
        load_library(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "ball.yaml: id: must match the file name 'ball' (got 'ball-tilt')",
        "broken.yaml: default_dose: give either reps (a counted exercise) or duration_s (an "
        "exercise dosed by time), not both and not neither",
        "broken.yaml: stpes: unknown field 'stpes'; did you mean 'steps'?",
    ]


def test_missing_folder(tmp_path):
    with pytest.raises(HepkitError, match=r"nowhere: exercise folder not found"):
        load_library(tmp_path / "nowhere")


def test_image_path_must_stay_inside_the_folder(tmp_path, library):
    data = _clinic_exercise(library, "ball-tilt")
    data["image"] = "../secrets/x.png"
    path = tmp_path / "ball-tilt.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(
        InvalidDocumentError,
        match=r"image: the image must be a file inside the exercise's folder, .* \(got '../secrets/x.png'\)",
    ):
        load_exercise(path)


def test_video_link_must_be_http(tmp_path, library):
    data = _clinic_exercise(library, "ball-tilt")
    data["video_url"] = "javascript:alert(1)"
    path = tmp_path / "ball-tilt.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(
        InvalidDocumentError, match=r"video_url: String should match pattern '\^https\?://"
    ):
        load_exercise(path)


def test_search_ranks_name_matches_before_description_matches(library):
    found = library.search("stretch").ids
    in_name = [i for i in found if "stretch" in library.get(i).name.lower()]
    assert in_name and found[: len(in_name)] == in_name
    assert len(found) > len(in_name)  # the others say "stretch" only in their description
    assert library.search("knee chest").ids[:2] == ["double-knee-to-chest", "single-knee-to-chest"]


def test_search_forgives_misspelt_words(library):
    assert library.search("hamstrng").ids == ["hamstring-stretch-strap"]
    assert library.search("hamstrin strech").ids == ["hamstring-stretch-strap"]
    assert library.search("brething").ids[0] == "diaphragmatic-breathing"


def test_filter_keeps_the_order_of_a_search(library):
    found = library.search("stretch")
    assert found.filter(goal="flexibility").ids == [
        i for i in found.ids if "flexibility" in library.get(i).goals
    ]


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("hamstrng", "hamstring"),
        ("hamstrin strech", "hamstring stretch"),
        ("brething", "breathing"),
    ],
)
def test_suggest_spells_a_search_that_finds_something(library, text, suggestion):
    assert library.suggest(text) == suggestion
    assert len(library.search(suggestion)) > 0


def test_suggest_gives_nothing_when_nothing_is_near(library):
    assert library.suggest("xylophone") is None
    assert library.suggest("cat cow") is None  # already spelt as in the library


def test_search_thresholds():
    from toolkit.routines.library import FUZZY_CUTOFF, NAME_WEIGHT, SUGGEST_CUTOFF

    assert (NAME_WEIGHT, FUZZY_CUTOFF, SUGGEST_CUTOFF) == (3.0, 0.8, 0.7)
