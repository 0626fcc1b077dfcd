"""Every sentence a learner reads, by message id, in the language being shown: the catalogs
``teach/catalog/<code>.toml`` and the functions that read them (``bpdebug.support.catalogs``)."""

from __future__ import annotations

from bpdebug.support.catalogs import CATALOGS, catalog, has, language, pieces, placeholders, say, set_language

__all__ = ["CATALOGS", "catalog", "has", "language", "pieces", "placeholders", "say", "set_language"]
