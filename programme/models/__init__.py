"""The programme's models: the catalogue and enrolments (surveys are an app of their own)."""

from .catalogue import (
    SESSION_FORMATS,
    ContentKind,
    Module,
    ModuleFormat,
    SearchSynonyms,
    SearchWord,
    Session,
    SessionMode,
    Theme,
    search_fold,
    search_normalise,
)
from .enrolments import (
    ACTIVE_STATUSES,
    Attendance,
    CalendarFeed,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    SavedModule,
)
from .material import MaterialKind, SessionMaterial
from .operations import SessionMessage, SessionMove
from .series import SeriesFrequency, SeriesOccurrence, SessionSeries
from .tool_use import ToolOpening
from .tracks import StepCompletion, StepKind, TrackAudience, TrackStep, TrainingTrack
from .versions import ModuleVersionGroup

__all__ = [
    "ACTIVE_STATUSES",
    "SESSION_FORMATS",
    "Attendance",
    "CalendarFeed",
    "ContentKind",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "Module",
    "ModuleFormat",
    "ModuleVersionGroup",
    "SavedModule",
    "Session",
    "SessionMode",
    "SearchSynonyms",
    "SearchWord",
    "Theme",
    "MaterialKind",
    "SessionMaterial",
    "SeriesFrequency",
    "SeriesOccurrence",
    "SessionSeries",
    "SessionMessage",
    "SessionMove",
    "StepCompletion",
    "StepKind",
    "TrackAudience",
    "TrackStep",
    "ToolOpening",
    "TrainingTrack",
    "search_fold",
    "search_normalise",
]
