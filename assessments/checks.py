"""Refuse to start with an instrument file that breaks a rule (`manage.py check`)."""

from django.core import checks

from .instruments import InstrumentError
from .instruments.definitions import _registry


@checks.register()
def instruments_load(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        registry = _registry()
    except InstrumentError as error:
        return [checks.Error(str(error), id="assessments.E001")]
    if not any(instrument.current for instrument in registry.values()):
        return [checks.Error("No current self-assessment instrument.", id="assessments.E002")]
    return []
