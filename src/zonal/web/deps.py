"""Dependencies shared by routes: the store and the request's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _language(request: Request) -> str:
    language: str = request.state.language
    return language


StoreDep = Annotated[Engine, Depends(_engine)]
LanguageDep = Annotated[str, Depends(_language)]
