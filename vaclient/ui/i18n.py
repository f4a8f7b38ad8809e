"""Translations: Qt ``.ts`` sources built into ``.qm`` files, and the ``tr`` helper.

UI text is written in English and wrapped in :func:`tr`. ``pyside6-lupdate``
(6.12) files calls of this imported ``tr("...")`` under the empty context,
which is the context :func:`tr` looks up, so extraction and lookup agree (a
test loads the Japanese file and checks a visible string). To update
(``-no-obsolete`` drops strings no longer in the code, which a test would
otherwise report as untranslated):

    pyside6-lupdate -no-obsolete vaclient/ui/*.py -ts resources/translations/vaclient_ja.ts
    pyside6-lrelease resources/translations/vaclient_ja.ts \\
        -qm resources/translations/vaclient_ja.qm

The built ``.qm`` is committed so that an install needs no Qt tools; a test
checks that it is not older than its source. The language is
``settings.language`` when set, else the system locale's.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from vaclient.resources import resource_path

logger = logging.getLogger(__name__)

#: Languages with a translation, besides the source language English.
LANGUAGES = {"en": "English", "ja": "日本語"}
CONTEXT = ""


def tr(text: str) -> str:
    """Translate a UI string (the context matches what pyside6-lupdate extracts)."""
    return QCoreApplication.translate(CONTEXT, text)


def choose_language(setting: str = "", locale: QLocale | None = None) -> str:
    """The language to show: the setting when it names a known one, else the locale's."""
    if setting in LANGUAGES:
        return setting
    name = (locale or QLocale.system()).name()
    code = name.split("_", 1)[0]
    return code if code in LANGUAGES else "en"


def install_translator(language: str) -> QTranslator | None:
    """Load and install the translation for ``language``; None for English or when missing.

    The caller keeps the returned translator alive (Qt does not own it).
    """
    if language == "en":
        return None
    path = resource_path("translations", f"vaclient_{language}.qm")
    translator = QTranslator()
    if not translator.load(str(path)):
        logger.warning("no translation for %s at %s; showing English", language, path)
        return None
    QCoreApplication.installTranslator(translator)
    logger.info("language: %s (%s)", language, path)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    """Undo :func:`install_translator`."""
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
