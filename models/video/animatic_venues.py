"""The words for places drawn as a building's front, a playground or a bridge (animatic_frontage,
animatic_playground), kept apart from animatic_sets' older vocabulary so each table stays readable.

Chinese reaches these through the planner's lexicon, which writes a scene's setting in English (医院 → "hospital",
校门口 → "school gate", 机场 → "airport", 桥 → "bridge"), so one English table serves both languages.
"""

from __future__ import annotations

import re

# fmt: off
# Setting words → set (merged into animatic_sets.SET_WORDS).
VENUE_SETS: dict[str, tuple[str, ...]] = {
    "front": ("hospital", "clinic", "hospital entrance", "medical centre", "medical center", "school gate",
              "school gates", "schoolyard", "school yard", "front of the school", "kindergarten", "campus",
              "university campus", "museum", "art gallery", "gallery", "bank", "courthouse", "city hall", "town hall",
              "hotel", "inn", "guesthouse", "youth hostel", "motel", "hotel entrance", "cinema", "movie theater",
              "movie theatre", "theatre", "theater", "opera house", "police station", "church", "cathedral",
              "chapel", "airport", "airport terminal", "terminal", "stadium", "arena", "sports ground", "farm",
              "ranch", "farmhouse", "farmyard", "square", "city square", "town square", "plaza", "public square",
              "library", "public library", "post office"),
    "playground": ("playground", "play area", "swings", "swing set", "slide", "jungle gym", "amusement park",
                   "children's park", "sandpit", "sandbox"),
    # lawns, a winding path, benches, lamp posts, broadleaf trees and flowerbeds (animatic_park)
    "park": ("park", "garden", "gardens", "city park", "public park", "small city park", "botanical garden",
             "flower garden", "rose garden", "park bench", "parkland", "backyard garden"),
    "bridge": ("bridge", "stone bridge", "arched bridge", "footbridge", "suspension bridge", "small bridge",
               "old bridge", "wooden bridge", "broken bridge", "bridge over the river"),
}
# Which building a front is (props of the "front" set, read from the setting, the action and the subjects).
FRONT_KINDS: dict[str, tuple[str, ...]] = {
    "hospital": ("hospital", "clinic", "hospital entrance", "medical centre", "medical center", "ambulance"),
    "school": ("school", "school gate", "school gates", "schoolyard", "school yard", "kindergarten", "campus",
               "university campus", "university", "college"),
    "hall": ("museum", "art gallery", "gallery", "bank", "courthouse", "city hall", "town hall", "library",
             "public library", "post office"),
    "hotel": ("hotel", "inn", "guesthouse", "youth hostel", "motel", "hotel entrance"),
    "cinema": ("cinema", "movie theater", "movie theatre", "theatre", "theater", "opera house"),
    "police": ("police station",),  # (no railway's: animatic_sets reads it here before its stations)
    "church": ("church", "cathedral", "chapel"),
    "airport": ("airport", "airport terminal", "terminal"),
    "stadium": ("stadium", "arena", "sports ground"),
    "farm": ("farm", "ranch", "farmhouse", "farmyard", "barn"),
    "square": ("square", "city square", "town square", "plaza", "public square"),
}
# fmt: on
# Places whose words also name a building's (or a park's): the bank of a river, a theatre of surgery, a car park.
# These are struck from the setting before the sets are read.
NOT_A_BUILDING = re.compile(
    r"\b(?:river|stream|canal|lake|grassy|muddy|steep|sandy|snowy|far|near|opposite|west|east|north|south)\s+bank"
    r"|\bbanks? of\b|\b(?:operating|lecture)\s+theat(?:re|er)\b|\b(?:piggy|food|blood)\s+bank\b|\bcar\s+parks?\b|\bparking\b",
    re.I,
)
# A set seen from outside that the words put inside ("the hospital ward", "in the hotel room", "the museum's
# hall"): a room instead.
INSIDE = re.compile(
    r"\b(?:wards?|rooms?|lobby|corridors?|hallway|reception|beds?|inside|indoors|interior|canteen)\b", re.I
)
# Words that put a building's own room back outside: "outside the library", "at the school gate".
OUTSIDE = re.compile(r"\b(?:outside|in front of|gates?|entrance|steps|doorway|forecourt)\b", re.I)
# An action on a bridge when the setting is only its river ("stands on the bridge and looks at the river").
ON_A_BRIDGE = re.compile(r"\b(?:on|across|over|onto|off|from)\s+(?:the|a|an|that|this)\s+(?:\w+\s+)?bridge\b", re.I)


def venue(setting: str, place: str, action: str, indoors: bool) -> str:
    """The set for a scene whose setting read as `setting` (its place and action as said), '' for a room."""
    said = f"{place} {action}"
    if setting == "classroom" and "school" in place.lower() and OUTSIDE.search(said):
        return "front"  # waiting outside the school is at its gate, not in a classroom
    if setting == "front" and (INSIDE.search(place) or indoors and not OUTSIDE.search(said)):
        return ""  # the hospital ward, in the library: a room
    if not setting and ON_A_BRIDGE.search(action):
        return "bridge"  # "stands on the bridge and looks at the river": on the bridge over it
    return setting
