"""Graph files in two languages (format v1.1): texts as tables of languages, and `lang`."""

from __future__ import annotations

import pytest

import bpdebug
from bpdebug.support.errors import GraphError
from bpdebug.support.languages import from_environment

BILINGUAL = """
title = { en = "Apples", zh = "苹果" }
output = "y"

[description]
en = \"\"\"
Two apples.\"\"\"
zh = \"\"\"
两个苹果。\"\"\"

[inputs]
a = { value = 100, label = { en = "apple", zh = "苹果" } }
n = { value = 2, label = { zh = "个数" } }

[[nodes]]
id = "y"
op = "mul"
inputs = ["a", "n"]
label = { en = "price", zh = "金额" }
"""


def test_texts_are_read_in_the_language_asked_for() -> None:
    en, zh = bpdebug.loads(BILINGUAL), bpdebug.loads(BILINGUAL, lang="zh")
    assert (en.title, en.description.strip(), en.display("a"), en.display("y")) == (
        "Apples",
        "Two apples.",
        "apple",
        "price",
    )
    assert (zh.title, zh.description.strip(), zh.display("a"), zh.display("y")) == (
        "苹果",
        "两个苹果。",
        "苹果",
        "金额",
    )
    assert en.display("n") == "个数"  # a table without English: its first entry
    assert (en.lang, zh.lang) == ("en", "zh")


def test_the_files_own_lang_is_the_default() -> None:
    graph = bpdebug.loads('lang = "zh"\n' + BILINGUAL)
    assert graph.lang == "zh" and graph.title == "苹果"
    assert bpdebug.loads('lang = "zh"\n' + BILINGUAL, lang="en").title == "Apples"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('title = { en = "Apples", zh = "苹果" }', 'title = { en = "Apples", fr = "Pommes" }'), "'fr'"),
        (('title = { en = "Apples", zh = "苹果" }', "title = {}"), "empty table"),
        (('title = { en = "Apples", zh = "苹果" }', 'title = { en = "A", zh = 3 }'), "must be a string"),
        (('title = { en = "Apples", zh = "苹果" }', 'title = { en = "A", zh = "\\u202e" }'), "U+202E"),
        (('output = "y"', 'output = "y"\nlang = "fr"'), "'lang' must be one of"),
    ],
)
def test_a_bad_table_of_languages_is_one_line_naming_its_key(change: tuple[str, str], says: str) -> None:
    with pytest.raises(GraphError) as error:
        bpdebug.loads(BILINGUAL.replace(*change), path="g.toml")
    message = str(error.value)
    assert says in message and "\n" not in message and message.startswith("g.toml:")


def test_an_error_never_points_into_a_description_table() -> None:
    text = BILINGUAL.replace("Two apples.", 'op = "nope"\noutput').replace('op = "mul"', 'op = "mull"')
    with pytest.raises(GraphError) as error:
        bpdebug.loads(text, path="g.toml")
    line = int(str(error.value).split(":")[1])
    assert text.splitlines()[line - 1] == 'op = "mull"'


def test_an_unknown_language_asked_for_is_an_error() -> None:
    with pytest.raises(GraphError, match="bpdebug speaks: en, zh"):
        bpdebug.loads(BILINGUAL, lang="fr")


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"BPDEBUG_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, None),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_environment_chooses_as_posix_says(environ: dict[str, str], lang: str | None) -> None:
    assert from_environment(environ) == lang
